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

``release_removed_imports`` reads a release that is not installed the same way, from its wheel
(else its sdist) fetched from the index (``PackageIndex.download``, cached): the release
``choose_versions`` would move such a package to must itself import no removed name (rules 3.0
still imports ``force_text``; 3.1 is the first that does not).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import json
import tarfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from upgrader.deps.index import SDIST_SUFFIXES, DistFile, PackageIndexError, ReleaseFiles
from upgrader.deps.model import REMOVED_IMPORT, FileSource
from upgrader.deps.reachable import (
    ProjectRoots,
    loaded_modules,
    mapping_refs,
    module_refs,
    site_refs,
)
from upgrader.files import write_atomic
from upgrader.findings.catalogue import get
from upgrader.findings.python_code import detect_python
from upgrader.verify.deprecations import THIRD_PARTY, DeprecationFinding

__all__ = [
    "REMOVED_IMPORT",
    "ReleaseScan",
    "loaded_split",
    "release_module_text",
    "release_removed_imports",
    "removed_imports",
    "site_loaded",
]

# Handlers that make an import a fallback: `except ImportError: from six import ...`.
_FALLBACK_ERRORS = frozenset(
    {"ImportError", "ModuleNotFoundError", "Exception", "BaseException", "AttributeError"}
)
# Definitions the detector finds that fail whenever Django calls them after the removal:
# ``from_db_value(self, value, expression, connection, context)`` gets no ``context`` on 3.0.
_DEFINITE_DEFS = frozenset({"from-db-value-context"})
_TEST_PARTS = frozenset({"tests", "test", "testing", "testapp"})
_TEST_FILES = frozenset({"tests.py", "test.py", "conftest.py"})  # an app's own tests module
_BUDGET = 1_000_000  # bytes: a module larger than this is generated, not an app's import site
_DOWNLOAD_BUDGET = 30_000_000  # bytes: a release file larger than this is not fetched to be read
# In an sdist, beside the package: its docs, examples and build scripts are never imported.
_SDIST_SKIP_PARTS = frozenset({"docs", "doc", "example", "examples", "demo", "sandbox"})
_SDIST_SKIP_TOP = frozenset(
    {"setup.py", "conftest.py", "runtests.py", "manage.py", "noxfile.py", "fabfile.py", "tasks.py"}
)


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
    """Lines whose imports are a fallback or depend on the running version: both sides of a
    ``try``/``except ImportError`` (the new name tried first with the old one in the handler,
    django-allauth's ``adapter.py``, or the other way round) and of a version test."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        fallbacks = [
            h for h in getattr(node, "handlers", ()) if _handler_names(h) & _FALLBACK_ERRORS
        ]
        if isinstance(node, ast.Try) and fallbacks:
            lines.update(_span(node.body))
            for handler in fallbacks:
                lines.update(_span(handler.body))
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
    paths = (line.split(",", 1)[0].strip() for line in lines)
    return sorted({path for path in paths if _is_module(path)})


def _is_module(path: str) -> bool:
    """Whether ``path`` (relative to site-packages) is a package's module, not its tests."""
    parts = path.split("/")
    return not (
        not path.endswith(".py")
        or path.startswith("..")
        or parts[0].endswith((".dist-info", ".data"))
        or _TEST_PARTS.intersection(parts[:-1])
        or parts[-1].startswith("test_")
        or parts[-1] in _TEST_FILES
    )


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
    return _text_hits(text, rel)


def _text_hits(text: str, rel: str) -> tuple[_Hit, ...]:
    """``_hits`` of one module's ``text``."""
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
    yield from _findings(_hits(path, rel, stat.st_size, stat.st_mtime_ns), rel, source, target)


def _findings(
    hits: Iterable[_Hit], rel: str, source: Version, target: Version
) -> Iterator[DeprecationFinding]:
    for deprecation_id, line, message in hits:
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
        name = _dist_name(info)
        if name == "django" or (wanted is not None and name not in wanted):
            continue
        for rel in _package_files(site, info):
            found.extend(_scan_file(site, rel, low, high))
    unique = {(f.file, f.message): f for f in reversed(found)}
    return tuple(sorted(unique.values(), key=lambda f: (f.file, f.line)))


def _dist_name(info: Path) -> str:
    from packaging.utils import canonicalize_name

    return canonicalize_name(info.name.removesuffix(".dist-info").partition("-")[0])


