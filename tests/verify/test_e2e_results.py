"""Structured results for real: the result writer under Django 2.2 on Python 3.6 and Django 5.2 on
Python 3.12, pytest 3.10's JUnit XML on Python 3.7, and a whole verify through tox.

Environments are built with uv from the package index (cached after the first run).
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest

from tests.verify.tinyproject import make_tiny_project
from upgrader.deps.resolve import find_uv
from upgrader.interpreters import find, find_for
from upgrader.project import detect_project
from upgrader.releases import get_release
from upgrader.verify.parse import parse_outcome, parse_pytest
from upgrader.verify.results import parse_writer_json, read_results, write_result_writer
from upgrader.verify.run import verify_stage
from upgrader.verify.suite import PYTEST_ARGS, pytest_args

pytestmark = pytest.mark.e2e

TESTS = """
import time
import unittest

from django.test import SimpleTestCase, TestCase


class Mixed(TestCase):
    def test_pass(self):
        time.sleep(0.2)

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

    def test_subtests(self):
        for i in range(3):
            with self.subTest(i=i):
                self.assertNotEqual(i, 1)


class BrokenSetup(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        raise RuntimeError("no class")

    def test_never(self):
        pass
"""
RUNTESTS = """
import os
import sys

import django
from django.conf import settings
from django.test.utils import get_runner

if __name__ == "__main__":
    os.environ["DJANGO_SETTINGS_MODULE"] = "site_.settings"
    django.setup()
    sys.exit(bool(get_runner(settings)().run_tests(["app"])))
"""


def write_project(root: Path) -> Path:
    files = {
        "manage.py": "import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        "'site_.settings')\nfrom django.core.management import execute_from_command_line\n"
        "execute_from_command_line(sys.argv)\n",
        "site_/__init__.py": "",
        "site_/settings.py": "SECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.contenttypes', "
        "'django.contrib.auth', 'app']\nDATABASES = {'default': {'ENGINE': "
        "'django.db.backends.sqlite3', 'NAME': ':memory:'}}\n",
        "app/__init__.py": "",
        "app/tests.py": textwrap.dedent(TESTS),
        "app/test_broken.py": "import no_such_module_here\n",
        "runtests.py": textwrap.dedent(RUNTESTS),
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    write_result_writer(root / ".upgrader")
    return root


def venv(base: Path, python: str, *requirements: str) -> Path:
    interpreter = find(python)
    uv = find_uv()
    if interpreter is None or uv is None:
        pytest.skip(f"needs Python {python} and uv")
    env = base / f"py{python}-{'-'.join(requirements)}".replace("=", "")
    subprocess.run([uv, "venv", "-q", "-p", str(interpreter.path), str(env)], check=True)
    python_path = env / "bin" / "python"
    subprocess.run(
        [uv, "pip", "install", "-q", "--python", str(python_path), *requirements], check=True
    )
    return python_path


def run(python: Path, root: Path, *args: str, name: str) -> str:
    env = {**os.environ, "TOX_ENV_NAME": name, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [str(python), *args], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1, done.stdout + done.stderr  # the suite fails: exit code kept
    return done.stdout + done.stderr


FAILED = {"app.tests.Mixed.test_fail", "app.tests.Mixed.test_subtests"}
ERRORS = {"app.tests.Mixed.test_error", "app.tests.BrokenSetup.setUpClass", "app.test_broken"}


@pytest.mark.parametrize(
    ("python", "django"),
    [pytest.param("3.6", "Django==2.2.28", id="django-2.2-py3.6"), ("3.12", "Django>=5.2,<5.3")],
)
def test_writer_with_real_django(tmp_path: Path, python: str, django: str) -> None:
    root = write_project(tmp_path / "project")
    interpreter = venv(tmp_path, python, django)
    for name, command in (
        ("manage", (".upgrader/result_writer.py", "manage.py", "test", "-v", "2", "--noinput")),
        ("runtests", (".upgrader/result_writer.py", "runtests.py")),  # a reusable app's own script
    ):
        log = run(interpreter, root, *command, name=name)
        outcome = read_results(root / ".upgrader", name, root=root, log=log)
        assert outcome is not None and outcome.source == "result-writer", log
        # pass + expected failure; a failing subtest fails its test once; the class whose
        # setUpClass raised and the module that does not import are errors.
        assert (outcome.passed, outcome.failed, outcome.errors, outcome.skipped) == (2, 2, 3, 1)
        assert set(outcome.failures) == FAILED and set(outcome.error_ids) == ERRORS
        # The same ids as the log's; the duration is the command's, above the runner's own.
        logged = parse_outcome(log, "django", python=python)
        assert logged is not None
        assert set(logged.failures) == FAILED and set(logged.error_ids) == ERRORS
        assert logged.duration is not None and outcome.duration is not None
        assert outcome.duration > logged.duration >= 0.2
        data = (root / ".upgrader/logs/results" / f"{name}.json").read_text()
        written = parse_writer_json(json.loads(data))
        assert written == outcome


def stage_args(root: Path, args: tuple[str, ...], env: str) -> list[str]:
    """``args`` as tox fills them in for stage ``env`` (``{tox_root}`` is ``.upgrader/``)."""
    tox_root = str(root / ".upgrader")
    return [
        a.replace("{tox_root}", tox_root).replace("{/}", os.sep).replace("{env_name}", env)
        for a in args
    ]


@pytest.mark.parametrize(
    ("python", "release"),
    [("3.7", "pytest==3.9.1"), ("3.7", "pytest==5.4.0"), ("3.12", "pytest==8.3.5")],
)
def test_pytest_cache_options_of_the_project_work(
    tmp_path: Path, python: str, release: str
) -> None:
    # F30 (djangogirls 2.2 -> 3.2 moved pytest 3.9.1 -> 5.4.0): `addopts = --ff` needs pytest's
    # cacheprovider from 5.4 on. The stage's arguments keep it, in .upgrader/cache/pytest/, and
    # clear it per run: the second run of `--lf` still runs every test, as a fresh CI clone would.
    root = tmp_path / "project"
    root.mkdir()
    (root / "pytest.ini").write_text("[pytest]\naddopts = --ff --lf\n")
    (root / "test_a.py").write_text("def test_ok():\n    pass\n\ndef test_no():\n    assert 0\n")
    interpreter = venv(tmp_path, python, release)
    command = ("-m", "pytest")
    args = stage_args(root, pytest_args(("python", *command)), "django32")
    for _run in range(2):
        log = run(interpreter, root, *command, *args, name="django32")
        outcome = read_results(root / ".upgrader", "django32", root=root, log=log)
        assert outcome is not None and outcome.source == "junit-xml", log
        assert (outcome.passed, outcome.failed) == (1, 1), log
    assert not (root / ".pytest_cache").exists() and not (root / ".cache").exists()
    assert (root / ".upgrader" / "cache" / "pytest" / "django32").is_dir()


def test_pytest_3_junit_xml(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "pkg").mkdir(parents=True)
    (root / "pytest.ini").write_text("[pytest]\n")
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "test_a.py").write_text(
        "import pytest\n\ndef test_ok():\n    pass\n\nclass TestC:\n    def test_no(self):\n"
        "        assert False\n\n@pytest.mark.xfail\ndef test_x():\n    assert False\n"
    )
    interpreter = venv(tmp_path, "3.7", "pytest==3.10.1")
    args = stage_args(root, PYTEST_ARGS, "django22")
    log = run(interpreter, root, "-m", "pytest", *args, name="django22")
    outcome = read_results(root / ".upgrader", "django22", root=root, log=log)
    assert outcome is not None and outcome.source == "junit-xml"
    assert (outcome.passed, outcome.failed, outcome.errors, outcome.skipped) == (2, 1, 0, 0)
    assert outcome.failures == ("pkg/test_a.py::TestC::test_no",)
    logged = parse_pytest(log)  # the fallback reads pytest 3's log the same way
    assert logged is not None and dataclasses.replace(logged, duration=outcome.duration) == (
        dataclasses.replace(outcome, source="log")
    )


def test_verify_through_tox_reads_the_writer(tmp_path: Path) -> None:
    stage = get_release("2.2")
    assert stage is not None
    root = make_tiny_project(tmp_path / "tiny", failing=True)
    run_ = verify_stage(detect_project(root), stage, python=find_for(stage, prefer="3.7"))
    assert run_.results == "result-writer"
    assert run_.failing == ("notes.tests.NoteTests.test_fails",)
    assert (run_.passed, run_.failed, run_.skipped) == (3, 1, 1)
    logged = parse_outcome(run_.log.read_text(), "django", python="3.7")
    assert logged is not None and logged.duration is not None and run_.duration is not None
    assert run_.duration > logged.duration  # test database and checks included
    assert (root / ".upgrader" / "result_writer.py").is_file()
