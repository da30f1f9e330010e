"""Read a test run's outcome from its text output: pytest's and Django's test runner's.

Both runners are read from what they print, so nothing has to be installed into the project's
environment (Django's runner has no JUnit output):

- pytest, run with ``-rfE``: the closing line (``1 failed, 3 passed, 1 skipped in 0.26s``; pytest
  < 5.3 wrote ``... in 21.24 seconds``) gives the totals and the duration, the "short test summary
  info" lines give the ids (``FAILED notes/tests.py::NoteTests::test_fails - ...``,
  ``ERROR notes/test_broken.py``; pytest < 4 wrote ``FAIL`` and ``Cls::()::test_x``). ``-rA``
  is not used: pytest 3.x ignores ``A`` and prints no summary at all.
- Django's runner (unittest), run with ``-v 2``: ``Ran 5 tests in 0.003s`` and
  ``FAILED (failures=1, errors=1, skipped=1)`` / ``OK (skipped=1)`` give the totals, and the
  ``FAIL: test_fails (notes.tests.NoteTests)`` headers the ids. Ids are written the same way on
  every Python (``notes.tests.NoteTests.test_fails``): Python 3.11 prints
  ``(notes.tests.NoteTests.test_fails)`` where older ones print ``(notes.tests.NoteTests)``, and a
  baseline recorded on one stage must compare with a run on the next stage's Python.

This is the fallback: a stage's run normally reads structured results (``upgrader.verify.results``:
pytest's JUnit XML, the result writer's JSON for Django's runner) and parses the log only when the
command wrote none (a test command that runs neither runner in-process).

A log where neither runner's closing lines appear parses to ``None``: the test command did not
get as far as running tests (the caller says why, from the log).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

PYTEST = "pytest"
DJANGO = "django"


@dataclass(frozen=True)
class Outcome:
    """What a test runner reported: totals, the ids of failed and erroring tests, its duration."""

    passed: int
    failed: int
    errors: int
    skipped: int
    failures: tuple[str, ...]  # test ids of failed tests
    error_ids: tuple[str, ...]  # test ids of erroring tests (incl. modules that failed to import)
    duration: float | None  # seconds, as the runner reported it
    source: str = "log"  # where it was read: "log", "junit-xml", "result-writer"

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.errors + self.skipped


# "=== 1 failed, 3 passed in 0.26s ===", "... in 65.12s (0:01:05) ===" (pytest >= 5.3),
# "=== 10 failed, 164 passed, 3 skipped, 472 warnings, 3 error in 21.24 seconds ===" (older),
# and without the rule under -q ("1344 passed in 41.41 seconds").
_PYTEST_CLOSING = re.compile(
    r"^(?:=+ )?(?P<summary>(?:\d+ [\w-]+|no tests ran)(?:, \d+ [\w-]+)*)"
    r" in (?P<seconds>[\d.]+) ?s(?:econds)?(?: \([\d:]+\))?(?: =+)?\s*$",
    re.MULTILINE,
)
_PYTEST_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)\b")
# "FAILED id - message" (pytest >= 4), "FAIL id" (pytest 3.x), "ERROR id".
_PYTEST_ID = re.compile(r"^(?P<kind>FAILED|FAIL|ERROR) (?P<id>[^\s\[]+(?:\[.*?\])?)(?: - .*)?\s*$")


def pytest_node_id(node_id: str) -> str:
    """One spelling of a pytest node id on every pytest: pytest < 4 wrote ``Cls::()::test_x``."""
    return node_id.replace("::()", "")


def parse_pytest(text: str) -> Outcome | None:
    """The outcome of a ``pytest -rA`` run, or None when the run printed no closing line."""
    closings = list(_PYTEST_CLOSING.finditer(text))
    if not closings:
        return None
    closing = closings[-1]
    counts = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0, "xfailed": 0, "xpassed": 0}
    for number, word in _PYTEST_COUNT.findall(closing["summary"]):
        counts["errors" if word.startswith("error") else word] += int(number)
    failures: list[str] = []
    errors: list[str] = []
    for line in text[: closing.start()].splitlines():
        match = _PYTEST_ID.match(line)
        if match:
            node_id = pytest_node_id(match["id"])
            (errors if match["kind"] == "ERROR" else failures).append(node_id)
    return Outcome(
        # An xfail is the expected outcome; an xpass under strict xfail shows up as "failed".
        passed=counts["passed"] + counts["xfailed"] + counts["xpassed"],
        failed=counts["failed"],
        errors=counts["errors"],
        skipped=counts["skipped"],
        failures=tuple(dict.fromkeys(failures)),
        error_ids=tuple(dict.fromkeys(errors)),
        duration=float(closing["seconds"]),
    )


_UNITTEST_RAN = re.compile(r"^Ran (?P<ran>\d+) tests? in (?P<seconds>[\d.]+)s\s*$", re.MULTILINE)
_UNITTEST_RESULT = re.compile(
    r"^(?P<status>OK|FAILED)(?: \((?P<details>[^)]*)\))?\s*$", re.MULTILINE
)
# "FAIL: test_x (app.tests.Cls)", "FAIL: test_x (app.tests.Cls.test_x)", subtests add " (i=1)".
_UNITTEST_HEADER = re.compile(
    r"^(?P<kind>FAIL|ERROR): (?P<name>\S+) \((?P<where>[\w.]+)\)(?: \(.*\))?\s*$", re.MULTILINE
)
_FAILED_IMPORT = ("unittest.loader._FailedTest", "unittest.loader.ModuleImportFailure")


def _unittest_id(name: str, where: str) -> str:
    """One spelling of a unittest id on every Python: ``app.tests.Cls.test_x``."""
    if where.startswith(_FAILED_IMPORT):
        return name  # a module that failed to import: "notes.test_broken"
    if where.endswith("." + name):
        return where  # Python >= 3.11 already wrote the full id
    return f"{where}.{name}"


def parse_unittest(text: str, *, skipped_counted_in_ran: bool = True) -> Outcome | None:
    """The outcome of Django's test runner (``manage.py test -v 2``), or None without totals.

    ``skipped_counted_in_ran``: False on Python >= 3.12, whose unittest leaves skipped tests out
    of ``Ran N tests``.
    """
    rans = list(_UNITTEST_RAN.finditer(text))
    if not rans:
        return None
    ran = rans[-1]
    result = _UNITTEST_RESULT.search(text, ran.end())
    if result is None:
        return None
    details: dict[str, int] = {}
    for part in (result["details"] or "").split(","):
        key, _, value = part.strip().partition("=")
        if value.isdigit():
            details[key] = int(value)
    failures: list[str] = []
    errors: list[str] = []
    for header in _UNITTEST_HEADER.finditer(text, 0, ran.start()):
        test_id = _unittest_id(header["name"], header["where"])
        (failures if header["kind"] == "FAIL" else errors).append(test_id)
    failed = details.get("failures", 0) + details.get("unexpected successes", 0)
    errored = details.get("errors", 0)
    skipped = details.get("skipped", 0)
    passed = int(ran["ran"]) - failed - errored - (skipped if skipped_counted_in_ran else 0)
    return Outcome(
        passed=max(passed, 0),
        failed=failed,
        errors=errored,
        skipped=skipped,
        failures=tuple(dict.fromkeys(failures)),
        error_ids=tuple(dict.fromkeys(errors)),
        duration=float(ran["seconds"]),
    )


def parse_outcome(text: str, runner: str, *, python: str | None = None) -> Outcome | None:
    """The outcome of a run by ``runner`` ("pytest" or "django") on Python ``python`` ("3.12")."""
    if runner == PYTEST:
        return parse_pytest(text)
    counted = True
    if python is not None:
        major, _, minor = python.partition(".")
        counted = (int(major), int(minor.split(".")[0])) < (3, 12)
    return parse_unittest(text, skipped_counted_in_ran=counted)


# --- live progress: what a tox run is doing, read from its output as it is written ----------

# "django42: install_deps /p/.upgrader> uv pip install -r /p/.upgrader/constraints/django42.txt"
_LIVE_PHASE = re.compile(
    r"^(?P<env>[\w.-]+): (?P<phase>[\w\[\]-]+)(?: (?P<cwd>[^>]*))?> (?P<cmd>.*)$"
)
_REQUIREMENT_FILE = re.compile(r"(?:^|\s)(?:-r|--requirement)[ =]?(?P<path>\S+)")
_DJANGO_FOUND = re.compile(r"^Found (?P<n>\d+) test\(s\)\.")
_PYTEST_COLLECTED = re.compile(r"^collected (?P<n>\d+) items?\b")
# Django's runner with -v 2: "test_create (notes.tests.NoteTests) ... " when a test starts.
_DJANGO_TEST = re.compile(r"^\w+ \([\w.]+\) \.\.\. ")
_DJANGO_FAILED = re.compile(r"\.\.\. (?:FAIL|ERROR)\s*$|^(?:FAIL|ERROR)\s*$")
# pytest's progress: "notes/tests.py .F.s.   [ 40%]" (and the same line while it fills up).
_PYTEST_DOTS = re.compile(r"^\S+\.py (?P<marks>[.FEsxX]+)(?:\s+\[\s*\d+%\])?\s*$")
_PYTEST_VERBOSE = re.compile(r"^\S+::\S+ (?P<word>PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)\b")
# unittest at verbosity 1 (a project's own runtests.py): a line of result marks.
_UNITTEST_DOTS = re.compile(r"^(?P<marks>[.FEsxu]+)$")
_FAILED_MARKS = frozenset("FE")


def count_requirements(path: str) -> int | None:
    """How many requirement lines ``path`` holds (None: unreadable), for "installing N packages"."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    return sum(1 for line in lines if line.strip() and not line.lstrip().startswith(("#", "-")))