def site_loaded(site: Path, roots: ProjectRoots) -> frozenset[str]:
    """The package modules installed in ``site`` (Django's own left out) that Django or the
    project loads from ``roots`` (``upgrader.deps.reachable.loaded_modules``)."""
    modules: set[str] = set()
    for info in sorted(site.glob("*.dist-info")):
        if _dist_name(info) != "django":
            modules.update(_package_files(site, info))
    return loaded_modules(modules, site_refs(site), roots)


def loaded_split(
    findings: Iterable[DeprecationFinding], loaded: frozenset[str]
) -> tuple[tuple[DeprecationFinding, ...], tuple[DeprecationFinding, ...]]:
    """``findings`` in the modules ``loaded`` (they break the project), and the others (a
    module nothing loads: a note, never a blocker)."""
    items = tuple(findings)
    return (
        tuple(f for f in items if f.file in loaded),
        tuple(f for f in items if f.file not in loaded),
    )


@dataclass(frozen=True)
class ReleaseScan:
    """What one release's own files import that the target removed (``release_removed_imports``)."""

    filename: str  # the wheel or sdist read ("" when the index lists none)
    findings: tuple[DeprecationFinding, ...] = ()
    problem: str = ""  # why its files could not be read: nothing is known then
    # With the project's roots: the findings in modules neither Django nor the project loads.
    unloaded: tuple[DeprecationFinding, ...] = ()

    @property
    def clean(self) -> bool:
        return not self.problem and not self.findings


def _release_file(release: ReleaseFiles) -> DistFile | None:
    """The file to read ``release``'s modules from: a pure-Python wheel, else the smallest
    wheel, else an sdist (yanked files last)."""
    wheels = [f for f in release.files if f.is_wheel]
    sdists = [f for f in release.files if f.filename.endswith(SDIST_SUFFIXES)]
    ordered = sorted(wheels, key=lambda f: (f.yanked, "-none-any" not in f.filename, f.size or 0))
    ordered += sorted(sdists, key=lambda f: (f.yanked, f.size or 0))
    return ordered[0] if ordered else None


def _sdist_module(member: str) -> str | None:
    """An sdist member's path as installed (``rules-3.1/src/rules/x.py`` -> ``rules/x.py``), or
    None for what is not the package's code (its docs, examples, build scripts, tests)."""
    parts = member.split("/")[1:]  # below the ``name-version/`` folder
    if parts[:1] == ["src"]:
        parts = parts[1:]
    if not parts or _SDIST_SKIP_PARTS.intersection(parts[:-1]):
        return None
    if len(parts) == 1 and parts[0] in _SDIST_SKIP_TOP:
        return None
    rel = "/".join(parts)
    return rel if _is_module(rel) else None


def _decoded(data: bytes | None) -> str | None:
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _archive_modules(path: Path, wheel: bool) -> Iterator[tuple[str, str]]:
    """(path as installed, text) of the package modules in a wheel or sdist at ``path``."""
    if path.name.endswith((".whl", ".zip")):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                rel = info.filename if wheel else _sdist_module(info.filename)
                if info.is_dir() or rel is None or not _is_module(rel) or info.file_size > _BUDGET:
                    continue
                text = _decoded(archive.read(info))
                if text is not None:
                    yield rel, text
        return
    with tarfile.open(path) as archive:
        for member in archive:
            rel = _sdist_module(member.name)
            if not member.isfile() or rel is None or member.size > _BUDGET:
                continue
            handle = archive.extractfile(member)
            text = _decoded(handle.read() if handle else None)
            if text is not None:
                yield rel, text


_Module = tuple[str, tuple[_Hit, ...], tuple[str, ...]]  # (path, hits, refs)


@functools.cache
def _reader_key() -> str:
    """What a stored archive scan was made by: this module, the detector and the import reader
    (a changed one reads again)."""
    from upgrader.deps import reachable
    from upgrader.findings import python_code

    digest = hashlib.sha256()
    for module in (__file__, python_code.__file__, reachable.__file__):
        with contextlib.suppress(OSError):
            digest.update(Path(module).read_bytes())
    return digest.hexdigest()


def _scan_archive(path: Path, wheel: bool) -> tuple[_Module, ...]:
    """(module, ``_hits``, ``module_refs``) of every module of the archive at ``path``; the refs
    only when some module has hits (else nothing needs what loads what)."""
    read = [(rel, _text_hits(text, rel), text) for rel, text in _archive_modules(path, wheel)]
    needed = any(hits for _, hits, _ in read)
    return tuple((rel, hits, module_refs(text, rel) if needed else ()) for rel, hits, text in read)


