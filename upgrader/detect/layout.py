"""Where the project is: its root, ``manage.py``, settings module and files, template folders.

The root is the nearest folder, from the given path upwards, holding ``manage.py``; failing
that, the nearest holding pyproject.toml, setup.py or setup.cfg and naming a settings module
that exists. The settings module is taken from, in order: ``[tool.upgrader] settings``,
``manage.py``'s ``os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...)``, ``wsgi.py``,
``asgi.py``, then ``DJANGO_SETTINGS_MODULE`` in the pytest configuration (pytest.ini,
pyproject.toml, setup.cfg, tox.ini) and tox's ``setenv``. Python files are parsed, never run.

Template folders: ``TEMPLATES[...]["DIRS"]`` evaluated statically from the settings AST (string
literals, ``os.path.join``/``dirname``/``abspath``, ``pathlib.Path`` with ``/``, ``.parent``,
``.resolve()``, and names bound at module level in any settings module, e.g. ``BASE_DIR``),
plus the ``templates/`` folder of every package.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from upgrader.detect.config import read_config
from upgrader.detect.model import Evidence, ProjectConfig
from upgrader.detect.sources import ProjectReader, line_of, module_bindings
from upgrader.errors import NotADjangoProjectError

PACKAGING_FILES = ("pyproject.toml", "setup.py", "setup.cfg")
SOURCE_BASES = ("", "src")  # folders, relative to the root, that are on sys.path
_SETTINGS_VAR = "DJANGO_SETTINGS_MODULE"
_MODULE = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")
_SETENV = re.compile(rf"\b{_SETTINGS_VAR}\s*=\s*([\w.]+)")
_MAX_DEPTH = 25  # name lookups followed when evaluating a path expression


@dataclass(frozen=True)
class Layout:
    root: Path
    manage_py: Path | None
    settings_module: str | None
    settings_file: Path | None
    settings_files: tuple[Path, ...]  # every module of a settings package, else the file alone
    settings_evidence: Evidence | None


# --- settings module ----------------------------------------------------------------------------


def _string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_environ(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def settings_from_python(tree: ast.Module) -> tuple[str, int] | None:
    """The settings module a script sets (``os.environ.setdefault(...)`` or ``os.environ[...] =``)."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "setdefault"
            and _is_environ(node.func.value)
            and len(node.args) >= 2
            and _string(node.args[0]) == _SETTINGS_VAR
            and (value := _string(node.args[1]))
        ):
            return value, node.lineno
        if isinstance(node, ast.Assign) and (value := _string(node.value)):
            for target in node.targets:
                if (
                    isinstance(target, ast.Subscript)
                    and _is_environ(target.value)
                    and _string(target.slice) == _SETTINGS_VAR
                ):
                    return value, node.lineno
    return None


def _wsgi_candidates(root: Path) -> Iterator[Path]:
    for name in ("wsgi.py", "asgi.py"):
        yield root / name
        for base in SOURCE_BASES:
            folder = root / base if base else root
            yield from sorted(folder.glob(f"*/{name}"))


def _settings_declarations(
    reader: ProjectReader, config: ProjectConfig
) -> Iterator[tuple[str, Evidence]]:
    """(module, where) for every place naming the settings module, strongest first."""
    root = reader.root
    if config.settings:
        yield config.settings, Evidence("pyproject.toml", None, "[tool.upgrader] settings")
    scripts = [root / "manage.py", *_wsgi_candidates(root)]
    for script in scripts:
        tree = reader.python(script) if script.is_file() else None
        found = settings_from_python(tree) if tree else None
        if found:
            yield found[0], Evidence(reader.rel(script), found[1], script.name)
    for name, section in (("pytest.ini", "pytest"), ("setup.cfg", "tool:pytest")):
        parser = reader.ini(root / name) if (root / name).is_file() else None
        if parser is not None and parser.has_option(section, _SETTINGS_VAR):
            line = line_of(reader.text(root / name) or "", rf"^\s*{_SETTINGS_VAR}\s*=")
            yield parser.get(section, _SETTINGS_VAR).strip(), Evidence(name, line, f"[{section}]")
    pyproject = reader.toml(root / "pyproject.toml") or {}
    tool = pyproject.get("tool")
    pytest_table = tool.get("pytest") if isinstance(tool, dict) else None
    options = pytest_table.get("ini_options") if isinstance(pytest_table, dict) else None
    if isinstance(options, dict) and isinstance(options.get(_SETTINGS_VAR), str):
        line = line_of(reader.text(root / "pyproject.toml") or "", rf"^\s*{_SETTINGS_VAR}\s*=")
        yield options[_SETTINGS_VAR], Evidence("pyproject.toml", line, "[tool.pytest.ini_options]")
    tox = reader.ini(root / "tox.ini") if (root / "tox.ini").is_file() else None
    if tox is not None:
        text = reader.text(root / "tox.ini") or ""
        line = line_of(text, rf"\b{_SETTINGS_VAR}\s*=")
        if tox.has_option("pytest", _SETTINGS_VAR):
            yield tox.get("pytest", _SETTINGS_VAR).strip(), Evidence("tox.ini", line, "[pytest]")
        for section in tox.sections():
            if tox.has_option(section, "setenv"):
                match = _SETENV.search(tox.get(section, "setenv"))
                if match:
                    yield match.group(1), Evidence("tox.ini", line, f"[{section}] setenv")


