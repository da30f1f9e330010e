"""End-to-end: a hop that moves django-crispy-forms past 2.0 adds the template pack (F19).

djangox's 3.2 -> 4.2 hop moved ``django-crispy-forms 1.12.0 -> 2.1`` and said ``done``; crispy-forms
2.0 ships no template packs, so every crispy form of its ``CRISPY_TEMPLATE_PACK = 'bootstrap4'``
raised ``TemplateDoesNotExist``. Here the dependency stage plans the same hop for a tiny project
against the real index: crispy-bootstrap4 is chosen and resolved with the rest, the step is a
note with its source, the requirement is written beside crispy-forms, and the written set,
installed by uv into a fresh virtualenv, renders the pack's template once its app is installed
(and, without the companion, does not: the failure F19 saw).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from packaging.version import Version

from upgrader.deps.plan import plan_dependencies, write_dependencies
from upgrader.deps.resolve import find_uv
from upgrader.detect.requirements import read_declared
from upgrader.hops import Hop
from upgrader.releases import get_release

pytestmark = pytest.mark.e2e

PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"
SETTINGS = """\
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "crispy_forms"]
CRISPY_TEMPLATE_PACK = "bootstrap4"
"""
# Renders the pack's field template with the apps given; prints where it came from.
RENDER = """\
import sys
import django
from django.conf import settings
settings.configure(
    INSTALLED_APPS=sys.argv[1:],
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
)
django.setup()
from django.template.loader import get_template
print(get_template("bootstrap4/field.html").origin.name)
"""


def _hop(source: str, target: str) -> Hop:
    found_source, found_target = get_release(source), get_release(target)
    assert found_source is not None and found_target is not None
    return Hop(found_source, found_target, PYTHON, PYTHON)


def test_the_crispy_forms_2_hop_adds_and_installs_crispy_bootstrap4(tmp_path: Path) -> None:
    uv = find_uv()
    if uv is None:
        pytest.skip("uv is not installed")
    root = tmp_path / "project"
    (root / "site").mkdir(parents=True)
    (root / "requirements.txt").write_text("Django==3.2.25\ndjango-crispy-forms==1.14.0\n")
    (root / "site" / "settings.py").write_text(SETTINGS)
    declared = read_declared(root)

    plan = plan_dependencies(
        root,
        declared,
        _hop("3.2", "4.2"),
        resolve=True,
        cache_dir=tmp_path / "uv-cache",
        as_of=None,
        baseline_run=None,
    )

    assert plan.blocked == (), plan.blocked
    assert plan.resolution is not None, plan.notes
    crispy = plan.packages["django-crispy-forms"]
    assert Version(crispy) >= Version("2.0")
    pack = plan.resolution.version_of("crispy-bootstrap4")
    assert pack is not None and plan.packages["crispy-bootstrap4"] == pack
    assert plan.companions == ("crispy-bootstrap4",)
    [note] = [n for n in plan.notes if n.startswith("upgrade step of django-crispy-forms 2.0")]
    assert f"the hop's dependency set gets crispy-bootstrap4 {pack}" in note
    assert "(source: https://" in note

    write_dependencies(root, declared, plan)
    lines = (root / "requirements.txt").read_text().splitlines()
    crispy_line = lines.index(f"django-crispy-forms=={crispy}")
    assert lines[crispy_line + 1] == f"crispy-bootstrap4=={pack}"  # beside what asked for it

    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run(
        [uv, "pip", "install", "-q", "--python", python, "-r", str(root / "requirements.txt")],
        check=True,
        timeout=900,
    )
    apps = ["django.contrib.contenttypes", "django.contrib.auth", "crispy_forms"]
    render = [python, "-c", RENDER, *apps]
    found = subprocess.run([*render, "crispy_bootstrap4"], capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    assert "crispy_bootstrap4" in found.stdout
    without = subprocess.run(render, capture_output=True, text=True)  # F19: crispy-forms 2 alone
    assert without.returncode != 0 and "TemplateDoesNotExist" in without.stderr
