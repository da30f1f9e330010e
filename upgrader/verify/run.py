"""Run one Django stage's tests in its tox environment and read the result.

``verify_stage(project, stage, ...)`` writes the stage's section of ``.upgrader/tox.ini``, runs
``python -m tox -c .upgrader/tox.ini -e djangoNN`` with the tox of upgrader's own install, keeps the
full log in ``.upgrader/logs/<env>-<timestamp>.log`` and returns a ``TestRun``: totals, failing
test ids, deprecation warnings with file:line, duration, exit code. Totals, ids and the duration
come from the structured results the command wrote (``upgrader.verify.results``: pytest's JUnit
XML, ``.upgrader/result_writer.py``'s JSON), which this module writes the writer for and clears
before each run; the log is parsed only when there are none.

A run whose tests fail is a result (a ``TestRun`` that is not ``green``), not an error. A run
that never got to the tests is a ``VerifyError`` naming the log: dependencies that do not install,
a test command that crashes before running tests (settings that do not import, a missing
manage.py), a run past its timeout (the whole process group is killed), a missing interpreter.
Only ``.upgrader/`` is written: environments live in ``.upgrader/cache/tox`` and the tests run with
``PYTHONDONTWRITEBYTECODE=1`` and pytest's cache provider off.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from upgrader.detect.model import Project
from upgrader.errors import VerifyError
from upgrader.interpreters import Interpreter, find_for
from upgrader.progress import ProgressLine, default_line
from upgrader.releases import Release, series_name
from upgrader.stage_envs import env_dir, env_python
from upgrader.state import ensure_state_dir
from upgrader.verify.deprecations import parse_warnings
from upgrader.verify.install_errors import explain_install_failure
from upgrader.verify.model import SCHEMA_VERSION as SCHEMA_VERSION
from upgrader.verify.model import TestRun as TestRun
from upgrader.verify.parse import LiveLog, crash_line, parse_outcome
from upgrader.verify.results import clear_results, read_results, write_result_writer
from upgrader.verify.system_checks import parse_system_checks
from upgrader.verify.toxconfig import (
    UPGRADER_DIR,
    Stage,
    ToxEnv,
    python_variable,
    tox_env,
    tox_ini_path,
    write_tox_ini,
)

DEFAULT_TIMEOUT = 1800.0
KILL_GRACE = 5.0  # seconds between SIGTERM and SIGKILL of a timed-out run

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# "django22: install_deps /project/.upgrader> uv pip install -r ...": tox announcing a phase.
_TOX_PHASE = re.compile(r"^(?P<env>[\w.-]+): (?P<phase>[\w\[\]-]+)(?: [^>\n]*)?> ", re.MULTILINE)
_TOX_PYTHON_MISSING = re.compile(
    r"could not find python interpreter|failed to query .*python|No interpreter found",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ToxInvocation:
    """How tox is started: by default the tox of upgrader's own install."""

    executable: tuple[str, ...] = (sys.executable, "-m", "tox")
    runner: str | None = None  # None: tox's default (uv-venv-runner when tox-uv is installed)
    recreate: bool = False
    extra_env: Mapping[str, str] = field(default_factory=dict)


def _log_path(log_dir: Path, env: str) -> Path:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    return log_dir / f"{env}-{stamp}.log"


POLL = 0.25  # seconds between reads of a running command's log (progress)


def _run_logged(
    command: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    log: Path,
    timeout: float,
    watch: Callable[[str], None] | None = None,
) -> int | None:
    """Run ``command`` with its output in ``log``; the exit code, or None when it timed out.

    The command gets its own session, so a timeout kills tox, the test runner and anything the
    tests started, not only tox. ``watch`` gets the log's new text every ``POLL`` seconds (and
    once more at the end), and also the empty string when nothing came, so it can show time.
    """
    with log.open("ab") as handle, log.open("rb") as reader:
        reader.seek(0, os.SEEK_END)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        try:
            while True:
                left = deadline - time.monotonic()
                try:
                    code = process.wait(timeout=max(0.0, min(POLL, left)) if watch else left)
                except subprocess.TimeoutExpired:
                    if time.monotonic() >= deadline:
                        _kill_group(process)
                        return None
                    code = None
                if watch is not None:
                    watch(decoder.decode(reader.read(), final=code is not None))
                if code is not None:
                    return code
        except BaseException:  # Ctrl-C: leave nothing running behind us
            _kill_group(process)
            raise


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=KILL_GRACE)
            return
        except subprocess.TimeoutExpired:
            continue


