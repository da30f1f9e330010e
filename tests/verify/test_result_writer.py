"""The result writer (``.upgrader/result_writer.py``) run for real on plain unittest scripts.

No Django here (that is test_e2e_results.py): the writer records through unittest.TestResult, so
a project's own ``runtests.py`` built on ``unittest.main`` is what Django's runner is to it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import unittest
from pathlib import Path

import pytest

from upgrader.verify.result_writer import test_id as writer_test_id
from upgrader.verify.results import (
    parse_writer_json,
    read_results,
    result_files,
    write_result_writer,
)

SUITE = """
import os
import sys
import time
import unittest

import helper  # a module beside the script: sys.path[0] is the script's folder, as for python x.py


class Mixed(unittest.TestCase):
    def test_pass(self):
        time.sleep(0.15)

    def test_fail(self):
        self.assertEqual(1, 2)

    def test_error(self):
        raise RuntimeError("boom")

    @unittest.skip("not today")
    def test_skip(self):
        pass

    @unittest.expectedFailure
    def test_xfail(self):
        self.assertEqual(1, 2)

    @unittest.expectedFailure
    def test_xpass(self):
        pass

    def test_subtests(self):
        for i in range(3):
            with self.subTest(i=i):
                self.assertNotEqual(i, 1)


class BrokenSetup(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        raise RuntimeError("no class")

    def test_never(self):
        pass


if __name__ == "__main__":
    print("ARGV", sys.argv)
    print("ADDOPTS", os.environ.get("PYTEST_ADDOPTS"))
    unittest.main(module=__name__, verbosity=2)
"""


def run_writer(
    root: Path, *args: str, env_name: str | None = "django22"
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TOX_ENV_NAME", "PYTEST_ADDOPTS")}
    if env_name:
        env["TOX_ENV_NAME"] = env_name
    return subprocess.run(
        [sys.executable, ".upgrader/result_writer.py", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "tests").mkdir(parents=True)
    (root / "tests" / "runtests.py").write_text(textwrap.dedent(SUITE))
    (root / "tests" / "helper.py").write_text("")
    write_result_writer(root / ".upgrader")
    return root


def results(root: Path, env: str = "django22") -> dict[str, object]:
    data = json.loads(result_files(root / ".upgrader", env)[0].read_text())
    assert isinstance(data, dict)
    return data


def test_a_runtests_script_under_the_writer(project: Path) -> None:
    done = run_writer(project, "tests/runtests.py", "-v")
    assert done.returncode == 1, done.stderr  # the script's own exit code
    assert "ARGV ['tests/runtests.py', '-v']" in done.stdout
    data = results(project)
    assert data["complete"] is True and data["runner"] == "unittest"
    outcomes = {t["id"]: t["outcome"] for t in data["tests"]}  # type: ignore[attr-defined]
    assert outcomes == {
        "__main__.Mixed.test_pass": "passed",
        "__main__.Mixed.test_fail": "failed",
        "__main__.Mixed.test_error": "error",
        "__main__.Mixed.test_skip": "skipped",
        "__main__.Mixed.test_xfail": "xfailed",
        "__main__.Mixed.test_xpass": "failed",
        "__main__.Mixed.test_subtests": "failed",
        "__main__.BrokenSetup.setUpClass": "error",
    }
    durations = {t["id"]: t["duration"] for t in data["tests"]}  # type: ignore[attr-defined]
    assert durations["__main__.Mixed.test_pass"] >= 0.15
    assert isinstance(data["duration"], float) and data["duration"] >= 0.15
    outcome = parse_writer_json(data)
    assert outcome is not None
    assert (outcome.passed, outcome.failed, outcome.errors, outcome.skipped) == (2, 3, 2, 1)


def test_pytest_inside_a_script_is_asked_for_junit_xml(project: Path) -> None:
    done = run_writer(project, "tests/runtests.py")
    xml = result_files(project / ".upgrader", "django22")[1]
    cache = project / ".upgrader" / "cache" / "pytest" / "django22"
    assert f"ADDOPTS -o cache_dir={cache} --junitxml={xml}" in done.stdout


def test_outside_tox_the_results_are_run_json(project: Path) -> None:
    run_writer(project, "tests/runtests.py", env_name=None)
    assert results(project, "run")["complete"] is True


def test_python_m_module(project: Path) -> None:
    (project / "suite_pkg").mkdir()
    (project / "suite_pkg" / "__init__.py").write_text("")
    (project / "suite_pkg" / "__main__.py").write_text(
        "import unittest\n\nclass T(unittest.TestCase):\n    def test_ok(self):\n        pass\n\n"
        "unittest.main(module=__name__)\n"
    )
    done = run_writer(project, "-m", "suite_pkg")
    assert done.returncode == 0, done.stderr
    outcome = parse_writer_json(results(project))
    assert outcome is not None and (outcome.passed, outcome.total) == (1, 1)


def test_a_green_run_exits_0(project: Path) -> None:
    (project / "tests" / "green.py").write_text(
        "import sys, unittest\n\nclass T(unittest.TestCase):\n    def test_ok(self):\n        pass\n\n"
        "result = unittest.main(module=__name__, exit=False).result\n"
        "sys.exit(not result.wasSuccessful())\n"
    )
    done = run_writer(project, "tests/green.py")
    assert done.returncode == 0, done.stderr
    tests = results(project)["tests"]
    assert isinstance(tests, list) and len(tests) == 1
    assert (tests[0]["id"], tests[0]["outcome"]) == ("__main__.T.test_ok", "passed")


def test_a_script_that_crashes_before_the_tests_writes_nothing(project: Path) -> None:
    stale_json, stale_xml = result_files(project / ".upgrader", "django22")
    stale_json.parent.mkdir(parents=True)
    stale_json.write_text("{}")
    stale_xml.write_text("<testsuite/>")
    (project / "crash.py").write_text("import no_such_module_here\n")
    done = run_writer(project, "crash.py")
    assert done.returncode == 1 and "no_such_module_here" in done.stderr
    assert not stale_json.exists() and not stale_xml.exists()  # an earlier run's are gone


def test_a_command_that_is_not_python_runs_as_it_is(project: Path) -> None:
    script = project / "check.sh"
    script.write_text('#!/bin/sh\necho shell ran "$@"\nexit 3\n')
    script.chmod(0o755)
    done = run_writer(project, "./check.sh", "a b")
    assert (done.returncode, done.stdout) == (3, "shell ran a b\n")
    assert not result_files(project / ".upgrader", "django22")[0].exists()


def test_usage(project: Path) -> None:
    done = run_writer(project)
    assert done.returncode == 2 and "usage" in done.stderr


def test_ids_match_the_log_parser() -> None:
    class Cls(unittest.TestCase):
        def test_x(self) -> None:
            pass

    case = Cls("test_x")
    assert writer_test_id(case) == case.id()
    loader = unittest.TestLoader()
    failed = loader.loadTestsFromName("no_such_module_for_upgrader_tests")
    (broken,) = list(failed)
    assert writer_test_id(broken) == "no_such_module_for_upgrader_tests"
    from unittest.case import _SubTest  # type: ignore[attr-defined]
    from unittest.suite import _ErrorHolder  # type: ignore[attr-defined]

    assert writer_test_id(_SubTest(case, "i=1", {"i": 1})) == case.id()
    assert writer_test_id(_ErrorHolder("setUpClass (app.tests.Cls)")) == "app.tests.Cls.setUpClass"
    assert writer_test_id(_ErrorHolder("setUpModule (app.tests)")) == "app.tests.setUpModule"


NESTED = """
import unittest


class Inner(unittest.TestCase):
    def test_inner_fails(self):
        self.fail("inner")


class Outer(unittest.TestCase):
    def test_runs_a_suite_itself(self):
        suite = unittest.defaultTestLoader.loadTestsFromTestCase(Inner)
        result = unittest.TextTestRunner(stream=open("/dev/null", "w")).run(suite)
        self.assertEqual(len(result.failures), 1)


if __name__ == "__main__":
    unittest.main(module=__name__, argv=["x", "Outer"])
"""


def test_a_test_that_runs_tests_itself_is_one_test(project: Path) -> None:
    (project / "nested.py").write_text(textwrap.dedent(NESTED))
    done = run_writer(project, "nested.py")
    assert done.returncode == 0, done.stderr
    data = results(project)
    assert [t["id"] for t in data["tests"]] == ["__main__.Outer.test_runs_a_suite_itself"]  # type: ignore[attr-defined]
    assert data["runs"] == 1


def test_a_fault_in_the_writer_never_breaks_the_run(project: Path) -> None:
    # A test object whose id() raises: the writer stops recording, the tests go on.
    (project / "odd.py").write_text(
        "import unittest\n\nclass T(unittest.TestCase):\n    def id(self):\n"
        "        raise RuntimeError('odd id')\n    def test_ok(self):\n        pass\n\n"
        "unittest.main(module=__name__)\n"
    )
    done = run_writer(project, "odd.py")
    assert done.returncode == 0, done.stderr
    assert "stopped recording (RuntimeError('odd id'))" in done.stderr
    assert not result_files(project / ".upgrader", "django22")[0].exists()  # the log is read


def test_a_script_that_runs_pytest_leaves_junit_xml_and_no_cache(project: Path) -> None:
    # As encode/django-rest-framework's runtests.py does: pytest.main() in the script's process.
    (project / "tests" / "test_p.py").write_text(
        "def test_ok():\n    pass\n\n\ndef test_no():\n    assert False\n"
    )
    (project / "run_pytest.py").write_text(
        "import sys\nimport pytest\n\nsys.exit(pytest.main(['tests/test_p.py', '-q']))\n"
    )
    done = run_writer(project, "run_pytest.py")
    assert done.returncode == 1, done.stdout + done.stderr
    outcome = read_results(project / ".upgrader", "django22", root=project, log=done.stdout)
    assert outcome is not None and outcome.source == "junit-xml"
    assert (outcome.passed, outcome.failed, outcome.failures) == (
        1,
        1,
        ("tests/test_p.py::test_no",),
    )
    assert not (project / ".pytest_cache").exists()
    assert not result_files(project / ".upgrader", "django22")[0].exists()  # no unittest ran


@pytest.mark.parametrize("addopts", ["--ff", "--lf", "--sw"])
def test_a_script_that_runs_pytest_keeps_the_projects_cache_options(
    project: Path, addopts: str
) -> None:
    # F30 (djangogirls): pytest.ini's `addopts = --ff` is an unknown argument on pytest >= 5.4
    # when the cacheprovider is off. The cache is on, in .upgrader/cache/pytest/, and emptied
    # before each run: the second run of `--lf` (or `--sw`) runs every test again, as CI would.
    (project / "pytest.ini").write_text(f"[pytest]\naddopts = {addopts}\n")
    (project / "tests" / "test_p.py").write_text(
        "def test_ok():\n    pass\n\n\ndef test_no():\n    assert False\n\n\n"
        "def test_later():\n    pass\n"
    )
    (project / "run_pytest.py").write_text(
        "import sys\nimport pytest\n\nsys.exit(pytest.main(['tests/test_p.py', '-q']))\n"
    )
    for _run in range(2):
        done = run_writer(project, "run_pytest.py")
        assert done.returncode in (1, 2), done.stdout + done.stderr  # 2: stepwise interrupts
        outcome = read_results(project / ".upgrader", "django22", root=project, log=done.stdout)
        assert outcome is not None and outcome.source == "junit-xml"
        expected = (1, 1) if addopts == "--sw" else (2, 1)  # stepwise stops at the failure
        assert (outcome.passed, outcome.failed) == expected, done.stdout
    assert not (project / ".pytest_cache").exists()
    assert (project / ".upgrader" / "cache" / "pytest" / "django22").is_dir()
