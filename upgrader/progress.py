"""One line of live progress on stderr while long work runs (installing, testing).

``ProgressLine`` shows what is happening and for how long: a first line that stays (what runs,
its log), then on a terminal one line rewritten in place (at most every ``tty_interval``
seconds, cut to the terminal's width), elsewhere (CI logs, pipes, or under a rich spinner
without a sink, which prints our lines above itself) a plain full line every ``interval`` seconds, so
a log is never silent for long and never holds carriage returns or hard wraps. The clock and
the stream are parameters, so the reporter is tested with a fake clock and a string buffer.

``default_line()`` is the reporter ``verify_stage`` uses when it is given none: stderr, unless
progress was turned off with ``set_enabled(False)`` (a caller that shows its own progress), or,
while a caller has set a sink with ``set_sink`` (the command line's rich spinner), a line whose
updates go to that sink as often as a terminal's redraws; only its first line (what runs, its
log) is written to stderr, where it stays above the spinner.

The command line's spinner is here too: ``working(console, what)`` (plan, verify, rewrite,
check, diagnose) and ``reporting(console, name, message)`` (a step's phases) draw one line on a
``live`` terminal (a real tty, not CI, not TERM=dumb: FORCE_COLOR colours a pipe but never
animates it; rich itself honours NO_COLOR) saying what runs and for how long (``Working``,
re-rendered with every frame), and set the sink while they run; elsewhere they draw nothing and
the phases are plain ``[name] message`` lines.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # rich is imported when a spinner is drawn, not by every user of progress lines
    from rich.console import Console
    from rich.text import Text

INTERVAL = 10.0  # seconds between lines when not on a terminal
TTY_INTERVAL = 0.2  # seconds between redraws on a terminal
_CLEAR = "\r\x1b[K"

_enabled = True
_sink: Callable[[str], None] | None = None


def set_enabled(enabled: bool) -> None:
    """Turn the default stderr progress on or off (it is on unless a caller turns it off)."""
    global _enabled
    _enabled = enabled


def set_sink(sink: Callable[[str], None] | None) -> None:
    """Send the default line's updates to ``sink`` (a spinner's text), or back to stderr (None)."""
    global _sink
    _sink = sink


def format_elapsed(seconds: float) -> str:
    """``12 s``, ``2 min 05 s``, ``1 h 02 min``."""
    whole = int(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _under_rich_live(stream: object) -> bool:
    """True when ``stream`` is rich's stand-in for stderr while a spinner is shown."""
    try:
        from rich.file_proxy import FileProxy
    except ImportError:  # pragma: no cover - rich is a dependency
        return False
    return isinstance(stream, FileProxy)


def is_terminal(stream: TextIO, environ: dict[str, str] | None = None) -> bool:
    """Whether ``stream`` gets one line redrawn in place: a terminal, not CI, not TERM=dumb."""
    env = os.environ if environ is None else environ
    if env.get("CI") or env.get("TERM") == "dumb" or _under_rich_live(stream):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real file
        return False


class ProgressLine:
    """A status line that says what runs and for how long, updated as the work goes on."""

    def __init__(
        self,
        stream: TextIO,
        *,
        tty: bool,
        clock: Callable[[], float] = time.monotonic,
        interval: float = INTERVAL,
        tty_interval: float = TTY_INTERVAL,
        width: int | None = None,
        sink: Callable[[str], None] | None = None,
    ) -> None:
        self.stream = stream
        self.tty = tty
        self.width = width  # the terminal's columns: a redrawn line must fit in one row
        self.sink = sink  # where updates go instead of the stream (a spinner's text)
        self.clock = clock
        self.interval = tty_interval if tty or sink is not None else interval
        self.started = clock()
        self._last_shown: float | None = None
        self._last_text = ""
        self._drawn = False

    def elapsed(self) -> float:
        return self.clock() - self.started

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # stderr closed or gone: progress is never worth a crash
            pass

    def _show(self, text: str) -> None:
        line = f"{text} ({format_elapsed(self.elapsed())})"
        if self.sink is not None:
            self.sink(line)
        elif self.tty:
            if self.width is not None and len(line) >= self.width:  # a wrapped line is not redrawn
                line = line[: max(self.width - 2, 1)] + "…"
            self._write(_CLEAR + line)
            self._drawn = True
        else:
            self._write(line + "\n")
        self._last_shown = self.clock()
        self._last_text = text

    def start(self, text: str) -> None:
        """Print the first line at once, as a line that stays: what starts, where its log is."""
        self.started = self.clock()
        self._write(text + "\n")
        self._last_shown = None if self.tty or self.sink is not None else self.clock()
        self._last_text = text

    def update(self, text: str) -> None:
        """Show ``text`` with the elapsed time when the last line is old enough.

        Call it often (on every chunk of output and on a timer): it writes only when due.
        """
        now = self.clock()
        due = self._last_shown is None or now - self._last_shown >= self.interval
        if due:
            self._show(text)

    def finish(self, text: str | None = None) -> None:
        """Clear the terminal line (or, with ``text``, leave it as the last line)."""
        if self.tty and self._drawn:
            self._write(_CLEAR + (f"{text} ({format_elapsed(self.elapsed())})\n" if text else ""))
            self._drawn = False
        elif text and not self.tty:
            self._write(f"{text} ({format_elapsed(self.elapsed())})\n")


