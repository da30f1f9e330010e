"""A throw-away copy of a project's files, for the plan (and ``upgrader rewrite --dry-run``) to
rewrite freely: the project itself is never written."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from upgrader.detect.model import Project
from upgrader.files import Skipped, project_files


def _relocate(project: Project, root: Path) -> Project:
    """The same project seen at another root (a scratch copy)."""

    def move(path: Path | None) -> Path | None:
        if path is None:
            return None
        try:
            return root / path.relative_to(project.root)
        except ValueError:
            return path

    changes: dict[str, object] = {
        "root": root,
        "manage_py": move(project.manage_py),
        "settings_file": move(project.settings_file),
        "template_dirs": tuple(p for p in (move(d) for d in project.template_dirs) if p),
    }
    names = {f.name for f in dataclasses.fields(project)}
    if "settings_files" in names:
        files = getattr(project, "settings_files", ())
        changes["settings_files"] = tuple(p for p in (move(f) for f in files) if p)
    return dataclasses.replace(project, **changes)  # type: ignore[arg-type]


@contextmanager
def scratch_copy(project: Project, skipped: list[Skipped] | None = None) -> Iterator[Project]:
    """A throw-away copy of the project's files (not .git, venvs or caches) to rewrite freely.

    The files left out (links leaving the project, symlink loops) go to ``skipped`` when given.
    """
    skipped = [] if skipped is None else skipped
    files = project_files(project.root, exclude=project.config.exclude, skipped=skipped)
    with tempfile.TemporaryDirectory(prefix="upgrader-plan-") as tmp:
        root = Path(tmp) / project.root.name
        for path in files:
            dest = root / path.relative_to(project.root)
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                shutil.copy2(path, dest, follow_symlinks=True)
            except OSError:
                continue  # unreadable files are reported by the stages that read them
        yield _relocate(project, root)
