"""``verify_stage`` against a stand-in tox: logs, results, and every way a run can go wrong.

The stand-in prints what real tox prints (phase lines copied from real runs, test output from
tests/verify/fixtures/) and exits as tox does, so these tests need no network and no Django.
The real tox runs in test_e2e.py.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
import time
from pathlib import Path

import pytest
from packaging.version import Version

from upgrader.errors import VerifyError
from upgrader.interpreters import Interpreter
from upgrader.project import Project
from upgrader.releases import Release, get_release
from upgrader.verify.command import load_baseline, render_json, render_text, run_verify
from upgrader.verify.run import TestRun, ToxInvocation, verify_stage

FIXTURES = Path(__file__).parent / "fixtures"
PYTHON = Interpreter(Version("3.8.18"), Path(sys.executable), "config")

FAKE_TOX = textwrap.dedent(
    """
    import json, os, subprocess, sys, time
    from pathlib import Path

    record = Path(os.environ["FAKE_TOX_RECORD"])
    writer = Path(".upgrader/result_writer.py")
    seen = [sys.argv[1:], os.environ.get("UPGRADER_PYTHON_DJANGO22"), writer.is_file()]
    results = Path(".upgrader/logs/results")
    seen.append(sorted(p.name for p in results.iterdir()) if results.is_dir() else [])
    record.write_text(json.dumps(seen))
    mode = os.environ["FAKE_TOX_MODE"]
    env = "django22"
    if os.environ.get("FAKE_TOX_RESULTS"):  # what the test command would write
        source = Path(os.environ["FAKE_TOX_RESULTS"])
        results.mkdir(parents=True, exist_ok=True)
        (results / (env + source.suffix)).write_text(source.read_text())
    if mode == "replay":  # a whole log of a real tox run
        sys.stdout.write(Path(os.environ["FAKE_TOX_OUTPUT"]).read_text())
        sys.exit(int(os.environ["FAKE_TOX_EXIT"]))
    print(f"{env}: venv /p/.upgrader> uv venv -p /usr/bin/python3.8 /p/.upgrader/cache/tox/{env}")
    if mode == "venv":
        print("RuntimeError: failed to query /nowhere/python with code 2 err: 'No such file'")
        print(f"{env}: exit 2 (0.01 seconds) /p/.upgrader> uv venv -p /nowhere/python pid=1")
        sys.exit(2)
    print(f"{env}: install_deps /p/.upgrader> uv pip install -r /p/.upgrader/../requirements.txt")
    if mode == "install":
        print("error: No solution found when resolving dependencies")
        print(f"{env}: exit 1 (0.54 seconds) /p/.upgrader> uv pip install -r x pid=2")
        print(f"  {env}: FAIL code 1 (0.64 seconds)")
        sys.exit(1)
    print(f"{env}: commands[0] /p/.upgrader/..> python manage.py test -v 2 --noinput")
    if mode == "crash":
        print("ModuleNotFoundError: No module named 'tinysite.settings'")
        print(f"{env}: exit 1 (0.3 seconds) /p/.upgrader/..> python manage.py test pid=3")
        sys.exit(1)
    if mode == "hang":
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        Path(os.environ["FAKE_TOX_CHILD"]).write_text(str(child.pid))
        sys.stdout.flush()
        time.sleep(600)
    output = Path(os.environ["FAKE_TOX_OUTPUT"]).read_text()
    if mode == "colour":  # as tox does with its commands' stderr, even with --colored no
        output = output.replace("/tmp/", "\\x1b[31m/tmp/").replace("\\nRan ", "\\n\\x1b[39mRan ")
    sys.stdout.write(output)
    sys.exit(int(os.environ.get("FAKE_TOX_EXIT", "0")))
    """
)


def stage(name: str = "2.2") -> Release:
    found = get_release(name)
    assert found is not None
    return found


@pytest.fixture
def fake_tox(tmp_path: Path) -> ToxInvocation:
    script = tmp_path / "fake_tox.py"
    script.write_text(FAKE_TOX)
    return ToxInvocation(executable=(sys.executable, str(script)))


def fake_env(
    tmp_path: Path, mode: str, fixture: str = "", exit_code: int = 0, results: str = ""
) -> dict[str, str]:
    return {
        **os.environ,
        "FAKE_TOX_RESULTS": str(FIXTURES / "results" / results) if results else "",
        "FAKE_TOX_MODE": mode,
        "FAKE_TOX_OUTPUT": str(FIXTURES / fixture) if fixture else "",
        "FAKE_TOX_EXIT": str(exit_code),
        "FAKE_TOX_RECORD": str(tmp_path / "record.txt"),
        "FAKE_TOX_CHILD": str(tmp_path / "child.pid"),
    }


def test_green_run(tiny: Project, fake_tox: ToxInvocation, tmp_path: Path) -> None:
    env = fake_env(tmp_path, "run", "django-2.2-py3.8-green.txt")
    run = verify_stage(tiny, stage(), python=PYTHON, tox=fake_tox, env=env)
    assert (run.passed, run.failed, run.errors, run.skipped) == (3, 0, 0, 1)
    assert run.green and run.exit_code == 0
    assert (run.stage, run.env, run.python, run.runner) == ("2.2", "django22", "3.8.18", "django")
    # The project root of the fixture is /tmp/tiny22ok, so its file is outside this project.
    assert [w.category for w in run.warnings] == ["RemovedInDjango31Warning"]
    assert run.log.parent == tiny.root / ".upgrader" / "logs"
    assert run.log.name.startswith("django22-") and run.log.suffix == ".log"
    log = run.log.read_text()
    assert "Ran 4 tests" in log and "# upgrader verify: Django 2.2 on Python 3.8.18" in log
    argv, python_variable, _writer, _results = json.loads((tmp_path / "record.txt").read_text())
    assert argv == [
        "run",
        "--colored",
        "no",
        "-c",
        str(tiny.root / ".upgrader/tox.ini"),
        "-e",
        "django22",
    ]
    assert python_variable == sys.executable
    assert run.command == ("tox", *argv)


def test_failing_run_is_a_result(tiny: Project, fake_tox: ToxInvocation, tmp_path: Path) -> None:
    env = fake_env(tmp_path, "run", "django-2.2-py3.8-failing.txt", exit_code=1)
    run = verify_stage(tiny, stage(), python=PYTHON, tox=fake_tox, env=env)
    assert not run.green
    assert run.failing == ("notes.tests.NoteTests.test_fails",)


def test_json_round_trip(tiny: Project, fake_tox: ToxInvocation, tmp_path: Path) -> None:
    env = fake_env(tmp_path, "run", "django-2.2-py3.8-import-error.txt", exit_code=1)
    run = verify_stage(tiny, stage(), python=PYTHON, tox=fake_tox, env=env)
    data = json.loads(json.dumps(run.to_json()))
    assert TestRun.from_json(data) == run
    assert data["green"] is False and data["error_ids"] == ["notes.test_broken"]


def test_saved_run_of_another_schema_is_refused() -> None:
    with pytest.raises(VerifyError, match="schema 99"):
        TestRun.from_json({"schema": 99})


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        pytest.param("venv", "could not create the Django 2.2 environment", id="no-working-python"),
        pytest.param("install", "dependencies of the Django 2.2 stage failed", id="deps-fail"),
        pytest.param(
            "crash",
            "stopped before running any test: ModuleNotFoundError: No module named "
            "'tinysite.settings' \\(exit code 1; log: ",
            id="crash-at-import",
        ),
    ],
)
def test_runs_that_never_reach_the_tests(
    tiny: Project, fake_tox: ToxInvocation, tmp_path: Path, mode: str, message: str
) -> None:
    before = sorted(p for p in tiny.root.rglob("*") if ".upgrader" not in p.parts)
    with pytest.raises(VerifyError, match=message) as info:
        verify_stage(tiny, stage(), python=PYTHON, tox=fake_tox, env=fake_env(tmp_path, mode))
    log = info.value.path
    assert log is not None and log.is_file() and str(log) in info.value.message
    assert info.value.hint
    # Nothing but .upgrader/ was written.
    assert sorted(p for p in tiny.root.rglob("*") if ".upgrader" not in p.parts) == before


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed child that its (also killed) parent never reaped is a zombie: dead for us.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_timeout_kills_the_whole_process_group(
    tiny: Project, fake_tox: ToxInvocation, tmp_path: Path
) -> None:
    env = fake_env(tmp_path, "hang")
    with pytest.raises(VerifyError, match="did not finish within 3 seconds") as info:
        verify_stage(tiny, stage(), python=PYTHON, tox=fake_tox, env=env, timeout=3)
    assert info.value.path is not None and info.value.path.is_file()
    child = int((tmp_path / "child.pid").read_text())
    for _ in range(50):  # the kernel may take a moment to deliver the signal
        if not _alive(child):
            break
        time.sleep(0.1)
    assert not _alive(child), "the test process started by tox survived the timeout"


def test_run_verify_judges_against_the_baseline(
    tiny: Project, fake_tox: ToxInvocation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in fake_env(tmp_path, "run", "django-2.2-py3.8-failing.txt", 1).items():
        monkeypatch.setenv(key, value)
    first = run_verify(tiny.root, python=PYTHON, tox=fake_tox)
    assert first.new_failures == ("notes.tests.NoteTests.test_fails",)
    assert first.exit_code == 1 and load_baseline(tiny.root) is None
    assert "FAILING" in render_text(first)

    accepted = run_verify(tiny.root, python=PYTHON, tox=fake_tox, accept_failing=True)
    assert accepted.exit_code == 0 and accepted.new_failures == ()
    baseline = load_baseline(tiny.root)
    assert baseline is not None and baseline.failing == {"notes.tests.NoteTests.test_fails"}
    assert "(accepted in the baseline)" in render_text(accepted)

    monkeypatch.setenv("FAKE_TOX_OUTPUT", str(FIXTURES / "django-2.2-py3.8-import-error.txt"))
    worse = run_verify(tiny.root, python=PYTHON, tox=fake_tox)
    assert worse.new_failures == ("notes.test_broken",) and worse.exit_code == 1
    assert json.loads(render_json(worse))["new_failures"] == ["notes.test_broken"]

    monkeypatch.setenv("FAKE_TOX_OUTPUT", str(FIXTURES / "django-2.2-py3.8-green.txt"))
    monkeypatch.setenv("FAKE_TOX_EXIT", "0")
    better = run_verify(tiny.root, python=PYTHON, tox=fake_tox)
    assert better.exit_code == 0 and better.fixed == ("notes.tests.NoteTests.test_fails",)
    # Each run's TestRun is kept beside its log.
    saved = sorted((tiny.root / ".upgrader" / "logs").glob("django22-*.json"))
    assert len(saved) == 4


def test_render_text_groups_warnings_by_release(
    tiny: Project, fake_tox: ToxInvocation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in fake_env(tmp_path, "run", "django-4.2-py3.12-failing.txt", 1).items():
        monkeypatch.setenv(key, value)
    python = Interpreter(Version("3.12.1"), Path(sys.executable), "config")
    locked = tiny.root / ".upgrader" / "constraints" / "django-4.2.txt"
    locked.parent.mkdir(parents=True)
    locked.write_text("Django==4.2.30\n")
    result = run_verify(tiny.root, "4.2", python=python, tox=fake_tox)
    text = render_text(result)
    assert "Django 4.2 on Python 3.12.1" in text
    assert "3 passed, 1 failed, 0 errors, 1 skipped" in text
    assert "removed in Django 5.0:" in text
    assert "[third-party] django/conf/__init__.py:267: RemovedInDjango50Warning" in text
    assert f"Log: {result.run.log}" in text


def test_colour_codes_in_the_log_are_ignored(
    tiny: Project, fake_tox: ToxInvocation, tmp_path: Path
) -> None:
    env = fake_env(tmp_path, "colour", "django-2.2-py3.8-failing.txt", exit_code=1)
    run = verify_stage(tiny, stage(), python=PYTHON, tox=fake_tox, env=env)
    assert "\x1b[31m" in run.log.read_text()
    assert (run.passed, run.failed) == (3, 1)
    assert [w.file for w in run.warnings] == ["/tmp/tiny22/notes/clock.py"]


@pytest.mark.parametrize(
    ("fixture", "exit_code", "message"),
    [
        pytest.param(
            "tox-uv-install-error.log",
            1,
            "dependencies of the Django 2.2 stage failed to install",
            id="uv-resolution-error",
        ),
        pytest.param(
            "tox-uv-settings-crash.log",
            1,
            "stopped before running any test: ModuleNotFoundError: No module named "
            "'no_such_module_here' \\(/tmp/cap/tox-uv-settings-crash/tinysite/settings.py:8\\) "
            "\\(exit code 1; log: ",
            id="settings-import-error",
        ),
        pytest.param(
            "tox-virtualenv-python38-unsupported.log",
            1,
            "could not create the Django 2.2 environment",
            id="virtualenv-cannot-create-python-3.8",
        ),
    ],
)
def test_real_tox_failures_are_diagnosed(
    tiny: Project,
    fake_tox: ToxInvocation,
    tmp_path: Path,
    fixture: str,
    exit_code: int,
    message: str,
) -> None:
    env = fake_env(tmp_path, "replay", fixture, exit_code)
    with pytest.raises(VerifyError, match=message):
        verify_stage(tiny, stage(), python=PYTHON, tox=fake_tox, env=env)


def test_real_tox_green_log(tiny: Project, fake_tox: ToxInvocation, tmp_path: Path) -> None:
    env = fake_env(tmp_path, "replay", "tox-uv-green.log", 0)
    run = verify_stage(tiny, stage(), python=PYTHON, tox=fake_tox, env=env)
    assert (run.passed, run.skipped, run.green) == (3, 1, True)
    assert [(w.location, w.removed_in) for w in run.warnings] == [
        ("/tmp/cap/tox-uv-green/notes/clock.py:5", "3.1")
    ]


def test_structured_results_come_before_the_log(
    tiny: Project, fake_tox: ToxInvocation, tmp_path: Path
) -> None:
    # The log says 3 passed (Django's "Ran 4 tests in 0.006s"); the writer's JSON is this run's.
    results = "writer-django-2.2.28-py3.6.json"
    env = fake_env(tmp_path, "run", "django-2.2-py3.8-green.txt", exit_code=1, results=results)
    run = verify_stage(tiny, stage(), python=PYTHON, tox=fake_tox, env=env)
    assert (run.passed, run.failed, run.errors, run.skipped) == (2, 3, 3, 1)
    assert "app.tests.Mixed.test_xpass" in run.failing  # an unexpected success the log never names
    assert run.results == "result-writer"
    assert run.duration == 1.997  # the command's wall time, not the runner's 0.006 s
    _argv, _python, writer_there, results_before = json.loads((tmp_path / "record.txt").read_text())
    assert writer_there and results_before == []  # written before tox ran; nothing stale
    assert TestRun.from_json(json.loads(json.dumps(run.to_json()))) == run
    # Deprecation warnings still come from the log.
    assert [w.category for w in run.warnings] == ["RemovedInDjango31Warning"]


def test_results_of_an_earlier_run_are_never_read(
    tiny: Project, fake_tox: ToxInvocation, tmp_path: Path
) -> None:
    stale = tiny.root / ".upgrader" / "logs" / "results" / "django22.json"
    stale.parent.mkdir(parents=True)
    stale.write_text((FIXTURES / "results" / "writer-django-2.2.28-py3.6.json").read_text())
    env = fake_env(tmp_path, "run", "django-2.2-py3.8-green.txt")
    run = verify_stage(tiny, stage(), python=PYTHON, tox=fake_tox, env=env)
    assert (run.passed, run.failed, run.skipped, run.results) == (3, 0, 1, "log")
    assert run.duration == 0.006  # the fallback: the runner's own figure from the log


def test_junit_xml_of_a_pytest_project(
    tiny_pytest: Project, fake_tox: ToxInvocation, tmp_path: Path
) -> None:
    results = "pytest-3.10.1-mix.xml"
    env = fake_env(tmp_path, "run", "pytest-2.2-py3.8-failing.txt", exit_code=1, results=results)
    run = verify_stage(tiny_pytest, stage(), python=PYTHON, tox=fake_tox, env=env)
    assert (run.runner, run.results) == ("pytest", "junit-xml")
    assert (run.passed, run.failed, run.errors, run.skipped) == (6, 4, 1, 1)
    assert "pkg/tests/test_mix.py::TestCls::test_in_class" in run.failures
    assert run.duration == 0.081


def test_a_saved_run_from_before_structured_results_still_reads() -> None:
    data = {
        "schema": 1, "stage": "2.2", "env": "django22", "python": "3.8.18", "runner": "django",
        "command": ["tox"], "passed": 1, "failed": 0, "errors": 0, "skipped": 0, "failures": [],
        "error_ids": [], "warnings": [], "duration": 0.1, "elapsed": 1.0, "log": "x.log",
        "exit_code": 0, "green": True,
    }  # fmt: skip
    assert TestRun.from_json(data).results == "log"


def test_a_failed_install_names_the_package_and_the_fix(
    tiny: Project, fake_tox: ToxInvocation, tmp_path: Path
) -> None:
    env = fake_env(tmp_path, "replay", "tox-uv-install-error.log", 1)
    with pytest.raises(VerifyError) as info:
        verify_stage(tiny, stage(), python=PYTHON, tox=fake_tox, env=env)
    assert info.value.message.startswith(
        "the dependencies of the Django 2.2 stage failed to install: the index has no release "
        "matching upgrader-no-such-package-anywhere (log: "
    )
    assert info.value.hint is not None and "replace-requirements" in info.value.hint
