"""The real trials of a diagnosis: a temporary git worktree, real envs, real installs.

``WorktreeTrials`` checks the hop's dependency commit out in ``git worktree add --detach`` (the
user's tree and branch are never touched), and for each trial:

- writes each rewritten file as the rewrite commit has it (applied) or as the dependency commit
  has it (left out);
- writes the trial's dependency set, ``.upgrader/diagnose/requirements-trial.txt``: the hop's
  locked set with every bump left out pinned back to the version the hop started from, and
  resolves it with uv (``uv pip compile``, offline first, once per set; the hop's own set is
  not asked again): a set that is not consistent does not run, and the packages uv's error
  blames are the trial's ``conflicts``;
- runs only the tests asked for: their ids are the runner's posargs (Django's labels, pytest's
  node ids); a project's own script gets the whole suite, and its result is read for those
  tests only.

Where the tests run: when the hop's stage env exists, in the env of the trial's set
(``upgrader.diagnose.direct``: the stage env itself for the hop's own set, run only; for any
other set an env of its own made with uv from the stage env's set and the trial's pins), with
the stage's command and ``set_env``, no tox. Otherwise, or for a stage that needs tox
(``commands_pre``), the set is installed in the stage's tox env built in the worktree
(``verify_stage`` with it as the requirements, the tests as posargs through
``upgrader.diagnose.toxargs``).

A trial past the budget is not started (``Trial.why``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

from upgrader.deps.index import PYPI_SIMPLE, index_config
from upgrader.deps.plan import requirement_files
from upgrader.deps.resolve import explain_failure, find_uv, parse_pins
from upgrader.detect.requirements import read_declared
from upgrader.diagnose.bisect import BUDGET_SPENT
from upgrader.diagnose.direct import DirectEnvs, direct_command, prepare, run_tests
from upgrader.diagnose.model import DEPENDENCY, Change, Trial
from upgrader.diagnose.toxargs import SELECTION_ENV
from upgrader.errors import DetectionError, StateError, VerifyError
from upgrader.files import write_atomic
from upgrader.git import Git
from upgrader.interpreters import Interpreter, find
from upgrader.project import Project, detect_project
from upgrader.releases import Release, get_release
from upgrader.verify.parse import Outcome, parse_outcome
from upgrader.verify.results import clear_results, read_results, write_result_writer
from upgrader.verify.run import ToxInvocation, verify_stage
from upgrader.verify.suite import is_django_test, is_pytest
from upgrader.verify.toxconfig import UPGRADER_DIR, Stage, env_name, tox_env

# pytest's short summary of a module that did not collect: "ERROR tests/a.py - AttributeError: ..."
_COLLECTION_ERROR = re.compile(r"^ERROR (\S+\.py) - (.+)$", re.MULTILINE)


def _first_collection_error(text: str) -> str:
    """The first module pytest's summary in ``text`` says did not collect, with its error
    ("tests/a.py: AttributeError: module 'collections' has no attribute 'MutableMapping'",
    pytest's own truncation kept), or ""; with how many others."""
    found = _COLLECTION_ERROR.findall(text)
    if not found:
        return ""
    module, error = found[0]
    more = f" (and {len(found) - 1} more module(s))" if len(found) > 1 else ""
    return f"{module}: {error.strip()}{more}"


TRIAL_REQUIREMENTS = ".upgrader/diagnose/requirements-trial.txt"
MIN_TRIAL_TIMEOUT = 60.0
RESOLVE_TIMEOUT = 120.0
# uv without the network, missing what it would fetch: ask again online.
_OFFLINE_MISS = re.compile(r"offline|network|not found in the cache|cache", re.IGNORECASE)


def show(git: Git, commit: str, path: str) -> bytes | None:
    """The bytes of ``path`` (relative to the repository's top) at ``commit``; None if absent."""
    result = subprocess.run(
        ["git", "-C", str(git.root), "show", f"{commit}:{path}"],
        capture_output=True,
        check=False,
    )
    return result.stdout if result.returncode == 0 else None


def trial_pins(locked: str, changes: Sequence[Change], applied: frozenset[str]) -> dict[str, str]:
    """The locked set with the bumps not ``applied`` back at their old versions (canonical
    name -> version); a package the hop added is left out, one it removed is put back."""
    pins = dict(parse_pins(locked))
    for change in changes:
        if change.kind != DEPENDENCY:
            continue
        wanted = change.new if change.name in applied else change.old
        if wanted:
            pins[change.name] = wanted
        else:
            pins.pop(change.name, None)
    return dict(sorted(pins.items()))


def index_lines(root: Path) -> tuple[str, ...]:
    """The index options of the project's requirement files, for a trial's set (the locked
    set is written without them)."""
    files = [p if p.is_absolute() else root / p for p in requirement_files(read_declared(root))]
    config = index_config(files, env={}, read_pip_config=False)
    lines = [] if config.index_url == PYPI_SIMPLE else [f"--index-url {config.index_url}"]
    lines += [f"--extra-index-url {url}" for url in config.extra_index_urls]
    lines += [f"--find-links {link}" for link in config.find_links]
    if config.no_index:
        lines.append("--no-index")
    return tuple(lines)


def unresolved(
    requirements: Path, python: str, interpreter: Path | None = None
) -> tuple[str, tuple[str, ...]] | None:
    """Resolve the trial's set with uv before any install: None when it resolves, else
    why not and the packages uv's error blames (a set that cannot resolve never reaches
    tox, which would recreate the environment for it). ``interpreter``: a Python ``python``
    for uv, which otherwise looks for one (slow through pyenv's shims)."""
    uv = find_uv()
    if uv is None:
        return None
    given = ["--python", str(interpreter)] if interpreter is not None else []
    command = [
        uv, "pip", "compile", str(requirements), *given, "--python-version", python,
        "--no-header", "--quiet", "--color", "never", "--index-strategy",
        "unsafe-best-match", "--no-python-downloads",
    ]  # fmt: skip
    result = None
    for mode in ("--offline", None):  # offline first: the hop resolved from these pages
        try:
            result = subprocess.run(
                command + ([mode] if mode else []),
                capture_output=True,
                text=True,
                timeout=RESOLVE_TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None  # let the install say it
        if result.returncode == 0:
            return None
        if mode and not _OFFLINE_MISS.search(result.stderr or result.stdout):
            break  # uv's answer from its cache: the set does not resolve
    assert result is not None
    output = result.stderr or result.stdout
    # uv wraps its explanation to the terminal's width: one line, without its markers.
    said = " ".join(line.strip(" \u00d7\u2570\u2500\u25b6\u2502") for line in output.splitlines())
    said = " ".join(said.split())
    why = "the trial's set does not resolve: " + (said[:300] or "uv failed")
    return why, tuple(sorted({b.name for b in explain_failure(output)}))


def selectable(project: Project) -> bool:
    """Whether the project's test command takes test ids (Django's ``test``, pytest)."""
    command = tuple(project.test_runner.command)
    return is_pytest(command) or is_django_test(command)


class WorktreeTrials:
    """``TrialRunner`` over a temporary worktree of the hop's branch (a context manager)."""

    def __init__(
        self,
        root: Path,
        *,
        target: str,
        python: str,
        dependency_commit: str,
        source: str | None = None,
        rewrite_commit: str | None,
        constraints: str | None,
        changes: Sequence[Change],
        files: Sequence[Change],
        budget: float,
        timeout: float,
        clock: Callable[[], float] = time.monotonic,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.git = Git(root)
        self.top = self.git.toplevel()
        self.prefix = root.resolve().relative_to(self.top.resolve()).as_posix()
        self.prefix = "" if self.prefix == "." else self.prefix + "/"
        self.target, self.python, self.source = target, python, source
        self.dependency_commit, self.rewrite_commit = dependency_commit, rewrite_commit
        self.constraints = constraints
        self.changes, self.files = tuple(changes), tuple(files)
        self.clock = clock
        self.deadline = clock() + budget
        self.timeout = timeout
        self.progress = progress or (lambda _message: None)
        self.temp: Path | None = None
        self.worktree: Path | None = None
        self.locked = ""
        self.interpreter: Interpreter | None = None
        self.direct: DirectEnvs | None = None
        self.count = 0
        self.resolved: dict[str, tuple[str, tuple[str, ...]] | None] = {}  # set -> unresolved()

    # --- set-up -----------------------------------------------------------------------------

    def __enter__(self) -> WorktreeTrials:
        self.temp = Path(tempfile.mkdtemp(prefix="upgrader-diagnose-"))
        self.worktree = self.temp / "tree"
        self.git.run("worktree", "add", "--detach", str(self.worktree), self.dependency_commit)
        if self.constraints:
            data = show(self.git, self.dependency_commit, self.prefix + self.constraints)
            if data is None:
                raise StateError(
                    f"the hop's locked set {self.constraints} is not in its dependency commit "
                    f"{self.dependency_commit[:10]}",
                    hint="Run `upgrader step --continue` to resolve the set again, then diagnose.",
                )
            self.locked = data.decode("utf-8", "replace")
        release = get_release(self.target)
        if release is not None:
            self.direct = prepare(self.git.root, env_name(release), find_uv())
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.worktree is not None:
            self.git.run("worktree", "remove", "--force", str(self.worktree), check=False)
        if self.temp is not None:
            shutil.rmtree(self.temp, ignore_errors=True)
        self.git.run("worktree", "prune", check=False)

    @property
    def project_root(self) -> Path:
        assert self.worktree is not None, "use WorktreeTrials as a context manager"
        return self.worktree / self.prefix if self.prefix else self.worktree

    # --- one trial ----------------------------------------------------------------------------

    def _write_files(self, applied: frozenset[str]) -> None:
        for change in self.files:
            commit = (
                self.rewrite_commit
                if change.name in applied and self.rewrite_commit
                else self.dependency_commit
            )
            data = show(self.git, commit, self.prefix + change.name)
            path = self.project_root / change.name
            if data is None:
                path.unlink(missing_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(path, data)

    def _requirements(self, applied: frozenset[str]) -> Path | None:
        if not self.locked:
            return None
        pins = trial_pins(self.locked, self.changes, applied)
        path = self.project_root / TRIAL_REQUIREMENTS
        path.parent.mkdir(parents=True, exist_ok=True)
        text = (
            "# upgrader diagnose: one trial's dependency set\n"
            + "".join(f"{line}\n" for line in index_lines(self.project_root))
            + "".join(f"{name}=={version}\n" for name, version in pins.items())
        )
        write_atomic(path, text.encode())
        return path

    def run(
        self, dependencies: frozenset[str], files: frozenset[str], tests: frozenset[str]
    ) -> Trial:
        started = self.clock()
        shown = (tuple(sorted(dependencies)), tuple(sorted(files)), tuple(sorted(tests)))

        def cannot(why: str, log: str = "", conflicts: tuple[str, ...] = ()) -> Trial:
            elapsed = round(self.clock() - started, 3)
            return Trial(*shown, None, elapsed, log=log, why=why, conflicts=conflicts)

        remaining = self.deadline - started
        if remaining <= 0:
            return cannot(BUDGET_SPENT)
        every = frozenset(c.name for c in self.changes)
        if not self.locked and dependencies != every:
            return cannot("the hop has no locked set to take single bumps out of")
        self._write_files(files)
        requirements = self._requirements(dependencies)
        if requirements is not None and dependencies != every:  # the hop's own set resolved
            text = requirements.read_text("utf-8")
            if text not in self.resolved:
                interpreter = self.direct.stage_python if self.direct is not None else None
                self.resolved[text] = unresolved(requirements, self.python, interpreter)
            failed = self.resolved[text]
            if failed is not None:
                why, conflicts = failed
                return cannot(why, conflicts=conflicts)
        project = self._project()
        release = get_release(self.target)
        assert release is not None
        selection = sorted(tests) if selectable(project) else []
        self.progress(
            f"trial: {len(dependencies)} bump(s), {len(files)} rewritten file(s), "
            f"{len(tests)} test(s)"
        )
        tox = ToxInvocation(
            executable=(sys.executable, "-m", "upgrader.diagnose.toxargs"),
            extra_env={SELECTION_ENV: json.dumps(selection)},
        )
        timeout = min(self.timeout, max(remaining, MIN_TRIAL_TIMEOUT))
        direct = self._direct(project, release, requirements, dependencies, selection, timeout)
        if direct is not None:
            outcome, log = direct
            elapsed = round(self.clock() - started, 3)
            if isinstance(outcome, str):
                return Trial(*shown, None, elapsed, log=log, why=outcome)
            if selection and outcome.total == 0:
                return Trial(*shown, None, elapsed, log=log, why="the selected tests did not run")
            failing = tuple(sorted(tests & {*outcome.failures, *outcome.error_ids}))
            return Trial(*shown, failing, elapsed, log=log)
        try:
            run = verify_stage(
                project,
                release,
                python=self._interpreter(),
                requirements=requirements,
                timeout=timeout,
                tox=tox,
            )
        except VerifyError as exc:
            log = self._keep(exc.path) if exc.path else ""
            return cannot(exc.message, log, self._conflicts(exc.path))
        if selection and run.total == 0:
            return cannot("the selected tests did not run", self._keep(run.log))
        failing = tuple(sorted(tests & set(run.failing)))
        return Trial(
            *shown,
            failing=failing,
            elapsed=round(self.clock() - started, 3),
            log=self._keep(run.log),
        )

    def _project(self) -> Project:
        """The trial's project as the worktree's files say; one whose files name no Django (a
        reusable app, stepped with ``--from``) is at the hop's source, as the step's own
        phases see it (``HopPhases._project``): the worktree has no ``state.json`` to ask."""
        try:
            return detect_project(self.project_root, django_from=None)
        except DetectionError:
            if self.source is None:
                raise
            return detect_project(self.project_root, django_from=self.source)

    def _direct(
        self,
        project: Project,
        release: Release,
        requirements: Path | None,
        dependencies: frozenset[str],
        selection: Sequence[str],
        timeout: float,
    ) -> tuple[Outcome | str, str] | None:
        """The trial run in the diagnosis' env of its set (``upgrader.diagnose.direct``): what
        it reported (or why nothing) and its kept log; None when it needs tox."""
        if self.direct is None:
            return None
        stage = Stage(release, self.python)
        try:
            line = direct_command(
                tox_env(project, stage, requirements), self.project_root, selection
            )
        except VerifyError:
            return None
        if line is None:
            return None
        pins = trial_pins(self.direct.base, self.changes, dependencies)
        python, why = self.direct.python_for(
            pins, index_lines(self.project_root), self.project_root
        )
        if python is None:
            self.progress(f"{why}; the trial runs through tox")
            return None
        command, set_env = line
        upgrader_dir = self.project_root / UPGRADER_DIR
        write_result_writer(upgrader_dir)
        clear_results(upgrader_dir, stage.env)
        log = self._log(stage.env)
        code = run_tests(python, command, set_env, self.project_root, log, timeout)
        return self._outcome(stage, log, code, timeout, project.test_runner.kind), self._keep(log)

    def _interpreter(self) -> Interpreter | None:
        """The hop's Python for tox, found once (finding runs every candidate)."""
        if self.interpreter is None:
            self.interpreter = find(self.python)
        return self.interpreter

    def _log(self, env: str) -> Path:
        self.count += 1
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        return (
            self.project_root / UPGRADER_DIR / "logs" / f"{env}-diagnose-{stamp}-{self.count}.log"
        )

    def _outcome(
        self, stage: Stage, log: Path, code: int | None, timeout: float, runner: str
    ) -> Outcome | str:
        """What the direct run in ``log`` reported, or why it reported nothing."""
        if code is None:
            return f"the trial did not finish within {timeout:g} seconds"
        upgrader_dir = self.project_root / UPGRADER_DIR
        text = log.read_text("utf-8", errors="replace")
        try:
            outcome = read_results(upgrader_dir, stage.env, root=self.project_root, log=text)
        except VerifyError as exc:
            return exc.message
        if outcome is None:
            outcome = parse_outcome(text, runner, python=stage.python)
        if outcome is None:
            first = _first_collection_error(text)
            return (
                f"the test command stopped before running any test (exit code {code}"
                f"{f'; {first}' if first else ''})"
            )
        return outcome

    @staticmethod
    def _conflicts(log: Path | None) -> tuple[str, ...]:
        """The packages uv's error in ``log`` blames for a set that does not install."""
        if log is None or not log.is_file():
            return ()
        text = log.read_text("utf-8", errors="replace")
        return tuple(sorted({b.name for b in explain_failure(text)}))

    def _keep(self, log: Path) -> str:
        """The trial's log copied to the project's ``.upgrader/logs/diagnose/`` (the worktree
        goes away); its path relative to the project root."""
        kept = self.git.root / ".upgrader" / "logs" / "diagnose" / log.name
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(log, kept)
        except OSError:
            return str(log)
        return kept.relative_to(self.git.root).as_posix()
