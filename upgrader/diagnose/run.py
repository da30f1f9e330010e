"""``diagnose_hop``: for a hop whose tests fail, which of its changes broke which test.

The entry function ``step`` (on red) and ``upgrader diagnose`` call. It reads the hop from
``.upgrader/state.json``, runs the bisection (``upgrader.diagnose.bisect``) with real trials in a
temporary worktree (``upgrader.diagnose.worktree``), reads each failing test's last project frame
from the hop's own test log, matches the error to the catalogue, and writes ``diagnosis.json``
and ``diagnosis.md`` into the hop's report folder.

With ``revert_breaking`` each rewritten file found to break tests on its own is put back as the
dependency commit had it, in one commit per file on the hop's branch, and listed as a manual item
(in the hop's ``manual`` and ``notes``, so the report and ``--continue`` show it).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from upgrader.defaults import DIAGNOSE_BUDGET
from upgrader.diagnose.bisect import BUDGET_SPENT, TrialRunner, bisect_hop, causes
from upgrader.diagnose.frames import failure_frames
from upgrader.diagnose.model import DEPENDENCY, REWRITE, Cause, Change, Diagnosis, Reverted
from upgrader.errors import StateError, UsageError
from upgrader.files import write_atomic
from upgrader.findings.runtime import catalogue_id
from upgrader.git import Git
from upgrader.plan import ManualItem
from upgrader.serialize import to_data
from upgrader.state import write_json
from upgrader.step import NEEDS_ATTENTION, HopState, load_state, save_state

DEFAULT_BUDGET = DIAGNOSE_BUDGET
JSON_NAME, MARKDOWN_NAME = "diagnosis.json", "diagnosis.md"
DIAGNOSIS_SCHEMA = 1
REVERTED_ID = "reverted-rewrite"

RunnerFactory = Callable[[Path, HopState, Sequence[Change], Sequence[Change], float], TrialRunner]


def _failing(run: dict[str, Any] | None) -> tuple[str, ...]:
    """The hop's failing tests that the baseline does not accept."""
    if not run:
        return ()
    accepted = set(run.get("accepted") or ())
    ids = {*run.get("failures", ()), *run.get("error_ids", ())}
    return tuple(sorted(str(t) for t in ids if t not in accepted))


def dependency_changes(hop: HopState) -> tuple[Change, ...]:
    return tuple(
        Change(DEPENDENCY, canonicalize_name(c.name), c.current, c.chosen)
        for c in hop.dependencies
        if c.current != c.chosen
    )


def rewrite_changes(hop: HopState) -> tuple[Change, ...]:
    return tuple(Change(REWRITE, f.path, rules=f.rules, diff=f.diff) for f in hop.files)


def needing_diagnosis(root: Path) -> HopState:
    """The hop in progress whose tests fail; a clear error for anything else."""
    hop = load_state(root).current
    if hop is None or hop.status != NEEDS_ATTENTION:
        raise UsageError(
            f"no hop of {root} needs attention: `upgrader diagnose` explains a hop whose tests fail",
            hint="Run `upgrader status` to see where the project stands.",
        )
    if not hop.git or not hop.branch:
        raise UsageError(
            f"the Django {hop.name} hop ran without git: diagnose replays its phase commits",
            hint="Roll it back (`upgrader rollback`) and run the hop again with git.",
        )
    run = hop.tests_after or {}
    if "error" in run:
        raise UsageError(
            f"the Django {hop.name} hop's tests did not run ({run['error']}): there is no "
            "failing test to explain",
            hint="Fix what the error says, then run `upgrader step --continue`.",
        )
    if not _failing(run):
        raise UsageError(
            f"the Django {hop.name} hop has no failing test to explain"
            + (f" ({hop.migrations_check})" if hop.migrations_check else ""),
            hint="Fix what its report lists, then run `upgrader step --continue`.",
        )
    if hop.phase("dependencies").commit is None:
        raise StateError(
            f"the Django {hop.name} hop has no dependency commit to replay",
            hint="Run `upgrader step --continue` first.",
        )
    return hop


