"""Where the project is: its root, ``manage.py``, settings module and files, template folders.

The root is, in this order:

1. the nearest folder, from the given path upwards, holding ``manage.py``;
2. the nearest holding pyproject.toml, setup.py or setup.cfg and naming a settings module that
   exists;
3. the nearest holding a reusable app's test script (``runtests.py``, ``quicktest.py``, ...,
   or the script ``setup.py``'s ``test_suite`` names) that uses Django: such an app has no
   ``manage.py`` and often no settings module, its script calls ``settings.configure(...)``;
4. below the given folder (two levels at most, hidden folders and virtualenvs left out), the one
   folder holding ``manage.py``: the Django code of a repository that keeps it in ``src/`` (or
   ``backend/``...). Several such folders are an error naming them.

A ``manage.py`` folder found by 1 or 4 gives way to the repository above it when that repository
packages its code in ``src/<pkg>`` (setup.py, setup.cfg ``[metadata] name`` or a pyproject.toml
``[project]``) and the folder is its demo site (django-oscar's ``sandbox/``): the root is the
repository, so the package is rewritten too, with the sandbox's ``manage.py`` and settings
(``sandbox.settings``). pretalx's ``src/manage.py`` beside ``src/setup.py`` stays rooted in ``src/``.

The settings module is taken from, in order: ``[tool.upgrader] settings``, ``manage.py``'s
``os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...)``, ``wsgi.py``, ``asgi.py``, a test script,
then ``DJANGO_SETTINGS_MODULE`` in the pytest configuration (pytest.ini, pyproject.toml,
setup.cfg, tox.ini) and tox's ``setenv``. A reusable app whose script configures settings in
code has none (``settings_module`` is None). Python files are parsed, never run.

App packages: the top-level packages (at the root or in ``src/``) that are Django apps (an
``apps.py``, ``models.py`` or ``migrations/``), for a reusable app the app it ships.

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

from upgrader.detect.config import ConfigError, read_config
from upgrader.detect.model import Evidence, ProjectConfig
from upgrader.detect.sources import ProjectReader, line_of, module_bindings
from upgrader.errors import NotADjangoProjectError
from upgrader.files import PRUNED_DIRS

PACKAGING_FILES = ("pyproject.toml", "setup.py", "setup.cfg")
CONFIG_SETTINGS = "[tool.upgrader] settings"  # the evidence detail of the configured module
SOURCE_BASES = ("", "src")  # folders, relative to the root, that are on sys.path
_SETTINGS_VAR = "DJANGO_SETTINGS_MODULE"
_MODULE = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")
_SETENV = re.compile(rf"\b{_SETTINGS_VAR}\s*=\s*([\w.]+)")
_MAX_DEPTH = 25  # name lookups followed when evaluating a path expression
TEST_SCRIPTS = (
    "runtests.py",
    "run_tests.py",
    "quicktest.py",
    "tests/runtests.py",
    "tests/run_tests.py",
)
_SCRIPT_CALLS = frozenset({"configure", "setup", "get_runner", "DiscoverRunner", "call_command"})
_SEARCH_DEPTH = 2  # folders below the given one searched for manage.py
_APP_MARKERS = ("apps.py", "models.py", "migrations")


@dataclass(frozen=True)
class Layout:
    root: Path
    manage_py: Path | None
    settings_module: str | None
    settings_file: Path | None
    settings_files: tuple[Path, ...]  # every module of a settings package, else the file alone
    settings_evidence: Evidence | None  # with no module: a script's settings.configure() call
    test_script: Path | None = None  # a reusable app's runtests.py
    test_script_evidence: Evidence | None = None
    app_packages: tuple[str, ...] = ()


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


def _imports_django(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(
            alias.name.split(".")[0] == "django" for alias in node.names
        ):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "django":
            return True
    return False


def _script_call(tree: ast.Module) -> tuple[str, int] | None:
    """The Django call that makes a script a test runner (``settings.configure(...)``,
    ``django.setup()``, ``get_runner``, ``call_command("test")``), and its line."""
    calls: list[tuple[bool, int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in _SCRIPT_CALLS:
            calls.append((name != "configure", node.lineno, name))
    if not calls:
        return None
    _other, line, name = min(calls)  # settings.configure(...) first, else the first call
    return name, line


def _setup_py_test_suite(reader: ProjectReader) -> tuple[Path, int] | None:
    """The script ``setup(test_suite="runtests.runtests")`` names, when it is a file here."""
    tree = reader.python(reader.root / "setup.py") if (reader.root / "setup.py").is_file() else None
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.keyword) and node.arg == "test_suite":
            value = _string(node.value)
            if not value or not _MODULE.fullmatch(value):
                return None
            parts = value.split(".")
            for end in range(len(parts), 0, -1):
                candidate = reader.root.joinpath(*parts[: end - 1], parts[end - 1] + ".py")
                if candidate.is_file():
                    return candidate, node.value.lineno
    return None


def find_test_script(reader: ProjectReader) -> tuple[Path, Evidence] | None:
    """A reusable app's own test script: parsed, it imports Django and configures or runs it."""
    candidates = [reader.root / name for name in TEST_SCRIPTS]
    named = _setup_py_test_suite(reader)
    if named is not None:
        candidates.insert(0, named[0])
    for path in dict.fromkeys(candidates):
        tree = reader.python(path) if path.is_file() else None
        if tree is None or not _imports_django(tree):
            continue
        call = _script_call(tree)
        settings = settings_from_python(tree)
        if call is None and settings is None:
            continue
        line = settings[1] if settings else call[1] if call else None
        what = "settings.configure()" if call and call[0] == "configure" else "Django test script"
        if named is not None and path == named[0]:
            what += " (setup.py test_suite)"
        return path, Evidence(reader.rel(path), line, what)
    return None