class LiveLog:
    """Follows a tox run's output chunk by chunk: the phase, the packages, the tests done.

    ``feed`` takes text as it arrives (lines may be split between chunks; a pytest or unittest
    line of marks is counted while it fills up); ``describe`` says it in a few words.
    """

    def __init__(self, env: str) -> None:
        self.env = env
        self.phase = "starting tox"
        self.packages: int | None = None
        self.total: int | None = None
        self.done = 0
        self.failed = 0
        self._tail = ""
        self._testing = False

    def feed(self, text: str) -> None:
        lines = (self._tail + text).split("\n")
        self._tail = lines.pop()
        for line in lines:
            self._line(line.rstrip("\r"))

    def _line(self, line: str) -> None:
        phase = _LIVE_PHASE.match(line)
        if phase is not None and phase["env"] == self.env:
            self._phase(phase["phase"], phase["cmd"], phase["cwd"] or ".")
            return
        if not self._testing:
            return
        found = _DJANGO_FOUND.match(line) or _PYTEST_COLLECTED.match(line)
        if found is not None:
            self.total = int(found["n"])
            return
        if _DJANGO_TEST.match(line):
            self.done += 1
        if _DJANGO_FAILED.search(line):
            self.failed += 1
            return
        marks = _marks(line)
        if marks is not None:
            self.done += len(marks)
            self.failed += sum(1 for mark in marks if mark in _FAILED_MARKS)
            return
        verbose = _PYTEST_VERBOSE.match(line)
        if verbose is not None:
            self.done += 1
            self.failed += verbose["word"] in ("FAILED", "ERROR")

    def _phase(self, phase: str, command: str, cwd: str) -> None:
        self._testing = False
        if phase == "venv":
            self.phase = "creating the environment"
        elif phase.startswith("install"):
            self.phase = "installing dependencies"
            requirements = _REQUIREMENT_FILE.search(command)
            path = os.path.join(cwd, requirements["path"]) if requirements else None
            count = count_requirements(path) if path else None
            self.packages = count if count else self.packages
        elif phase.startswith("commands"):
            self.phase = "running tests"
            self._testing = True
            self.done = self.failed = 0
        elif phase != "exit":
            self.phase = phase

    def _pending(self) -> tuple[int, int]:
        """Marks on the line being written (pytest fills its line one test at a time)."""
        if not self._testing:
            return 0, 0
        marks = _marks(self._tail.rstrip("\r"))
        if marks is None:
            return 0, 0
        return len(marks), sum(1 for mark in marks if mark in _FAILED_MARKS)

    def describe(self) -> str:
        if self.phase == "installing dependencies" and self.packages:
            return f"installing {self.packages} package" + ("s" if self.packages > 1 else "")
        if self.phase != "running tests":
            return self.phase
        pending, pending_failed = self._pending()
        done, failed = self.done + pending, self.failed + pending_failed
        if not done and self.total is None:
            return "running tests"
        count = f"{done}/{self.total}" if self.total else str(done)
        return f"running tests: {count} done" + (f", {failed} failed" if failed else "")