def report_dir(root: Path, hop: HopState) -> Path:
    return root / (hop.report_dir or f".upgrader/reports/django-{hop.target}")


def _frames_and_catalogue(
    root: Path, hop: HopState, found: tuple[Cause, ...], extra_roots: Sequence[Path]
) -> tuple[Cause, ...]:
    log = Path(str((hop.tests_after or {}).get("log") or ""))
    if not log.is_absolute():
        log = root / log
    try:
        text = log.read_text("utf-8", errors="replace")
    except OSError:
        return found
    every = [t for cause in found for t in cause.tests]
    frames = failure_frames(text, every, [root, *extra_roots])
    out = []
    for cause in found:
        mine = tuple((t, frames[t]) for t in cause.tests if t in frames)
        ids = {catalogue_id(frame.error) for _t, frame in mine if frame.error}
        out.append(
            dataclasses.replace(cause, frames=mine, catalogue=tuple(sorted(i for i in ids if i)))
        )
    return tuple(out)


def diagnose_hop(
    root: Path,
    *,
    budget: float = DEFAULT_BUDGET,
    timeout: float = 1800.0,
    revert_breaking: bool = False,
    progress: Callable[[str], None] | None = None,
    runner: RunnerFactory | None = None,
) -> Diagnosis:
    """Diagnose the hop of ``root`` that needs attention (see the module doc)."""
    started = time.monotonic()
    hop = needing_diagnosis(root)
    failing = frozenset(_failing(hop.tests_after))
    deps, files = dependency_changes(hop), rewrite_changes(hop)
    factory = runner or _worktree_runner(timeout, progress)
    trials_runner = factory(root, hop, deps, files, budget)
    enter = getattr(trials_runner, "__enter__", None)
    exit_ = getattr(trials_runner, "__exit__", None)
    if enter is not None:
        enter()
    try:
        found, unexplained, trials = bisect_hop(deps, files, failing, trials_runner)
    finally:
        if exit_ is not None:
            exit_(None, None, None)
    merged = _frames_and_catalogue(root, hop, causes(found), [])
    reference = (hop.tests_after or {}).get("elapsed")
    diagnosis = Diagnosis(
        source=hop.source,
        target=hop.target,
        branch=hop.branch,
        failing=tuple(sorted(failing)),
        causes=merged,
        unexplained=tuple(sorted(unexplained)),
        trials=tuple(trials),
        elapsed=round(time.monotonic() - started, 3),
        budget=budget,
        budget_spent=any(t.why == BUDGET_SPENT for t in trials),
        reference=float(reference) if isinstance(reference, (int, float)) else None,
    )
    if revert_breaking:
        diagnosis = revert(root, hop, diagnosis)
    return write_diagnosis(root, hop, diagnosis)


def _worktree_runner(timeout: float, progress: Callable[[str], None] | None) -> RunnerFactory:
    def make(
        root: Path, hop: HopState, deps: Sequence[Change], files: Sequence[Change], budget: float
    ) -> TrialRunner:
        from upgrader.diagnose.worktree import WorktreeTrials

        dependency_commit = hop.phase("dependencies").commit
        assert dependency_commit is not None
        return WorktreeTrials(
            root,
            target=hop.target,
            python=hop.python,
            dependency_commit=dependency_commit,
            source=hop.source,
            rewrite_commit=hop.phase("rewrite").commit,
            constraints=hop.constraints,
            changes=deps,
            files=files,
            budget=budget,
            timeout=timeout,
            progress=progress,
        )

    return make


