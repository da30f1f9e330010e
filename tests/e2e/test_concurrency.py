"""Concurrency and interruption of ``upgrader step``, with real processes and stand-in stages.

Each ``upgrader step`` here is a real process running ``upgrader.cli.main`` (its error boundary,
its lock, its git calls), with the stages of ``tests/test_step.py`` (no environment is built)
that can be held at the start of any phase: a file ``in-<phase>`` says a process got there, a
file ``go`` lets it on. So two runs really overlap, Ctrl-C really arrives (SIGINT to the process
group, as a terminal sends it) while a phase is under way, and the refused run's effect on the
repository is measured: nothing (branches, HEAD, stash list, ``.upgrader/``, every byte).

Run a driver by hand: ``python -m tests.e2e.test_concurrency ROOT GATE [PHASE]``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.badinput import snapshot
from tests.test_step import PROJECT_FILES, FakeStages, git, machine

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
PHASES = ("baseline", "dependencies", "rewrite", "migrations", "verify")


class GatedStages(FakeStages):
    """FakeStages that stop at the start of ``hold`` until ``gate/go`` exists."""

    def __init__(self, gate: Path, hold: str | None) -> None:
        super().__init__()
        self.gate = gate
        self.hold = hold

    def _at(self, phase: str) -> None:
        if phase != self.hold:
            return
        self.hold = None
        (self.gate / f"in-{phase}.{os.getpid()}").write_text("")
        while not (self.gate / "go").exists():
            time.sleep(0.02)  # SIGINT lands here as KeyboardInterrupt, as in a real stage

    def dependencies(self, *args: Any) -> Any:
        self._at("dependencies")
        return super().dependencies(*args)

    def rewrite(self, *args: Any) -> Any:
        self._at("rewrite")
        return super().rewrite(*args)

    def migrations(self, *args: Any) -> Any:
        self._at("migrations")
        return super().migrations(*args)

    def verify(self, project: Any, stage: str, *args: Any) -> Any:
        self._at("baseline" if stage == "2.2" else "verify")
        return super().verify(project, stage, *args)


def drive(root: Path, gate: Path, hold: str | None) -> int:
    """``upgrader step ROOT`` through the real CLI, with gated stand-in stages."""
    import upgrader.step
    from upgrader.cli import main

    real = upgrader.step.Step

    class Gated(real):  # type: ignore[misc, valid-type]
        def __init__(self, path: Path, options: Any, **kwargs: Any) -> None:
            kwargs.update(stages=GatedStages(gate, hold), find=machine)
            super().__init__(path, options, **kwargs)

    upgrader.step.Step = Gated  # type: ignore[misc]
    start = gate / "start"
    while not start.exists():  # every process of a race starts at once
        time.sleep(0.005)
    return main(["step", str(root)])


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(root: Path, gate: Path, hold: str | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.test_concurrency", str(root), str(gate), hold or ""],
        cwd=REPO_ROOT,
        env={**os.environ, "CI": "1", "NO_COLOR": "1", "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a terminal's Ctrl-C, whatever the test runner inherited: a shell's background job
        # starts with SIGINT ignored, and Python then installs no KeyboardInterrupt handler
        preexec_fn=_default_sigint,
        start_new_session=True,  # its own process group, as a shell job is
    )


def wait_for(gate: Path, phase: str, processes: list[subprocess.Popen[str]]) -> Path:
    """The marker of the one process that reached ``phase`` (fails if every process ended)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = sorted(gate.glob(f"in-{phase}.*"))
        if found:
            return found[0]
        if all(p.poll() is not None for p in processes):
            outputs = [p.communicate() for p in processes]
            pytest.fail(f"no process reached {phase}: {outputs}")
        time.sleep(0.02)
    pytest.fail(f"no process reached {phase} in 120 s")


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def repository_state(root: Path) -> dict[str, Any]:
    """What a refused run must not change: refs, HEAD, stash, status, .upgrader/, every byte."""
    upgrader_dir = root / ".upgrader"
    return {
        "head": git(root, "rev-parse", "HEAD"),
        "branch": git(root, "branch", "--show-current"),
        "refs": git(root, "for-each-ref", "--format=%(refname) %(objectname)"),
        "stash": git(root, "stash", "list"),
        "status": git(root, "status", "--porcelain", "--untracked-files=all"),
        "state_dir": sorted(p.relative_to(root).as_posix() for p in upgrader_dir.rglob("*"))
        if upgrader_dir.exists()
        else None,
        "files": {k: v for k, v in snapshot(root).items() if not k.startswith(".git/")},
    }


