"""``verify_stage`` shows live progress while tox runs (the stand-in tox of test_run.py)."""

from __future__ import annotations

import io
from pathlib import Path

from tests.verify.test_run import PYTHON, fake_env, fake_tox, stage
from upgrader.progress import ProgressLine
from upgrader.project import Project
from upgrader.verify.run import ToxInvocation, verify_stage

__all__ = ["fake_tox"]  # the fixture, imported for the tests here


def test_progress_lines_name_the_log_and_count_the_tests(
    tiny: Project, fake_tox: ToxInvocation, tmp_path: Path
) -> None:
    out = io.StringIO()
    line = ProgressLine(out, tty=False, interval=0.0)  # a line on every read of the log
    env = fake_env(tmp_path, "run", "django-2.2-py3.8-green.txt")
    run = verify_stage(tiny, stage(), python=PYTHON, tox=fake_tox, env=env, progress=line)
    lines = out.getvalue().splitlines()
    assert lines[0] == (
        f"Django 2.2: running the tests in tox env django22 on Python 3.8.18 (log: {run.log})"
    )
    assert lines[-1].startswith("Django 2.2: running tests: 4 done (")
    assert all("\r" not in shown for shown in lines)


def test_progress_on_a_terminal_is_cleared_at_the_end(
    tiny: Project, fake_tox: ToxInvocation, tmp_path: Path
) -> None:
    out = io.StringIO()
    line = ProgressLine(out, tty=True, tty_interval=0.0)
    env = fake_env(tmp_path, "run", "django-2.2-py3.8-failing.txt", exit_code=1)
    verify_stage(tiny, stage(), python=PYTHON, tox=fake_tox, env=env, progress=line)
    first, redrawn = out.getvalue().split("\n")
    assert first.startswith("Django 2.2: running the tests in tox env django22")
    drawn = redrawn.split("\r\x1b[K")
    assert drawn[-1] == ""  # the line is cleared: what follows starts on a clean line
    assert drawn[-2].startswith("Django 2.2: running tests: 5 done, 1 failed (")