def _failed_phase(text: str, env: str) -> str | None:
    """The last tox phase of ``env`` the log shows starting ("install_deps", "commands[0]")."""
    phases = [
        m["phase"] for m in _TOX_PHASE.finditer(text) if m["env"] == env and m["phase"] != "exit"
    ]
    return phases[-1] if phases else None


def _commands_output(text: str, env: str) -> str:
    """What the last ``commands`` phase of ``env`` printed (the whole log when none started)."""
    starts = [
        m.end()
        for m in _TOX_PHASE.finditer(text)
        if m["env"] == env and m["phase"].startswith("commands")
    ]
    return text[starts[-1] :] if starts else text


def _stage_error(
    text: str, env: str, stage: str, log: Path, exit_code: int, root: Path | None = None
) -> VerifyError:
    phase = _failed_phase(text, env) or ""
    if phase == "venv" or (_TOX_PYTHON_MISSING.search(text) and not phase.startswith("commands")):
        return VerifyError(
            f"tox could not create the Django {stage} environment with its Python (log: {log})",
            hint=f"Check the interpreter named in the log, or point {python_variable(env)} at "
            "a working Python for this stage. Recent virtualenv releases no longer create "
            "environments for old Pythons: with plain tox, install tox-uv (`pip install tox-uv`).",
            path=log,
        )
    if phase.startswith(("install", "installpkg", "install_deps", "install_package")):
        failure = explain_install_failure(text)
        if failure is not None:
            return VerifyError(
                f"the dependencies of the Django {stage} stage failed to install: "
                f"{failure.cause} (log: {log})",
                hint=failure.hint,
                path=log,
            )
        return VerifyError(
            f"the dependencies of the Django {stage} stage failed to install (log: {log})",
            hint="Read the pip/uv error at the end of the log; fix the stage's requirements "
            "(or the constraints file) and run `upgrader verify` again.",
            path=log,
        )
    if phase.startswith("commands"):
        crash = crash_line(_commands_output(text, env), str(root) if root else None)
        return VerifyError(
            f"the test command of the Django {stage} stage stopped before running any test"
            f"{f': {crash}' if crash else ''} (exit code {exit_code}; log: {log})",
            hint="The end of the log shows why: typically settings or a module that do not import "
            "on this Django, or a missing manage.py / pytest.",
            path=log,
        )
    return VerifyError(
        f"tox failed for the Django {stage} stage before running the tests (exit code "
        f"{exit_code}; log: {log})",
        hint="Read the log for tox's own error.",
        path=log,
    )


@dataclass(frozen=True)
class _ToxRun:
    exit_code: int | None  # None: timed out
    log: Path
    text: str
    elapsed: float
    interpreter: Interpreter
    environment: ToxEnv
    env: str
    command: tuple[str, ...]


def _run_tox(
    project: Project,
    stage: Release,
    *,
    log_dir: Path | None,
    python: Interpreter | None,
    requirements: Path | None,
    timeout: float,
    tox: ToxInvocation | None,
    env: Mapping[str, str] | None,
    notest: bool = False,
    progress: ProgressLine | None = None,
) -> _ToxRun:
    """Write the stage's tox env into .upgrader/tox.ini and run it (``notest``: only build it)."""
    root = project.root.resolve()
    tox = tox or ToxInvocation()
    base_env = dict(os.environ if env is None else env)
    current = series_name(project.django_version) == stage.name
    interpreter = python or find_for(
        stage, project.python_version, base_env, django=project.django_version if current else None
    )
    plan = Stage(stage, interpreter.feature)
    tox_environment = tox_env(project, plan, requirements)
    ensure_state_dir(root)
    ini = write_tox_ini(root, [tox_environment])
    write_result_writer(root / UPGRADER_DIR)  # the tox.ini commands run it
    clear_results(root / UPGRADER_DIR, plan.env)
    log_dir = log_dir or root / UPGRADER_DIR / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    log = _log_path(log_dir, plan.env)

    command = [*tox.executable, "run", "--colored", "no", "-c", str(ini), "-e", plan.env]
    if tox.runner:
        command += ["--runner", tox.runner]
    if tox.recreate:
        command.append("--recreate")
    if notest:
        command.append("--notest")
    run_env = {**base_env, **tox.extra_env}
    run_env[python_variable(plan.env)] = str(interpreter.path)
    run_env.setdefault("NO_COLOR", "1")
    run_env.pop("PYTHONWARNINGS", None)  # ours is set inside the env, not on tox itself
    log.write_text(
        f"# upgrader verify: Django {stage.name} on Python {interpreter.version} "
        f"({interpreter.path})\n# $ {' '.join(command)}\n",
        encoding="utf-8",
    )
    line = progress or default_line()
    live = LiveLog(plan.env)
    title = f"Django {stage.name}"

    def watch(text: str) -> None:
        live.feed(text)
        if line is not None:
            line.update(f"{title}: {live.describe()}")

    if line is not None:
        what = "preparing the environment" if notest else "running the tests"
        line.start(
            f"{title}: {what} in tox env {plan.env} on Python {interpreter.version} (log: {log})"
        )
    started = time.monotonic()
    try:
        exit_code = _run_logged(
            command, cwd=root, env=run_env, log=log, timeout=timeout, watch=watch
        )
    finally:
        if line is not None:
            line.finish()
    elapsed = time.monotonic() - started
    # tox colours its commands' stderr red even with --colored no: read the log without it.
    text = _ANSI.sub("", log.read_text("utf-8", errors="replace"))
    if exit_code is None:
        raise VerifyError(
            f"the Django {stage.name} test run did not finish within {timeout:g} seconds and "
            f"was stopped (log: {log})",
            hint="A test may hang waiting for a server or input; raise the limit with --timeout "
            "if the suite is just slow.",
            path=log,
        )
    shown = ("tox", *command[len(tox.executable) :])
    return _ToxRun(exit_code, log, text, elapsed, interpreter, tox_environment, plan.env, shown)


