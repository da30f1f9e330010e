"""End-to-end: a hop killed in each phase finishes, when run again, as if never interrupted.

The process is really killed (SIGKILL: nothing runs after it; SIGINT: Ctrl-C) while the phase is
under way, then ``upgrader step`` runs again. The files the hop leaves must be those of an
uninterrupted run, and ``rollback`` must restore the exact pre-hop tree.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.test_walk import copy_as_repository, run, upgrader

pytestmark = pytest.mark.e2e

SAMPLE = "polls"


def tracked_files(root: Path) -> dict[str, bytes]:
    """Every committed file of HEAD but the reports (they hold times and commit ids)."""
    names = run(["git", "ls-tree", "-r", "--name-only", "HEAD"], root).stdout.split()
    return {
        name: (root / name).read_bytes()
        for name in names
        if not name.startswith(".upgrader/reports/")
    }


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def step_killed_in(root: Path, phase: str, sig: signal.Signals) -> None:
    """Start ``upgrader step`` and kill it once it announces ``phase`` (plain progress lines)."""
    env = {**os.environ, "CI": "1", "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "upgrader", "step"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        # a terminal's Ctrl-C, whatever the test runner inherited: a shell's background job
        # starts with SIGINT ignored, and Python then installs no KeyboardInterrupt handler
        preexec_fn=_default_sigint,
        start_new_session=True,
    )
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        if line.startswith(f"[{phase}]"):
            if phase != "report":  # the report takes a blink: stop it at once
                time.sleep(0.5)  # let the phase start its work
            os.killpg(process.pid, sig)
            break
    process.wait(timeout=600)
    process.stderr.close()
    assert any(line.startswith(f"[{phase}]") for line in seen), "".join(seen)
    assert process.returncode != 0, "the step finished before it could be interrupted"


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = copy_as_repository(SAMPLE, tmp_path_factory.mktemp("reference"))
    upgrader("step", cwd=root)
    return tracked_files(root)


@pytest.mark.parametrize(
    ("phase", "sig"),
    [
        pytest.param("dependencies", signal.SIGKILL, id="kill-in-dependencies"),
        pytest.param("rewrite", signal.SIGINT, id="ctrl-c-in-rewrite"),
        pytest.param("migrations", signal.SIGKILL, id="kill-in-migrations"),
        pytest.param("verify", signal.SIGKILL, id="kill-in-verify"),
        pytest.param("report", signal.SIGINT, id="ctrl-c-in-report"),
    ],
)
def test_killed_hop_resumes_to_the_same_result(
    phase: str, sig: signal.Signals, reference: dict[str, bytes], tmp_path: Path
) -> None:
    root = copy_as_repository(SAMPLE, tmp_path)
    before = tracked_files(root)
    # The user's untracked file: left in place through the kill, the resume and the rollback.
    (root / "build").mkdir()
    (root / "build" / "notes.txt").write_text("mine\n")
    step_killed_in(root, phase, sig)
    resumed = upgrader("step", cwd=root, check=False)
    assert resumed.returncode == 0, f"{resumed.stdout}\n{resumed.stderr}"
    assert "→ 3.2" in resumed.stdout
    assert tracked_files(root) == reference
    assert run(["git", "status", "--porcelain"], root).stdout == "?? build/\n"
    upgrader("rollback", cwd=root)
    assert run(["git", "branch", "--show-current"], root).stdout.strip() == "main"
    assert tracked_files(root) == before
    assert run(["git", "status", "--porcelain"], root).stdout == "?? build/\n"
    assert (root / "build" / "notes.txt").read_text() == "mine\n"
    assert (
        "build/notes.txt"
        not in run(
            ["git", "stash", "show", "--include-untracked", "--name-only"], root, check=False
        ).stdout
    )
