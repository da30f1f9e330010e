"""``upgrader step``: one hop of the upgrade as a safe, resumable transaction.

A hop runs on its own branch, ``upgrade/django-X.Y``, made from the current head, in phases:

1. ``dependencies``: choose and resolve the dependency set for the target Django and Python,
   write the new pins back into the project's files, and write the stage's constraints file
   (``.upgrader/constraints/django-X.Y.txt``);
2. ``rewrite``: django-upgrade, our codemods and pyupgrade over code, settings and templates;
3. ``migrations``: ``manage.py makemigrations`` in the stage's environment, for the model state
   changes the hop brings (``index_together`` -> ``Meta.indexes`` renames, fields whose
   definition changed in Django); the new migrations are listed in the report for review;
4. ``verify``: the project's own tests on the target stage, in its tox environment;
5. ``report``: the per-step report (Markdown, HTML, JSON) in ``.upgrader/reports/django-X.Y/``.

Each phase ends in one commit with a clear message, and the state in ``.upgrader/state.json``
is saved after every phase (atomically), so ``upgrader step`` after a crash or Ctrl-C carries on
from the first unfinished phase. What an interrupted phase left half-done in the work tree is
put aside with ``git stash`` (never deleted) before the phase runs again.

A phase commits only what it made: untracked files that were there before the hop (build output
such as ``collectstatic``'s) are the user's and stay where they are, never committed or stashed;
the migrations phase commits migration modules only, so what running ``makemigrations`` leaves
(``db.sqlite3``, ``.pyc`` files, media) stays untracked too. Both are listed in the hop's
``left_alone`` and never make the tree dirty. The tree is refused only for changed tracked
files, or untracked files at paths the hop writes (Python modules, templates, dependency and
Python declarations). upgrader's own ``.upgrader/`` never makes the tree dirty.

A refused step leaves the repository as it found it: no branch, no hop in ``state.json``, no
``.upgrader/`` it did not have (only its git-ignored log, when the refusal points at one), the
same stash list and HEAD. A dependency phase that finds no working set abandons the hop the same
way.

Green tests with manual items still open (findings the rules could not fix) end the hop as
``manual-items-open``, not ``done``, and ``upgrader step`` exits 1; ``step --continue`` checks
again after the developer's fixes (``StepResult.manual_open`` is the count).

Failing tests after a hop mark it as needing attention: the report lists the failures; the
developer fixes them and runs ``upgrader step --continue``, which commits the fixes and
verifies again. The next hop never starts on red.

``--continue`` takes the project's own files as the one place to fix: when the fixes change a
dependency file (``requirements.txt``), the dependency phase runs again and the stage's
constraints follow it. A commit the developer adds on a finished hop's branch is unverified
(``status`` lists it) until ``--continue`` runs the hop's checks on it; the next hop's baseline
runs again over it. After the tests the hop saves what the stage's environment had installed
(``HopState.installed``); the report shows that set, and every commit on the branch.

Without git (``--no-git``), every file is copied to ``.upgrader/backups/django-X.Y/`` before the
hop touches anything; ``rollback`` puts them back.
"""

from __future__ import annotations

import dataclasses
import json
import posixpath
import re
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from upgrader import __version__
from upgrader.deps.breaking import is_breaking
from upgrader.deps.plan import is_build_failure
from upgrader.errors import (
    DetectionError,
    ResolutionError,
    StateError,
    UpgraderError,
    VerifyError,
)
from upgrader.files import project_files, write_atomic
from upgrader.git import Git
from upgrader.hops import Hop, hop_path
from upgrader.interpreters import find as find_interpreter
from upgrader.plan import BlockedPackage, DependencyChange, ManualItem, RewriteCount, SkippedFile
from upgrader.project import Project, detect_project
from upgrader.releases import get_release
from upgrader.report import MANUAL_OPEN as MANUAL_OPEN  # tests green, manual items open
from upgrader.report import FileDiff
from upgrader.rewrite import TEMPLATE_FOLDER, TEMPLATE_SUFFIXES
from upgrader.state import (
    STATE_DIR,
    HopLock,
    ensure_state_dir,
    now,
    read_json,
    state_dir,
    write_json,
)
from upgrader.verify.baseline import Baseline, service_outage
from upgrader.verify.command import load_baseline

STATE_FILE = "state.json"
BRANCH_PREFIX = "upgrade/django-"
PHASES = ("dependencies", "rewrite", "migrations", "verify", "report")
PENDING, DONE = "pending", "done"
IN_PROGRESS, NEEDS_ATTENTION, COMPLETE = "in-progress", "needs-attention", "done"
# ``.upgrader/`` entries that are run-time state, git-ignored: kept when a refused step pointed
# at its log; never snapshotted (the cache holds whole tox environments).
RUNTIME_ENTRIES = frozenset({"logs", "cache", "backups", "lock"})


@dataclass(frozen=True)
class PhaseRecord:
    name: str
    status: str = PENDING
    commit: str | None = None
    summary: str = ""
    finished: str | None = None


@dataclass(frozen=True)
class HopState:
    """One hop, as saved in ``.upgrader/state.json``; everything the report needs is here."""

    source: str = field(metadata={"json": "from"})
    target: str = field(metadata={"json": "to"})
    python_from: str | None
    python: str
    git: bool
    branch: str | None
    base_commit: str | None
    base_branch: str | None
    started: str
    status: str = IN_PROGRESS
    phases: tuple[PhaseRecord, ...] = ()
    finished: str | None = None
    packages: dict[str, str] = field(default_factory=dict)
    constraints: str | None = None
    dependencies: tuple[DependencyChange, ...] = ()
    blocked: tuple[BlockedPackage, ...] = ()
    dependency_files: tuple[str, ...] = ()
    commands_to_run: tuple[str, ...] = ()
    rewrites: tuple[RewriteCount, ...] = ()
    files: tuple[FileDiff, ...] = ()
    skipped: tuple[SkippedFile, ...] = ()
    tests_before: dict[str, Any] | None = None  # TestRun.to_json()
    tests_after: dict[str, Any] | None = None
    manual: tuple[ManualItem, ...] = ()
    migrations: tuple[str, ...] = ()
    # Why ``makemigrations --check`` is not clean on the target (None: clean, or not run yet).
    migrations_check: str | None = None
    notes: tuple[str, ...] = ()
    report_dir: str | None = None
    # Untracked files the hop does not own, relative to the repository's top: the user's, there
    # before the hop, and what its runs left and its phases did not commit (db.sqlite3).
    untracked_before: tuple[str, ...] = ()
    side_effects: tuple[str, ...] = ()
    # What the stage's environment had installed when the hop's tests last ran (canonical name
    # -> version): the set that was verified, which the report's dependency table shows.
    installed: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.source} -> {self.target}"

    @property
    def left_alone(self) -> tuple[str, ...]:
        """Untracked files never committed or stashed by the hop (see the two fields)."""
        return (*self.untracked_before, *self.side_effects)

    @property
    def manual_open(self) -> int:
        """Manual items the hop's last check found open (0 for a hop whose tests are red too)."""
        return len(self.manual)

    def phase(self, name: str) -> PhaseRecord:
        return next(p for p in self.phases if p.name == name)

    def next_phase(self) -> str | None:
        return next((p.name for p in self.phases if p.status != DONE), None)

    def last_commit(self) -> str | None:
        commits = [p.commit for p in self.phases if p.commit]
        return commits[-1] if commits else self.base_commit


@dataclass(frozen=True)
class ProjectState:
    current: HopState | None = None
    history: tuple[HopState, ...] = ()


def state_path(root: Path) -> Path:
    return state_dir(root) / STATE_FILE


def load_state(root: Path) -> ProjectState:
    path = state_path(root)
    if not path.exists():
        return ProjectState()
    return read_json(path, ProjectState, schema=1)


def save_state(root: Path, state: ProjectState) -> None:
    ensure_state_dir(root)
    write_json(state_path(root), state, schema=1)


# --- progress ------------------------------------------------------------------------------