def stage_environment(
    project: Project,
    stage: Release,
    *,
    python: Interpreter | None = None,
    requirements: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    tox: ToxInvocation | None = None,
    progress: ProgressLine | None = None,
) -> Path:
    """Build (or reuse) the stage's tox environment without running the tests; its python.

    For commands a hop runs in the stage's own environment, e.g. ``manage.py makemigrations``.
    """
    run = _run_tox(
        project,
        stage,
        log_dir=None,
        python=python,
        requirements=requirements,
        timeout=timeout,
        tox=tox,
        env=None,
        notest=True,
        progress=progress,
    )
    if run.exit_code != 0:
        raise _stage_error(
            run.text, run.env, stage.name, run.log, run.exit_code or 1, project.root.resolve()
        )
    folder = env_dir(project.root.resolve(), run.env)
    found = env_python(folder)
    if found is not None:
        return found
    raise VerifyError(
        f"the Django {stage.name} environment has no python in {folder} (log: {run.log})",
        hint="Delete .upgrader/cache/tox and run again.",
        path=run.log,
    )


def verify_stage(
    project: Project,
    stage: Release,
    *,
    log_dir: Path | None = None,
    python: Interpreter | None = None,
    requirements: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    tox: ToxInvocation | None = None,
    env: Mapping[str, str] | None = None,
    progress: ProgressLine | None = None,
) -> TestRun:
    """Run the project's tests for Django ``stage`` in its tox environment; the result.

    ``python``: the interpreter (found with ``find_for`` from the project's Python when None).
    ``requirements``: the stage's dependency file (the locked set in ``.upgrader/constraints/``
    when it exists, else the project's own requirements). ``log_dir``: ``.upgrader/logs``.
    ``progress``: where the live status line goes (``upgrader.progress.default_line()``, stderr,
    when None): the phase, the packages being installed, the tests done, the elapsed time.
    Raises ``VerifyError`` (with the log path) when the tests could not be run at all and
    ``InterpreterNotFoundError`` when no Python fits the stage.
    """
    run = _run_tox(
        project,
        stage,
        log_dir=log_dir,
        python=python,
        requirements=requirements,
        timeout=timeout,
        tox=tox,
        env=env,
        progress=progress,
    )
    root = project.root.resolve()
    text, log, exit_code, elapsed = run.text, run.log, run.exit_code or 0, run.elapsed
    interpreter, tox_environment = run.interpreter, run.environment
    plan = Stage(stage, interpreter.feature)
    outcome = read_results(root / UPGRADER_DIR, plan.env, root=root, log=text)
    if outcome is None:  # the command wrote no results: read its log
        outcome = parse_outcome(text, tox_environment.runner, python=interpreter.feature)
    if outcome is None:
        raise _stage_error(text, plan.env, stage.name, log, exit_code, root)
    return TestRun(
        stage=stage.name,
        env=plan.env,
        python=str(interpreter.version),
        runner=tox_environment.runner,
        command=run.command,
        passed=outcome.passed,
        failed=outcome.failed,
        errors=outcome.errors,
        skipped=outcome.skipped,
        failures=outcome.failures,
        error_ids=outcome.error_ids,
        warnings=parse_warnings(text, root),
        duration=outcome.duration,
        elapsed=round(elapsed, 3),
        log=log,
        exit_code=exit_code,
        results=outcome.source,
        checks=parse_system_checks(text),
    )


__all__ = ["DEFAULT_TIMEOUT", "TestRun", "ToxInvocation", "tox_ini_path", "verify_stage"]
