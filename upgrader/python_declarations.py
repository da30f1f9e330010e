"""Move a project's own Python declarations along when a hop changes its Python.

When a hop runs the project on a newer Python (Django 5.2 needs 3.10, 6.x needs 3.12), the files
that say which Python the project runs must say so too, or the next hop (and the team's
tooling) still reads the old one. Each declaration found by detection is edited in place, the
version token only: ``.python-version``, ``runtime.txt``, ``Dockerfile`` ``FROM python:X.Y``,
``requires-python`` (the lower bound is raised, never lowered) and ``[tool.upgrader] python``.
CI files and ``tox.ini`` matrices are left alone with a note: those list several Pythons on
purpose.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from upgrader.files import SourceText, read_text, write_atomic
from upgrader.project import Project, PythonDeclaration


@dataclass(frozen=True)
class PythonUpdate:
    changed: tuple[str, ...]  # files, relative to the project root
    notes: tuple[str, ...]


def _feature_or_full(old: str, feature: str, full: str | None) -> str:
    """Keep the declaration's precision: "3.8" -> "3.10", "3.8.18" -> "3.10.13"."""
    if old.count(".") >= 2 and full:
        return full
    return feature


def _python_version_line(line: str, feature: str, full: str | None) -> str:
    return re.sub(
        r"\d+\.\d+(\.\d+)?", lambda m: _feature_or_full(m.group(0), feature, full), line, count=1
    )


def _runtime_line(line: str, feature: str, full: str | None) -> str:
    return re.sub(
        r"(python-)(\d+\.\d+(?:\.\d+)?)",
        lambda m: m.group(1) + _feature_or_full(m.group(2), feature, full),
        line,
        count=1,
    )


def _dockerfile_line(line: str, feature: str, full: str | None) -> str:
    return re.sub(
        r"(\bpython:)(\d+\.\d+(?:\.\d+)?)",
        lambda m: m.group(1) + _feature_or_full(m.group(2), feature, full),
        line,
        count=1,
    )


def _requires_python_line(line: str, feature: str, full: str | None) -> str:
    def raise_bound(match: re.Match[str]) -> str:
        try:
            if Version(match.group(2)) >= Version(feature):
                return match.group(0)
        except InvalidVersion:
            return match.group(0)
        return match.group(1) + feature

    return re.sub(r"(>=\s*)(\d+(?:\.\d+)*)", raise_bound, line, count=1)


def _config_line(line: str, feature: str, full: str | None) -> str:
    return re.sub(
        r"""(["'])\d+\.\d+(?:\.\d+)?\1""",
        lambda m: f"{m.group(1)}{feature}{m.group(1)}",
        line,
        count=1,
    )


EDITORS: dict[str, Callable[[str, str, str | None], str]] = {
    ".python-version": _python_version_line,
    "runtime.txt": _runtime_line,
    "Dockerfile": _dockerfile_line,
    "requires-python": _requires_python_line,
    "config": _config_line,
}


def _edit(root: Path, declaration: PythonDeclaration, feature: str, full: str | None) -> bool:
    editor = EDITORS.get(declaration.kind)
    line_number = declaration.evidence.line
    if editor is None or line_number is None:
        return False
    path = root / declaration.evidence.file
    source = read_text(path)
    if not isinstance(source, SourceText):
        return False
    lines = source.text.splitlines(keepends=True)
    if not 0 < line_number <= len(lines):
        return False
    old = lines[line_number - 1]
    new = editor(old, feature, full)
    if new == old:
        return False
    lines[line_number - 1] = new
    write_atomic(path, source.encode("".join(lines)))
    return True


def update_python_declarations(
    project: Project, python: str, full: str | None = None
) -> PythonUpdate:
    """Point every declaration of the project's Python at ``python`` ("3.10"; ``full``: "3.10.13")."""
    changed: list[str] = []
    notes: list[str] = []
    for declaration in project.python_declarations:
        if declaration.version == python:
            continue
        if declaration.kind in EDITORS:
            edited = _edit(project.root, declaration, python, full)
            if edited and declaration.evidence.file not in changed:
                changed.append(declaration.evidence.file)
        else:
            notes.append(
                f"{declaration.evidence} ({declaration.kind}) still says Python "
                f"{declaration.version}: add {python} there when the project moves to it."
            )
    return PythonUpdate(tuple(changed), tuple(notes))
