"""Where a project stands on its upgrade path: ``.upgrader/state.json``, read and written.

Imports the model and ``upgrader.state`` only, so ``upgrader.deps`` and ``upgrader.diagnose``
read the state without importing the code that runs a hop.
"""

from __future__ import annotations

from pathlib import Path

from upgrader.detect.model import Project
from upgrader.state import ensure_state_dir, read_json, state_dir, write_json
from upgrader.step.model import ProjectState

STATE_FILE = "state.json"


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


def recorded_django(state: ProjectState) -> str | None:
    """The Django series the project is at by upgrader's own record: the source of the hop
    under way, else the last hop's target (None before any hop). Where a project whose files
    never name Django (a reusable app, first stepped with ``--from``) stands after a hop."""
    if state.current is not None:
        return state.current.source
    return state.history[-1].target if state.history else None


def current_python(project: Project, state: ProjectState) -> str | None:
    """The Python the project runs on now: the last hop's, when that hop brought it to its
    current Django series (its files may not say so: a CI matrix the hop could not edit, a
    ``.travis.yml`` outside the project); else what detection found."""
    series = ".".join(str(n) for n in project.django_version.release[:2])
    if state.history and state.history[-1].target == series:
        return state.history[-1].python
    return project.python_version