def _marks(line: str) -> str | None:
    match = _PYTEST_DOTS.match(line) or _UNITTEST_DOTS.match(line)
    return match["marks"] if match is not None else None


# --- the exception that stopped a test command before any test ran ---------------------------

_TRACEBACK = re.compile(r"^\s*Traceback \(most recent call last\):\s*$")
# '  File "/p/.venv/lib/python3.12/site-packages/allauth/account/apps.py", line 19, in ready'
# (a SyntaxError's own frame has no ", in ...").
_FRAME = re.compile(r'^\s*File "(?P<path>[^"]+)", line (?P<line>\d+)')
# pytest's frames and exception lines: "conftest.py:1: in <module>", "E   ModuleNotFoundError: …".
_PYTEST_FRAME = re.compile(r"^(?P<path>[^\s:][^:]*\.py):(?P<line>\d+): in ")
_PYTEST_E = re.compile(r"^E\s+(?P<exc>\S.*)$")
# "django.core.exceptions.ImproperlyConfigured: …", "KeyboardInterrupt", "SystemExit: 2".
_EXCEPTION = re.compile(r"^(?:[A-Za-z_]\w*\.)*[A-Z]\w*(?::\s.*|:)?$")
# A command that failed without a traceback: "python: can't open file '/p/manage.py': …".
_ERROR_WORDS = re.compile(r"error|can't|cannot|not found|no such|denied|refused", re.IGNORECASE)
_SITE = re.compile(r"^.*?/(?:site|dist)-packages/")
_CRASH_LIMIT = 300  # characters of the exception quoted in a message