def default_line() -> ProgressLine | None:
    """The stderr reporter for long runs, or None when progress is turned off."""
    if not _enabled:
        return None
    stream = sys.stderr
    if _sink is not None:
        return ProgressLine(stream, tty=False, sink=_sink)
    tty = is_terminal(stream)
    return ProgressLine(stream, tty=tty, width=_columns(stream) if tty else None)


def _columns(stream: TextIO) -> int | None:
    """The terminal's width (``COLUMNS`` first); None when it says 0 or nothing (a bare pty)."""
    try:
        columns = (
            int(os.environ.get("COLUMNS", "0")) or os.get_terminal_size(stream.fileno()).columns
        )
    except (AttributeError, OSError, ValueError):
        return None
    return columns if columns >= 20 else None


# --- the command line's spinner: one line per phase, fed by the progress lines ------------


def live() -> bool:
    """Whether progress is drawn live (a spinner with one line rewritten in place): stderr is a
    real terminal, not CI, not TERM=dumb. FORCE_COLOR colours a pipe; it never makes it live."""
    return is_terminal(sys.stderr)


class Working:
    """A spinner's text: what runs and, redrawn with every frame, for how long (one line, cut
    to the terminal's width). ``set`` changes what runs; ``line`` shows a progress line that
    already says its own elapsed time (``upgrader.progress`` lines of a tox run)."""

    def __init__(self, what: str, *, title: str = "", clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.title = title
        self.started = clock()
        self.what = what
        self.timed = True

    def set(self, what: str) -> None:
        if what != self.what or not self.timed:
            self.started = self.clock()
        self.what, self.timed = what, True

    def line(self, text: str) -> None:
        self.what, self.timed = text, False

    def __rich__(self) -> Text:
        from rich.text import Text

        text = Text(no_wrap=True, overflow="ellipsis")
        if self.title:
            text.append(self.title, style="bold")
            text.append(" ")
        text.append(self.what)
        if self.timed:
            text.append(f" ({format_elapsed(self.clock() - self.started)})")
        return text


@contextmanager
def working(err: Console, what: str) -> Iterator[Working]:
    """A spinner on stderr saying ``what`` and the elapsed time while the block runs, fed by the
    tox runs' progress lines inside it (``set_sink``). When not ``live`` (CI, pipes: the runs
    print their own plain lines every 10 s) nothing is drawn: the ``Working`` is only kept."""
    working = Working(what)
    if not live():
        yield working
        return
    set_sink(working.line)
    try:
        with err.status(working, spinner="dots"):
            yield working
    finally:
        set_sink(None)


class PlainReporter:
    """Progress as plain lines on stderr (CI logs, pipes)."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def phase(self, name: str, message: str) -> None:
        self.console.print(f"[{name}] {message}", markup=False, highlight=False)

    def info(self, message: str) -> None:
        self.console.print(message, markup=False, highlight=False)


class RichReporter(PlainReporter):
    """Progress on a terminal: one spinner line per phase with its elapsed time, fed while the
    tests run by the tox run's progress line (installs, the test counter): ``live``."""

    def __init__(self, console: Console, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(console)
        self.working = Working("", clock=clock)
        self.status = console.status(self.working, spinner="dots")

    def phase(self, name: str, message: str) -> None:
        self.working.title = name
        self.working.set(message)
        self.status.start()

    def live(self, line: str) -> None:
        """A progress line of the phase's tox run, shown in the spinner's line."""
        self.working.line(line)

    def info(self, message: str) -> None:
        from rich.markup import escape

        self.status.stop()
        self.console.print(f"[green]✓[/green] {escape(message)}")


@contextmanager
def reporting(err: Console, name: str, message: str) -> Iterator[PlainReporter]:
    """A step's reporter (``reporter``); on a live terminal its spinner starts at once with
    ``name`` ``message`` and the tox runs' progress lines feed it (``set_sink``) until the end."""
    chosen = reporter(err)
    if not isinstance(chosen, RichReporter):
        yield chosen
        return
    chosen.phase(name, message)
    set_sink(chosen.live)
    try:
        yield chosen
    finally:
        set_sink(None)
        chosen.status.stop()


def reporter(err: Console) -> PlainReporter:
    """Spinner lines on a live terminal, plain lines elsewhere."""
    return RichReporter(err) if live() else PlainReporter(err)


__all__ = [
    "INTERVAL",
    "PlainReporter",
    "ProgressLine",
    "RichReporter",
    "Working",
    "default_line",
    "format_elapsed",
    "is_terminal",
    "live",
    "reporter",
    "reporting",
    "set_enabled",
    "set_sink",
    "working",
]
