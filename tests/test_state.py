from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from upgrader.errors import StateError
from upgrader.state import HopLock, ensure_state_dir, read_json, write_json


@dataclass(frozen=True)
class Doc:
    name: str
    count: int = 0


def test_state_dir_has_readme_and_gitignore_and_is_idempotent(tmp_path: Path) -> None:
    directory = ensure_state_dir(tmp_path)
    readme = (directory / "README.md").read_text()
    (directory / "README.md").write_text(readme + "user note\n")
    ensure_state_dir(tmp_path)
    assert (directory / "README.md").read_text().endswith("user note\n")
    assert "state.json" in (directory / ".gitignore").read_text()


def test_json_round_trip_with_schema(tmp_path: Path) -> None:
    path = tmp_path / ".upgrader" / "state.json"
    write_json(path, Doc("x", 2), schema=1)
    assert json.loads(path.read_text())["schema"] == 1
    assert read_json(path, Doc, schema=1) == Doc("x", 2)
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("{not json", "not readable upgrader state", id="corrupt"),
        pytest.param('{"schema": 99, "name": "x"}', "has schema 99", id="future-schema"),
        pytest.param('{"schema": 1, "count": 1}', "damaged", id="missing-field"),
        pytest.param("[1, 2]", "has schema None", id="not-an-object"),
        pytest.param("[" * 100_000 + "]" * 100_000, "nested too deeply", id="deeply-nested"),
    ],
)
def test_bad_state_files_are_clear_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "state.json"
    path.write_text(content)
    with pytest.raises(StateError, match=message) as info:
        read_json(path, Doc, schema=1)
    assert info.value.hint


def test_lock_refuses_a_second_holder_while_the_first_lives(tmp_path: Path) -> None:
    with HopLock(tmp_path, "step"):
        with pytest.raises(StateError, match="another upgrader run holds") as info:
            HopLock(tmp_path, "step").acquire()
        assert "delete" in (info.value.hint or "")
    assert not (tmp_path / ".upgrader" / "lock").exists()


def test_lock_left_by_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    pid = int(dead.stdout)
    ensure_state_dir(tmp_path)
    (tmp_path / ".upgrader" / "lock").write_text(
        json.dumps({"pid": pid, "host": os.uname().nodename, "started": "then", "command": "step"})
    )
    lock = HopLock(tmp_path, "step")
    with lock:
        assert lock.took_over is not None and lock.took_over.pid == pid
        assert json.loads((tmp_path / ".upgrader" / "lock").read_text())["pid"] == os.getpid()


# One contender for the lock, as its own process. "slow" stalls its first file write (the
# owner's) for a moment, as a loaded machine or slow disk would, and says when it stalls.
CONTENDER = r"""
import os, sys, time
from pathlib import Path

root, mode, signal = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
if mode == "slow":
    real = os.fdopen

    def fdopen(*args, **kwargs):
        os.fdopen = real
        handle = real(*args, **kwargs)
        signal.touch()  # about to write the owner
        time.sleep(1.5)
        return handle

    os.fdopen = fdopen
from upgrader.errors import StateError
from upgrader.state import HopLock

try:
    with HopLock(root, mode):
        print("held", flush=True)
        time.sleep(3)
except StateError:
    print("refused", flush=True)
"""


def test_two_real_processes_racing_for_the_lock_never_both_hold_it(tmp_path: Path) -> None:
    """A reader must never see a lock without its owner and take it over as stale."""
    ensure_state_dir(tmp_path)  # so the only slow write is the lock's own
    signal = tmp_path / "stalled"
    first = subprocess.Popen(
        [sys.executable, "-c", CONTENDER, str(tmp_path), "slow", str(signal)],
        stdout=subprocess.PIPE,
        text=True,
    )
    for _ in range(200):
        if signal.exists():
            break
        time.sleep(0.05)
    assert signal.exists(), "the first contender never started writing its owner"
    second = subprocess.Popen(
        [sys.executable, "-c", CONTENDER, str(tmp_path), "fast", str(signal)],
        stdout=subprocess.PIPE,
        text=True,
    )
    outcomes = sorted(
        (process.communicate(timeout=30)[0].strip() for process in (first, second)),
    )
    assert outcomes == ["held", "refused"]
    assert not (tmp_path / ".upgrader" / "lock").exists()
    assert not [p for p in (tmp_path / ".upgrader").iterdir() if p.name.endswith(".tmp")]


def test_a_stale_lock_is_taken_over_by_exactly_one_of_two_processes(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    ensure_state_dir(tmp_path)
    (tmp_path / ".upgrader" / "lock").write_text(
        json.dumps(
            {"pid": int(dead.stdout), "host": os.uname().nodename, "started": "then", "command": ""}
        )
    )
    contenders = [
        subprocess.Popen(
            [sys.executable, "-c", CONTENDER, str(tmp_path), "fast", str(tmp_path / "unused")],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outcomes = sorted(process.communicate(timeout=30)[0].strip() for process in contenders)
    assert outcomes == ["held", "refused", "refused", "refused"]
