"""Structured test results: what a stage's test command wrote, read instead of scraping its log.

Two writers, both files under ``.upgrader/logs/results/`` (ignored by git, as logs are):

- pytest writes JUnit XML (``--junitxml=.upgrader/logs/results/<env>.xml``, on every pytest since
  2.x); ``parse_junit_xml`` reads both of its layouts (``xunit1`` with a ``file`` attribute, the
  default before pytest 6, and ``xunit2``) and turns each ``<testcase>`` back into the node id
  pytest prints (``notes/tests.py::NoteTests::test_fails``), the id the baseline keeps.
- Django's runner and any unittest-based script (``runtests.py``, ``quicktest.py``) run under
  ``.upgrader/result_writer.py`` (the module ``upgrader.verify.result_writer``, copied into the
  project by ``write_result_writer`` so that CI runs the same command), which records every test's
  outcome and duration and the command's wall time in ``<env>.json``; ``parse_writer_json``
  reads it. Its ids are the ones ``upgrader.verify.parse`` reads from the log
  (``notes.tests.NoteTests.test_fails``, ``notes.test_broken`` for a module that did not import).

``read_results`` returns the outcome of the files a run left, or None when it left none (a
command that runs no Python test runner in-process): the caller falls back to the log.
Durations: pytest's own session time; for the result writer, the wall time of the whole test
command (test database set-up and system checks included, which Django's ``Ran N tests in``
leaves out).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

from upgrader.errors import VerifyError
from upgrader.files import write_text_atomic
from upgrader.verify.parse import Outcome, pytest_node_id

WRITER = "result_writer.py"
RESULTS_DIR = ("logs", "results")
WRITER_FORMAT = "upgrader-test-results"
WRITER_VERSION = 1
SOURCE_WRITER = "result-writer"
SOURCE_JUNIT = "junit-xml"

# "rootdir: /p, inifile: pytest.ini" (pytest < 6), "rootdir: /p" then "configfile: ..." (newer).
_ROOTDIR = re.compile(r"^rootdir: (?P<path>.+?)(?:, inifile:.*|, configfile:.*)?\s*$", re.MULTILINE)


def writer_source() -> str:
    """The text of the result writer, as shipped in this package."""
    return resources.files("upgrader.verify").joinpath(WRITER).read_text("utf-8")


def writer_path(upgrader_dir: Path) -> Path:
    return upgrader_dir / WRITER


def write_result_writer(upgrader_dir: Path) -> Path:
    """Write ``.upgrader/result_writer.py`` (when it is missing or differs); its path.

    The file belongs beside ``.upgrader/tox.ini``, whose commands run it, and is committed with it.
    """
    path = writer_path(upgrader_dir)
    source = writer_source()
    try:
        current = path.read_text("utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        current = None
    if current != source:
        upgrader_dir.mkdir(parents=True, exist_ok=True)
        new = not path.exists()
        write_text_atomic(path, source)
        if new:
            path.chmod(0o644)  # a file to commit and read, not a private temporary one
    return path


def results_dir(upgrader_dir: Path) -> Path:
    return upgrader_dir.joinpath(*RESULTS_DIR)


def result_files(upgrader_dir: Path, env: str) -> tuple[Path, Path]:
    """The result writer's JSON and pytest's JUnit XML of tox environment ``env``."""
    directory = results_dir(upgrader_dir)
    return directory / f"{env}.json", directory / f"{env}.xml"


def clear_results(upgrader_dir: Path, env: str) -> None:
    """Remove what an earlier run of ``env`` left, so that it is never read as this run's."""
    for path in result_files(upgrader_dir, env):
        path.unlink(missing_ok=True)


def pytest_rootdir(log: str) -> Path | None:
    """The rootdir pytest announced in ``log`` (its node ids are relative to it), or None."""
    found = list(_ROOTDIR.finditer(log))
    return Path(found[-1]["path"]) if found else None


def _module_file(parts: list[str], rootdir: Path) -> int | None:
    """How many leading ``parts`` name a module file under ``rootdir`` (longest first)."""
    for cut in range(len(parts), 0, -1):
        if rootdir.joinpath(*parts[: cut - 1], parts[cut - 1] + ".py").is_file():
            return cut
    return None


def junit_node_id(classname: str, name: str, file: str | None, rootdir: Path) -> str:
    """The pytest node id of a ``<testcase>``: pytest writes ``a/b.py::C::test`` as ``a.b.C``/``test``.

    ``file`` (xunit1 only) gives the module's path; without it the module is the longest prefix
    of ``classname`` that is a file under ``rootdir`` (else the part before the first capitalised
    name, as classes are named).
    """
    if not classname:  # a collection error: "name" is the module (or folder) that failed
        if file:
            return file
        parts = name.split(".")
        if rootdir.joinpath(*parts).is_dir():
            return "/".join(parts)
        return "/".join(parts) + ".py"
    parts = classname.split(".")
    if file and file.endswith(".py"):
        module = file[: -len(".py")].replace("\\", "/").split("/")
        if parts[: len(module)] == module:
            return pytest_node_id("::".join([file, *parts[len(module) :], name]))
    cut = _module_file(parts, rootdir)
    if cut is None:
        cut = len(parts)
        while cut > 1 and parts[cut - 1][:1].isupper():
            cut -= 1
    return pytest_node_id("::".join(["/".join(parts[:cut]) + ".py", *parts[cut:], name]))


def _is_xfail(skipped: ET.Element) -> bool:
    # pytest >= 4: type="pytest.xfail"; pytest 3.x: message="expected test failure".
    return (
        skipped.get("type") == "pytest.xfail" or skipped.get("message") == "expected test failure"
    )


