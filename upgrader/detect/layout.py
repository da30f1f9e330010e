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

Where each part is found: the settings module and a reusable app's test script in
``settings_module``, a repository's demo site in ``sandbox``, template folders in
``template_dirs``; the root and the layout here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from upgrader.detect.config import read_config
from upgrader.detect.model import Evidence, ProjectConfig
from upgrader.detect.sandbox import declares_project, sandbox_folder, searched
from upgrader.detect.settings_module import (
    CONFIG_SETTINGS,
    SOURCE_BASES,
    TEST_SCRIPTS,
    find_settings,
    find_test_script,
    module_file,
    settings_from_python,
    settings_package_files,
)
from upgrader.detect.sources import ProjectReader
from upgrader.detect.template_dirs import template_dirs
from upgrader.errors import NotADjangoProjectError

__all__ = [
    "CONFIG_SETTINGS",
    "PACKAGING_FILES",
    "SOURCE_BASES",
    "TEST_SCRIPTS",
    "Layout",
    "app_packages",
    "declares_project",
    "find_layout",
    "find_root",
    "find_template_dirs",
    "find_test_script",
    "module_file",
    "sandbox_folder",
    "settings_from_python",
    "settings_package_files",
    "start_rel",
]

PACKAGING_FILES = ("pyproject.toml", "setup.py", "setup.cfg")
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
            found = find_settings(reader, read_config(reader))
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


def _manage_py_below(start: Path) -> list[Path]:
    """The shallowest folders below ``start`` holding manage.py (two levels at most)."""
    level = [start]
    for _depth in range(_SEARCH_DEPTH):
        children: list[Path] = []
        for folder in level:
            try:
                children += sorted(p for p in folder.iterdir() if p.is_dir() and searched(p))
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
    found = find_settings(reader, config)
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


def find_template_dirs(
    reader: ProjectReader, layout: Layout, files: Sequence[Path]
) -> tuple[Path, ...]:
    """Existing template folders inside the root: ``TEMPLATES`` ``DIRS``, then app folders."""
    return template_dirs(reader, layout.settings_files, files)
