"""End-to-end: the release chosen to escape a removed import is itself clean (F23, pretalx).

pretalx's 3.2 -> 4.2 hop moved ``rules 2.2 -> 3.0`` because rules 2.2's
``rules/contrib/views.py`` imports ``django.utils.encoding.force_text`` (removed in 4.0); rules
3.0 imports it too, so the 4.2 stage stopped before any test. Here rules 2.2 is installed by uv
into the 3.2 stage environment as upgrader makes it, the static check finds the import there,
the dependency stage plans the hop against the real index and reads the candidates' own wheels:
rules 3.1 is chosen, the reason names it, and the resolved set, installed into a fresh
virtualenv, imports ``rules.contrib.views`` on Django 4.2 (rules 3.0 there does not: F23).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from upgrader.deps.breaking import hop_run
from upgrader.deps.plan import plan_dependencies
from upgrader.deps.resolve import find_uv
from upgrader.detect.requirements import read_declared
from upgrader.hops import Hop
from upgrader.releases import get_release

pytestmark = pytest.mark.e2e

PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"
IMPORT_VIEWS = (
    "import django; from django.conf import settings; settings.configure(INSTALLED_APPS=["
    "'django.contrib.contenttypes', 'django.contrib.auth', 'rules']); django.setup(); "
    "import rules.contrib.views; print(django.get_version())"
)


def _venv(uv: str, folder: Path, *requirements: str) -> str:
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(folder)], check=True)
    python = str(folder / "bin" / "python")
    subprocess.run(
        [uv, "pip", "install", "-q", "--python", python, *requirements], check=True, timeout=900
    )
    return python


def test_rules_moves_past_30_to_the_first_release_without_force_text(tmp_path: Path) -> None:
    uv = find_uv()
    if uv is None:
        pytest.skip("uv is not installed")
    root = tmp_path / "project"
    root.mkdir()
    (root / "requirements.txt").write_text("Django==3.2.25\nrules==2.2\n")
    # The project loads the module (pretalx's common/mixins/views.py): only then does it count.
    (root / "views.py").write_text("from rules.contrib.views import PermissionRequiredMixin\n")
    _venv(uv, root / ".upgrader/cache/tox/django32", "Django==3.2.25", "rules==2.2")
    run = hop_run(root, "3.2", "4.2")
    assert run is not None
    assert [(f.location, f.message) for f in run.findings] == [
        ("rules/contrib/views.py:9", "imports `django.utils.encoding.force_text`")
    ]
    source, target = get_release("3.2"), get_release("4.2")
    assert source is not None and target is not None

    plan = plan_dependencies(
        root,
        read_declared(root),
        Hop(source, target, PYTHON, PYTHON),
        resolve=True,
        cache_dir=tmp_path / "uv-cache",
        as_of=None,
        baseline={},
        installed_apps=("rules",),
        baseline_run=run,
    )

    assert plan.blocked == (), plan.blocked
    assert plan.resolution is not None, plan.notes
    rules = next(c for c in plan.choices if c.name == "rules")
    assert rules.chosen == "3.1", rules.reason
    assert rules.reason.endswith(
        "rules 3.0 still breaks: its rules/contrib/views.py:8 imports "
        "`django.utils.encoding.force_text`; rules 3.1: the first release whose files no longer "
        "import force_text"
    )
    pins = [f"{name}=={version}" for name, version in plan.resolution.pins]
    assert "rules==3.1" in pins
    python = _venv(uv, tmp_path / "venv", *pins)
    fixed = subprocess.run([python, "-c", IMPORT_VIEWS], capture_output=True, text=True)
    assert fixed.returncode == 0, fixed.stderr
    assert fixed.stdout.startswith("4.2."), fixed.stdout
    subprocess.run(
        [uv, "pip", "install", "-q", "--python", python, "rules==3.0"], check=True, timeout=900
    )
    broken = subprocess.run([python, "-c", IMPORT_VIEWS], capture_output=True, text=True)
    assert broken.returncode != 0 and "cannot import name 'force_text'" in broken.stderr
