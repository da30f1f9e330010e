"""End-to-end: walk each sample project up Django's path with repeated ``upgrader step``.

No manual edit anywhere: at every stage the project's own tests are green, ``manage.py check``
and ``manage.py makemigrations --check`` are clean in the stage's own environment, and the hop's
report is committed. A hop whose manual items are open ends as ``manual-items-open`` (exit 1):
newsroom's pytz code on the way to 5.2, which Django 5.0 no longer supports and the pytz rewrite
cannot fully port (``localize`` with ``is_dst``; its other pytz uses are notes, since it declares
pytz itself: FINDINGS F26); those items are exactly
what ``plan`` listed beforehand, and the walk goes on from there. Real git, real resolution against the package
index, real tox environments on real interpreters, real Django.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_PROJECTS

pytestmark = pytest.mark.e2e

LTS_PATH = ["3.2", "4.2", "5.2"]
SAMPLES = ["polls", "shop", "newsroom"]
# The manual items each sample's hops leave open, per stage: (id, file, line). Any other stage: none.
MANUAL = {
    "newsroom": {
        "5.2": sorted(
            [
                ("pytz-localize", "events/tests/test_events.py", 126),
                ("pytz-localize", "newsroom/timeutils.py", 19),
                ("pytz-localize", "newsroom/timeutils.py", 20),
                ("pytz-localize", "newsroom/timeutils.py", 27),
                ("pytz-localize", "newsroom/timeutils.py", 37),
            ]
        )
    }
}


def items(manual: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return sorted((item["id"], item["file"], item["line"]) for item in manual)


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


def check_stage(root: Path, stage: str, manual: Sequence[tuple[object, ...]]) -> None:
    """The hop's report is committed, with exactly ``manual`` open, and Django's own checks are
    clean on the stage."""
    report = root / ".upgrader" / "reports" / f"django-{stage}" / "report.json"
    data = json.loads(report.read_text())
    assert (data["to"], data["status"]) == (stage, "manual-items-open" if manual else "done")
    assert items(data["manual"]) == list(manual)
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
    expected = MANUAL.get(name, {})
    plan = json.loads(upgrader("plan", "--to", "latest", "--format", "json", cwd=root).stdout)
    planned = {hop["to"]: items(hop["manual"]) for hop in plan["hops"]}
    assert planned == {stage: expected.get(stage, []) for stage in [*LTS_PATH, "6.1"]}
    for stage in [*LTS_PATH, "latest"]:
        args = ("step", "--to", "latest") if stage == "latest" else ("step",)
        result = upgrader(*args, cwd=root, check=False)
        stage = "6.1" if stage == "latest" else stage
        manual = expected.get(stage, [])
        assert result.returncode == (1 if manual else 0), (
            f"hop to {stage}:\n{result.stdout}\n{result.stderr}"
        )
        assert f"→ {stage}" in result.stdout
        if manual:
            assert f"{len(manual)} manual item(s) open" in result.stdout
        assert (
            run(["git", "branch", "--show-current"], root).stdout.strip()
            == f"upgrade/django-{stage}"
        )
        check_stage(root, stage, manual)
        if stage == LTS_PATH[-1]:
            done = upgrader("step", cwd=root)
            assert "already at the target" in done.stdout
    status = upgrader("status", cwd=root).stdout
    open_hops = sum(1 for stage in expected if expected[stage])
    assert status.count("  done ") == 4 - open_hops
    assert status.count("manual-items-open") == open_hops