class StepReporter(Protocol):
    """Where progress goes: rich on a terminal, plain lines in CI logs (see cli.py)."""

    def phase(self, name: str, message: str) -> None: ...

    def info(self, message: str) -> None: ...


class SilentReporter:
    def phase(self, name: str, message: str) -> None:
        return None

    def info(self, message: str) -> None:
        return None


# --- the stages a hop composes (swappable in unit tests) -----------------------------------


@dataclass(frozen=True)
class DependencyOutcome:
    changes: tuple[DependencyChange, ...]
    blocked: tuple[BlockedPackage, ...]
    packages: dict[str, str]
    constraints: str | None
    files: tuple[str, ...]
    commands_to_run: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class RewriteOutcome:
    rewrites: tuple[RewriteCount, ...]
    files: tuple[FileDiff, ...]
    skipped: tuple[SkippedFile, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class MigrationsOutcome:
    created: tuple[str, ...]  # new migration files, relative to the root
    notes: tuple[str, ...]
    failed: str | None = None  # makemigrations could not run (why, and its log)
    # Why makemigrations was not run at all (no manage.py: a reusable app); never a failure.
    not_checked: str | None = None
    # Migrations the hop edited (index_together entries added then removed, folded away).
    edited: tuple[str, ...] = ()


class HopStages(Protocol):
    def dependencies(
        self, project: Project, hop: Hop, options: StepOptions
    ) -> DependencyOutcome: ...

    def rewrite(self, project: Project, hop: Hop, packages: dict[str, str]) -> RewriteOutcome: ...

    def verify(
        self,
        project: Project,
        stage: str,
        python: str,
        constraints: str | None,
        options: StepOptions,
    ) -> dict[str, Any]: ...

    def manual(
        self, project: Project, hop: Hop, packages: dict[str, str]
    ) -> tuple[ManualItem, ...]: ...

    def migrations(
        self,
        project: Project,
        stage: str,
        python: str,
        constraints: str | None,
        options: StepOptions,
    ) -> MigrationsOutcome: ...

    def check_migrations(
        self,
        project: Project,
        stage: str,
        python: str,
        constraints: str | None,
        options: StepOptions,
    ) -> str | None:
        """``makemigrations --check`` on the stage: None when clean, else what is wrong."""
        ...

    def installed(
        self,
        project: Project,
        stage: str,
        python: str,
        constraints: str | None,
        options: StepOptions,
    ) -> dict[str, str]:
        """What the stage's environment has installed (canonical name -> version)."""
        ...


class DiagnoseHop(Protocol):
    """Diagnoses the hop of ``root`` that needs attention and returns the diagnosis as text.

    The entry point passes ``upgrader.diagnose`` (``diagnose_hop`` + ``render.render_text``):
    ``upgrader.diagnose`` imports this module, so importing it from here would make a circle.
    """

    def __call__(
        self, root: Path, *, budget: float, timeout: float, progress: Callable[[str], None]
    ) -> str: ...


# The id of the manual items ``upgrader diagnose --revert-breaking`` adds: a rewrite it put back.
REVERTED_REWRITE = "reverted-rewrite"
# The default of ``--diagnose-budget``, seconds; the same as upgrader.diagnose.DEFAULT_BUDGET.
DIAGNOSE_BUDGET = 900.0


@dataclass(frozen=True)
class StepOptions:
    to: str = "lts"
    via: str = "lts"
    git: bool = True
    strategy: str = "minimal"
    offline: bool = False
    timeout: float = 1800.0
    accept_failing: bool = False
    resume: bool = False  # --continue: after fixing a hop that needs attention
    django_from: str | None = None
    diagnose: bool = True  # on red: which of the hop's changes broke which test
    diagnose_budget: float = DIAGNOSE_BUDGET


@dataclass(frozen=True)
class StepResult:
    """What ``upgrader step`` did: the hop, its state, where the report is."""

    hop: HopState | None
    message: str
    exit_code: int = 0
    manual_open: int = 0  # manual items still open after the hop (exit 1 when any)


class TestsRedError(UpgraderError):
    """A hop's tests failed: the hop needs attention (exit 1)."""

    __test__ = False
    exit_code = 1


# --- helpers -------------------------------------------------------------------------------


def _packages(changes: Sequence[DependencyChange]) -> dict[str, str]:
    packages: dict[str, str] = {}
    for change in changes:
        if not change.chosen:
            continue
        try:
            Version(change.chosen)
        except InvalidVersion:
            continue
        packages[canonicalize_name(change.name)] = change.chosen
    return packages


def _run_green(run: dict[str, Any] | None) -> bool:
    return bool(run and run.get("green"))


def _failing(run: dict[str, Any] | None) -> list[str]:
    if not run:
        return []
    return sorted({*run.get("failures", []), *run.get("error_ids", [])})


def _accepted(run: dict[str, Any] | None) -> set[str]:
    """The failing tests a run was accepted with: recorded on the first hop's baseline (from
    ``--accept-failing``) and carried on each hop's ``tests_after``, so later hops and
    ``--continue`` judge against them without the flag."""
    ids = (run or {}).get("accepted")
    return {t for t in ids if isinstance(t, str)} if isinstance(ids, list) else set()


def _accepted_summary(run: dict[str, Any]) -> str:
    """``19 passed, 21 errors, all accepted in the baseline`` (a run with accepted failures)."""
    counts = [f"{run.get('passed', 0)} passed"]
    for key, word in (("failed", "failed"), ("errors", "errors")):
        if run.get(key):
            counts.append(f"{run[key]} {word}")
    return ", ".join(counts) + ", all accepted in the baseline"


def _shown(paths: Sequence[str], limit: int = 5) -> str:
    more = len(paths) - limit
    return ", ".join(paths[:limit]) + (f" and {more} more" if more > 0 else "")


def _nothing(rel: str) -> bool:
    return False


# What a phase commits besides tracked changes and ``.upgrader/`` (None: every new file).
PHASE_COMMITS: dict[str, Callable[[str], bool]] = {
    "migrations": lambda rel: is_migration_module(rel),
    "verify": _nothing,
    "report": _nothing,
}


def _commit_message(hop: HopState, phase: str, summary: str) -> str:
    titles = {
        "dependencies": "dependency set",
        "rewrite": "code, settings and template rewrites",
        "migrations": "migrations",
        "verify": "tests",
        "report": "upgrade report",
        "fixes": "manual fixes",
    }
    return (
        f"upgrade(django {hop.target}): {titles.get(phase, phase)}\n\n{summary}\n\n"
        f"Hop Django {hop.source} -> {hop.target} on Python {hop.python}, phase '{phase}', "
        f"made by upgrader {__version__}."
    )


def _relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _top_prefix(git: Git, root: Path) -> str:
    """The project root as a prefix of paths relative to the repository's top: "" or "sub/"."""
    prefix = _relative(git.toplevel().resolve(), root.resolve())
    return "" if prefix == "." else prefix + "/"


def _scaffold(git: Git, root: Path) -> list[str]:
    """upgrader's own files in ``.upgrader/``, as paths relative to the repository's top."""
    prefix = _top_prefix(git, root)
    return [f"{prefix}{STATE_DIR}/README.md", f"{prefix}{STATE_DIR}/.gitignore"]


def is_migration_module(rel: str) -> bool:
    """A module of an app's ``migrations`` package (what ``makemigrations`` writes)."""
    parts = PurePosixPath(rel).parts
    return rel.endswith(".py") and "migrations" in parts[:-1]


def uncommitted_work(git: Git, root: Path, left_alone: Sequence[str] = ()) -> list[str]:
    """What is uncommitted and not upgrader's own: changed tracked files, and untracked files
    but those in ``left_alone`` (paths relative to the repository's top)."""
    state = _top_prefix(git, root) + STATE_DIR + "/"
    kept = set(left_alone)
    return [
        path
        for code, path in git.status()
        if not path.startswith(state) and not (code == "??" and path in kept)
    ]


def stash_aside(git: Git, root: Path, message: str, left_alone: Sequence[str] = ()) -> bool:
    """``git stash`` what is uncommitted (see :func:`uncommitted_work`): recoverable, never
    deleted. ``.upgrader/`` (what upgrader regenerates: tox.ini, constraints) stays, so a
    resumed hop ends with the same files as an uninterrupted one; the untracked files in
    ``left_alone`` (the user's) stay where they are. False when nothing was stashed."""
    return git.stash_paths(message, uncommitted_work(git, root, left_alone))


# --- no-git backups ------------------------------------------------------------------------


def backup_dir(root: Path, target: str) -> Path:
    return state_dir(root) / "backups" / f"django-{target}"


def take_backup(project: Project, target: str) -> Path:
    """Copy every project file (not .upgrader/) before a hop without git touches anything."""
    destination = backup_dir(project.root, target)
    if destination.exists():
        return destination  # resuming: the first copy is the pre-hop tree
    staging = destination.with_name(destination.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    files = project_files(project.root, exclude=project.config.exclude)
    manifest = []
    for path in files:
        rel = _relative(project.root, path)
        if rel.startswith(".upgrader/"):
            continue
        copy = staging / "files" / rel
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, copy)
        manifest.append(rel)
    # Every file there before the hop, the excluded ones too (never copied, as the hop never
    # touches them): rollback removes only files not in this list, the ones the hop created.
    present = [
        rel
        for rel in (_relative(project.root, path) for path in project_files(project.root))
        if not rel.startswith(".upgrader/")
    ]
    document = {"version": 2, "files": manifest, "present": present}
    write_atomic(staging / "MANIFEST", (json.dumps(document, indent=1) + "\n").encode())
    staging.rename(destination)  # the backup exists whole or not at all
    return destination


def _read_manifest(path: Path) -> tuple[list[str], set[str] | None]:
    """The backed-up files and the files present before the hop (None: not recorded).

    A JSON document since version 2; older backups hold one path per line (and no list of
    the files present, so nothing the hop may have added is removed: never lose a file)."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StateError(
            f"{path} is not a readable backup manifest ({exc})",
            hint="Restore the files by hand from the files/ folder next to it.",
            path=path,
        ) from None
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        data = None
    if isinstance(data, dict):
        files, present = data.get("files"), data.get("present")
    else:
        files, present = [line for line in text.splitlines() if line], None
    if not isinstance(files, list) or not all(isinstance(rel, str) for rel in files):
        raise StateError(
            f"{path} is damaged: 'files' is not a list of paths",
            hint="Restore the files by hand from the files/ folder next to it.",
            path=path,
        )
    for rel in files:
        if not rel or posixpath.isabs(rel) or ".." in rel.split("/"):
            raise StateError(
                f"{path} is damaged: {rel!r} is not a path inside the project",
                hint="Restore the files by hand from the files/ folder next to it.",
                path=path,
            )
    if not isinstance(present, list) or not all(isinstance(rel, str) for rel in present):
        return files, None
    return files, set(present) | set(files)


def restore_backup(root: Path, target: str) -> list[str]:
    """Put the pre-hop files back; remove files the hop created. Returns the restored paths."""
    source = backup_dir(root, target)
    if not source.is_dir():
        raise StateError(
            f"no backup of the Django {target} hop in {source}",
            hint="Without git and without its backup the hop cannot be undone automatically.",
        )
    files, present = _read_manifest(source / "MANIFEST")
    restored = []
    for rel in sorted(set(files)):
        write_atomic(root / rel, (source / "files" / rel).read_bytes())
        restored.append(rel)
    if present is not None:  # an old backup does not say what was there: remove nothing
        kept_dirs = {str(parent) for rel in present for parent in PurePosixPath(rel).parents}
        made: list[Path] = []
        top = root.resolve()  # project_files' paths are resolved
        for path in project_files(root):
            rel = _relative(top, path)
            if rel not in present and not rel.startswith(".upgrader/"):
                path.unlink()
                made.append(path)
        for path in made:  # and the folders the hop made for them, once empty
            folder = path.parent
            while folder.is_relative_to(top) and folder != top:
                if _relative(top, folder) in kept_dirs:
                    break
                try:
                    folder.rmdir()
                except OSError:
                    break  # not empty: something else lives there
                folder = folder.parent
    shutil.rmtree(source)
    return restored


# --- a refused step leaves .upgrader/ as it found it ----------------------------------------


@dataclass(frozen=True)
class _StateDirSnapshot:
    """``.upgrader/`` before a step, but its run-time entries (:data:`RUNTIME_ENTRIES`)."""

    root: Path
    existed: bool
    files: dict[str, bytes]

    @classmethod
    def take(cls, root: Path, *, existed: bool) -> _StateDirSnapshot:
        """Taken under the lock (so no other run is changing it); ``existed``: whether the
        folder was there before this run took the lock (which makes it)."""
        directory = state_dir(root)
        files: dict[str, bytes] = {}
        for path in _own_files(directory):
            files[path.relative_to(directory).as_posix()] = path.read_bytes()
        # Another run may have made it between our look and our lock: then it is not ours.
        existed = existed or any(
            p.name not in ("README.md", ".gitignore", "lock") for p in directory.iterdir()
        )
        return cls(root, existed, files)

    def restore(self) -> str | None:
        """Put ``.upgrader/`` back as it was; a folder that did not exist goes, unless a log
        was written (it is kept, git-ignored, and the returned line says so)."""
        directory = state_dir(self.root)
        if not directory.is_dir():
            return None
        logs = directory / "logs"
        keep_log = logs.is_dir() and any(logs.iterdir())
        if not self.existed and not keep_log:
            shutil.rmtree(directory)
            return None
        kept = set(self.files) if self.existed else {"README.md", ".gitignore"}
        for path in _own_files(directory):
            rel = path.relative_to(directory).as_posix()
            if rel not in kept:
                path.unlink()
        for rel, data in self.files.items():
            path = directory / rel
            if not path.is_file() or path.read_bytes() != data:
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(path, data)
        for folder in sorted(
            (p for p in directory.rglob("*") if p.is_dir() and not p.is_symlink()), reverse=True
        ):
            if folder.relative_to(directory).parts[0] not in RUNTIME_ENTRIES and not any(
                folder.iterdir()
            ):
                folder.rmdir()
        if self.existed:
            return None
        return (
            f"Its log is kept in {STATE_DIR}/logs/ (git-ignored); `rm -r {STATE_DIR}` removes "
            "what upgrader left."
        )


def _own_files(directory: Path) -> list[Path]:
    """The files of ``.upgrader/`` outside its run-time entries (tox.ini, constraints, reports,
    state.json, README, .gitignore)."""
    if not directory.is_dir():
        return []
    return [
        path
        for path in directory.rglob("*")
        if (path.is_file() or path.is_symlink())
        and path.relative_to(directory).parts[0] not in RUNTIME_ENTRIES
    ]


# --- the transaction -----------------------------------------------------------------------


class Step:
    """One ``upgrader step`` run on a project."""

    def __init__(
        self,
        path: Path,
        options: StepOptions,
        *,
        stages: HopStages | None = None,
        reporter: StepReporter | None = None,
        find: Callable[[str], Any] = find_interpreter,
        diagnose: DiagnoseHop | None = None,
    ) -> None:
        self.options = options
        self.diagnose = diagnose  # None: a hop that ends red is not diagnosed
        self.project = detect_project(path, django_from=options.django_from)
        self.root = self.project.root
        self.git = Git(self.root)
        if stages is None:
            from upgrader.step_stages import DefaultHopStages

            stages = DefaultHopStages()
        self.stages = stages
        self.reporter = reporter or SilentReporter()
        self.find = find
        self._top: str | None = None
        self._hop_ahead: Hop | None = None
        # .upgrader/ as this run found it once it held the lock (None: it never held it).
        self._snapshot: _StateDirSnapshot | None = None
        self._hop_live = False  # a hop is recorded in state.json (resumable: nothing undone)
        self._abandoned: ProjectState | None = None

    # -- preflight

    def _check_git(self) -> None:
        if not self.options.git:
            return
        if not self.git.is_repository():
            raise StateError(
                f"{self.root} is not in a git repository",
                hint="Run `git init` and commit the project first, or pass --no-git to keep "
                "file backups in .upgrader/backups/ instead.",
            )
        if not self.git.has_commits():
            raise StateError(
                f"the git repository of {self.root} has no commit yet",
                hint="Commit the project as it is, then run upgrader step.",
            )

    def _prefix(self) -> str:
        """The project root as a prefix of paths relative to the repository's top."""
        if self._top is None:
            self._top = _top_prefix(self.git, self.root)
        return self._top

    def _top_relative(self, rel: str) -> str:
        """A path relative to the project root (``../.travis.yml``) as one relative to the
        repository's top (``.travis.yml``)."""
        return posixpath.normpath(self._prefix() + rel)

    def _ours(self, path: str) -> bool:
        """Whether ``path`` (relative to the top) is in upgrader's own ``.upgrader/``."""
        return path.startswith(self._prefix() + STATE_DIR + "/")

    def _hop_writes(self, untracked: Sequence[str]) -> list[str]:
        """Of the ``untracked`` paths (relative to the top), those the hop may write: the
        rewrite stage's Python modules (migration modules among them) and templates, the
        dependency files and the Python declarations."""
        prefix = self._prefix()
        wanted = {p[len(prefix) :]: p for p in untracked if p.startswith(prefix)}
        if not wanted:
            return []
        project = self.project
        hits = {_relative(self.root, self.root / f) for f in project.dependency_files}
        hits |= {d.evidence.file for d in project.python_declarations}
        template_roots = [
            (d if d.is_absolute() else self.root / d).resolve() for d in project.template_dirs
        ]
        for path in project_files(
            self.root, suffixes=(".py", ".pyi", *TEMPLATE_SUFFIXES), exclude=project.config.exclude
        ):
            rel = _relative(self.root, path)
            if rel in wanted and (
                path.suffix in (".py", ".pyi")
                or TEMPLATE_FOLDER in PurePosixPath(rel).parts[:-1]
                or any(path.resolve().is_relative_to(t) for t in template_roots)
            ):
                hits.add(rel)
        return sorted(wanted[rel] for rel in wanted if rel in hits)

    def _check_clean(self) -> None:
        """Refuse changed tracked files, and untracked files where the hop writes; other
        untracked files (build output, the user's notes) are fine, and ``.upgrader/`` is ours."""
        if not self.options.git:
            return
        status = [(code, path) for code, path in self.git.status() if not self._ours(path)]
        changed = [path for code, path in status if code != "??"]
        if changed:
            raise StateError(
                f"the working tree has uncommitted changes: {_shown(changed)}",
                hint="Commit or stash them first (`git stash`): upgrader refuses to mix its "
                "changes with yours. Untracked files may stay where the hop does not write.",
            )
        written = self._hop_writes([path for code, path in status if code == "??"])
        if written:
            raise StateError(
                f"untracked files where the hop writes: {_shown(written)}",
                hint="Commit them (`git add` them, then `git commit`), or move them out of the "
                "project: the hop would change them with no commit to go back to.",
            )

    def _save(self, state: ProjectState) -> None:
        save_state(self.root, state)

    def _commit(
        self,
        current: HopState,
        phase: str,
        summary: str,
        *,
        allow_empty: bool = True,
    ) -> tuple[str | None, HopState]:
        """Commit what ``phase`` made, and nothing else: tracked changes and new files (only
        migration modules for ``migrations``; only ``.upgrader/`` for ``verify`` and
        ``report``), never the untracked files left alone. What stays untracked after the
        commit is left alone from now on (e.g. the db.sqlite3 ``makemigrations`` made)."""
        prefix = self._prefix()
        left = set(current.left_alone)
        only = PHASE_COMMITS.get(phase)
        # Files the dependency phase edited outside the project root, in its repository (a
        # project in a subfolder: the CI file at the top, ``../.travis.yml``).
        outside = (
            {self._top_relative(rel) for rel in current.dependency_files}
            if phase == "dependencies"
            else set()
        )
        top = self.git.toplevel()
        scaffold = [p for p in _scaffold(self.git, self.root) if (top / p).exists()]
        if scaffold:
            self.git.run("add", "--force", "--", *(str(top / p) for p in scaffold))
        stage = []
        for code, path in self.git.status():
            if self._ours(path) or (path in outside and code != "??"):
                stage.append(path)
            elif not path.startswith(prefix) or (code == "??" and path in left):
                continue
            elif only is None or only(path[len(prefix) :]):
                stage.append(path)
        self.git.add_paths(stage)
        sha = self.git.commit(_commit_message(current, phase, summary), allow_empty=allow_empty)
        if only is not None:
            self._undo_run_changes(only=only)
        remaining = {p for p in self.git.untracked_paths() if not self._ours(p)}
        side_effects = tuple(sorted(remaining - set(current.untracked_before)))
        return sha, dataclasses.replace(current, side_effects=side_effects)

    def _undo_run_changes(self, *, only: Callable[[str], bool] | None) -> None:
        """Put back the tracked files a run of the project's own commands changed (tests and
        their pre-test commands, makemigrations), as HEAD has them: side effects (a tracked
        staticfiles.json rewritten by collectstatic), never the hop's work, and never left to
        make the next step refuse the tree. ``only``: what the phase commits (kept)."""
        prefix = self._prefix()
        changed = [
            path
            for code, path in self.git.status()
            if code != "??"
            and not self._ours(path)
            and path.startswith(prefix)
            and (only is None or not only(path[len(prefix) :]))
        ]
        if changed:
            self.git.discard(changed)
            self.reporter.info(
                f"Put back {len(changed)} tracked file(s) the project's own commands changed "
                f"while they ran (not the hop's work): {_shown(changed)}."
            )

    # -- entry point

    def run(self) -> StepResult:
        self._check_git()
        # The checks that need no lock come first: a refused step makes nothing.
        if load_state(self.root).current is None and not self.options.resume:
            self._check_clean()
            self._hop_ahead = self._next_hop()
            if self._hop_ahead is None:
                return StepResult(None, self._already_there_message())
        existed = state_dir(self.root).is_dir()
        with self._undo_if_refused(), HopLock(self.root, "upgrader step"):
            self._snapshot = _StateDirSnapshot.take(self.root, existed=existed)
            return self._run_locked()

    @contextmanager
    def _undo_if_refused(self) -> Iterator[None]:
        """A step that stops before its hop is under way (or that abandons the hop) leaves
        ``.upgrader/`` as it found it; one line of the hint says what, if anything, it kept."""
        try:
            yield
        except BaseException as exc:
            snapshot = self._snapshot  # None: the lock was refused, .upgrader/ is not ours
            if snapshot is not None and not self._hop_live:
                kept = snapshot.restore()
                if self._abandoned is not None and snapshot.existed:
                    self._save(self._abandoned)
                if kept and isinstance(exc, UpgraderError):
                    exc.hint = f"{exc.hint} {kept}" if exc.hint else kept
            raise

    def _run_locked(self) -> StepResult:
        state = load_state(self.root)
        current = state.current
        if current is not None and current.status == NEEDS_ATTENTION:
            self._hop_live = True
            if not self.options.resume:
                raise StateError(
                    f"the Django {current.name} hop needs attention: its tests failed",
                    hint="Fix the failing tests (see the report in "
                    f"{current.report_dir or '.upgrader/reports/'}), then run "
                    "`upgrader step --continue` to verify again.",
                )
            current = self._continue_after_fixes(current)
            state = dataclasses.replace(state, current=current)
            self._save(state)
        elif current is not None:
            self._hop_live = True
            self.reporter.info(
                f"Resuming the Django {current.name} hop at phase '{current.next_phase()}'."
            )
            current = self._recover_interrupted(current)
        elif self.options.resume:
            last = state.history[-1] if state.history else None
            if last is None or not (last.status == MANUAL_OPEN or self._changed_since(last)):
                raise StateError(
                    "no hop needs attention: nothing to continue",
                    hint="Run `upgrader step` to start the next hop.",
                )
            # The last hop ended with manual items open, or the developer changed its branch
            # since it was verified: check it again after the fixes.
            self._hop_live = True
            current = self._continue_after_fixes(dataclasses.replace(last, finished=None))
            state = ProjectState(current=current, history=state.history[:-1])
            self._save(state)
        else:
            self._check_clean()
            started = self._start_hop(state)
            if started is None:
                return StepResult(None, self._already_there_message())
            current, state = started
        return self._run_phases(state, current)

    def _changed_since(self, hop: HopState) -> bool:
        """Whether ``hop``'s branch (checked out) has commits or changes its checks never saw."""
        if not hop.git or not hop.branch or self.git.current_branch() != hop.branch:
            return False
        return bool(
            unverified_commits(self.git, hop)
            or uncommitted_work(self.git, self.root, hop.left_alone)
        )

    def _already_there_message(self) -> str:
        return (
            f"Django {self.project.django_version} is already at the target "
            f"(--to {self.options.to}): no hop to make."
        )

    # -- starting a hop

    def _next_hop(self) -> Hop | None:
        hops = hop_path(
            self.project.django_version,
            self._current_python(),
            to=self.options.to,
            via=self.options.via,
            find_interpreter=self.find,
        )
        return hops[0] if hops else None

    def _current_python(self) -> str | None:
        return current_python(self.project, load_state(self.root))

    def _baseline(self, state: ProjectState, hop: Hop) -> dict[str, Any]:
        """The tests on the current stage: the previous hop's green run, or a fresh run."""
        if state.history:
            last = state.history[-1]
            unverified = unverified_commits(self.git, last) if last.git else []
            if last.target == hop.source.name and last.tests_after is not None and not unverified:
                return last.tests_after
            if unverified:
                self.reporter.info(
                    f"{len(unverified)} commit(s) since the Django {last.name} hop was verified: "
                    "its tests run again as this hop's baseline."
                )
        self.reporter.phase("baseline", f"Running the tests on Django {hop.source.name} (baseline)")
        run = self.stages.verify(
            self.project, hop.source.name, hop.python_from or hop.python, None, self.options
        )
        failing = _failing(run)
        before = _accepted(state.history[-1].tests_after) if state.history else set()
        saved = None if state.history else self._saved_baseline(hop)
        if saved is not None:
            before = set(saved.failing)
        acceptable = self.options.accept_failing or set(failing) <= before
        if not _run_green(run) and failing and not set(failing) <= before:
            self._refuse_service_outage(run, failing)
        if not _run_green(run) and failing and "error" not in run and acceptable:
            return {**run, "accepted": failing}  # judged against on every later hop
        added = [t for t in failing if t not in before]
        if not _run_green(run) and not self.options.accept_failing and saved and added:
            shown = ", ".join(added[:10]) + (" …" if len(added) > 10 else "")
            raise TestsRedError(
                f"the project's tests fail on its current Django {hop.source.name} beyond the "
                f"baseline accepted in .upgrader/baseline.json: {shown or 'see the log'} "
                f"(log: {run.get('log')})",
                hint="Fix them, or pass --accept-failing to accept the current failures instead "
                "(a hop may then keep them, but never add to them).",
            )
        if not _run_green(run) and not self.options.accept_failing:
            shown = ", ".join(failing[:10]) + (" …" if len(failing) > 10 else "")
            raise TestsRedError(
                f"the project's tests fail on its current Django {hop.source.name} "
                f"before any change: {shown or 'see the log'} (log: {run.get('log')})",
                hint="Fix them first, or pass --accept-failing to record these failures as the "
                "baseline (a hop may then keep them, but never add to them).",
            )
        return run

    def _saved_baseline(self, hop: Hop) -> Baseline | None:
        """The failures ``upgrader verify --accept-failing`` accepted (``.upgrader/baseline.json``)
        on the hop's source Django: the first hop's baseline, as if accepted here."""
        saved = load_baseline(self.root)
        if saved is None:
            return None
        if saved.stage != hop.source.name:
            self.reporter.info(
                f".upgrader/baseline.json was recorded on Django {saved.stage}, not on "
                f"Django {hop.source.name}: not used (run `upgrader verify --accept-failing` "
                "again to record it on this stage)."
            )
            return None
        return saved

    def _refuse_service_outage(self, run: Mapping[str, Any], failing: list[str]) -> None:
        """Refuse a red baseline whose failures are nearly all one service's connection error
        (the CI's PostgreSQL, not running here): accepted, it would verify nothing (F16)."""
        from upgrader.detect.test_env import project_test_environment

        log = Path(str(run.get("log") or ""))
        log = log if log.is_absolute() else self.root / log
        try:
            text = log.read_text("utf-8", errors="replace") if log.is_file() else ""
        except OSError:
            text = ""
        notes = [item.value for item in project_test_environment(self.project).notes]
        outage = service_outage(text, len(failing), notes)
        if outage is not None:
            raise TestsRedError(
                f"Django {run.get('stage', '')}: {outage.message} (log: {run.get('log')})",
                hint=outage.hint,
            )

    def _start_hop(self, state: ProjectState) -> tuple[HopState, ProjectState] | None:
        hop = self._hop_ahead or self._next_hop()
        if hop is None:
            return None
        if hop.interpreter is None:
            from upgrader.interpreters import install_hint

            raise UpgraderError(
                f"no Python {hop.python} on this machine for the Django {hop.target.name} stage",
                hint=install_hint(hop.python),
            )
        base_commit = base_branch = branch = None
        untracked_before: tuple[str, ...] = ()
        if self.options.git:
            branch = f"{BRANCH_PREFIX}{hop.target.name}"
            if self.git.branch_exists(branch):
                raise StateError(
                    f"branch {branch} already exists",
                    hint=f"Delete or rename it (`git branch -D {branch}`) if it is an old attempt, "
                    "then run upgrader step again.",
                )
        if state.history and state.history[-1].status == MANUAL_OPEN:
            last = state.history[-1]
            self.reporter.info(
                f"The Django {last.name} hop still has {last.manual_open} manual item(s) open "
                f"(report: {last.report_dir})."
            )
        baseline = self._baseline(state, hop)
        if self.options.git:
            # Taken after the baseline run: what its pre-test commands made (collectstatic's
            # output) is left alone like the user's own untracked files, and what they changed
            # in tracked files (the tree was clean) is put back.
            self._undo_run_changes(only=None)
            untracked_before = tuple(
                sorted(p for p in self.git.untracked_paths() if not self._ours(p))
            )
            base_commit = self.git.head()
            base_branch = self.git.current_branch()
        else:
            take_backup(self.project, hop.target.name)
        current = HopState(
            source=hop.source.name,
            target=hop.target.name,
            python_from=hop.python_from,
            python=hop.python,
            git=self.options.git,
            branch=branch,
            base_commit=base_commit,
            base_branch=base_branch,
            started=now(),
            phases=tuple(PhaseRecord(name) for name in PHASES),
            tests_before=baseline,
            untracked_before=untracked_before,
        )
        state = dataclasses.replace(state, current=current)
        # Saved before the branch exists: a crash here leaves state that resumes cleanly.
        self._save(state)
        self._hop_live = True
        if branch and base_commit:
            self.git.create_branch(branch, base_commit)
        self.reporter.info(
            f"Django {current.name} on Python {current.python}"
            + (f" (branch {branch})" if branch else " (no git: backups in .upgrader/backups/)")
            + (
                f"; {len(untracked_before)} untracked file(s) left in place, not committed"
                if untracked_before
                else ""
            )
        )
        return current, state

    def _abandon(self, state: ProjectState, current: HopState) -> None:
        """Undo a hop that no phase has committed yet, as if it had never started: what the
        phase wrote goes, back on the base branch, the hop's branch and state removed."""
        if current.git:
            top = self.git.toplevel()
            work = uncommitted_work(self.git, self.root, current.left_alone)
            untracked = set(self.git.untracked_paths())
            self.git.discard([p for p in work if p not in untracked])
            for path in work:
                if path in untracked:
                    (top / path).unlink(missing_ok=True)
            if current.base_branch:
                self.git.switch(current.base_branch)
            elif current.base_commit:
                self.git.run("switch", "--detach", current.base_commit)
            if (
                current.branch
                and self.git.branch_exists(current.branch)
                and self.git.run("rev-parse", current.branch).strip() == current.base_commit
            ):
                self.git.delete_branch(current.branch)
        else:
            restore_backup(self.root, current.target)
            backups = backup_dir(self.root, current.target).parent
            if backups.is_dir() and not any(backups.iterdir()):
                backups.rmdir()
        self._abandoned = ProjectState(current=None, history=state.history)
        self._save(self._abandoned)
        self._hop_live = False

    # -- resuming

    def _recover_interrupted(self, current: HopState) -> HopState:
        """Put aside what an interrupted phase left in the work tree; back on the hop's branch."""
        if not current.git:
            return current
        if current.branch and self.git.current_branch() != current.branch:
            if uncommitted_work(self.git, self.root, current.left_alone):
                self._check_clean()
            if self.git.branch_exists(current.branch):
                self.git.switch(current.branch)
            elif current.base_commit:
                self.git.create_branch(current.branch, current.base_commit)
        message = f"upgrader: left by the interrupted '{current.next_phase()}' phase"
        if stash_aside(self.git, self.root, message, current.left_alone):
            self.reporter.info(
                "Put aside what the interrupted phase left half-done with `git stash` "
                f"({message!r}); it is redone from the last phase commit."
            )
        return current

    def _continue_after_fixes(self, current: HopState) -> HopState:
        """``--continue``: commit the developer's fixes, then verify (and report) again."""
        if current.git:
            if current.branch and self.git.current_branch() != current.branch:
                raise StateError(
                    f"the hop's branch {current.branch} is not checked out",
                    hint=f"`git switch {current.branch}`, then `upgrader step --continue`.",
                )
            why = {
                MANUAL_OPEN: "Changes made by hand for the hop's open manual items.",
                NEEDS_ATTENTION: "Changes made by hand after the hop's tests failed.",
            }.get(current.status, "Changes made by hand after the hop was verified.")
            sha, current = self._commit(current, "fixes", why, allow_empty=False)
            if sha:
                self.reporter.info(f"Committed your fixes as {sha[:10]}.")
        # Checked again: the tests, and makemigrations when it failed or was not clean.
        again = {"verify", "report"}
        if current.migrations_check:
            again.add("migrations")
        changed = self._dependency_files_changed(current)
        if changed:
            # The project's own files are the one place to pin: the stage's set follows them.
            again.add("dependencies")
            self.reporter.info(
                f"Your fixes change {_shown(changed)}: the Django {current.target} stage's "
                "dependency set is resolved again from the project's files."
            )
        phases = tuple(
            dataclasses.replace(p, status=PENDING, commit=None) if p.name in again else p
            for p in current.phases
        )
        return dataclasses.replace(current, phases=phases, status=IN_PROGRESS)

    def _dependency_files_changed(self, current: HopState) -> list[str]:
        """The project's dependency files that changed since the hop's dependency phase (paths
        relative to the project root). Without git every one counts as changed (there is no
        commit to compare with, and resolving again from the files is always right)."""
        files = sorted(
            _relative(self.root, self.root / f) for f in self._project(current).dependency_files
        )
        commit = current.phase("dependencies").commit
        if not current.git:
            return files
        if commit is None or not files:
            return []
        out = self.git.run(
            "diff", "--name-only", commit, "HEAD", "--", *(self._top_relative(f) for f in files)
        )
        changed = {line.strip() for line in out.splitlines() if line.strip()}
        return [f for f in files if self._top_relative(f) in changed]

    # -- phases

    def _project(self, current: HopState) -> Project:
        """The project as its files say now (the Django version moves during a hop); one whose
        files do not tell its Django (a reusable app run with ``--from``) is at the hop's source."""
        try:
            return detect_project(self.root, django_from=None)
        except DetectionError:
            return detect_project(self.root, django_from=current.source)

    def _hop(self, current: HopState) -> Hop:
        source, target = get_release(current.source), get_release(current.target)
        assert source is not None and target is not None
        return Hop(source, target, current.python_from, current.python, self.find(current.python))

    def _finish_phase(
        self, state: ProjectState, current: HopState, phase: str, summary: str, **changes: Any
    ) -> tuple[ProjectState, HopState]:
        current = dataclasses.replace(current, **changes)
        sha = None
        if current.git:
            # Every phase is one commit, even one that changed no file: the history reads as
            # the hop's log ("tests green on 4.2" is worth a commit of its own).
            sha, current = self._commit(current, phase, summary)
        phases = tuple(
            dataclasses.replace(p, status=DONE, commit=sha, summary=summary, finished=now())
            if p.name == phase
            else p
            for p in current.phases
        )
        current = dataclasses.replace(current, phases=phases)
        state = dataclasses.replace(state, current=current)
        self._save(state)
        self.reporter.info(f"{phase}: {summary}" + (f" [{sha[:10]}]" if sha else ""))
        return state, current

    def _run_phases(self, state: ProjectState, current: HopState) -> StepResult:
        hop = self._hop(current)
        while (phase := current.next_phase()) is not None:
            try:
                if phase == "dependencies":
                    state, current = self._phase_dependencies(state, current, hop)
                elif phase == "rewrite":
                    state, current = self._phase_rewrite(state, current, hop)
                elif phase == "migrations":
                    state, current = self._phase_migrations(state, current)
                elif phase == "verify":
                    state, current = self._phase_verify(state, current)
                    if current.status == NEEDS_ATTENTION:
                        state, current = self._phase_report(state, current, hop)
                        return self._red_result(current, self._diagnosis(current))
                elif phase == "report":
                    state, current = self._phase_report(state, current, hop)
            except UpgraderError as exc:
                # Refused before any phase committed (no dependency set works, an install
                # failed): the hop never happened. Later phases stay resumable.
                if all(p.status != DONE for p in current.phases):
                    self._abandon(state, current)
                    exc.hint = (
                        f"{exc.hint} " if exc.hint else ""
                    ) + "Nothing was kept: no branch, no hop in progress, no file changed."
                else:
                    where = f" on branch {current.branch}" if current.branch else ""
                    exc.hint = (f"{exc.hint} " if exc.hint else "") + (
                        f"The Django {current.name} hop stays in progress{where}: "
                        "`upgrader step` resumes it at this phase, `upgrader rollback` undoes it."
                    )
                raise
        open_items = current.manual_open
        finished = dataclasses.replace(
            current, status=MANUAL_OPEN if open_items else COMPLETE, finished=now()
        )
        state = ProjectState(current=None, history=(*state.history, finished))
        self._save(state)
        message = f"Django {finished.name} done on Python {finished.python}"
        if finished.report_dir:
            from upgrader.report import load_report, summary_line

            message = summary_line(load_report(self.root / finished.report_dir))
            message += f"\nReport: {finished.report_dir}/report.md and report.html"
        if finished.branch:
            message += f"\nBranch: {finished.branch} (undo with `upgrader rollback`)"
        if open_items:
            message += (
                f"\nNot complete: {open_items} manual item(s) open (listed in the report). Fix "
                "them on the branch, then `upgrader step --continue` checks again."
            )
        return StepResult(
            finished, message, exit_code=1 if open_items else 0, manual_open=open_items
        )

    def _phase_dependencies(
        self, state: ProjectState, current: HopState, hop: Hop
    ) -> tuple[ProjectState, HopState]:
        self.reporter.phase("dependencies", f"Choosing dependencies for Django {hop.target.name}")
        outcome = self.stages.dependencies(self._project(current), hop, self.options)
        builds = [b for b in outcome.blocked if is_build_failure(b)]
        if builds:
            # A package that did not build is no proof that no set works: name it and its fix.
            raise ResolutionError(
                f"Django {hop.target.name} on Python {hop.python}: "
                + "; ".join(f"{b.name}: {b.reason}" if b.name else b.reason for b in builds),
                hint="Fix the build as the reason says, then run `upgrader step` again.",
            )
        dead = [b for b in outcome.blocked if is_breaking(b.reason)]
        if dead:
            # A kept app that imports (or calls) what the target removed: the hop would fail at
            # import after rewriting the project; stop before changing anything.
            raise ResolutionError(
                f"Django {hop.target.name} cannot start: " + "; ".join(b.reason for b in dead),
                hint="Do what the message says for each package, then run `upgrader step` again "
                "(`upgrader plan` lists them as blockers).",
            )
        if outcome.blocked:
            reasons = "; ".join(
                f"{b.name}: {b.reason}" if b.name else b.reason for b in outcome.blocked
            )
            raise ResolutionError(
                f"no dependency set works with Django {hop.target.name} on Python {hop.python}: "
                f"{reasons}",
                hint="Upgrade or replace the blocking package, or stop earlier with --to.",
            )
        if current.dependencies:
            # Resolved again after the developer's fixes: each package still started where the
            # hop found it, before anyone's change.
            started = {canonicalize_name(c.name): c.current for c in current.dependencies}
            outcome = dataclasses.replace(
                outcome,
                changes=tuple(
                    dataclasses.replace(
                        c, current=started.get(canonicalize_name(c.name), c.current)
                    )
                    for c in outcome.changes
                ),
            )
        changed = [c for c in outcome.changes if c.current != c.chosen]
        summary = (
            f"{len(changed)} package(s) changed for Django {hop.target.name}: "
            + ", ".join(f"{c.name} {c.current or '-'} -> {c.chosen or '-'}" for c in changed[:8])
            if changed
            else f"no package needed a change for Django {hop.target.name}"
        )
        return self._finish_phase(
            state,
            current,
            "dependencies",
            summary,
            dependencies=outcome.changes,
            blocked=outcome.blocked,
            packages=outcome.packages or _packages(outcome.changes),
            constraints=outcome.constraints,
            dependency_files=outcome.files,
            commands_to_run=outcome.commands_to_run,
            notes=(*current.notes, *outcome.notes),
        )

    def _phase_rewrite(
        self, state: ProjectState, current: HopState, hop: Hop
    ) -> tuple[ProjectState, HopState]:
        self.reporter.phase(
            "rewrite", f"Rewriting code, settings and templates for {hop.target.name}"
        )
        outcome = self.stages.rewrite(self._project(current), hop, dict(current.packages))
        total = sum(r.changes for r in outcome.rewrites)
        summary = (
            f"{total} change(s) in {len(outcome.files)} file(s) by "
            + ", ".join(f"{r.rule} ({r.changes})" for r in outcome.rewrites)
            if outcome.rewrites
            else "nothing to rewrite"
        )
        return self._finish_phase(
            state,
            current,
            "rewrite",
            summary,
            rewrites=outcome.rewrites,
            files=outcome.files,
            skipped=outcome.skipped,
            notes=(*current.notes, *outcome.notes),
        )

    def _phase_migrations(
        self, state: ProjectState, current: HopState
    ) -> tuple[ProjectState, HopState]:
        self.reporter.phase("migrations", f"Checking migrations on Django {current.target}")
        outcome = self.stages.migrations(
            self._project(current),
            current.target,
            current.python,
            current.constraints,
            self.options,
        )
        if outcome.failed:
            # Never "no migration needed" when makemigrations did not run: the verify phase
            # checks again, and the hop is not done until `makemigrations --check` is clean.
            summary = f"not checked: {outcome.failed}"
        elif outcome.not_checked:
            summary = f"not checked: {outcome.not_checked}"
        elif outcome.created:
            summary = f"makemigrations created {', '.join(outcome.created)}: review them"
        else:
            summary = "no migration needed"
        if outcome.edited:
            summary += f"; edited {', '.join(outcome.edited)} (index_together folded)"
        return self._finish_phase(
            state,
            current,
            "migrations",
            summary,
            migrations=outcome.created,
            migrations_check=outcome.failed,
            notes=(*current.notes, *outcome.notes),
        )

    def _phase_verify(
        self, state: ProjectState, current: HopState
    ) -> tuple[ProjectState, HopState]:
        self.reporter.phase("verify", f"Running the tests on Django {current.target}")
        project = self._project(current)
        try:
            run = self.stages.verify(
                project, current.target, current.python, current.constraints, self.options
            )
        except VerifyError as exc:
            run = {"green": False, "error": exc.message, "log": str(exc.path or ""), "failures": []}
        installed = current.installed
        if "error" not in run:  # the env exists: what the tests ran with
            installed = self.stages.installed(
                project, current.target, current.python, current.constraints, self.options
            )
        current = dataclasses.replace(current, installed=installed)
        manual = (
            *self.stages.manual(project, self._hop(current), dict(current.packages)),
            *self._still_reverted(current),
        )
        accepted = _accepted(current.tests_before)
        if self.options.accept_failing:
            accepted |= set(_failing(current.tests_before))
        new = [t for t in _failing(run) if t not in accepted]
        green = _run_green(run) or (bool(accepted) and not new and "error" not in run)
        if accepted and not _run_green(run) and "error" not in run:
            # carried on: a failure fixed on this stage leaves the baseline
            run = {**run, "accepted": sorted(accepted & set(_failing(run)))}
        # A hop is done only when the target's makemigrations --check is clean too.
        check = self.stages.check_migrations(
            project, current.target, current.python, current.constraints, self.options
        )
        current = dataclasses.replace(current, migrations_check=check)
        if green and check is None:
            summary = (
                f"tests green on Django {current.target}: {run.get('passed', 0)} passed, "
                f"{run.get('skipped', 0)} skipped"
                if _run_green(run)
                else f"tests on Django {current.target}: {_accepted_summary(run)}"
            )
            return self._finish_phase(
                state, current, "verify", summary, tests_after=run, manual=manual
            )
        current = dataclasses.replace(
            current, status=NEEDS_ATTENTION, tests_after=run, manual=manual
        )
        state = dataclasses.replace(state, current=current)
        self._save(state)
        return state, current

    def _still_reverted(self, current: HopState) -> list[ManualItem]:
        """The hop's ``reverted-rewrite`` items whose file is still as the dependency commit had
        it (the rewrite was put back and not yet made by hand): the stages cannot find them
        again. A file changed since drops its item; the tests judge the change."""
        base = current.phase("dependencies").commit
        return [
            item
            for item in current.manual
            if item.id == REVERTED_REWRITE
            and (
                not current.git
                or base is None
                or not self.git.run("diff", "--name-only", base, "--", item.file, check=False)
            )
        ]

    def _phase_report(
        self, state: ProjectState, current: HopState, hop: Hop
    ) -> tuple[ProjectState, HopState]:
        self.reporter.phase("report", "Writing the report")
        from upgrader.step_report import write_step_report

        directory = write_step_report(self.root, current, self.git if current.git else None)
        rel = _relative(self.root, directory)
        if current.status == NEEDS_ATTENTION:
            current = dataclasses.replace(current, report_dir=rel)
            if current.git:
                _sha, current = self._commit(
                    current, "report", "Report of a hop whose tests fail.", allow_empty=False
                )
            state = dataclasses.replace(state, current=current)
            self._save(state)
            return state, current
        return self._finish_phase(state, current, "report", f"report in {rel}", report_dir=rel)

    def _diagnosis(self, current: HopState) -> str | None:
        """The text of the diagnosis of a hop whose new failing tests it can explain (None when
        there is nothing to diagnose). Its failure is one line: the hop's outcome stays."""
        run = current.tests_after or {}
        failing = set(_failing(run)) - _accepted(run)
        if (
            self.diagnose is None
            or not self.options.diagnose
            or not current.git
            or "error" in run
            or not failing
        ):
            return None
        self.reporter.phase(
            "diagnose",
            f"Diagnosing {len(failing)} failing test(s) (budget "
            f"{self.options.diagnose_budget:g} s)",
        )
        try:
            return self.diagnose(
                self.root,
                budget=self.options.diagnose_budget,
                timeout=self.options.timeout,
                progress=lambda message: self.reporter.phase("diagnose", message),
            )
        except (Exception, KeyboardInterrupt) as exc:  # advice: its failure never fails the hop
            why = (
                exc.message
                if isinstance(exc, UpgraderError)
                else "interrupted"
                if isinstance(exc, KeyboardInterrupt)
                else f"{type(exc).__name__}: {exc}"
            )
            return (
                f"The diagnosis failed ({why}); the hop's outcome is unchanged: `upgrader "
                "diagnose` tries again.\n"
            )

    def _red_result(self, current: HopState, diagnosis: str | None = None) -> StepResult:
        run = current.tests_after or {}
        failing = _failing(run)
        detail = run.get("error") or (", ".join(failing[:10]) + (" …" if len(failing) > 10 else ""))
        what = f"the tests fail on {current.target} ({detail})"
        only_accepted = bool(failing) and "error" not in run and set(failing) <= _accepted(run)
        if _run_green(run):
            what = f"the tests pass on {current.target}, but {current.migrations_check}"
        elif only_accepted and current.migrations_check:
            what = (
                f"the tests on {current.target} fail only where the baseline accepts it, "
                f"but {current.migrations_check}"
            )
        elif current.migrations_check:
            what += f"; and {current.migrations_check}"
        return StepResult(
            current,
            f"Django {current.name}: {what}. "
            f"Report: {current.report_dir}; log: {run.get('log')}. Fix them on branch "
            f"{current.branch or '(no git)'} and run `upgrader step --continue`."
            + (f"\n\n{diagnosis.rstrip()}" if diagnosis else ""),
            exit_code=1,
            manual_open=current.manual_open,
        )


# --- status and rollback -------------------------------------------------------------------


def unverified_commits(git: Git, hop: HopState) -> list[tuple[str, str]]:
    """``(sha, subject)`` of the commits on ``hop``'s branch after its last checked commit
    (its report), newest first: the developer's, which no test run of the hop has seen."""
    last = hop.last_commit()
    if not hop.git or not hop.branch or last is None or not git.branch_exists(hop.branch):
        return []
    return [(sha, subject) for sha, subject, _body in git.commits(last, hop.branch)]


def current_python(project: Project, state: ProjectState) -> str | None:
    """The Python the project runs on now: the last hop's, when that hop brought it to its
    current Django series (its files may not say so: a CI matrix the hop could not edit, a
    ``.travis.yml`` outside the project); else what detection found."""
    series = ".".join(str(n) for n in project.django_version.release[:2])
    if state.history and state.history[-1].target == series:
        return state.history[-1].python
    return project.python_version


def rollback(path: Path) -> str:
    """Undo the current hop (or the last finished one): back to the pre-hop commit and tree.

    A pyproject.toml that cannot be read does not stop it: the hop may be what broke it.
    """
    project_root = detect_project(path, strict_config=False).root
    with HopLock(project_root, "upgrader rollback"):
        state = load_state(project_root)
        hop = state.current or (state.history[-1] if state.history else None)
        if hop is None:
            raise StateError(
                "there is no hop to roll back", hint="`upgrader status` shows where the project is."
            )
        kept = ""  # the sentence naming the branch that keeps the developer's commits
        if hop.git:
            git = Git(project_root)
            if hop.branch and git.current_branch() not in (hop.branch, None):
                raise StateError(
                    f"the hop's branch {hop.branch} is not checked out (on {git.current_branch()})",
                    hint=f"`git switch {hop.branch}` first, so nothing else is touched.",
                )
            # What is uncommitted goes aside, .upgrader/ included (the base branch has none of
            # it), and what the hop's runs left (db.sqlite3); the user's untracked files stay.
            message = f"upgrader: uncommitted changes on {hop.branch} before rollback"
            git.stash_paths(
                message,
                [
                    path
                    for code, path in git.status()
                    if not (code == "??" and path in set(hop.untracked_before))
                    and path not in _scaffold(git, project_root)
                ],
            )
            assert hop.base_commit is not None
            if hop.base_branch:
                git.switch(hop.base_branch)
                if git.head() != hop.base_commit:
                    raise StateError(
                        f"{hop.base_branch} moved since the hop started "
                        f"({hop.base_commit[:10]} -> {git.head()[:10]})",
                        hint="Roll back by hand: `git switch` where you want to be and delete "
                        f"the branch {hop.branch}.",
                    )
            else:
                git.run("switch", "--detach", hop.base_commit)
            if hop.branch and git.branch_exists(hop.branch):
                kept = _keep_user_commits(git, hop)
                git.delete_branch(hop.branch)
        else:
            restore_backup(project_root, hop.target)
        history = state.history if state.current is not None else state.history[:-1]
        save_state(project_root, ProjectState(current=None, history=history))
        where = hop.base_branch or (hop.base_commit or "")[:10] or "the pre-hop files"
        return f"Rolled back the Django {hop.name} hop: back on {where}." + kept


# The trailer of every commit a phase makes (see _commit_message); "fixes" commits hold the
# developer's own changes, so they count as theirs.
TOOL_COMMIT = re.compile(r"phase '([\w-]+)', made by upgrader ")


def _keep_user_commits(git: Git, hop: HopState) -> str:
    """Before the hop's branch goes: commits on it that are not upgrader's (the developer's,
    and the fixes ``--continue`` committed for them) stay reachable on a branch named
    ``upgrader-kept/django-X.Y``. Returns the sentence that says so ("" when none)."""
    assert hop.branch is not None and hop.base_commit is not None
    theirs = []
    for sha, subject, body in git.commits(hop.base_commit, hop.branch):
        found = TOOL_COMMIT.search(body)
        if found is None or found.group(1) == "fixes":
            theirs.append(f"{sha[:10]} {subject}")
    if not theirs:
        return ""
    name = f"upgrader-kept/django-{hop.target}"
    number = 1
    while git.branch_exists(name if number == 1 else f"{name}-{number}"):
        number += 1
    name = name if number == 1 else f"{name}-{number}"
    git.run("branch", name, hop.branch)
    shown = "; ".join(theirs[:5]) + (f" and {len(theirs) - 5} more" if len(theirs) > 5 else "")
    return (
        f"\n{len(theirs)} commit(s) on {hop.branch} were not upgrader's ({shown}): kept on "
        f"branch {name} (`git log {name}`; `git branch -D {name}` once you have them)."
    )


def status_lines(path: Path) -> list[str]:
    project = detect_project(path, strict_config=False)  # read-only, like plan
    state = load_state(project.root)
    lines = [f"Project: {project.root}", f"Django now: {project.django_version}"]
    for hop in state.history:
        if hop.status == MANUAL_OPEN:
            lines.append(
                f"  {hop.status}  Django {hop.name} on Python {hop.python} "
                f"({hop.branch or 'no git'}): {hop.manual_open} manual item(s) open, see "
                f"{hop.report_dir or 'the report'}; fix them, then `upgrader step --continue`"
            )
            continue
        lines.append(
            f"  done   Django {hop.name} on Python {hop.python} ({hop.branch or 'no git'})"
        )
    last = state.history[-1] if state.history and state.current is None else None
    unverified = unverified_commits(Git(project.root), last) if last else []
    if last and unverified:
        shown = "; ".join(f"{sha[:10]} {subject}" for sha, subject in unverified[:3])
        more = f" and {len(unverified) - 3} more" if len(unverified) > 3 else ""
        lines.append(
            f"    {len(unverified)} unverified commit(s) on {last.branch} ({shown}{more}): "
            "`upgrader step --continue` runs the hop's checks on them"
        )
    if state.current:
        hop = state.current
        lines.append(
            f"  {hop.status}  Django {hop.name} on Python {hop.python}: next phase "
            f"'{hop.next_phase()}'"
        )
    # With a hop under way the road ahead starts at its target, whatever the files say yet.
    here = Version(state.current.target) if state.current else project.django_version
    python = state.current.python if state.current else current_python(project, state)
    try:
        hops = hop_path(here, python, to="lts")
    except UpgraderError:
        hops = []
    ahead = [h.target.name for h in hops]
    lines.append("Ahead (to the newest LTS): " + (" -> ".join(ahead) if ahead else "nothing"))
    return lines
