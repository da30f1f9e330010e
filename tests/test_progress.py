"""The live progress line: a fake clock and a string buffer stand in for time and stderr."""

from __future__ import annotations

import io

import pytest

from upgrader.progress import ProgressLine, format_elapsed, is_terminal


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_lines_come_every_interval_not_on_every_update() -> None:
    clock, out = Clock(), io.StringIO()
    line = ProgressLine(out, tty=False, clock=clock, interval=10.0)
    line.start("Django 4.2: running the tests (log: x.log)")
    for step in range(1, 26):  # 25 s of updates, one per second
        clock.now = 100.0 + step
        line.update(f"Django 4.2: running tests: {step} done")
    line.finish()
    assert out.getvalue().splitlines() == [
        "Django 4.2: running the tests (log: x.log)",
        "Django 4.2: running tests: 10 done (10 s)",
        "Django 4.2: running tests: 20 done (20 s)",
    ]
    assert "\r" not in out.getvalue()


def test_a_terminal_gets_one_line_redrawn_in_place_then_cleared() -> None:
    clock, out = Clock(), TTY()
    line = ProgressLine(out, tty=True, clock=clock, tty_interval=0.5)
    line.start("Django 2.2: running the tests")
    line.update("Django 2.2: creating the environment")
    clock.now += 0.25
    line.update("Django 2.2: installing 3 packages")  # too soon: not drawn
    clock.now += 0.5
    line.update("Django 2.2: installing 3 packages")
    clock.now += 65
    line.update("Django 2.2: running tests: 4/5 done, 1 failed")
    line.finish()
    first, text = out.getvalue().split("\n")
    assert first == "Django 2.2: running the tests"  # stays: it names the log
    assert text.split("\r\x1b[K") == [
        "",
        "Django 2.2: creating the environment (0 s)",
        "Django 2.2: installing 3 packages (0 s)",
        "Django 2.2: running tests: 4/5 done, 1 failed (1 min 05 s)",
        "",
    ]


def test_finish_with_text_leaves_a_last_line() -> None:
    clock, out = Clock(), io.StringIO()
    line = ProgressLine(out, tty=False, clock=clock)
    line.start("start")
    clock.now += 3
    line.finish("done")
    assert out.getvalue() == "start\ndone (3 s)\n"


def test_a_closed_stream_is_no_crash() -> None:
    out = io.StringIO()
    line = ProgressLine(out, tty=False, clock=Clock())
    out.close()
    line.start("start")  # nothing to assert but that it returns


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0.4, "0 s"), (59.9, "59 s"), (60, "1 min 00 s"), (3599, "59 min 59 s"), (3720, "1 h 02 min")],
)
def test_format_elapsed(seconds: float, shown: str) -> None:
    assert format_elapsed(seconds) == shown


def test_only_a_real_terminal_outside_ci_is_redrawn() -> None:
    assert is_terminal(TTY(), {})
    assert not is_terminal(TTY(), {"CI": "true"})
    assert not is_terminal(TTY(), {"TERM": "dumb"})
    assert not is_terminal(io.StringIO(), {})


def test_under_a_rich_spinner_lines_are_plain() -> None:
    from rich.console import Console
    from rich.file_proxy import FileProxy

    proxy = FileProxy(Console(file=TTY()), TTY())
    assert not is_terminal(proxy, {})  # type: ignore[arg-type]


def test_a_redrawn_line_is_cut_to_the_terminal_width() -> None:
    clock, out = Clock(), TTY()
    line = ProgressLine(out, tty=True, clock=clock, width=20)
    line.update("Django 4.2: installing 120 packages")
    drawn = out.getvalue().removeprefix("\r\x1b[K")
    assert drawn == "Django 4.2: instal…"  # 19 columns: the cursor stays on the row
    assert len(drawn) < 20


def test_a_sink_gets_the_updates_and_the_stream_only_the_first_line() -> None:
    """Under the command line's spinner: what runs and its log stay as a line above it, the
    updates (with the elapsed time) become the spinner's text, as often as a terminal's."""
    clock, out, shown = Clock(), TTY(), []
    line = ProgressLine(out, tty=False, clock=clock, sink=shown.append)
    line.start("Django 5.2: running the tests in tox env django52 (log: x.log)")
    line.update("Django 5.2: installing 40 packages")
    clock.now += 0.1
    line.update("Django 5.2: installing 40 packages")  # not due yet
    clock.now += 0.2
    line.update("Django 5.2: running tests: 3/10 done")
    line.finish()
    assert out.getvalue() == "Django 5.2: running the tests in tox env django52 (log: x.log)\n"
    assert shown == [
        "Django 5.2: installing 40 packages (0 s)",
        "Django 5.2: running tests: 3/10 done (0 s)",
    ]


def test_the_default_line_follows_the_sink_that_is_set() -> None:
    from upgrader.progress import default_line, set_sink

    shown: list[str] = []
    set_sink(shown.append)
    try:
        line = default_line()
        assert line is not None and line.sink is not None
        line.update("Django 4.2: creating the environment")
    finally:
        set_sink(None)
    assert shown == ["Django 4.2: creating the environment (0 s)"]
    after = default_line()
    assert after is not None and after.sink is None


def test_the_spinner_line_says_the_phase_and_its_elapsed_time() -> None:
    from upgrader.progress import Working

    clock = Clock()
    working = Working("Choosing dependencies for Django 5.2", title="dependencies", clock=clock)
    clock.now += 75
    assert (
        working.__rich__().plain == "dependencies Choosing dependencies for Django 5.2 (1 min 15 s)"
    )
    working.line("Django 5.2: running tests: 3/10 done (12 s)")  # says its own time
    assert working.__rich__().plain == "dependencies Django 5.2: running tests: 3/10 done (12 s)"
    working.set("Writing the report")
    assert working.__rich__().plain == "dependencies Writing the report (0 s)"
    rendered = working.__rich__()
    assert rendered.no_wrap and rendered.overflow == "ellipsis"  # one row, never wrapped


def test_a_step_on_a_terminal_shows_the_test_run_in_the_spinner_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The step's tox runs feed the phase's spinner (``reporting`` sets the sink): one live line
    with the installs and the test counter, instead of lines printed above it every 10 s."""
    from rich.console import Console

    from upgrader import progress

    monkeypatch.setattr(progress, "live", lambda: True)  # a terminal, as far as the choice goes
    console = Console(file=TTY(), force_terminal=True, width=80)
    with progress.reporting(console, "step", "reading the project") as reporter:
        assert isinstance(reporter, progress.RichReporter)
        assert reporter.working.__rich__().plain == "step reading the project (0 s)"
        reporter.phase("verify", "Running the tests on Django 5.2")
        line = progress.default_line()
        assert line is not None
        line.update("Django 5.2: running tests: 3/10 done")
        assert (
            reporter.working.__rich__().plain == "verify Django 5.2: running tests: 3/10 done (0 s)"
        )
    after = progress.default_line()
    assert after is not None and after.sink is None  # the sink is gone with the spinner


def test_pipes_and_ci_get_plain_reporter_lines() -> None:
    from rich.console import Console

    from upgrader import progress

    out = io.StringIO()
    with progress.reporting(Console(file=out, width=80), "step", "reading the project") as reporter:
        assert not isinstance(reporter, progress.RichReporter)
        reporter.phase("verify", "Running the tests on Django 5.2")
    assert out.getvalue() == "[verify] Running the tests on Django 5.2\n"