def _stored(data: object) -> tuple[_Module, ...] | None:
    if not isinstance(data, dict) or data.get("reader") != _reader_key():
        return None
    try:
        return tuple(
            (
                str(rel),
                tuple((str(i), int(line), str(message)) for i, line, message in hits),
                tuple(str(r) for r in refs),
            )
            for rel, hits, refs in data["modules"]
        )
    except (KeyError, TypeError, ValueError):
        return None


@functools.lru_cache(maxsize=256)
def _archive_hits(path: Path, wheel: bool, size: int, mtime_ns: int) -> tuple[_Module, ...]:
    """``_scan_archive`` of the archive at ``path``: cached in memory, since each hop of a plan
    may read the same release, and on disk beside the archive (``<file>.scan.json``), so the
    next plan does not parse it again."""
    store = path.with_name(f"{path.name}.scan.json")
    with contextlib.suppress(OSError, UnicodeDecodeError, json.JSONDecodeError):
        found = _stored(json.loads(store.read_text("utf-8")))
        if found is not None:
            return found
    modules = _scan_archive(path, wheel)
    data = {"reader": _reader_key(), "modules": [[r, h, f] for r, h, f in modules]}
    with contextlib.suppress(OSError):
        write_atomic(store, json.dumps(data).encode("utf-8"))
    return modules


@dataclass(frozen=True)
class ModuleText:
    """One module of a release that is not installed, as its wheel or sdist holds it."""

    filename: str  # the wheel or sdist read ("" when the index lists none)
    text: str | None = None  # None: the release has no such module
    problem: str = ""  # why its files could not be read: nothing is known then


def release_module_text(index: FileSource, release: ReleaseFiles, rel: str) -> ModuleText:
    """The text of the module ``rel`` (a path as installed, ``vcr/patch.py``) in ``release``'s
    wheel, else its sdist, fetched through ``index`` (cached) and read, never installed."""
    dist = _release_file(release)
    if dist is None:
        return ModuleText("", problem="the index lists no wheel or sdist of it")
    if dist.size is not None and dist.size > _DOWNLOAD_BUDGET:
        return ModuleText(dist.filename, problem=f"{dist.filename} is too large to read")
    try:
        path = index.download(dist)
        text = next((t for r, t in _archive_modules(path, dist.is_wheel) if r == rel), None)
    except PackageIndexError as exc:
        return ModuleText(dist.filename, problem=exc.message)
    except (OSError, zipfile.BadZipFile, tarfile.TarError, EOFError) as exc:
        return ModuleText(dist.filename, problem=f"{dist.filename} cannot be read: {exc}")
    return ModuleText(dist.filename, text)


def release_removed_imports(
    index: FileSource, release: ReleaseFiles, target: str, roots: ProjectRoots | None = None
) -> ReleaseScan:
    """The imports of Django names removed at or before ``target`` in ``release``'s own modules
    (its wheel, else its sdist, fetched through ``index`` and read, never installed or run),
    as ``removed_imports`` finds them in an installed package: guarded imports and tests left
    out. With ``roots`` known (the project's, ``upgrader.deps.reachable.project_roots``), a finding
    in a module neither Django nor the project loads is in ``unloaded``, not ``findings``. A
    release whose file cannot be fetched or read has a ``problem`` instead."""
    dist = _release_file(release)
    if dist is None:
        return ReleaseScan("", problem="the index lists no wheel or sdist of it")
    if dist.size is not None and dist.size > _DOWNLOAD_BUDGET:
        return ReleaseScan(dist.filename, problem=f"{dist.filename} is too large to read")
    try:
        high = Version(target)
        path = index.download(dist)
        stat = path.stat()
        read = _archive_hits(path, dist.is_wheel, stat.st_size, stat.st_mtime_ns)
        found = [
            finding for rel, hits, _ in read for finding in _findings(hits, rel, Version("0"), high)
        ]
    except InvalidVersion:
        return ReleaseScan(dist.filename, problem=f"{target!r} is not a Django version")
    except PackageIndexError as exc:
        return ReleaseScan(dist.filename, problem=exc.message)
    except (OSError, zipfile.BadZipFile, tarfile.TarError, EOFError) as exc:
        return ReleaseScan(dist.filename, problem=f"{dist.filename} cannot be read: {exc}")
    unique = {(f.file, f.message): f for f in reversed(found)}
    ordered = tuple(sorted(unique.values(), key=lambda f: (f.file, f.line)))
    if roots is None or not roots.known or not ordered:
        return ReleaseScan(dist.filename, ordered)
    table = {rel: refs for rel, _, refs in read}
    loaded = loaded_modules(table, mapping_refs(table), roots)
    kept, unloaded = loaded_split(ordered, loaded)
    return ReleaseScan(dist.filename, kept, unloaded=unloaded)
