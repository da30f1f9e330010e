"""``upgrader step``'s transaction: one hop started, resumed or abandoned, its phases in order.

:class:`Step` refuses what it must before touching anything (no git, a dirty tree, a red
baseline), holds the hop lock, starts the hop on its branch (or takes its backup), runs the
phases of :class:`~upgrader.step.phases.HopPhases` in order, resumes an interrupted one, and
abandons a hop no phase has committed yet. The package's docstring (``upgrader.step``) says
what a hop guarantees.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

from upgrader.errors import StateError, UpgraderError
from upgrader.files import project_files
from upgrader.hops import Hop, hop_path
from upgrader.rewrite import TEMPLATE_FOLDER, TEMPLATE_SUFFIXES
from upgrader.state import HopLock, now, state_dir
from upgrader.step.backup import StateDirSnapshot, backup_dir, restore_backup, take_backup
from upgrader.step.commits import stash_aside, uncommitted_work, unverified_commits
from upgrader.step.model import (
    BRANCH_PREFIX,
    COMPLETE,
    DONE,
    IN_PROGRESS,
    MANUAL_OPEN,
    NEEDS_ATTENTION,
    PENDING,
    PHASES,
    HopState,
    PhaseRecord,
    ProjectState,
    StepResult,
)
from upgrader.step.paths import relative, shown
from upgrader.step.phases import HopPhases, run_accepted, run_failing, run_green
from upgrader.step.state import current_python, load_state
from upgrader.verify.baseline import Baseline, service_outage
from upgrader.verify.command import load_baseline


class TestsRedError(UpgraderError):
    """A hop's tests failed: the hop needs attention (exit 1)."""

    __test__ = False
    exit_code = 1


class Step(HopPhases):
    """One ``upgrader step`` run on a project."""

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

    def _hop_writes(self, untracked: Sequence[str]) -> list[str]:
        """Of the ``untracked`` paths (relative to the top), those the hop may write: the
        rewrite stage's Python modules (migration modules among them) and templates, the
        dependency files and the Python declarations."""
        prefix = self._prefix()
        wanted = {p[len(prefix) :]: p for p in untracked if p.startswith(prefix)}
        if not wanted:
            return []
        project = self.project
        hits = {relative(self.root, self.root / f) for f in project.dependency_files}
        hits |= {d.evidence.file for d in project.python_declarations}
        template_roots = [
            (d if d.is_absolute() else self.root / d).resolve() for d in project.template_dirs
        ]
        for path in project_files(
            self.root, suffixes=(".py", ".pyi", *TEMPLATE_SUFFIXES), exclude=project.config.exclude
        ):
            rel = relative(self.root, path)
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
                f"the working tree has uncommitted changes: {shown(changed)}",
                hint="Commit or stash them first (`git stash`): upgrader refuses to mix its "
                "changes with yours. Untracked files may stay where the hop does not write.",
            )
        written = self._hop_writes([path for code, path in status if code == "??"])
        if written:
            raise StateError(
                f"untracked files where the hop writes: {shown(written)}",
                hint="Commit them (`git add` them, then `git commit`), or move them out of the "
                "project: the hop would change them with no commit to go back to.",
            )

    # -- entry point

    def run(self) -> StepResult:
        self._check_git()
        # The checks that need no lock come first: a refused step makes nothing.
        if load_state(self.root).current is None and not self.options.resume:
            # No hop to make writes nothing: the tree is not looked at (files a test run left
            # behind only matter to a hop that would write there).
            self._hop_ahead = self._next_hop()
            if self._hop_ahead is None:
                return StepResult(None, self._already_there_message())
            self._check_clean()
        existed = state_dir(self.root).is_dir()
        with self._undo_if_refused(), HopLock(self.root, "upgrader step"):
            self._snapshot = StateDirSnapshot.take(self.root, existed=existed)
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
        failing = run_failing(run)
        before = run_accepted(state.history[-1].tests_after) if state.history else set()
        saved = None if state.history else self._saved_baseline(hop)
        if saved is not None:
            before = set(saved.failing)
        acceptable = self.options.accept_failing or set(failing) <= before
        if not run_green(run) and failing and not set(failing) <= before:
            self._refuse_service_outage(run, failing)
        if not run_green(run) and failing and "error" not in run and acceptable:
            return {**run, "accepted": failing}  # judged against on every later hop
        added = [t for t in failing if t not in before]
        if not run_green(run) and not self.options.accept_failing and saved and added:
            shown = ", ".join(added[:10]) + (" …" if len(added) > 10 else "")
            raise TestsRedError(
                f"the project's tests fail on its current Django {hop.source.name} beyond the "
                f"baseline accepted in .upgrader/baseline.json: {shown or 'see the log'} "
                f"(log: {run.get('log')})",
                hint="Fix them, or pass --accept-failing to accept the current failures instead "
                "(a hop may then keep them, but never add to them).",
            )
        if not run_green(run) and not self.options.accept_failing:
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
                f"Your fixes change {shown(changed)}: the Django {current.target} stage's "
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
            relative(self.root, self.root / f) for f in self._project(current).dependency_files
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

    # -- the phases in order

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
