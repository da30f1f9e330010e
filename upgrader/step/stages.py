"""The real stages one hop of ``upgrader step`` composes: dependencies, rewrite, verify, scan."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from packaging.version import Version

from upgrader.deps.apps import installed_apps
from upgrader.deps.importable import Move, ProbeResult, moves_for, probe
from upgrader.deps.index import PackageIndex, index_config
from upgrader.deps.model import Choice, Constraint
from upgrader.deps.plan import (
    DependencyPlan,
    installed_underneath,
    plan_dependencies,
    requirement_files,
    write_dependencies,
)
from upgrader.deps.resolve import find_uv, parse_pins
from upgrader.deps.runnable import merged
from upgrader.deps.runnable import probe as run_probe
from upgrader.deps.upgrade_steps import open_step_items
from upgrader.deps.write import WriteResult
from upgrader.detect.requirements import DeclaredSet, read_declared
from upgrader.errors import VerifyError
from upgrader.files import project_files
from upgrader.hops import Hop
from upgrader.interpreters import find, supported_pythons
from upgrader.migrations import FoldResult, fold_index_together_pairs, squash_index_together
from upgrader.plan.model import DependencyChange, ManualItem
from upgrader.plan.stages import (
    as_versions,
    dependency_rows,
    hop_findings,
    kept_breaks,
    manual_items,
    rewrite_counts,
    upgrade_step_items,
)
from upgrader.project import Project
from upgrader.python_declarations import (
    PythonUpdate,
    update_ci_pythons,
    update_python_declarations,
)
from upgrader.releases import get_release
from upgrader.report import file_diffs, skipped_files
from upgrader.rewrite import rewrite_project
from upgrader.settings_modules import settings_modules
from upgrader.step.model import (
    DependencyOutcome,
    MigrationsOutcome,
    RewriteOutcome,
    StepOptions,
)
from upgrader.step.paths import is_migration_module
from upgrader.verify.run import stage_environment, verify_stage


def _relative(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _last_line(result: subprocess.CompletedProcess[str]) -> str:
    """The last line a command printed (its error, for a traceback), for a one-line message."""
    lines = [line.strip() for line in (result.stderr or result.stdout).splitlines() if line.strip()]
    return lines[-1][:200] if lines else f"exit code {result.returncode}"


def python_update(project: Project, hop: Hop) -> PythonUpdate:
    """The project's Python declarations after ``hop``: all of them follow a hop that moves to
    a new Python; on a hop that keeps it, its CI files still drop the Pythons the new Django
    does not support. ``changed`` is relative to the project root (``../.travis.yml`` for a
    project in a subfolder of its repository)."""
    supported = supported_pythons(hop.target)
    if hop.python_changes:
        full = str(hop.interpreter.version) if hop.interpreter else None
        return update_python_declarations(project, hop.python, full, supported=supported)
    return update_ci_pythons(project, hop.python, supported)


# Django 5.1 stops creating a CreateModel's index_together indexes but still drops them.
FOLD_FROM = Version("5.1")
NO_MANAGE_PY = (
    "no manage.py (a reusable app tested by its own script): makemigrations needs a project's "
    "settings, so run it in a project that installs the app"
)


def installed_set(python: Path, *, timeout: float = 120.0) -> dict[str, str]:
    """Canonical name -> version of what the environment of ``python`` has installed; packages
    installed from a path or URL (the project itself, editable) are left out."""
    uv = find_uv()
    command = (
        [uv, "pip", "freeze", "--python", str(python)]
        if uv
        else [str(python), "-m", "pip", "list", "--format=freeze"]
    )
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if result.returncode != 0:
        return {}
    return dict(parse_pins(result.stdout))


def step_manual_items(
    project: Project, dependencies: Iterable[DependencyChange]
) -> tuple[ManualItem, ...]:
    """The upgrade steps the hop's recorded dependency changes cross that the settings, read
    now, still need (``deps.upgrade_steps.open_step_items``): from the state, since the hop's
    pins, once written, no longer cross the release when planned again (``--continue``)."""
    changes = [Choice(d.name, d.current, d.chosen, d.reason, "") for d in dependencies if d.chosen]
    if not changes:
        return ()
    root = project.root.resolve()
    return upgrade_step_items(open_step_items(root, changes, settings_modules(project)))


IMPORT_ROUNDS = 6  # times the set is chosen again past what the stage env's import check found


def _originals(root: Path, declared: DeclaredSet) -> dict[Path, bytes]:
    """The requirement files' contents before the phase writes them (to write a set again)."""
    found: dict[Path, bytes] = {}
    for path in requirement_files(declared):
        full = path if path.is_absolute() else root / path
        if full.is_file():
            found[full] = full.read_bytes()
    return found