def _where(path: str, line: str, root: str | None) -> str:
    """A frame's file as a reader finds it: inside site-packages, in the project, or as given."""
    shown = _SITE.sub("", path.replace("\\", "/"))
    if shown == path and root and os.path.isabs(path):
        relative = os.path.relpath(path, root)
        shown = path if relative.startswith("..") else relative
    return f"{shown}:{line}"


def _python_crash(lines: list[str], start: int, root: str | None) -> tuple[int, str] | None:
    """The exception line ending the traceback that starts at ``lines[start]``, with its frame."""
    frame: tuple[str, str] | None = None
    for index in range(start + 1, len(lines)):
        line = lines[index]
        found = _FRAME.match(line)
        if found is not None:
            if not found["path"].startswith("<") or frame is None:  # <frozen importlib…>
                frame = (found["path"], found["line"])
            continue
        if not line.strip() or line[0].isspace():
            continue  # source lines, ^^^^ markers
        if not _EXCEPTION.match(line.rstrip()):
            return None
        where = f" ({_where(*frame, root)})" if frame and not frame[0].startswith("<") else ""
        return index, line.rstrip() + where
    return None


def crash_line(text: str, root: str | None = None) -> str | None:
    """The exception that stopped a command, in one line with where it was raised; None if none.

    ``text`` is the command's output (a tox log from the command's phase on). Read: the last
    Python traceback (any Python: 3.11+ ``^^^^`` markers, chained exceptions, a SyntaxError's
    caret), pytest's own ``E   …`` lines (a conftest that does not import), or, without either,
    a last line that says an error (``can't open file 'manage.py'``). The frame is shown inside
    site-packages (``allauth/account/apps.py:19``) or relative to ``root``.
    """
    lines = text.splitlines()
    found: list[tuple[int, str]] = []
    starts = [i for i, line in enumerate(lines) if _TRACEBACK.match(line)]
    if starts:
        crash = _python_crash(lines, starts[-1], root)
        if crash is not None:
            found.append(crash)
    frame: tuple[str, str] | None = None
    for index, line in enumerate(lines):
        pytest_frame = _PYTEST_FRAME.match(line)
        if pytest_frame is not None:
            frame = (pytest_frame["path"], pytest_frame["line"])
            continue
        error = _PYTEST_E.match(line)
        if error is not None and _EXCEPTION.match(error["exc"].rstrip()):
            if index and _PYTEST_E.match(lines[index - 1]):
                continue  # the first E line of a block names the exception
            where = f" ({_where(*frame, root)})" if frame else ""
            found.append((index, error["exc"].rstrip() + where))
    if found:
        quoted = max(found)[1]
    else:
        said = [line.strip() for line in lines if _ERROR_WORDS.search(line)]
        if not said:
            return None
        quoted = said[-1]
    return quoted if len(quoted) <= _CRASH_LIMIT else quoted[: _CRASH_LIMIT - 1] + "…"
