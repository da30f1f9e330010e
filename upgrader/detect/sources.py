"""Reading a project's files for detection: parsed, cached, and never executed.

One ``ProjectReader`` per detection run. Each file is read once; a file that cannot be used
(unreadable, not UTF-8, invalid TOML/INI/JSON, a Python syntax error, a symlink leaving the
project) is recorded once as a ``Skipped`` entry saying what to do, and the finders go on
without it. Python files are only ever parsed with ``ast``.
"""

from __future__ import annotations

import ast
import configparser
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from upgrader.files import Skipped, SourceText, read_text
from upgrader.syntax import syntax_error_reason

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["ProjectReader", "enclosing_repository", "git_root", "line_of", "module_bindings"]


class ProjectReader:
    """Cached, fault-tolerant access to the files of the project at ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._text: dict[Path, str | None] = {}
        self._parsed: dict[tuple[str, Path], object] = {}
        self._skipped: dict[Path, Skipped] = {}

    @property
    def skipped(self) -> tuple[Skipped, ...]:
        return tuple(self._skipped.values())

    def skip(self, path: Path, reason: str) -> None:
        """Record that ``path`` was left out (the first reason given for a file is kept)."""
        self._skipped.setdefault(path, Skipped(path, reason))

    def rel(self, path: Path) -> str:
        """``path`` as shown to the user: relative to the root (``../x`` when outside it)."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return Path(os.path.relpath(path, self.root)).as_posix()

    def _leaves_tree(self, path: Path) -> bool:
        """A path inside the root that resolves outside it (through a symlink)."""
        if not path.is_relative_to(self.root):
            return False  # reached on purpose, e.g. ``-r ../shared/requirements.txt``
        return not path.resolve().is_relative_to(self.root)

    def text(self, path: Path) -> str | None:
        """The decoded text of ``path``; None when it does not exist or was skipped."""
        path = Path(os.path.normpath(path if path.is_absolute() else self.root / path))
        if path in self._text:
            return self._text[path]
        result: str | None = None
        if self._leaves_tree(path):
            self.skip(path, f"symlink to {path.resolve()}, outside the project: left alone")
        elif path.is_file():
            source = read_text(path)
            if isinstance(source, SourceText):
                result = source.text
            else:
                self._skipped.setdefault(path, source)
        self._text[path] = result
        return result

    def _cached(self, kind: str, path: Path) -> tuple[bool, object]:
        key = (kind, path)
        if key in self._parsed:
            return True, self._parsed[key]
        return False, None

    def toml(self, path: Path) -> dict[str, Any] | None:
        hit, value = self._cached("toml", path)
        if hit:
            return value  # type: ignore[return-value]
        text = self.text(path)
        data: dict[str, Any] | None = None
        if text is not None:
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                self.skip(path, f"invalid TOML ({exc}): fix the file so tools can read it")
        self._parsed[("toml", path)] = data
        return data

    def json(self, path: Path) -> Any:
        hit, value = self._cached("json", path)
        if hit:
            return value
        text = self.text(path)
        data: Any = None
        if text is not None:
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                self.skip(path, f"invalid JSON ({exc}): regenerate the file")
        self._parsed[("json", path)] = data
        return data

    def ini(self, path: Path) -> configparser.ConfigParser | None:
        hit, value = self._cached("ini", path)
        if hit:
            return value  # type: ignore[return-value]
        text = self.text(path)
        parser: configparser.ConfigParser | None = None
        if text is not None:
            parser = configparser.ConfigParser(interpolation=None, strict=False)
            try:
                parser.read_string(text, source=str(path))
            except configparser.Error as exc:
                reason = str(exc).splitlines()[0]
                self.skip(path, f"invalid INI syntax ({reason}): fix the file so tools can read it")
                parser = None
        self._parsed[("ini", path)] = parser
        return parser

    def python(self, path: Path) -> ast.Module | None:
        """The AST of a Python file (parsed, never imported or run)."""
        hit, value = self._cached("python", path)
        if hit:
            return value  # type: ignore[return-value]
        text = self.text(path)
        tree: ast.Module | None = None
        if text is not None:
            try:
                tree = ast.parse(text, filename=str(path))
            except SyntaxError as exc:
                self.skip(path, syntax_error_reason(exc, text))
            except ValueError as exc:  # e.g. null bytes
                self.skip(path, f"cannot be parsed as Python ({exc})")
        self._parsed[("python", path)] = tree
        return tree


def line_of(text: str, pattern: str, *, start: int = 1) -> int | None:
    """The first line (1-based, from line ``start``) matching the regex ``pattern``, or None.

    TOML and JSON parsers give no positions; this finds the line to cite as evidence.
    """
    regex = re.compile(pattern, re.IGNORECASE)
    for number, line in enumerate(text.splitlines()[start - 1 :], start=start):
        if regex.search(line):
            return number
    return None


def module_bindings(tree: ast.Module) -> dict[str, ast.expr]:
    """Module-level ``NAME = <expr>`` assignments (the last one wins, as at run time)."""
    bindings: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    bindings[target.id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            bindings[node.target.id] = node.value
    return bindings


def git_root(path: Path) -> Path | None:
    """The top folder of the git work tree holding ``path`` (the nearest with a ``.git`` entry,
    a folder or a worktree's file), or None outside a repository. Read from the file system:
    no git process."""
    start = path.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


_MAX_SUBFOLDER_DEPTH = 2  # repo/src, repo/backend/src


def enclosing_repository(root: Path) -> Path | None:
    """The git root above a project that lives in a subfolder of its own repository (``src/``),
    whose files at the top (CI, ``.python-version``, ...) describe the project; None when the
    project root is the git root, is not in a repository, is deeper than two folders, or shares
    its repository with other Django projects (a ``manage.py`` in a sibling folder: a monorepo or
    a folder of samples, whose top-level files are about something else)."""
    top = git_root(root)
    root = root.resolve()
    if top is None or top == root:
        return None
    if len(root.relative_to(top).parts) > _MAX_SUBFOLDER_DEPTH:
        return None
    try:
        siblings = [p for p in root.parent.iterdir() if p.is_dir() and p != root]
    except OSError:
        return None
    if any((p / "manage.py").is_file() for p in siblings):
        return None
    return top