def _import_check(
    project: Project, hop: Hop, constraints: Path | None, options: StepOptions
) -> ProbeResult:
    """The stage env built from what the phase wrote, and each installed distribution's
    top-level modules imported there, with the modules Django imports itself of the installed
    apps the project's settings name (``upgrader.deps.importable.probe``), and its pytest run
    with every installed plugin over a passing, a failing and an uncollectable test
    (``upgrader.deps.runnable.probe``)."""
    try:
        python = stage_environment(
            project, hop.target, python=find(hop.python), requirements=constraints
        )
    except VerifyError as exc:
        return ProbeResult((), hop.python, f"the stage env was not built: {exc.message}")
    apps = installed_apps(project.root)
    imports = probe(python, timeout=min(options.timeout, 300.0), apps=apps)
    # pytest's plugins run under the pytest the set installs (FINDINGS F83).
    return merged(imports, run_probe(python, timeout=min(options.timeout, 300.0)))


def _planned(
    project: Project,
    hop: Hop,
    options: StepOptions,
    declared: DeclaredSet,
    moves: dict[str, list[Constraint]] | None = None,
) -> DependencyPlan:
    """The hop's dependency set, resolved, as the step chooses it (``moves``: the constraints
    the import check found)."""
    return plan_dependencies(
        project.root,
        declared,
        hop,
        strategy=options.strategy,
        offline=options.offline,
        resolve=True,
        baseline_run=kept_breaks(project.root, project, hop),
        moves=moves,
    )


def _import_checked(
    project: Project,
    hop: Hop,
    options: StepOptions,
    declared: DeclaredSet,
    plan: DependencyPlan,
    result: WriteResult,
    originals: dict[Path, bytes],
) -> tuple[DependencyPlan, WriteResult, tuple[str, ...]]:
    """Before the phase commits (issue 20 item 7, FINDINGS F29): a distribution that does not
    import in the stage env, held back by a package the project declares, moves that package
    on (``moves_for``), and the set is chosen and written again, at most ``IMPORT_ROUNDS``
    times; the last set written is checked too (FINDINGS F90: djangogirls' 5.2 hop committed
    an unchecked vcrpy 3.0.0 that broke test collection). What it could not move is said,
    naming what to bump."""
    root = project.root
    moves: dict[str, list[Constraint]] = {}
    index: PackageIndex | None = None
    moved: list[str] = []
    previous: dict[str, str] | None = None  # what the project ran before the hop
    refused: set[tuple[str, str]] = set()  # holds the set did not resolve with
    for round_ in range(IMPORT_ROUNDS + 1):
        checked = _import_check(project, hop, result.constraints, options)
        if checked.problem or not checked.breaks:
            said = [checked.problem] if checked.problem else []
            return plan, result, (*moved, *said)
        if round_ == IMPORT_ROUNDS:
            still = [
                f"import check in the stage env: still after {IMPORT_ROUNDS} rounds: "
                f"{b.describe(checked.python or hop.python)}: move it by hand"
                for b in checked.breaks
            ]
            return plan, result, (*moved, *still)
        if index is None:
            files = [p if p.is_absolute() else root / p for p in requirement_files(declared)]
            index = PackageIndex(index_config(files), offline=options.offline)
        if previous is None:
            previous = installed_underneath(root, hop, None)
        asked = moves_for(
            checked.breaks, {c.name for c in plan.choices}, index, hop.python, previous
        )
        # A hold the set did not resolve with gives way to the moves it was preferred to.
        found = [i for m in asked for i in (m.instead if _key(m) in refused else (m,))]
        new = _new_moves(found, moves)
        notes = tuple(m.note for m in found)
        if not new:
            return plan, result, (*moved, *notes)
        for move in new:
            assert move.constraint is not None
            moves.setdefault(move.package, []).append(move.constraint)
        again = _planned(project, hop, options, declared, moves)
        holds = [m for m in new if m.held]
        if again.blocked and holds:
            blocked = "; ".join(b.reason for b in again.blocked)
            for hold in holds:
                assert hold.constraint is not None
                moves[hold.package].remove(hold.constraint)
                if not moves[hold.package]:
                    del moves[hold.package]
                refused.add(_key(hold))
                moved.append(
                    f"import check in the stage env: not held: {hold.note}; the set does not "
                    f"resolve with {hold.package}{hold.constraint.spec}: {blocked}"
                )
            new = [m for m in new if not m.held]
            new += _new_moves([i for h in holds for i in h.instead], moves)
            if not new:
                return plan, result, (*moved, *notes)
            for move in new:
                assert move.constraint is not None
                moves.setdefault(move.package, []).append(move.constraint)
            again = _planned(project, hop, options, declared, moves)
        if again.blocked:
            blocked = "; ".join(b.reason for b in again.blocked)
            return plan, result, (*moved, *notes, f"moving past it is blocked: {blocked}")
        for path, content in originals.items():  # the set is written again from the start
            path.write_bytes(content)
        result = write_dependencies(root, declared, again)
        plan = again
        moved += [
            f"import check in the stage env: {m.note}" + ("" if m.held else f"; moved {m.package}")
            for m in new
        ]
    return plan, result, tuple(moved)