def _suites(root: ET.Element) -> list[ET.Element]:
    if root.tag == "testsuite":
        return [root]
    return [suite for suite in root if suite.tag == "testsuite"]


def _seconds(value: str | None) -> float:
    try:
        return float(value or 0)
    except ValueError:
        return 0.0


def parse_junit_xml(text: str, rootdir: Path, *, path: Path | None = None) -> Outcome:
    """The outcome of a pytest run from the JUnit XML it wrote; node ids relative to ``rootdir``.

    As pytest's closing line counts them: an xfail (and a non-strict xpass) is a pass, a test
    that fails and then errors in teardown counts once as failed and once as an error.
    """
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise VerifyError(
            f"pytest's JUnit XML{f' {path}' if path else ''} is not readable ({exc})",
            hint="Run `upgrader verify` again; if it persists, look for a --junitxml option of "
            "the project's own (addopts) writing to the same file.",
            path=path,
        ) from None
    counts = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}
    failures: list[str] = []
    errors: list[str] = []
    for case in root.iter("testcase"):
        node_id = junit_node_id(
            case.get("classname", ""), case.get("name", ""), case.get("file"), rootdir
        )
        failed = case.findall("failure")
        errored = case.findall("error")
        if failed:
            counts["failed"] += 1
            failures.append(node_id)
        if errored:
            counts["errors"] += 1
            errors.append(node_id)
        if failed or errored:
            continue
        skipped = case.find("skipped")
        counts["skipped" if skipped is not None and not _is_xfail(skipped) else "passed"] += 1
    return Outcome(
        passed=counts["passed"],
        failed=counts["failed"],
        errors=counts["errors"],
        skipped=counts["skipped"],
        failures=tuple(dict.fromkeys(failures)),
        error_ids=tuple(dict.fromkeys(errors)),
        duration=round(sum(_seconds(suite.get("time")) for suite in _suites(root)), 3),
        source=SOURCE_JUNIT,
    )


def parse_writer_json(data: Mapping[str, object]) -> Outcome | None:
    """The outcome the result writer recorded, or None when the run did not complete.

    A run that stopped half-way (the process died in a test) is left to the log, which says why.
    """
    if data.get("format") != WRITER_FORMAT or data.get("version") != WRITER_VERSION:
        raise VerifyError(
            f"the result writer's file has format {data.get('format')!r} version "
            f"{data.get('version')!r}; this upgrader reads {WRITER_FORMAT!r} {WRITER_VERSION}",
            hint="Run `upgrader verify` again: it rewrites .upgrader/result_writer.py.",
        )
    if data.get("complete") is not True:
        return None
    tests = data.get("tests")
    if not isinstance(tests, list):
        raise VerifyError("the result writer's file has no list of tests")
    counts = {"passed": 0, "xfailed": 0, "failed": 0, "error": 0, "skipped": 0}
    failures: list[str] = []
    errors: list[str] = []
    for test in tests:
        if not isinstance(test, dict) or test.get("outcome") not in counts:
            raise VerifyError(f"the result writer's file has a malformed test: {test!r}")
        outcome, test_id = str(test["outcome"]), str(test.get("id"))
        counts[outcome] += 1
        if outcome == "failed":
            failures.append(test_id)
        elif outcome == "error":
            errors.append(test_id)
    return Outcome(
        passed=counts["passed"] + counts["xfailed"],
        failed=counts["failed"],
        errors=counts["error"],
        skipped=counts["skipped"],
        failures=tuple(failures),
        error_ids=tuple(errors),
        duration=round(_seconds(str(data.get("duration"))), 3),
        source=SOURCE_WRITER,
    )


def merge(outcomes: Iterable[Outcome]) -> Outcome | None:
    """One outcome of a command that ran both runners (a script running unittest, then pytest)."""
    found = list(outcomes)
    if len(found) <= 1:
        return found[0] if found else None
    durations = [o.duration for o in found if o.duration is not None]
    return Outcome(
        passed=sum(o.passed for o in found),
        failed=sum(o.failed for o in found),
        errors=sum(o.errors for o in found),
        skipped=sum(o.skipped for o in found),
        failures=tuple(dict.fromkeys(t for o in found for t in o.failures)),
        error_ids=tuple(dict.fromkeys(t for o in found for t in o.error_ids)),
        duration=max(durations) if durations else None,
        source="+".join(o.source for o in found),
    )


def read_results(upgrader_dir: Path, env: str, *, root: Path, log: str = "") -> Outcome | None:
    """The outcome of the result files run ``env`` left, or None when it left none.

    ``root``: the project root, where pytest's node ids start unless ``log`` names its rootdir.
    """
    json_path, xml_path = result_files(upgrader_dir, env)
    outcomes: list[Outcome] = []
    try:
        data = json.loads(json_path.read_text("utf-8"))
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as exc:
        raise VerifyError(
            f"the test results in {json_path} are not readable ({exc})",
            hint="Run `upgrader verify` again.",
            path=json_path,
        ) from None
    else:
        if not isinstance(data, dict):
            raise VerifyError(f"the test results in {json_path} are malformed", path=json_path)
        written = parse_writer_json(data)
        if written is not None:
            outcomes.append(written)
    try:
        xml_text = xml_path.read_text("utf-8", errors="replace")
    except FileNotFoundError:
        pass
    else:
        outcomes.append(parse_junit_xml(xml_text, pytest_rootdir(log) or root, path=xml_path))
    return merge(outcomes)
