"""Which installed modules Django or the project can load, read statically (never imported).

A removed-name import in a module nothing loads never fails: oauth2client 4.1.3's
``contrib/django_util/models.py`` defines ``from_db_value(..., context)`` (gone in Django 3.0),
but a project that imports only ``oauth2client.service_account`` and does not list
``oauth2client.contrib.django_util`` in ``INSTALLED_APPS`` never loads it. The modules that
count (``loaded_modules``) start from:

- each ``INSTALLED_APPS`` entry's module and, in its app package, the modules Django itself
  loads: ``models``, ``apps``, ``admin``, ``urls``, every ``templatetags`` library and every
  migration (the test runner migrates);
- every module the project's own code imports, and every dotted string literal in it naming an
  installed module (``MIDDLEWARE``, ``include("x.urls")``, backends);

and follow, inside the modules given, each reached module's imports (absolute and relative)
and its dotted string literals (``default_app_config``), transitively, with the ``__init__``
of every package on the way. What cannot be resolved is not followed.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from upgrader.files import SourceText, project_files, read_text

__all__ = [
    "ProjectRoots",
    "loaded_modules",
    "mapping_refs",
    "module_refs",
    "project_roots",
    "site_refs",
]

_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
# The modules of an app package Django (and its test runner) loads by itself.
_APP_MODULES = ("models", "apps", "admin", "urls")
_APP_FOLDERS = ("templatetags", "migrations")


@dataclass(frozen=True)
class ProjectRoots:
    """Where loading starts: the project's ``INSTALLED_APPS`` and the dotted names its own code
    imports or names in a string literal."""

    apps: tuple[str, ...] = ()
    imports: frozenset[str] = frozenset()

    @property
    def known(self) -> bool:
        """Whether anything is known of what the project loads: with nothing (no settings, no
        code read), every module counts, as if all were loaded."""
        return bool(self.apps or self.imports)


def _package_of(rel: str) -> list[str]:
    """The package a module at ``rel`` (``a/b/c.py``, ``a/b/__init__.py``) is in: ``[a, b]``."""
    return rel.removesuffix(".py").split("/")[:-1]


def _refs(tree: ast.Module, package: list[str] | None) -> Iterator[str]:
    """Dotted names ``tree`` imports or names in a string; relative imports resolved against
    ``package`` (None: the project's own code, whose relative imports are its own)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if package is None or node.level - 1 > len(package):
                    continue
                base = package[: len(package) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if not module:
                continue
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names if alias.name != "*")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and len(node.value) < 200
            and _DOTTED.fullmatch(node.value)
        ):
            yield node.value


def module_refs(text: str, rel: str) -> tuple[str, ...]:
    """What the module ``text`` at ``rel`` (relative to site-packages) imports or names, as
    absolute dotted names (``_refs``); () when it does not parse."""
    try:
        tree = ast.parse(text, filename=rel)
    except (SyntaxError, ValueError, RecursionError):
        return ()
    try:
        return tuple(sorted(set(_refs(tree, _package_of(rel)))))
    except RecursionError:
        return ()


def project_roots(root: Path, installed_apps: Iterable[str]) -> ProjectRoots:
    """The roots of the project at ``root``: its ``installed_apps`` and what its own ``.py``
    files import or name (their relative imports are the project's own and not followed)."""
    names: set[str] = set()
    for path in project_files(root, suffixes=(".py",)):
        source = read_text(path)
        if not isinstance(source, SourceText):
            continue
        try:
            names.update(_refs(ast.parse(source.text, filename=str(path)), None))
        except (SyntaxError, ValueError, RecursionError):
            continue
    return ProjectRoots(tuple(installed_apps), frozenset(names))


def _resolve(name: str, modules: Collection[str]) -> list[str]:
    """The modules (paths in ``modules``) loading ``name`` loads: the longest prefix of it that
    is a module, and the ``__init__`` of every package above it; [] when none is."""
    parts = name.split(".")
    for size in range(len(parts), 0, -1):
        stem = "/".join(parts[:size])
        found = next((c for c in (f"{stem}.py", f"{stem}/__init__.py") if c in modules), None)
        if found is None:
            continue
        chain = [f"{'/'.join(parts[:i])}/__init__.py" for i in range(1, size)]
        return [c for c in chain if c in modules] + [found]
    return []


def _app_modules(entry: str, modules: Collection[str]) -> list[str]:
    """The modules Django loads for the ``INSTALLED_APPS`` entry ``entry`` (an app package, or
    the dotted path of its AppConfig): the entry's own and its app package's ``_APP_MODULES``
    and ``_APP_FOLDERS`` modules."""
    found = _resolve(entry, modules)
    if not found:
        return []
    packages = [rel.removesuffix("/__init__.py") for rel in found if rel.endswith("/__init__.py")]
    if not packages:
        return found
    app = packages[-1]  # "x.apps.XConfig" -> x; "x" -> x
    for name in _APP_MODULES:
        found += _resolve(f"{app.replace('/', '.')}.{name}", modules)
    inside = tuple(f"{app}/{folder}/" for folder in _APP_FOLDERS)
    found += [
        rel for rel in modules if rel.startswith(inside) and rel.count("/") == app.count("/") + 2
    ]
    return found


def loaded_modules(
    modules: Collection[str], refs: Callable[[str], Iterable[str]], roots: ProjectRoots
) -> frozenset[str]:
    """The paths of ``modules`` (``.py`` files relative to site-packages or an archive's root)
    that Django or the project loads from ``roots``; ``refs(path)``: what that module imports or
    names (``module_refs``)."""
    todo: list[str] = []
    for app in roots.apps:
        todo += _app_modules(app, modules)
    for name in sorted(roots.imports):
        todo += _resolve(name, modules)
    seen: set[str] = set()
    while todo:
        rel = todo.pop()
        if rel in seen:
            continue
        seen.add(rel)
        for name in refs(rel):
            todo += (m for m in _resolve(name, modules) if m not in seen)
    return frozenset(seen)


@functools.lru_cache(maxsize=8192)
def _file_refs(path: Path, rel: str, size: int, mtime_ns: int) -> tuple[str, ...]:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return ()
    return module_refs(text, rel)


def site_refs(site: Path) -> Callable[[str], Iterable[str]]:
    """``refs`` for ``loaded_modules`` over an installed site-packages folder (cached per file
    on its size and time)."""

    def refs(rel: str) -> Iterable[str]:
        path = site / rel
        try:
            stat = path.stat()
        except OSError:
            return ()
        if stat.st_size > 1_000_000:
            return ()
        return _file_refs(path, rel, stat.st_size, stat.st_mtime_ns)

    return refs


def mapping_refs(table: Mapping[str, tuple[str, ...]]) -> Callable[[str], Iterable[str]]:
    """``refs`` for ``loaded_modules`` from a table already read (an archive's modules)."""
    return lambda rel: table.get(rel, ())
