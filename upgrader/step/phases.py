"""The phases of a hop, one method each, on the git and state machinery they share.

:class:`HopPhases` holds a step's run (its options, project, git, stages) and what every phase
ends with: one commit of what it made (:meth:`HopPhases._commit`), the state saved. The
transaction that runs them in order, starts, resumes and abandons a hop is
:class:`upgrader.step.transaction.Step`.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from upgrader.deps.breaking import is_breaking
from upgrader.deps.plan import is_build_failure
from upgrader.errors import DetectionError, ResolutionError, UpgraderError, VerifyError
from upgrader.git import Git
from upgrader.hops import Hop
from upgrader.interpreters import find as find_interpreter
from upgrader.plan.model import DependencyChange, ManualItem
from upgrader.project import Project, detect_project
from upgrader.releases import get_release
from upgrader.reviewed import split_reviewed
from upgrader.state import STATE_DIR, now
from upgrader.step.backup import StateDirSnapshot
from upgrader.step.commits import PHASE_COMMITS, commit_message
from upgrader.step.model import (
    DONE,
    NEEDS_ATTENTION,
    REVERTED_REWRITE,
    DiagnoseHop,
    HopStages,
    HopState,
    ProjectState,
    StepOptions,
    StepReporter,
    StepResult,
)
from upgrader.step.paths import relative, scaffold, shown, top_prefix
from upgrader.step.state import save_state
from upgrader.step.undo import detect_at_recorded


class SilentReporter:
    def phase(self, name: str, message: str) -> None:
        return None

    def info(self, message: str) -> None:
        return None


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


def run_green(run: dict[str, Any] | None) -> bool:
    return bool(run and run.get("green"))


def run_failing(run: dict[str, Any] | None) -> list[str]:
    if not run:
        return []
    return sorted({*run.get("failures", []), *run.get("error_ids", [])})


def run_accepted(run: dict[str, Any] | None) -> set[str]:
    """The failing tests a run was accepted with: recorded on the first hop's baseline (from
    ``--accept-failing``) and carried on each hop's ``tests_after``, so later hops and
    ``--continue`` judge against them without the flag."""
    ids = (run or {}).get("accepted")
    return {t for t in ids if isinstance(t, str)} if isinstance(ids, list) else set()


def _failing_detail(shown: list[str], accepted: int) -> str:
    """The failing test ids a red hop names: the new ones (at most 10), then how many more fail
    as the baseline accepted (those are not what the user has to fix)."""
    text = ", ".join(shown[:10]) + (" …" if len(shown) > 10 else "")
    if accepted:
        text += f"; {accepted} more fail as the baseline accepted"
    return text


def _accepted_summary(run: dict[str, Any]) -> str:
    """``19 passed, 21 errors, all accepted in the baseline`` (a run with accepted failures)."""
    counts = [f"{run.get('passed', 0)} passed"]
    for key, word in (("failed", "failed"), ("errors", "errors")):
        if run.get(key):
            counts.append(f"{run[key]} {word}")
    return ", ".join(counts) + ", all accepted in the baseline"


class HopPhases:
    """One ``upgrader step`` run on a project: what its phases share, and the phases."""

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
        self.project = detect_at_recorded(path, options.django_from)
        self.root = self.project.root
        self.git = Git(self.root)
        if stages is None:
            from upgrader.step.stages import DefaultHopStages

            stages = DefaultHopStages()
        self.stages = stages
        self.reporter = reporter or SilentReporter()
        self.find = find
        self._top: str | None = None
        self._hop_ahead: Hop | None = None
        # .upgrader/ as this run found it once it held the lock (None: it never held it).
        self._snapshot: StateDirSnapshot | None = None
        self._hop_live = False  # a hop is recorded in state.json (resumable: nothing undone)
        self._abandoned: ProjectState | None = None

    def _prefix(self) -> str:
        """The project root as a prefix of paths relative to the repository's top."""
        if self._top is None:
            self._top = top_prefix(self.git, self.root)
        return self._top

    def _top_relative(self, rel: str) -> str:
        """A path relative to the project root (``../.travis.yml``) as one relative to the
        repository's top (``.travis.yml``)."""
        return posixpath.normpath(self._prefix() + rel)

    def _ours(self, path: str) -> bool:
        """Whether ``path`` (relative to the top) is in upgrader's own ``.upgrader/``."""
        return path.startswith(self._prefix() + STATE_DIR + "/")

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
        own = [p for p in scaffold(self.git, self.root) if (top / p).exists()]
        if own:
            self.git.run("add", "--force", "--", *(str(top / p) for p in own))
        stage = []
        for code, path in self.git.status():
            if self._ours(path) or (path in outside and code != "??"):
                stage.append(path)
            elif not path.startswith(prefix) or (code == "??" and path in left):
                continue
            elif only is None or only(path[len(prefix) :]):
                stage.append(path)
        self.git.add_paths(stage)
        sha = self.git.commit(commit_message(current, phase, summary), allow_empty=allow_empty)
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
                f"while they ran (not the hop's work): {shown(changed)}."
            )

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
        untracked = self._untracked(current)
        try:
            run = self.stages.verify(
                project, current.target, current.python, current.constraints, self.options
            )
        except VerifyError as exc:
            run = {"green": False, "error": exc.message, "log": str(exc.path or ""), "failures": []}
        current = self._note_written_by_tests(current, untracked)
        installed = current.installed
        if "error" not in run:  # the env exists: what the tests ran with
            installed = self.stages.installed(
                project, current.target, current.python, current.constraints, self.options
            )
        current = dataclasses.replace(current, installed=installed)
        found = self.stages.manual(
            project, self._hop(current), dict(current.packages), current.dependencies
        )
        # Items [tool.upgrader] reviewed names are listed as reviewed, never open.
        manual, reviewed = split_reviewed(
            (*found, *self._still_reverted(current)), project.config.reviewed
        )
        current = dataclasses.replace(current, reviewed=reviewed)
        accepted = run_accepted(current.tests_before)
        if self.options.accept_failing:
            accepted |= set(run_failing(current.tests_before))
        new = [t for t in run_failing(run) if t not in accepted]
        green = run_green(run) or (bool(accepted) and not new and "error" not in run)
        if accepted and not run_green(run) and "error" not in run:
            # carried on: a failure fixed on this stage leaves the baseline
            run = {**run, "accepted": sorted(accepted & set(run_failing(run)))}
        # A hop is done only when the target's makemigrations --check is clean too.
        check = self.stages.check_migrations(
            project, current.target, current.python, current.constraints, self.options
        )
        current = dataclasses.replace(current, migrations_check=check)
        if green and check is None:
            summary = (
                f"tests green on Django {current.target}: {run.get('passed', 0)} passed, "
                f"{run.get('skipped', 0)} skipped"
                if run_green(run)
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

    def _untracked(self, current: HopState) -> set[str]:
        """The untracked files of the tree (relative to the top), ``.upgrader/`` left out."""
        if not current.git:
            return set()
        return {path for code, path in self.git.status() if code == "??" and not self._ours(path)}

    def _note_written_by_tests(self, current: HopState, before: set[str]) -> HopState:
        """A note (console and report) naming the files the hop's test run left in the tree:
        they stay untracked and uncommitted, and the next hop refuses those it would rewrite.
        A migration module among them is a test's ``makemigrations`` finding model changes on
        the stage (simple-history's on 6.1: models without DEFAULT_AUTO_FIELD)."""
        wrote = sorted(self._untracked(current) - before)
        if not wrote:
            return current
        note = (
            f"The tests on Django {current.target} wrote {shown(wrote)}: left in place, "
            "untracked and not committed"
        )
        if any(p.endswith(".py") and "migrations" in PurePosixPath(p).parts for p in wrote):
            note += (
                f"; a migration module written by a test's makemigrations means the models "
                f"differ from their migrations on Django {current.target} (an unset "
                "DEFAULT_AUTO_FIELD moves them to BigAutoField from 6.0): review it"
            )
        note += (
            ". Commit or delete them before the next hop, which refuses untracked files "
            "where it writes."
        )
        if note in current.notes:
            return current
        self.reporter.info(note)
        return dataclasses.replace(current, notes=(*current.notes, note))

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
        from upgrader.step.report import write_step_report

        directory = write_step_report(self.root, current, self.git if current.git else None)
        rel = relative(self.root, directory)
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
        failing = set(run_failing(run)) - run_accepted(run)
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
        failing = run_failing(run)
        accepted = run_accepted(run)
        new = [t for t in failing if t not in accepted]
        detail = run.get("error") or (
            _failing_detail(new, len(failing) - len(new)) if new else _failing_detail(failing, 0)
        )
        what = f"the tests fail on {current.target} ({detail})"
        only_accepted = bool(failing) and "error" not in run and set(failing) <= run_accepted(run)
        if run_green(run):
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