def make_project(root: Path) -> Path:
    for rel, text in PROJECT_FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(root.parent, "init", "-q", "-b", "main", str(root))
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "initial")
    return root


def tracked(root: Path) -> dict[str, bytes]:
    """HEAD's files but the reports (they hold times and commit ids)."""
    names = git(root, "ls-tree", "-r", "--name-only", "HEAD").split()
    return {n: (root / n).read_bytes() for n in names if not n.startswith(".upgrader/reports/")}


@pytest.fixture
def gate(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "gate"
    path.mkdir()
    yield path
    for name in ("start", "go"):  # never leave a process waiting, whatever failed
        (path / name).write_text("")


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """What an uninterrupted hop commits."""
    from upgrader.step import Step, StepOptions

    root = make_project(tmp_path_factory.mktemp("reference") / "proj")
    result = Step(root, StepOptions(), stages=FakeStages(), find=machine).run()
    assert result.exit_code == 0, result.message
    return tracked(root)


def test_a_second_step_is_refused_and_the_first_is_unharmed(
    tmp_path: Path, gate: Path, reference: dict[str, bytes]
) -> None:
    root = make_project(tmp_path / "proj")
    (gate / "start").write_text("")
    first = start(root, gate, hold="rewrite")
    wait_for(gate, "rewrite", [first])
    during = repository_state(root)
    second = start(root, gate)
    code, out, err = finish(second)
    assert code == 2, (out, err)
    assert "another upgrader run holds" in err and ".upgrader/lock" in err, err
    assert "Traceback" not in err
    assert repository_state(root) == during  # the refused run touched nothing
    (gate / "go").write_text("")
    code, out, err = finish(first)
    assert code == 0, (out, err)
    assert tracked(root) == reference
    assert not (root / ".upgrader" / "lock").exists()


@pytest.mark.parametrize("runs", [4])
def test_a_real_race_for_the_lock_has_one_winner(
    tmp_path: Path, gate: Path, reference: dict[str, bytes], runs: int
) -> None:
    """``runs`` processes released at the same instant: one takes the lock, the rest refuse."""
    root = make_project(tmp_path / "proj")
    before = repository_state(root)
    processes = [start(root, gate, hold="baseline") for _ in range(runs)]
    time.sleep(1.0)  # every interpreter up and polling for the start file
    (gate / "start").write_text("")
    marker = wait_for(gate, "baseline", processes)
    winner_pid = int(marker.name.rsplit(".", 1)[1])
    losers = [p for p in processes if p.pid != winner_pid]
    (winner,) = [p for p in processes if p.pid == winner_pid]
    for loser in losers:
        code, out, err = finish(loser)
        assert code == 2, (out, err)
        assert "another upgrader run holds" in err, err
    assert len(list(gate.glob("in-baseline.*"))) == 1
    # The losers left nothing: the repository is as found but for the winner's lock.
    now = repository_state(root)
    assert {k: v for k, v in now.items() if k not in ("state_dir", "files", "status")} == {
        k: v for k, v in before.items() if k not in ("state_dir", "files", "status")
    }
    (gate / "go").write_text("")
    code, out, err = finish(winner)
    assert code == 0, (out, err)
    assert tracked(root) == reference


@pytest.mark.parametrize("phase", PHASES)
def test_ctrl_c_in_a_phase_exits_130_and_the_hop_resumes_to_the_same_result(
    tmp_path: Path, gate: Path, reference: dict[str, bytes], phase: str
) -> None:
    from upgrader.step import Step, StepOptions

    root = make_project(tmp_path / "proj")
    (gate / "start").write_text("")
    process = start(root, gate, hold=phase)
    wait_for(gate, phase, [process])
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    code, out, err = finish(process)
    assert code == 130, (out, err)
    assert "interrupted" in err and "Traceback" not in err, err
    assert not (root / ".upgrader" / "lock").exists(), "the lock outlived the run"
    result = Step(root, StepOptions(), stages=FakeStages(), find=machine).run()
    assert result.exit_code == 0, result.message
    assert tracked(root) == reference
    assert git(root, "branch", "--show-current").strip() == "upgrade/django-3.2"


# -- a refused or failed step leaves the repository exactly as it found it


class FailingStages(FakeStages):
    """Stand-ins where one stage fails as the real one can."""

    def __init__(self, fail_in: str) -> None:
        super().__init__(red_on={"2.2"} if fail_in == "red-baseline" else None)
        self.fail_in = fail_in

    def dependencies(self, project: Any, hop: Any, options: Any) -> Any:
        if self.fail_in == "no-dependency-set":
            from upgrader.errors import ResolutionError

            # What the real stage writes before it finds no set.
            (project.root / ".upgrader" / "constraints").mkdir(parents=True, exist_ok=True)
            raise ResolutionError("no dependency set satisfies Django 3.2: plugin requires <3.0")
        return super().dependencies(project, hop, options)

    def verify(self, project: Any, stage: str, *args: Any) -> Any:
        if self.fail_in == "install-failure" and stage == "2.2":
            from upgrader.errors import VerifyError

            (project.root / ".upgrader" / "logs").mkdir(parents=True, exist_ok=True)
            (project.root / ".upgrader" / "tox.ini").write_text("[testenv:django22]\n")
            raise VerifyError("the Django 2.2 environment could not be built: psycopg2 failed")
        return super().verify(project, stage, *args)


REFUSALS: dict[str, tuple[dict[str, Any], str | None]] = {
    "dirty-tree": ({}, "dirty"),
    "target-older-than-the-project": ({"to": "2.0"}, None),
    "red-baseline": ({}, "red-baseline"),
    "install-failure": ({}, "install-failure"),
    "no-dependency-set": ({}, "no-dependency-set"),
}


def _kept_logs(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """What ``after`` has in ``.upgrader/`` that ``before`` had not: only the run's logs (and
    the .gitignore/README that keep them out of git when the folder is new) may be there."""
    had = set(before["state_dir"] or ())
    new = set(after["state_dir"] or ()) - had
    allowed = {".upgrader/logs"} | ({".upgrader/.gitignore", ".upgrader/README.md"} - had)
    assert all(p in allowed or p.startswith(".upgrader/logs/") for p in new), new
    return new


@pytest.mark.parametrize("why", sorted(REFUSALS))
@pytest.mark.parametrize("earlier_hop", [False, True], ids=["first-hop", "after-a-hop"])
def test_a_refused_step_leaves_the_repository_as_found(
    tmp_path: Path, why: str, earlier_hop: bool
) -> None:
    """Refs, HEAD, stash, status, state and every byte as found; the logs a refused run keeps
    (git-ignored) are named in its hint."""
    from upgrader.errors import UpgraderError
    from upgrader.step import Step, StepOptions

    if earlier_hop and why in ("red-baseline", "install-failure"):
        pytest.skip("the next hop reuses the last hop's green run: no baseline to fail")
    root = make_project(tmp_path / "proj")
    if earlier_hop:  # .upgrader/ holds a finished hop (state, reports, logs)
        assert Step(root, StepOptions(), stages=FakeStages(), find=machine).run().exit_code == 0
    options, fail_in = REFUSALS[why]
    if fail_in == "dirty":
        (root / "app" / "views.py").write_text("# my work in progress\n")
    before = repository_state(root)
    stages = FailingStages(fail_in or "")
    try:
        result = Step(root, StepOptions(**options), stages=stages, find=machine).run()
    except UpgraderError as exc:
        said = f"{exc.message}\n{exc.hint}"
    else:
        assert result.exit_code != 0, result.message
        said = result.message
    after = repository_state(root)
    new = _kept_logs(before, after)
    if new:
        assert ".upgrader/logs" in said, said
    if before["state_dir"] is None:
        new |= {".upgrader"}
    strip = {k: v for k, v in after["files"].items() if k not in new}
    changed_logs = {
        k
        for k in set(before["files"]) | set(strip)
        if k.startswith(".upgrader/logs/") and before["files"].get(k) != strip.get(k)
    }
    assert {k: v for k, v in strip.items() if k not in changed_logs} == {
        k: v for k, v in before["files"].items() if k not in changed_logs
    }, said
    for key in ("head", "branch", "refs", "stash", "status"):
        assert after[key] == before[key], (key, said)


if __name__ == "__main__":
    sys.exit(drive(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] or None))
