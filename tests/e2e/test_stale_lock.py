"""End-to-end: a hop moves a Pipfile.lock with real pipenv run through uv (F17).

djangox's dependency phase moved ``Pipfile`` to ``django = "==3.2.25"`` and left ``Pipfile.lock``
at 2.2.6 because pipenv was not installed; the next ``plan`` then took the stale lock for the
Django the project runs. Here pipenv (then Poetry) is hidden from ``PATH`` lookups, so ``apply_writes`` must
run the real pipenv from PyPI through ``uv tool run`` with the hop's Python: the lock then pins
the chosen Django, no virtualenv is left in the project, and detection reads 3.2.25 from both.
The same for a poetry.lock written by Poetry 1.8.3: the Poetry run through uv is that one, so the
lock keeps the format the project's Poetry reads.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from upgrader.deps.choose import Choice
from upgrader.deps.resolve import find_uv
from upgrader.deps.write import apply_writes, plan_writes
from upgrader.detect.django_version import find_django_version
from upgrader.detect.requirements import read_declared

pytestmark = pytest.mark.e2e

PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"
PIPFILE = f"""\
[[source]]
url = "https://pypi.org/simple"
verify_ssl = true
name = "pypi"

[packages]
django = "==2.2.28"

[requires]
python_version = "{PYTHON}"
"""
OLD_LOCK = {
    "_meta": {"hash": {"sha256": "0"}, "pipfile-spec": 6, "requires": {}, "sources": []},
    "default": {"django": {"version": "==2.2.28"}},
    "develop": {},
}


def test_pipenv_lock_through_uv_moves_the_lock_with_the_hop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "Pipfile").write_text(PIPFILE)
    (tmp_path / "Pipfile.lock").write_text(json.dumps(OLD_LOCK, indent=4) + "\n")
    real_which = shutil.which
    monkeypatch.setattr(
        "upgrader.deps.write_apply.shutil.which",
        lambda name: None if name == "pipenv" else real_which(name),
    )
    choices = [Choice("django", "2.2.28", "3.2.25", "test", "test")]
    plan = plan_writes(tmp_path, read_declared(tmp_path).requirements, choices)

    result = apply_writes(plan, lock_python=PYTHON)

    assert result.stale_locks == () and result.to_run == (), result.notes
    assert len(result.ran) == 1 and result.ran[0].startswith("uv tool run --python ")
    locked = json.loads((tmp_path / "Pipfile.lock").read_text())
    assert locked["default"]["django"]["version"] == "==3.2.25"
    assert not (tmp_path / ".venv").exists()
    found = find_django_version(read_declared(tmp_path))
    assert str(found.version) == "3.2.25" and found.stale == ()


@pytest.mark.parametrize(("declared", "hop"), [("3.7", "3.7"), ("3.7", "3.8")])
def test_pipenv_through_uv_on_an_old_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, declared: str, hop: str
) -> None:
    """djangox's hops: the newest pipenv cannot resolve in a 3.7 or 3.8 virtualenv, and a
    Pipfile still saying 3.7 cannot lock a newer Python's set; uv runs a pipenv that supports
    the hop's Python, after the Pipfile's [requires] moved to it."""
    from upgrader import interpreters

    if interpreters.find(hop) is None:
        pytest.skip(f"no Python {hop} here")
    (tmp_path / "Pipfile").write_text(PIPFILE.replace(f'"{PYTHON}"', f'"{declared}"'))
    (tmp_path / "Pipfile.lock").write_text(json.dumps(OLD_LOCK, indent=4) + "\n")
    real_which = shutil.which
    monkeypatch.setattr(
        "upgrader.deps.write_apply.shutil.which",
        lambda name: None if name == "pipenv" else real_which(name),
    )
    choices = [Choice("django", "2.2.28", "3.2.25", "test", "test")]
    plan = plan_writes(tmp_path, read_declared(tmp_path).requirements, choices)

    result = apply_writes(plan, lock_python=hop)

    assert result.stale_locks == (), result.notes
    locked = json.loads((tmp_path / "Pipfile.lock").read_text())
    assert locked["default"]["django"]["version"] == "==3.2.25"
    assert f'python_version = "{hop}"' in (tmp_path / "Pipfile").read_text()


POETRY_PYPROJECT = """\
[tool.poetry]
name = "app"
version = "0.1.0"
description = ""
authors = ["a <a@example.com>"]
package-mode = false

[tool.poetry.dependencies]
python = "^3.8"
Django = "2.2.28"
"""


def test_poetry_lock_through_uv_keeps_the_poetry_that_wrote_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uv = find_uv()
    assert uv is not None
    (tmp_path / "pyproject.toml").write_text(POETRY_PYPROJECT)
    made = subprocess.run(
        [uv, "tool", "run", "--from", "poetry==1.8.3", "poetry", "lock"],
        cwd=tmp_path,
        env={**os.environ, "POETRY_VIRTUALENVS_PATH": str(tmp_path / "venvs")},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    real_which = shutil.which
    monkeypatch.setattr(
        "upgrader.deps.write_apply.shutil.which",
        lambda name: None if name == "poetry" else real_which(name),
    )
    choices = [Choice("django", "2.2.28", "3.2.25", "test", "test")]
    plan = plan_writes(tmp_path, read_declared(tmp_path).requirements, choices)

    result = apply_writes(plan, lock_python=PYTHON)

    assert result.stale_locks == () and result.to_run == (), result.notes
    assert result.ran == ("uv tool run --from poetry==1.8.3 poetry update --lock django",)
    lock = (tmp_path / "poetry.lock").read_text()
    assert lock.startswith("# This file is automatically @generated by Poetry 1.8.3")
    found = find_django_version(read_declared(tmp_path))
    assert str(found.version) == "3.2.25" and found.stale == ()
    assert found.source is not None and found.source.kind == "poetry.lock"
