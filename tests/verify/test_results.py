"""Structured results: JUnit XML as real pytest releases write it, the result writer's JSON."""

from __future__ import annotations

import ast
import json
import re
import stat
import sys
from pathlib import Path

import pytest

from upgrader.errors import VerifyError
from upgrader.verify.parse import Outcome, parse_pytest
from upgrader.verify.results import (
    SOURCE_JUNIT,
    SOURCE_WRITER,
    clear_results,
    junit_node_id,
    parse_junit_xml,
    parse_writer_json,
    pytest_rootdir,
    read_results,
    result_files,
    write_result_writer,
    writer_source,
)

FIXTURES = Path(__file__).parent / "fixtures" / "results"
MIX = "pkg/tests/test_mix.py::"
MIX_FAILED = tuple(
    MIX + name
    for name in ("test_fail", "test_param[2]", "TestCls::test_in_class", "UT::test_ut_fail")
)


def read(name: str) -> str:
    return (FIXTURES / name).read_text("utf-8")


@pytest.fixture
def rootdir(tmp_path: Path) -> Path:
    """The layout of the recorded suite: xunit2 files name no module, the files on disk do."""
    for rel in ("pkg/__init__.py", "pkg/tests/__init__.py", "pkg/tests/test_mix.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("")
    return tmp_path


@pytest.mark.parametrize(
    ("fixture", "duration"),
    [
        pytest.param("pytest-3.10.1-mix.xml", 0.081, id="pytest-3.10-xunit1"),
        pytest.param("pytest-3.10.1-xdist.xml", 2.801, id="pytest-3.10-xdist"),
        pytest.param("pytest-4.6.11-mix.xml", 0.076, id="pytest-4.6-xunit1"),
        pytest.param("pytest-5.4.3-mix.xml", 0.126, id="pytest-5.4-testsuites"),
        pytest.param("pytest-7.4.4-mix.xml", 0.143, id="pytest-7.4-xunit2"),
        pytest.param("pytest-8.3.5-mix.xml", 0.074, id="pytest-8.3-xunit2"),
        pytest.param("pytest-8.3.5-xdist.xml", 1.074, id="pytest-8.3-xdist"),
    ],
)
def test_junit_xml_of_real_pytest_releases(rootdir: Path, fixture: str, duration: float) -> None:
    outcome = parse_junit_xml(read(fixture), rootdir)
    assert (outcome.passed, outcome.failed, outcome.errors, outcome.skipped) == (6, 4, 1, 1)
    assert sorted(outcome.failures) == sorted(MIX_FAILED)
    assert outcome.error_ids == (MIX + "test_error",)
    assert (outcome.duration, outcome.source) == (duration, SOURCE_JUNIT)
    # The same counts and ids as the log's closing line and summary: a baseline recorded from
    # either compares with the other.
    logged = parse_pytest(read(fixture.replace(".xml", ".txt")))
    assert logged is not None
    assert (logged.passed, logged.failed, logged.errors, logged.skipped) == (6, 4, 1, 1)
    assert sorted(logged.failures) == sorted(outcome.failures)
    assert logged.error_ids == outcome.error_ids


@pytest.mark.parametrize(
    "fixture", ["pytest-3.10.1-collect-error.xml", "pytest-8.3.5-collect-error.xml"]
)
def test_junit_collection_error_is_the_module_path(rootdir: Path, fixture: str) -> None:
    (rootdir / "pkg/tests/test_broken.py").write_text("import no_such_module_anywhere\n")
    outcome = parse_junit_xml(read(fixture), rootdir)
    assert outcome == Outcome(
        0, 0, 1, 0, (), ("pkg/tests/test_broken.py",), outcome.duration, SOURCE_JUNIT
    )


@pytest.mark.parametrize(
    ("classname", "name", "file", "expected"),
    [
        ("pkg.tests.test_mix", "test_x", "pkg/tests/test_mix.py", "pkg/tests/test_mix.py::test_x"),
        ("pkg.tests.test_mix.A.B", "t[1.5]", None, "pkg/tests/test_mix.py::A::B::t[1.5]"),
        # not on disk (another rootdir): classes are the capitalised names at the end
        ("other.test_y.TestZ", "test_q", None, "other/test_y.py::TestZ::test_q"),
        ("other.test_y", "test_q", None, "other/test_y.py::test_q"),
        ("", "pkg.tests", None, "pkg/tests"),  # a folder whose conftest.py did not import
        ("pkg.mod", "pkg.mod.func", "pkg/mod.py", "pkg/mod.py::pkg.mod.func"),  # a doctest
    ],
)
def test_junit_node_ids(
    rootdir: Path, classname: str, name: str, file: str | None, expected: str
) -> None:
    assert junit_node_id(classname, name, file, rootdir) == expected


def test_junit_strict_xpass_and_teardown_error_count_as_pytest_counts_them(tmp_path: Path) -> None:
    xml = (
        '<testsuites><testsuite name="pytest" time="1.5">'
        '<testcase classname="t" name="test_a" time="0.1"><failure message="[XPASS(strict)]"/></testcase>'
        '<testcase classname="t" name="test_b" time="0.1"><failure message="x"/>'
        '<error message="failed on teardown"/></testcase>'
        '<testcase classname="t" name="test_c" time="0.1"><skipped type="pytest.skip"/></testcase>'
        "</testsuite></testsuites>"
    )
    outcome = parse_junit_xml(xml, tmp_path)
    assert outcome == Outcome(
        0, 2, 1, 1, ("t.py::test_a", "t.py::test_b"), ("t.py::test_b",), 1.5, SOURCE_JUNIT
    )


def test_unreadable_junit_xml_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(VerifyError, match=r"JUnit XML .*x\.xml is not readable"):
        parse_junit_xml("<testsuite", tmp_path, path=tmp_path / "x.xml")


def test_pytest_rootdir_of_old_and_new_pytest() -> None:
    assert pytest_rootdir(read("pytest-3.10.1-mix.txt")) == Path("/tmp/A/pt")
    assert pytest_rootdir(read("pytest-8.3.5-mix.txt")) == Path("/tmp/A/pt")
    assert pytest_rootdir("Ran 3 tests in 0.1s\n") is None


# The writer's JSON, as real runs wrote it (fixtures/results/README.md).
WRITER_FAILED = (
    "app.tests.Mixed.test_fail",
    "app.tests.Mixed.test_subtests",
    "app.tests.Mixed.test_xpass",
)
WRITER_ERRORS = {
    "app.tests.Mixed.test_error",
    "app.test_broken",
    "app.tests.BrokenSetup.setUpClass",
}


@pytest.mark.parametrize(
    "fixture", ["writer-django-2.2.28-py3.6.json", "writer-django-6.0.10-py3.12.json"]
)
def test_writer_json_of_real_runs(fixture: str) -> None:
    data = json.loads(read(fixture))
    outcome = parse_writer_json(data)
    assert outcome is not None
    # pass + expected failure; subtest failure and unexpected success are failures; the class
    # whose setUpClass raised and the module that did not import are errors.
    assert (outcome.passed, outcome.failed, outcome.errors, outcome.skipped) == (2, 3, 3, 1)
    assert sorted(outcome.failures) == sorted(WRITER_FAILED)
    assert set(outcome.error_ids) == WRITER_ERRORS
    assert outcome.source == SOURCE_WRITER
    # The duration is the whole command's (test database included), not unittest's "Ran ... in".
    assert outcome.duration is not None and outcome.duration > 1.0
    tests = {test["id"]: test for test in data["tests"]}
    assert tests["app.tests.Mixed.test_pass"]["duration"] >= 0.2
    log = read(fixture.replace(".json", ".txt"))
    assert re.search(r"^Ran [78] tests in 0\.2\d*s$", log, re.MULTILINE)  # 3.12: skips left out
    # The same ids as the log gives (where the log names them at all).
    python = data["python"].rsplit(".", 1)[0]
    from upgrader.verify.parse import parse_outcome

    logged = parse_outcome(log, "django", python=python)
    assert logged is not None
    assert set(logged.failures) <= set(outcome.failures)
    assert set(logged.error_ids) == set(outcome.error_ids)


def test_writer_json_of_an_unfinished_run_is_left_to_the_log() -> None:
    data = json.loads(read("writer-django-2.2.28-py3.6.json"))
    data["complete"] = False
    assert parse_writer_json(data) is None


@pytest.mark.parametrize(
    "change",
    [
        {"format": "something-else"},
        {"version": 99},
        {"tests": "none"},
        {"tests": [{"id": "a", "outcome": "exploded"}]},
    ],
)
def test_malformed_writer_json(change: dict[str, object]) -> None:
    data = {**json.loads(read("writer-django-2.2.28-py3.6.json")), **change}
    with pytest.raises(VerifyError):
        parse_writer_json(data)


def test_read_results_json_xml_both_and_none(tmp_path: Path, rootdir: Path) -> None:
    upgrader_dir = tmp_path / ".upgrader"
    json_path, xml_path = result_files(upgrader_dir, "django22")
    assert (json_path.name, xml_path.name) == ("django22.json", "django22.xml")
    assert json_path.parent == upgrader_dir / "logs" / "results"  # ignored by git, as logs are
    assert read_results(upgrader_dir, "django22", root=rootdir) is None
    json_path.parent.mkdir(parents=True)
    json_path.write_text(read("writer-django-2.2.28-py3.6.json"))
    written = read_results(upgrader_dir, "django22", root=rootdir)
    assert written is not None and written.source == SOURCE_WRITER
    xml_path.write_text(read("pytest-8.3.5-mix.xml"))
    both = read_results(upgrader_dir, "django22", root=rootdir)
    assert both is not None and both.source == "result-writer+junit-xml"
    assert both.total == written.total + 12
    clear_results(upgrader_dir, "django22")
    assert not json_path.exists() and not xml_path.exists()
    clear_results(upgrader_dir, "django22")  # nothing there: fine


def test_read_results_uses_the_rootdir_pytest_announced(tmp_path: Path, rootdir: Path) -> None:
    upgrader_dir = tmp_path / "project" / ".upgrader"
    _json, xml_path = result_files(upgrader_dir, "django22")
    xml_path.parent.mkdir(parents=True)
    xml_path.write_text(read("pytest-8.3.5-mix.xml"))
    log = f"rootdir: {rootdir}\nconfigfile: pytest.ini\n"
    outcome = read_results(upgrader_dir, "django22", root=tmp_path / "project", log=log)
    assert outcome is not None and sorted(outcome.failures) == sorted(MIX_FAILED)


def test_unreadable_writer_json(tmp_path: Path) -> None:
    json_path, _xml = result_files(tmp_path, "django22")
    json_path.parent.mkdir(parents=True)
    json_path.write_text("{not json")
    with pytest.raises(VerifyError, match="not readable") as info:
        read_results(tmp_path, "django22", root=tmp_path)
    assert info.value.path == json_path


def test_write_result_writer(tmp_path: Path) -> None:
    upgrader_dir = tmp_path / ".upgrader"
    path = write_result_writer(upgrader_dir)
    assert path == upgrader_dir / "result_writer.py"
    assert path.read_text() == writer_source()
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    before = path.stat().st_mtime_ns
    assert write_result_writer(upgrader_dir) == path  # unchanged: not rewritten
    assert path.stat().st_mtime_ns == before
    path.write_text("# edited by hand\n")
    write_result_writer(upgrader_dir)
    assert path.read_text() == writer_source()


def test_writer_is_python_36_without_upgrader_imports() -> None:
    source = writer_source()
    # Python 3.5's syntax (Django 2.2's oldest; Python 3.13's ast knows 3.7 at the oldest), and
    # test_e2e_results.py runs it on a real 3.6.
    oldest = (3, 5) if sys.version_info < (3, 13) else (3, 7)
    tree = ast.parse(source, feature_version=oldest)
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (
            node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")]
        )
    }
    assert imported <= {
        "contextlib",
        "json",
        "os",
        "re",
        "runpy",
        "shlex",
        "shutil",
        "sys",
        "time",
        "unittest",
    }
    assert "from __future__" not in source
    # Annotations are strings (Python 3.6 evaluates them when a function is defined).
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            annotations = [a.annotation for a in node.args.args if a.annotation is not None]
            annotations += [node.returns] if node.returns is not None else []
            for annotation in annotations:
                assert isinstance(annotation, ast.Constant | ast.Name | ast.Attribute), (
                    node.name,
                    ast.dump(annotation),
                )
