"""Paths as a hop sees them: relative to the project root or to the repository's top."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from upgrader.git import Git
from upgrader.state import STATE_DIR


def relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def top_prefix(git: Git, root: Path) -> str:
    """The project root as a prefix of paths relative to the repository's top: "" or "sub/"."""
    prefix = relative(git.toplevel().resolve(), root.resolve())
    return "" if prefix == "." else prefix + "/"


def scaffold(git: Git, root: Path) -> list[str]:
    """upgrader's own files in ``.upgrader/``, as paths relative to the repository's top."""
    prefix = top_prefix(git, root)
    return [f"{prefix}{STATE_DIR}/README.md", f"{prefix}{STATE_DIR}/.gitignore"]


def is_migration_module(rel: str) -> bool:
    """A module of an app's ``migrations`` package (what ``makemigrations`` writes)."""
    parts = PurePosixPath(rel).parts
    return rel.endswith(".py") and "migrations" in parts[:-1]


def shown(paths: Sequence[str], limit: int = 5) -> str:
    more = len(paths) - limit
    return ", ".join(paths[:limit]) + (f" and {more} more" if more > 0 else "")
