"""What a hop keeps to undo itself without git, and what a refused step puts back.

- Without git (``--no-git``), every file is copied to ``.upgrader/backups/django-X.Y/`` before
  the hop touches anything (:func:`take_backup`); ``rollback`` puts them back
  (:func:`restore_backup`).
- A refused step leaves ``.upgrader/`` as it found it (:class:`StateDirSnapshot`).
"""

from __future__ import annotations

import json
import posixpath
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from upgrader.detect.model import Project
from upgrader.errors import StateError
from upgrader.files import project_files, write_atomic
from upgrader.state import STATE_DIR, state_dir
from upgrader.step.paths import relative

# ``.upgrader/`` entries that are run-time state, git-ignored: kept when a refused step pointed
# at its log; never snapshotted (the cache holds whole tox environments).
RUNTIME_ENTRIES = frozenset({"logs", "cache", "backups", "lock"})


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
        rel = relative(project.root, path)
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
        for rel in (relative(project.root, path) for path in project_files(project.root))
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
            rel = relative(top, path)
            if rel not in present and not rel.startswith(".upgrader/"):
                path.unlink()
                made.append(path)
        for path in made:  # and the folders the hop made for them, once empty
            folder = path.parent
            while folder.is_relative_to(top) and folder != top:
                if relative(top, folder) in kept_dirs:
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
class StateDirSnapshot:
    """``.upgrader/`` before a step, but its run-time entries (:data:`RUNTIME_ENTRIES`)."""

    root: Path
    existed: bool
    files: dict[str, bytes]

    @classmethod
    def take(cls, root: Path, *, existed: bool) -> StateDirSnapshot:
        """Taken under the lock (so no other run is changing it); ``existed``: whether the
        folder was there before this run took the lock (which makes it)."""
        directory = state_dir(root)
        files: dict[str, bytes] = {}
        for path in _own_files(directory):
            try:
                files[path.relative_to(directory).as_posix()] = path.read_bytes()
            except FileNotFoundError:  # a file that went while we looked is none of ours
                continue
        # Another run may have made it between our look and our lock: then it is not ours.
        existed = existed or any(
            p.name not in ("README.md", ".gitignore", "lock") and not _transient(p)
            for p in directory.iterdir()
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
        and not _transient(path)
    ]


def _transient(path: Path) -> bool:
    """An atomic write's temporary file (``.lock.x1y2.tmp``, ``files.write_atomic``): another
    run's write in flight (a step refused for the lock writes one while the winner takes its
    snapshot), gone or renamed a moment later, never part of ``.upgrader/``."""
    return path.name.startswith(".") and path.name.endswith(".tmp")
