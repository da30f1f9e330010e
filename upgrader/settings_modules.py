"""Which files are the project's settings: one answer for the scanner and the rewrite stage.

The settings module detection found, every module of a settings package (``base.py``,
``production.py``), sibling modules named like settings next to a plain settings file
(``test_settings.py``, ``local_settings.py``), and what any of these star-imports inside the
project (``from .base import *``), followed to the end. Read statically, never imported.
"""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

from upgrader.files import SourceText, read_text, resolve_link
from upgrader.project import Project


def module_file(root: Path, importer: Path, level: int, module: str) -> Path | None:
    """The project file that ``from <dots><module> import ...`` in ``importer`` names, if any."""
    if level:
        folder = importer.parent
        for _ in range(level - 1):
            folder = folder.parent
    else:
        folder = root
    stem = folder.joinpath(*module.split(".")) if module else folder
    for candidate in (stem.with_suffix(".py"), stem / "__init__.py"):
        if candidate.is_file():
            resolved = _resolved(candidate)
            if resolved is not None and resolved.is_relative_to(root):
                return resolved
    return None


def star_imports(path: Path, root: Path) -> list[Path]:
    """The project modules ``path`` star-imports."""
    source = read_text(path)
    if not isinstance(source, SourceText):
        return []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source.text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []  # the scanner reports the file as skipped, saying why
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.names[0].name == "*" and node.module:
            target = module_file(root, path, node.level, node.module)
            if target is not None:
                found.append(target)
    return found


def _resolved(path: Path) -> Path | None:
    """``path`` resolved; None for a symlink loop or a link to nothing (the file walk says so)."""
    if path.is_symlink():
        target = resolve_link(path)
        return None if isinstance(target, str) else target
    return path.resolve()


def _absolute(root: Path, path: Path) -> Path | None:
    return _resolved(path if path.is_absolute() else root / path)


def _each(paths: list[Path]) -> list[Path]:
    return sorted(p for p in map(_resolved, paths) if p is not None)


def settings_modules(project: Project) -> tuple[Path, ...]:
    """Every file of the project's settings (absolute, resolved, sorted)."""
    root = project.root.resolve()
    declared = [*project.settings_files]
    if project.settings_file is not None:
        declared.append(project.settings_file)
    todo: list[Path] = []
    for path in (_absolute(root, p) for p in declared):
        if path is None or not path.is_file():
            continue
        todo.append(path)
        folder = path.parent
        if folder.name == "settings" and (folder / "__init__.py").is_file():
            todo += _each(list(folder.glob("*.py")))
        else:
            todo += _each(list(folder.glob("*settings*.py")))
    found: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in found or not path.is_file() or not path.is_relative_to(root):
            continue
        found.add(path)
        todo += star_imports(path, root)
    return tuple(sorted(found))
