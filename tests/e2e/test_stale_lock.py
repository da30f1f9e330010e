"""End-to-end: a hop moves a Pipfile.lock with real pipenv run through uv (F17).

djangox's dependency phase moved ``Pipfile`` to ``django = "==3.2.25"`` and left ``Pipfile.lock``
at 2.2.6 because pipenv was not installed; the next ``plan`` then took the stale lock for the
Django the project runs. Here pipenv is hidden from ``PATH`` lookups, so ``apply_writes`` must
run the real pipenv from PyPI through ``uv tool run`` with the hop's Python: the lock then pins
the chosen Django, no virtualenv is left in the project, and detection reads 3.2.25 from both.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from upgrader.deps.choose import Choice
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
        "upgrader.deps.write.shutil.which",
        lambda name: None if name == "pipenv" else real_which(name),
    )
    choices = [Choice("django", "2.2.28", "3.2.25", "test", "test")]
    plan = plan_writes(tmp_path, read_declared(tmp_path).requirements, choices)

    result = apply_writes(plan, lock_python=PYTHON)

    assert result.stale_locks == () and result.to_run == (), result.notes
    assert len(result.ran) == 1 and result.ran[0].startswith(
        "uv tool run --from pipenv pipenv lock"
    )
    locked = json.loads((tmp_path / "Pipfile.lock").read_text())
    assert locked["default"]["django"]["version"] == "==3.2.25"
    assert not (tmp_path / ".venv").exists()
    found = find_django_version(read_declared(tmp_path))
    assert str(found.version) == "3.2.25" and found.stale == ()
