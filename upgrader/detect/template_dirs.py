"""Template folders: ``TEMPLATES[...]["DIRS"]`` evaluated statically from the settings AST
(string literals, ``os.path.join``/``dirname``/``abspath``, ``pathlib.Path`` with ``/``,
``.parent``, ``.resolve()``, names bound at module level in any settings module), plus the
``templates/`` folder of every package."""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from upgrader.detect.sources import ProjectReader, module_bindings

_MAX_DEPTH = 25  # name lookups followed when evaluating a path expression


def _string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


_JOIN = frozenset({"os.path.join", "path.join", "join", "Path", "pathlib.Path", "PurePath"})
_SAME = frozenset(
    {"os.path.abspath", "os.path.realpath", "os.path.normpath", "abspath", "realpath", "normpath"}
    | {"str", "os.fspath"}
)
_SAME_METHODS = frozenset({"resolve", "absolute", "expanduser"})


class _PathEvaluator:
    """Evaluates path expressions of settings modules without running them."""

    def __init__(self, reader: ProjectReader, files: Sequence[Path]) -> None:
        self.trees: dict[Path, ast.Module] = {}
        self.bindings: dict[Path, dict[str, ast.expr]] = {}
        for path in files:
            tree = reader.python(path)
            if tree is None:
                continue
            self.trees[path] = tree
            self.bindings[path] = module_bindings(tree)

    def lookup(self, name: str, here: Path) -> tuple[ast.expr, Path] | None:
        if name in self.bindings.get(here, {}):
            return self.bindings[here][name], here
        for path, names in self.bindings.items():
            if name in names:
                return names[name], path
        return None

    def evaluate(self, node: ast.expr, here: Path, depth: int = 0) -> Path | None:
        if depth > _MAX_DEPTH:
            return None
        if (text := _string(node)) is not None:
            return Path(text)
        if isinstance(node, ast.Name):
            if node.id == "__file__":
                return here
            bound = self.lookup(node.id, here)
            return self.evaluate(bound[0], bound[1], depth + 1) if bound else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Div, ast.Add)):
            left = self.evaluate(node.left, here, depth + 1)
            right = self.evaluate(node.right, here, depth + 1)
            if left is None or right is None:
                return None
            if isinstance(node.op, ast.Add):  # string concatenation: BASE_DIR + "/templates"
                return Path(str(left) + str(right))
            return left / right
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            inner = self.evaluate(node.value, here, depth + 1)
            return inner.parent if inner else None
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "parents"
            and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, int)
        ):
            inner = self.evaluate(node.value.value, here, depth + 1)
            return inner.parents[node.slice.value] if inner else None
        if isinstance(node, ast.Call):
            return self._call(node, here, depth)
        return None

    def _call(self, node: ast.Call, here: Path, depth: int) -> Path | None:
        name = _dotted(node.func)
        args = [self.evaluate(a, here, depth + 1) for a in node.args]
        if any(a is None for a in args):
            return None
        paths = [a for a in args if a is not None]
        if name in _JOIN and paths:
            return Path(*paths)
        if name in _SAME and len(paths) == 1:
            return paths[0]
        if name in ("os.path.dirname", "dirname") and len(paths) == 1:
            return paths[0].parent
        if isinstance(node.func, ast.Attribute):
            inner = self.evaluate(node.func.value, here, depth + 1)
            if inner is not None and node.func.attr in _SAME_METHODS:
                return inner
            if inner is not None and node.func.attr == "joinpath":
                return inner.joinpath(*paths)
        return None

    def template_dirs(self) -> Iterator[Path]:
        for path, tree in self.trees.items():
            for node in tree.body:
                if not (
                    isinstance(node, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "TEMPLATES" for t in node.targets)
                    and isinstance(node.value, (ast.List, ast.Tuple))
                ):
                    continue
                for backend in node.value.elts:
                    if not isinstance(backend, ast.Dict):
                        continue
                    for key, value in zip(backend.keys, backend.values, strict=True):
                        if _string(key) != "DIRS":
                            continue
                        if isinstance(value, ast.Name) and (bound := self.lookup(value.id, path)):
                            value = bound[0]
                        if isinstance(value, (ast.List, ast.Tuple)):
                            for element in value.elts:
                                found = self.evaluate(element, path)
                                if found is not None:
                                    yield found


def template_dirs(
    reader: ProjectReader, settings_files: Sequence[Path], files: Sequence[Path]
) -> tuple[Path, ...]:
    """Existing template folders inside the root: ``TEMPLATES`` ``DIRS``, then app folders."""
    root = reader.root
    found: list[Path] = []
    for directory in _PathEvaluator(reader, settings_files).template_dirs():
        absolute = Path(
            os.path.normpath(directory if directory.is_absolute() else root / directory)
        )
        if absolute.is_dir() and absolute.resolve().is_relative_to(root):
            found.append(absolute)
    for path in files:
        parts = path.relative_to(root).parts
        for index, part in enumerate(parts[:-1]):
            if part == "templates":
                folder = root.joinpath(*parts[: index + 1])
                if (folder.parent / "__init__.py").is_file():
                    found.append(folder)
                break
    return tuple(dict.fromkeys(found))