def write_diagnosis(root: Path, hop: HopState, diagnosis: Diagnosis) -> Diagnosis:
    """``diagnosis.json`` and ``diagnosis.md`` in the hop's report folder (atomically)."""
    from upgrader.diagnose.render import render_markdown

    directory = report_dir(root, hop)
    diagnosis = dataclasses.replace(diagnosis, report_dir=directory.relative_to(root).as_posix())
    write_json(directory / JSON_NAME, diagnosis, schema=DIAGNOSIS_SCHEMA)
    write_atomic(directory / MARKDOWN_NAME, render_markdown(diagnosis).encode("utf-8", "replace"))
    return diagnosis


def _first_line(diff: str) -> int:
    for line in diff.splitlines():
        if line.startswith("@@"):
            try:
                return max(1, int(line.split()[1].lstrip("-").split(",")[0]))
            except (IndexError, ValueError):
                return 1
    return 1


def breaking_rewrites(diagnosis: Diagnosis) -> list[tuple[Change, tuple[str, ...]]]:
    """Each rewritten file isolated as the cause of tests, with those tests."""
    return [
        (cause.changes[0], cause.tests)
        for cause in diagnosis.causes
        if cause.isolated and len(cause.changes) == 1 and cause.changes[0].kind == REWRITE
    ]


def revert(root: Path, hop: HopState, diagnosis: Diagnosis) -> Diagnosis:
    """Put each breaking rewrite back (one commit per file on the hop's branch) and list it as
    a manual item; the hop stays in need of attention until ``step --continue`` runs green."""
    from upgrader.diagnose.worktree import show

    git = Git(root)
    if git.current_branch() != hop.branch:
        raise UsageError(
            f"--revert-breaking commits on the hop's branch {hop.branch}, but "
            f"{git.current_branch() or 'a detached HEAD'} is checked out",
            hint=f"`git switch {hop.branch}`, then run `upgrader diagnose --revert-breaking` again.",
        )
    top = git.toplevel().resolve()
    prefix = root.resolve().relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    dirty = [p for p in git.dirty_paths() if not p.startswith(f"{prefix}.upgrader/")]
    if dirty:
        raise UsageError(
            f"--revert-breaking needs a clean tree; changed: {', '.join(dirty[:5])}",
            hint="Commit or stash your changes first.",
        )
    base = hop.phase("dependencies").commit
    assert base is not None
    reverted: list[Reverted] = []
    items: list[ManualItem] = []
    notes: list[str] = []
    for change, tests in breaking_rewrites(diagnosis):
        rules = ", ".join(change.rules) or "the rewrite"
        data = show(git, base, prefix + change.name)
        path = root / change.name
        if data is None:
            path.unlink(missing_ok=True)
        else:
            write_atomic(path, data)
        git.add_paths([prefix + change.name])
        shown = ", ".join(tests[:3]) + (" …" if len(tests) > 3 else "")
        sha = git.commit(
            f"upgrader diagnose: revert {rules} in {change.name}\n\n"
            f"It breaks {shown} on Django {hop.target}; left as a manual item."
        )
        reverted.append(Reverted(change.name, change.rules, sha, tests))
        summary = f"{rules} was reverted in {change.name}: it broke {shown} on Django {hop.target}"
        items.append(
            ManualItem(
                id=REVERTED_ID,
                file=change.name,
                line=_first_line(change.diff),
                summary=summary,
                suggestion="Make the change the rule made by hand, so the tests still pass "
                "(the diff is in diagnosis.md).",
                docs="",
            )
        )
        notes.append(f"Manual item: {summary} (upgrader diagnose --revert-breaking).")
    if reverted:
        state = load_state(root)
        current = state.current
        assert current is not None
        current = dataclasses.replace(
            current, manual=(*current.manual, *items), notes=(*current.notes, *notes)
        )
        save_state(root, dataclasses.replace(state, current=current))
    return dataclasses.replace(diagnosis, reverted=tuple(reverted))


def to_json(diagnosis: Diagnosis) -> dict[str, Any]:
    data = to_data(diagnosis)
    assert isinstance(data, dict)
    return {"schema": DIAGNOSIS_SCHEMA, **data}
