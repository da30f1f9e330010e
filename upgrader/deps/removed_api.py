"""Installed Django apps whose own files import a name the hop's target Django removed.

Django 3.0 removed its Python 2 helpers (``django.utils.six``, ``python_2_unicode_compatible``)
without a deprecation period, so an app kept at a release that imports them gives no warning on
2.2 and fails at import on 3.0 (django-date-extensions 3.0, its newest release). The stage
environments upgrader made (``.upgrader/cache/tox/djangoNN``) hold each package's installed
files; this module reads them statically (parsed, never imported) with the findings catalogue's
own detector (``upgrader.findings.python_code``), keeping imports of Django names removed after
the hop's source and at or before its target, and the definitions that fail whenever Django
calls them there (``from_db_value(..., context)`` without a default, removed in 3.0). An import guarded by ``try``/``except
ImportError`` (or a version test) is a compatibility shim and does not count, and neither do a
package's tests.

Each import found becomes a ``DeprecationFinding`` of category :data:`REMOVED_IMPORT`, file
relative to site-packages, so ``upgrader.deps.breaking`` maps it to its package like a runtime
warning and ``choose_versions`` moves the package to a newer release that works, or blocks the
hop naming the file:line, the name and the release that removed it.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable, Iterator
from pathlib import Path

from packaging.version import InvalidVersion, Version

from upgrader.deps.model import REMOVED_IMPORT
from upgrader.findings.catalogue import get
from upgrader.findings.python_code import detect_python
from upgrader.verify.deprecations import THIRD_PARTY, DeprecationFinding

__all__ = ["REMOVED_IMPORT", "removed_imports", "site_packages"]

TOX_ENVS = Path(".upgrader") / "cache" / "tox"
# Handlers that make an import a fallback: `except ImportError: from six import ...`.
_FALLBACK_ERRORS = frozenset(
    {"ImportError", "ModuleNotFoundError", "Exception", "BaseException", "AttributeError"}
)
# Definitions the detector finds that fail whenever Django calls them after the removal:
# ``from_db_value(self, value, expression, connection, context)`` gets no ``context`` on 3.0.
_DEFINITE_DEFS = frozenset({"from-db-value-context"})
_TEST_PARTS = frozenset({"tests", "test", "testing", "testapp"})
_BUDGET = 1_000_000  # bytes: a module larger than this is generated, not an app's import site


def site_packages(root: Path, env: str) -> Path | None:
    """The site-packages folder of the tox environment ``env`` upgrader made in ``root``."""
    if not env:
        return None
    found = sorted((root / TOX_ENVS / env).glob("lib/python*/site-packages"))
    found += sorted((root / TOX_ENVS / env).glob("Lib/site-packages"))  # Windows
    return found[0] if found else None


def _handler_names(handler: ast.ExceptHandler) -> set[str]:
    if handler.type is None:
        return {"BaseException"}
    items = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return {
        item.id if isinstance(item, ast.Name) else item.attr
        for item in items
        if isinstance(item, ast.Name | ast.Attribute)
    }


def _is_version_test(test: ast.expr) -> bool:
    """``if django.VERSION < (3, 0):``, ``if six.PY2:``, ``if sys.version_info[0] == 2:``."""
    for node in ast.walk(test):
        name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
        if isinstance(name, str) and ("VERSION" in name.upper() or name in ("PY2", "PY3")):
            return True
    return False


def _span(body: Iterable[ast.stmt]) -> Iterator[int]:
    for statement in body:
        yield from range(statement.lineno, (statement.end_lineno or statement.lineno) + 1)


def _guarded_lines(tree: ast.Module) -> frozenset[int]:
    """Lines whose imports are a fallback or depend on the running version."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
            _handler_names(h) & _FALLBACK_ERRORS for h in node.handlers
        ):
            lines.update(_span(node.body))
        elif isinstance(node, ast.If) and _is_version_test(node.test):
            lines.update(_span(node.body))
            lines.update(_span(node.orelse))
    return frozenset(lines)


