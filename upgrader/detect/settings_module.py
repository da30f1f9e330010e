"""Which settings module the project names, and where: ``[tool.upgrader] settings``,
``manage.py``, ``wsgi.py``/``asgi.py``, a reusable app's test script (``find_test_script``: it may
configure settings in code instead), pytest's configuration and tox's ``setenv``, strongest first
(``find_settings``); the file of a dotted module under the root (``module_file``) and every module
of a settings package (``settings_package_files``). Python files are parsed, never run."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from upgrader.detect.config import ConfigError
from upgrader.detect.model import Evidence, ProjectConfig
from upgrader.detect.sandbox import sandbox_folder
from upgrader.detect.sources import ProjectReader, line_of

CONFIG_SETTINGS = "[tool.upgrader] settings"  # the evidence detail of the configured module
SOURCE_BASES = ("", "src")  # folders, relative to the root, that are on sys.path
_SETTINGS_VAR = "DJANGO_SETTINGS_MODULE"
_MODULE = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")
_SETENV = re.compile(rf"\b{_SETTINGS_VAR}\s*=\s*([\w.]+)")
TEST_SCRIPTS = (
    "runtests.py",
    "run_tests.py",
    "quicktest.py",
    "tests/runtests.py",
    "tests/run_tests.py",
)
_SCRIPT_CALLS = frozenset({"configure", "setup", "get_runner", "DiscoverRunner", "call_command"})


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


def find_settings(
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