def app_packages(root: Path) -> tuple[str, ...]:
    """Top-level packages at the root or in ``src/`` that are Django apps."""
    found: list[str] = []
    for base in SOURCE_BASES:
        folder = root / base if base else root
        try:
            children = sorted(p for p in folder.iterdir() if p.is_dir())
        except OSError:
            continue
        for child in children:
            if child.name.startswith((".", "_")) or not (child / "__init__.py").is_file():
                continue
            if child.name in ("tests", "test", "docs", "example", "examples"):
                continue
            if any((child / marker).exists() for marker in _APP_MARKERS):
                found.append(child.name)
    return tuple(found)


def _settings_declarations(
    reader: ProjectReader, config: ProjectConfig
) -> Iterator[tuple[str, Evidence]]:
    """(module, where) for every place naming the settings module, strongest first."""
    root = reader.root
    if config.settings:
        yield config.settings, Evidence("pyproject.toml", None, CONFIG_SETTINGS)
    scripts = [root / "manage.py", *_wsgi_candidates(root), *(root / t for t in TEST_SCRIPTS)]
    sandbox = sandbox_folder(root)
    if sandbox is not None:
        scripts.insert(1, sandbox / "manage.py")
    for script in scripts:
        tree = reader.python(script) if script.is_file() else None
        found = settings_from_python(tree) if tree else None
        if found:
            module = _from_root(root, script.parent, found[0])
            yield module, Evidence(reader.rel(script), found[1], script.name)
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


def _from_root(root: Path, folder: Path, module: str) -> str:
    """``module`` as a script in ``folder`` names it (``settings`` in sandbox/manage.py, whose
    folder is on sys.path), dotted from ``root`` (``sandbox.settings``)."""
    if folder == root:
        return module
    path = module_file(folder, module)
    if path is None or not path.is_relative_to(root):
        return module
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


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
    """The settings module, its file and where it is named: the first declaration whose module
    is a file under the root (or ``src/``), else the first one. A ``[tool.upgrader] settings``
    that names no module there is a ``ConfigError``: the user said where, and it is wrong."""
    first: tuple[str, Path | None, Evidence] | None = None
    declarations = list(_settings_declarations(reader, config))
    for module, evidence in declarations:
        path = module_file(reader.root, module)
        if path is not None:
            if first is not None and first[2].detail == CONFIG_SETTINGS:
                raise _missing_settings(reader, first[0], (module, evidence))
            return module, path, evidence
        first = first or (module, None, evidence)
    if first is not None and first[2].detail == CONFIG_SETTINGS:
        raise _missing_settings(reader, first[0], None)
    return first


def _missing_settings(
    reader: ProjectReader, module: str, found: tuple[str, Evidence] | None
) -> ConfigError:
    pyproject = reader.root / "pyproject.toml"
    line = line_of(reader.text(pyproject) or "", r"^\s*settings\s*=")
    where = f"{pyproject}:{line}" if line else str(pyproject)
    files = module.replace(".", "/")
    looked = " or ".join(f"{base}/{files}.py" if base else f"{files}.py" for base in SOURCE_BASES)
    if found is not None:
        other, evidence = found
        hint = (
            f'{evidence} names {other}: write [tool.upgrader] settings = "{other}" in '
            "pyproject.toml, or remove the key to use it."
        )
    else:
        hint = (
            "Name the settings module by its dotted path from the project root or src/, e.g. "
            '[tool.upgrader] settings = "mysite.settings", in pyproject.toml.'
        )
    return ConfigError(
        f"{where}: [tool.upgrader] settings names {module!r}, which is not a module of the "
        f"project at {reader.root} (no {looked}, nor a package of that name)",
        hint=hint,
        path=pyproject,
    )


def declares_project(folder: Path) -> bool:
    """``folder`` packages a distribution: a setup.py, a setup.cfg ``[metadata] name``, or a
    pyproject.toml ``[project]`` (or Poetry/Flit) table; not a pyproject.toml of tool settings."""
    if (folder / "setup.py").is_file():
        return True
    reader = ProjectReader(folder)
    if (folder / "setup.cfg").is_file():
        parser = reader.ini(folder / "setup.cfg")
        if parser is not None and parser.has_option("metadata", "name"):
            return True
    if (folder / "pyproject.toml").is_file():
        data = reader.toml(folder / "pyproject.toml") or {}
        tool = data.get("tool")
        tools = tool if isinstance(tool, dict) else {}
        return "project" in data or "poetry" in tools or "flit" in tools
    return False


