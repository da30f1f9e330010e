"""End-to-end: no false blocker, and the plan before any step sees what step sees (F27, F28).

djangogirls imports only ``oauth2client.service_account``; oauth2client 4.1.3's
``contrib/django_util/models.py`` defines ``from_db_value(..., context)`` (removed in Django 3.0)
but nothing loads it: installed by uv into the 2.2 stage environment as upgrader makes it, the
static check keeps it as a note, never a blocker (F27). On a fresh clone (no stage environment),
the plan reads django-date-extensions 3.0's wheel from the real index (its ``fields.py``, which
the project's models import, imports ``python_2_unicode_compatible``) and moves it to 3.1, as
step does after the baseline (F28).
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

DEAD = "oauth2client/contrib/django_util/models.py"


def _project(root: Path) -> None:
    (root / "core").mkdir(parents=True)
    (root / "core" / "__init__.py").write_text("")
    (root / "core" / "gmail.py").write_text(
        "from oauth2client.service_account import ServiceAccountCredentials\n"
    )
    (root / "core" / "models.py").write_text(
        "from django_date_extensions.fields import ApproximateDateField\n"
    )
    (root / "settings.py").write_text(
        "INSTALLED_APPS = ['django.contrib.auth', 'django_date_extensions', 'core']\n"
    )
    (root / "requirements.txt").write_text(
        "Django==2.2.28\ndjango-date-extensions==3.0\noauth2client==4.1.3\n"
    )


def _hop() -> Hop:
    source, target = get_release("2.2"), get_release("3.2")
    assert source is not None and target is not None
    return Hop(source, target, "3.8", "3.8")


def test_a_fresh_clone_plan_reads_the_pinned_wheels(tmp_path: Path) -> None:
    root = tmp_path / "project"
    _project(root)
    assert hop_run(root, "2.2", "3.2") is None  # no state, no stage env: a fresh clone
    plan = plan_dependencies(
        root,
        read_declared(root),
        _hop(),
        cache_dir=tmp_path / "cache",
        as_of=None,
        baseline={},
        baseline_run=None,
    )
    assert plan.blocked == (), plan.blocked
    dates = next(c for c in plan.choices if c.name == "django-date-extensions")
    assert dates.chosen == "3.1", dates.reason
    assert (
        "django-date-extensions 3.0 breaks on Django 3.2: its django_date_extensions/fields.py:10 "
        "imports `django.utils.encoding.python_2_unicode_compatible`, removed in Django 3.0"
    ) in dates.reason
    oauth = next(c for c in plan.choices if c.name == "oauth2client")
    assert oauth.chosen == "4.1.3"


def test_oauth2client_in_the_stage_env_is_a_note_not_a_blocker(tmp_path: Path) -> None:
    uv = find_uv()
    if uv is None:
        pytest.skip("uv is not installed")
    root = tmp_path / "project"
    _project(root)
    env = root / ".upgrader/cache/tox/django22"
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(env)], check=True)
    subprocess.run(
        [
            uv,
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--python",
            str(env / "bin" / "python"),
            "oauth2client==4.1.3",
        ],
        check=True,
        timeout=900,
    )
    run = hop_run(root, "2.2", "3.2")
    assert run is not None and run.static_read
    assert run.findings == ()
    assert [f.location for f in run.unloaded] == [f"{DEAD}:38"]
    plan = plan_dependencies(
        root,
        read_declared(root),
        _hop(),
        cache_dir=tmp_path / "cache",
        as_of=None,
        baseline={},
        baseline_run=run,
    )
    assert not any(b.name == "oauth2client" for b in plan.blocked), plan.blocked
    oauth = next(c for c in plan.choices if c.name == "oauth2client")
    assert oauth.reason.endswith(
        f"oauth2client 4.1.3's {DEAD}:38 defines `from_db_value(..., context)`, removed in "
        "Django 3.0: the project does not load that module, so it is not a blocker"
    ), oauth.reason