def module_file(root: Path, module: str) -> Path | None:
    """The file of a dotted module under the root (or ``src/``): ``x/settings.py`` or
    ``x/settings/__init__.py``."""
    if not _MODULE.fullmatch(module):
        return None
    parts = module.split(".")
    for base in SOURCE_BASES:
        folder = root / base if base else root
        for candidate in (
            folder.joinpath(*parts[:-1], parts[-1] + ".py"),
            folder.joinpath(*parts, "__init__.py"),
        ):
            if candidate.is_file():
                return candidate
    return None


def settings_package_files(root: Path, settings_file: Path) -> tuple[Path, ...]:
    """Every module of a settings package (``settings/__init__.py``, base.py, dev.py, ...), or
    the settings file alone when it is a plain module."""
    folder = settings_file.parent
    in_package = settings_file.name == "__init__.py" or (
        "settings" in folder.name and (folder / "__init__.py").is_file()
    )
    if not in_package:
        return (settings_file,)
    modules = sorted(p for p in folder.glob("*.py") if p.resolve().is_relative_to(root.resolve()))
    return tuple(modules) or (settings_file,)


def _find_settings(
    reader: ProjectReader, config: ProjectConfig
) -> tuple[str, Path | None, Evidence] | None:
    first: tuple[str, Path | None, Evidence] | None = None
    for module, evidence in _settings_declarations(reader, config):
        path = module_file(reader.root, module)
        if path is not None:
            return module, path, evidence
        first = first or (module, None, evidence)
    return first


def find_root(path: Path) -> Path:
    """The project root for ``path`` (see the module docstring)."""
    start = path.resolve()
    if not start.exists():
        raise NotADjangoProjectError(
            f"{path} does not exist", hint="Pass the folder of a Django project.", path=path
        )
    if start.is_file():
        start = start.parent
    candidates = [start, *start.parents]
    for folder in candidates:
        if (folder / "manage.py").is_file():
            return folder
    for folder in candidates:
        if any((folder / name).is_file() for name in PACKAGING_FILES):
            reader = ProjectReader(folder)
            found = _find_settings(reader, read_config(reader))
            if found is not None and found[1] is not None:
                return folder
    raise NotADjangoProjectError(
        f"{start} is not a Django project: found no manage.py in it or its parents, and no "
        "pyproject.toml, setup.py or setup.cfg next to a settings module (looked at manage.py, "
        "wsgi.py, asgi.py, DJANGO_SETTINGS_MODULE in pytest.ini, pyproject.toml, setup.cfg and "
        "tox.ini, and [tool.upgrader] settings)",
        hint="Run upgrader in the folder holding manage.py, or add [tool.upgrader] settings = "
        '"mysite.settings" to the project\'s pyproject.toml.',
        path=start,
    )


def find_layout(reader: ProjectReader, config: ProjectConfig) -> Layout:
    """``manage.py`` and the settings of the project whose root ``reader`` reads."""
    root = reader.root
    manage = root / "manage.py"
    found = _find_settings(reader, config)
    if found is None:
        return Layout(root, manage if manage.is_file() else None, None, None, (), None)
    module, path, evidence = found
    files = settings_package_files(root, path) if path else ()
    return Layout(root, manage if manage.is_file() else None, module, path, files, evidence)


# --- template folders ---------------------------------------------------------------------------


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


def find_template_dirs(
    reader: ProjectReader, layout: Layout, files: Sequence[Path]
) -> tuple[Path, ...]:
    """Existing template folders inside the root: ``TEMPLATES`` ``DIRS``, then app folders."""
    root = reader.root
    found: list[Path] = []
    for directory in _PathEvaluator(reader, layout.settings_files).template_dirs():
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
