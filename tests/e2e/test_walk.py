"""End-to-end: walk each sample project up Django's path with repeated ``upgrader step``.

No manual edit anywhere: at every stage the project's own tests are green (``step`` exits 0 only
then), ``manage.py check`` and ``manage.py makemigrations --check`` are clean in the stage's own
environment, and the hop's report is committed. Real git, real resolution against the package
index, real tox environments on real interpreters, real Django.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_PROJECTS

pytestmark = pytest.mark.e2e

LTS_PATH = ["3.2", "4.2", "5.2"]
SAMPLES = ["polls", "shop", "newsroom"]


def run(args: list[str], cwd: Path, *, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CI": "1", "NO_COLOR": "1"}
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} exited {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
        )
    return result


def upgrader(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "upgrader", *args], cwd, check=check)


def copy_as_repository(name: str, tmp_path: Path) -> Path:
    root = tmp_path / name
    shutil.copytree(
        SAMPLE_PROJECTS / name,
        root,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "db.sqlite3", ".upgrader"),
    )
    run(["git", "init", "-q", "-b", "main"], root)
    run(["git", "add", "-A"], root)
    run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "as found"], root)
    return root


def stage_python(root: Path, stage: str) -> Path:
    env = root / ".upgrader" / "cache" / "tox" / f"django{stage.replace('.', '')}"
    python = env / "bin" / "python"
    assert python.exists(), f"no tox environment for Django {stage} in {env}"
    return python


def check_stage(root: Path, stage: str) -> None:
    """The hop's report is committed, and Django's own checks are clean on the stage."""
    report = root / ".upgrader" / "reports" / f"django-{stage}" / "report.json"
    data = json.loads(report.read_text())
    assert (data["to"], data["status"]) == (stage, "done")
    assert data["tests_after"]["failed"] == 0 and data["tests_after"]["errors"] == 0
    assert run(["git", "status", "--porcelain"], root).stdout == ""
    assert run(["git", "ls-files", "--error-unmatch", str(report)], root).returncode == 0
    python = str(stage_python(root, stage))
    version = run([python, "-c", "import django; print(django.__version__)"], root).stdout
    assert version.startswith(stage + "."), version
    run([python, "manage.py", "check"], root)
    run([python, "manage.py", "makemigrations", "--check", "--dry-run"], root)


@pytest.mark.parametrize("name", SAMPLES)
def test_walk_to_newest_lts_then_latest(name: str, tmp_path: Path) -> None:
    root = copy_as_repository(name, tmp_path)
    for stage in LTS_PATH:
        result = upgrader("step", cwd=root, check=False)
        assert result.returncode == 0, f"hop to {stage}:\n{result.stdout}\n{result.stderr}"
        assert f"→ {stage}" in result.stdout
        assert (
            run(["git", "branch", "--show-current"], root).stdout.strip()
            == f"upgrade/django-{stage}"
        )
        check_stage(root, stage)
    done = upgrader("step", cwd=root)
    assert "already at the target" in done.stdout
    latest = upgrader("step", "--to", "latest", cwd=root, check=False)
    assert latest.returncode == 0, f"hop to latest:\n{latest.stdout}\n{latest.stderr}"
    check_stage(root, "6.1")
    status = upgrader("status", cwd=root).stdout
    assert status.count("done") == 4
