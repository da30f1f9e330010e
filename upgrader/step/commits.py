"""A hop's commits: what each phase commits and its message, and what is not upgrader's."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from upgrader import __version__
from upgrader.git import Git
from upgrader.state import STATE_DIR
from upgrader.step.model import HopState
from upgrader.step.paths import is_migration_module, top_prefix


def _nothing(rel: str) -> bool:
    return False


# What a phase commits besides tracked changes and ``.upgrader/`` (None: every new file).
PHASE_COMMITS: dict[str, Callable[[str], bool]] = {
    "migrations": lambda rel: is_migration_module(rel),
    "verify": _nothing,
    "report": _nothing,
}


def commit_message(hop: HopState, phase: str, summary: str) -> str:
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


# The trailer of every commit a phase makes (see commit_message); "fixes" commits hold the
# developer's own changes, so they count as theirs.
TOOL_COMMIT = re.compile(r"phase '([\w-]+)', made by upgrader ")


def uncommitted_work(git: Git, root: Path, left_alone: Sequence[str] = ()) -> list[str]:
    """What is uncommitted and not upgrader's own: changed tracked files, and untracked files
    but those in ``left_alone`` (paths relative to the repository's top)."""
    state = top_prefix(git, root) + STATE_DIR + "/"
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


def unverified_commits(git: Git, hop: HopState) -> list[tuple[str, str]]:
    """``(sha, subject)`` of the commits on ``hop``'s branch after its last checked commit
    (its report), newest first: the developer's, which no test run of the hop has seen."""
    last = hop.last_commit()
    if not hop.git or not hop.branch or last is None or not git.branch_exists(hop.branch):
        return []
    return [(sha, subject) for sha, subject, _body in git.commits(last, hop.branch)]