def _package_files(site: Path, info: Path) -> list[str]:
    """The ``.py`` files ``info`` (a ``*.dist-info``) installed, relative to ``site``, tests
    left out."""
    record = info / "RECORD"
    try:
        lines = record.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    files: list[str] = []
    for line in lines:
        path = line.split(",", 1)[0].strip()
        parts = path.split("/")
        if (
            not path.endswith(".py")
            or path.startswith("..")
            or parts[0].endswith((".dist-info", ".data"))
            or _TEST_PARTS.intersection(parts[:-1])
            or parts[-1].startswith("test_")
        ):
            continue
        files.append(path)
    return sorted(set(files))


def _removed_between(deprecation_id: str, source: Version, target: Version) -> Version | None:
    try:
        entry = get(deprecation_id)
    except KeyError:
        return None
    if entry.scope != "django":
        return None
    removed = entry.removed_version
    return removed if source < removed <= target else None


_Hit = tuple[str, int, str]  # (catalogue id, line, message)


@functools.lru_cache(maxsize=4096)
def _hits(path: Path, rel: str, size: int, mtime_ns: int) -> tuple[_Hit, ...]:
    """The unguarded removed-name imports (and definite definitions) of one installed file,
    whatever the hop: cached on the file's size and time, since a plan asks once per hop."""
    if size > _BUDGET:
        return ()
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return ()
    if "django" not in text or "import" not in text:
        return ()
    try:
        tree = ast.parse(text, filename=rel)
    except (SyntaxError, ValueError, RecursionError):  # Python 2 code, a template in .py
        return ()
    hits: list[_Hit] = []

    def emit(deprecation_id: str, node: ast.AST, message: str) -> None:
        if isinstance(node, ast.ImportFrom) and message.startswith("`from "):
            hits.append((deprecation_id, node.lineno, f"imports from `{node.module}`"))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            hits.append((deprecation_id, node.lineno, message))
        elif (
            deprecation_id in _DEFINITE_DEFS
            and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and not node.args.defaults  # `context=None`: called either way, works on both
        ):
            hits.append((deprecation_id, node.lineno, f"defines {message}"))

    try:
        detect_python(tree, rel, emit)
    except RecursionError:
        return ()
    guarded = _guarded_lines(tree)
    return tuple(hit for hit in hits if hit[1] not in guarded)


def _scan_file(
    site: Path, rel: str, source: Version, target: Version
) -> Iterator[DeprecationFinding]:
    path = site / rel
    try:
        stat = path.stat()
    except OSError:
        return
    for deprecation_id, line, message in _hits(path, rel, stat.st_size, stat.st_mtime_ns):
        removed = _removed_between(deprecation_id, source, target)
        if removed is None:
            continue
        yield DeprecationFinding(
            file=rel,
            line=line,
            category=REMOVED_IMPORT,
            message=message,
            origin=THIRD_PARTY,
            removed_in=str(removed),
            catalogue_id=deprecation_id,
        )


def removed_imports(
    site: Path, source: str, target: str, packages: Iterable[str] | None = None
) -> tuple[DeprecationFinding, ...]:
    """The imports of Django names removed after ``source`` and at or before ``target`` in the
    files of the packages installed in ``site`` (a site-packages folder), one per file and name,
    sorted by file and line. ``packages``: canonical names to look at (default: all but Django)."""
    from packaging.utils import canonicalize_name

    try:
        low, high = Version(source), Version(target)
    except InvalidVersion:
        return ()
    wanted = None if packages is None else {canonicalize_name(p) for p in packages}
    found: list[DeprecationFinding] = []
    for info in sorted(site.glob("*.dist-info")):
        name = canonicalize_name(info.name.removesuffix(".dist-info").partition("-")[0])
        if name == "django" or (wanted is not None and name not in wanted):
            continue
        for rel in _package_files(site, info):
            found.extend(_scan_file(site, rel, low, high))
    unique = {(f.file, f.message): f for f in reversed(found)}
    return tuple(sorted(unique.values(), key=lambda f: (f.file, f.line)))