def _key(move: Move) -> tuple[str, str]:
    return (move.package, str(move.constraint.spec) if move.constraint else "")


def _new_moves(found: Sequence[Move], moves: Mapping[str, Sequence[Constraint]]) -> list[Move]:
    """The moves of ``found`` with a bound not tried yet."""
    return [
        m
        for m in found
        if m.constraint is not None and m.constraint not in moves.get(m.package, [])
    ]


class DefaultHopStages:
    def dependencies(self, project: Project, hop: Hop, options: StepOptions) -> DependencyOutcome:
        root = project.root
        declared = read_declared(root)
        plan = _planned(project, hop, options, declared)
        changes, blocked, notes = dependency_rows(plan)
        if blocked:
            return DependencyOutcome(changes, blocked, plan.packages, None, (), (), notes)
        originals = _originals(root, declared)
        result = write_dependencies(root, declared, plan)
        plan, result, check_notes = _import_checked(
            project, hop, options, declared, plan, result, originals
        )
        changes, _blocked, notes = dependency_rows(plan)
        notes = (*notes, *check_notes)
        files = [_relative(root, p) for p in result.changed]
        update = python_update(project, hop)
        files += [f for f in update.changed if f not in files]
        python_notes = update.notes
        return DependencyOutcome(
            changes=changes,
            blocked=(),
            packages=plan.packages,
            constraints=_relative(root, result.constraints) if result.constraints else None,
            files=tuple(files),
            commands_to_run=result.to_run,
            notes=(*notes, *result.notes, *python_notes),
        )

    def rewrite(self, project: Project, hop: Hop, packages: dict[str, str]) -> RewriteOutcome:
        result = rewrite_project(project, hop, write=True, packages=as_versions(packages))
        return RewriteOutcome(
            rewrite_counts(project, result),
            file_diffs(result, project.root),
            skipped_files(result.failures, project.root),
            result.notes,
        )

    def verify(
        self,
        project: Project,
        stage: str,
        python: str,
        constraints: str | None,
        options: StepOptions,
    ) -> dict[str, Any]:
        release = get_release(stage)
        assert release is not None
        interpreter = find(python)
        requirements = project.root / constraints if constraints else None
        run = verify_stage(
            project, release, python=interpreter, requirements=requirements, timeout=options.timeout
        )
        return run.to_json()

    def migrations(
        self,
        project: Project,
        stage: str,
        python: str,
        constraints: str | None,
        options: StepOptions,
    ) -> MigrationsOutcome:
        """``manage.py makemigrations`` in the stage's environment; the files it created. On a
        hop to Django 5.1 or later, ``index_together`` entries a later migration removes are
        first taken out of the migration that added them (see ``upgrader.migrations``)."""
        release = get_release(stage)
        assert release is not None
        fold = (
            fold_index_together_pairs(project.root, project_files(project.root))
            if release.version >= FOLD_FROM
            else FoldResult((), ())
        )
        if project.manage_py is None:
            why = NO_MANAGE_PY
            return MigrationsOutcome(
                (),
                (*fold.notes, f"Migrations were not checked: {why}."),
                not_checked=why,
                edited=fold.changed,
            )
        requirements = project.root / constraints if constraints else None
        try:
            python_path = stage_environment(
                project, release, python=find(python), requirements=requirements
            )
        except VerifyError as exc:
            failed = f"the stage's environment could not be made ({exc.message})"
            return MigrationsOutcome(
                (),
                (*fold.notes, f"Migrations were not checked: {failed}."),
                failed=failed,
                edited=fold.changed,
            )
        before = set(project_files(project.root))
        log = project.root / ".upgrader" / "logs" / f"makemigrations-{stage}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [str(python_path), str(project.manage_py), "makemigrations", "--noinput"],
            cwd=project.root,
            capture_output=True,
            text=True,
            timeout=options.timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        log.write_text(result.stdout + result.stderr, encoding="utf-8")
        # Migration modules only: db.sqlite3, .pyc files and media are side effects of the run.
        created = tuple(
            sorted(
                rel
                for rel in (
                    _relative(project.root, p) for p in set(project_files(project.root)) - before
                )
                if is_migration_module(rel)
            )
        )
        if result.returncode != 0:
            failed = (
                f"`manage.py makemigrations` failed on Django {stage} "
                f"({_last_line(result)}; log: {_relative(project.root, log)})"
            )
            return MigrationsOutcome(
                created,
                (*fold.notes, f"{failed}; run it in the stage's environment to see why."),
                failed=failed,
                edited=fold.changed,
            )
        notes: tuple[str, ...] = (
            (
                f"New migrations for Django {stage} ({', '.join(created)}): the model state "
                "changed with the hop (e.g. index_together moved to Meta.indexes); review them.",
            )
            if created
            else ()
        )
        squash = squash_index_together(
            project.root, python_path, project.manage_py, created, timeout=options.timeout
        )
        return MigrationsOutcome(
            (*created, *squash.created),
            (*fold.notes, *notes, *squash.notes),
            edited=fold.changed,
        )

    def check_migrations(
        self,
        project: Project,
        stage: str,
        python: str,
        constraints: str | None,
        options: StepOptions,
    ) -> str | None:
        """``manage.py makemigrations --check --dry-run`` in the stage's environment."""
        if project.manage_py is None:
            return None  # nothing to run it with (a reusable app): said by the migrations phase
        release = get_release(stage)
        assert release is not None
        requirements = project.root / constraints if constraints else None
        try:
            python_path = stage_environment(
                project, release, python=find(python), requirements=requirements
            )
        except VerifyError as exc:
            return f"`makemigrations --check` could not run: {exc.message}"
        log = project.root / ".upgrader" / "logs" / f"makemigrations-check-{stage}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        command = [
            str(python_path),
            str(project.manage_py),
            "makemigrations",
            "--check",
            "--dry-run",
            "--noinput",
        ]
        try:
            result = subprocess.run(
                command,
                cwd=project.root,
                capture_output=True,
                text=True,
                timeout=options.timeout,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return f"`makemigrations --check` did not finish in {options.timeout:.0f} s on Django {stage}"
        log.write_text(result.stdout + result.stderr, encoding="utf-8")
        if result.returncode == 0:
            return None
        where = _relative(project.root, log)
        apps = [
            line.strip() for line in result.stdout.splitlines() if line.startswith("Migrations for")
        ]
        if apps:
            return (
                f"`makemigrations --check` is not clean on Django {stage}: model changes have no "
                f"migration yet ({'; '.join(apps)}; log: {where}); run "
                f"`{_relative(project.root, python_path)} manage.py makemigrations`"
            )
        return (
            f"`makemigrations --check` failed on Django {stage} ({_last_line(result)}; "
            f"log: {where})"
        )

    def installed(
        self,
        project: Project,
        stage: str,
        python: str,
        constraints: str | None,
        options: StepOptions,
    ) -> dict[str, str]:
        """The stage's environment's installed set, read after its tests ran (``uv pip freeze
        --python``; ``pip list`` without uv); {} when it cannot be read."""
        release = get_release(stage)
        assert release is not None
        requirements = project.root / constraints if constraints else None
        try:
            python_path = stage_environment(
                project, release, python=find(python), requirements=requirements
            )
        except VerifyError:
            return {}
        return installed_set(python_path, timeout=min(options.timeout, 120.0))

    def manual(
        self,
        project: Project,
        hop: Hop,
        packages: dict[str, str],
        dependencies: tuple[DependencyChange, ...],
    ) -> tuple[ManualItem, ...]:
        found, _scan = hop_findings(project, hop, as_versions(packages))  # the plan's judgement
        return (*manual_items(found.breaking), *step_manual_items(project, dependencies))
