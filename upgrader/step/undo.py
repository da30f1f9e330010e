"""``upgrader rollback`` and ``upgrader status``: undo a hop, and say where the project stands."""

from __future__ import annotations

from pathlib import Path

from packaging.version import Version

from upgrader.detect.layout import find_root
from upgrader.errors import DetectionError, StateError, UpgraderError
from upgrader.git import Git
from upgrader.hops import hop_path
from upgrader.project import Project, detect_project
from upgrader.state import HopLock
from upgrader.step.backup import restore_backup
from upgrader.step.commits import TOOL_COMMIT, unverified_commits
from upgrader.step.model import MANUAL_OPEN, HopState, ProjectState
from upgrader.step.paths import scaffold
from upgrader.step.state import current_python, load_state, recorded_django, save_state


def detect_at_recorded(
    path: Path, django_from: str | None, *, strict_config: bool = True
) -> Project:
    """The project at ``path``; one whose files do not tell its Django (a reusable app) is at the
    Django upgrader recorded for it in ``state.json`` (the last hop's target, or the source of
    the hop under way), so its next hop, ``status`` and ``rollback`` need no ``--from``; a
    ``--from`` given again at every step (the one the first hop needed) does not take it back
    to where it started. Without a record, ``--from`` decides, as in ``detect_project``."""
    try:
        project = detect_project(path, django_from=django_from, strict_config=strict_config)
    except DetectionError:
        if django_from is not None:
            raise
        recorded = recorded_django(load_state(find_root(path)))
        if recorded is None:
            raise
        return detect_project(path, django_from=recorded, strict_config=strict_config)
    if django_from is None or project.django_requirements:
        return project  # the files name Django (or --from was not needed)
    recorded = recorded_django(load_state(project.root))
    if recorded is None or recorded == django_from:
        return project
    return detect_project(path, django_from=recorded, strict_config=strict_config)


def rollback(path: Path) -> str:
    """Undo the current hop (or the last finished one): back to the pre-hop commit and tree.

    A pyproject.toml that cannot be read does not stop it: the hop may be what broke it.
    """
    project_root = detect_at_recorded(path, None, strict_config=False).root
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
                    and path not in scaffold(git, project_root)
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
    project = detect_at_recorded(path, None, strict_config=False)  # read-only, like plan
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