def _src_packages(folder: Path) -> list[Path]:
    src = folder / "src"
    try:
        return [p for p in src.iterdir() if (p / "__init__.py").is_file()] if src.is_dir() else []
    except OSError:
        return []


def sandbox_folder(root: Path) -> Path | None:
    """The folder below ``root`` whose ``manage.py`` runs the package ``root`` ships, or None.

    A repository that packages its code in ``src/<pkg>`` (its setup.py, setup.cfg or
    pyproject.toml declares the project) and keeps a demo site beside it (django-oscar's
    ``sandbox/manage.py``): the repository is the project, the sandbox holds its manage.py and
    settings. Only one folder, one level down, and never ``src/`` itself (pretalx's
    ``src/manage.py`` beside ``src/setup.py`` is a project rooted in ``src/``).
    """
    if (root / "manage.py").is_file() or not _src_packages(root) or not declares_project(root):
        return None
    try:
        found = sorted(
            p
            for p in root.iterdir()
            if p.is_dir() and p.name != "src" and _searched(p) and (p / "manage.py").is_file()
        )
    except OSError:
        return None
    return found[0] if len(found) == 1 else None


def _lifted(folder: Path) -> Path:
    """``folder`` (holding manage.py), or the repository root above it whose sandbox it is."""
    parent = folder.parent
    return parent if parent != folder and sandbox_folder(parent) == folder else folder


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
            return _lifted(folder)
    for folder in candidates:
        if any((folder / name).is_file() for name in PACKAGING_FILES):
            reader = ProjectReader(folder)
            found = _find_settings(reader, read_config(reader))
            if (found is not None and found[1] is not None) or sandbox_folder(folder):
                return folder
    for folder in candidates:
        if find_test_script(ProjectReader(folder)) is not None:
            return folder
    below = _manage_py_below(start)
    if len(below) == 1:
        return _lifted(below[0])
    if below:
        names = ", ".join(start_rel(start, p) for p in below)
        raise NotADjangoProjectError(
            f"{start} holds several Django projects ({names}): upgrader walks one at a time",
            hint=f"Run upgrader in one of them, e.g. `upgrader plan {start_rel(start, below[0])}`.",
            path=start,
        )
    raise NotADjangoProjectError(
        f"{start} is not a Django project: found no manage.py in it, its parents or the "
        f"folders {_SEARCH_DEPTH} levels below it, no pyproject.toml, setup.py or setup.cfg next "
        "to a settings module (looked at manage.py, wsgi.py, asgi.py, test scripts, "
        "DJANGO_SETTINGS_MODULE in pytest.ini, pyproject.toml, setup.cfg and tox.ini, and "
        f"[tool.upgrader] settings), and no test script using Django ({', '.join(TEST_SCRIPTS)})",
        hint="Run upgrader in the folder holding manage.py, or add [tool.upgrader] settings = "
        '"mysite.settings" to the project\'s pyproject.toml.',
        path=start,
    )


def start_rel(start: Path, path: Path) -> str:
    return path.relative_to(start).as_posix()


def _searched(folder: Path) -> bool:
    name = folder.name
    if name.startswith(".") or name in PRUNED_DIRS or name in ("build", "dist"):
        return False
    return not (folder / "pyvenv.cfg").is_file()  # a virtualenv


def _manage_py_below(start: Path) -> list[Path]:
    """The shallowest folders below ``start`` holding manage.py (two levels at most)."""
    level = [start]
    for _depth in range(_SEARCH_DEPTH):
        children: list[Path] = []
        for folder in level:
            try:
                children += sorted(p for p in folder.iterdir() if p.is_dir() and _searched(p))
            except OSError:
                continue
        found = [p for p in children if (p / "manage.py").is_file()]
        if found:
            return found
        level = children
    return []


def find_layout(reader: ProjectReader, config: ProjectConfig) -> Layout:
    """``manage.py`` and the settings of the project whose root ``reader`` reads."""
    root = reader.root
    sandbox = sandbox_folder(root)
    manage = (sandbox or root) / "manage.py"
    manage_py = manage if manage.is_file() else None
    script = find_test_script(reader) if manage_py is None else None
    script_path, script_evidence = script if script else (None, None)
    apps = app_packages(root)
    found = _find_settings(reader, config)
    if found is None:
        # No module: a test script's settings.configure(...) call is where the settings are.
        where = (
            script_evidence if script_evidence and "configure" in script_evidence.detail else None
        )
        return Layout(root, manage_py, None, None, (), where, script_path, script_evidence, apps)
    module, path, evidence = found
    files = settings_package_files(root, path) if path else ()
    return Layout(
        root, manage_py, module, path, files, evidence, script_path, script_evidence, apps
    )


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
