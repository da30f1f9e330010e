"""Scan a project's files for the catalogue's deprecations: static only, never importing its code.

``scan_project`` walks the project once (``upgrader.files.project_files``: .gitignore,
``[tool.upgrader] exclude``, virtualenvs and symlinks leaving the tree are honoured):

- every ``.py`` file gets the Python-code detector; the settings module's files also get the
  settings detector (on the same parsed tree: each file is parsed once);
- template files (``.html .htm .txt .xml .email`` under a ``templates/`` folder or one of the
  project's template dirs) get the template detector.
- when a settings file names a manifest static files storage, the ``.js``/``.css`` files under
  a ``static/`` folder get the source map check (``static_sourcemaps``).

A cheap byte-level check skips files containing none of a detector's needles before they are
decoded or parsed. A file that cannot be read, decoded or parsed becomes a ``Skipped`` entry
saying what to do, and the scan goes on.
"""

from __future__ import annotations

import ast
import dataclasses
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Literal

from upgrader.errors import UpgraderError
from upgrader.files import Skipped, SourceText, project_files, read_text
from upgrader.findings import (
    python_code,
    python_migrate,
    python_tables,
    settings_file,
    static_sourcemaps,
    templates,
    url_includes,
    widget_uses,
)
from upgrader.findings.model import Finding, ScanResult
from upgrader.findings.url_includes import UrlNames
from upgrader.project import Project
from upgrader.settings_modules import module_file, settings_modules

TEMPLATE_SUFFIXES = (".html", ".htm", ".txt", ".xml", ".email")

Progress = Callable[[int, int], None]
# How a file is scanned: the Python-code detector, that and the settings detector, templates.
FileKind = Literal["python", "settings", "template"]

TOO_DEEP = (
    "nested too deeply to be read (an expression of thousands of terms, such as generated "
    "code): not scanned; split the expression or add the file to [tool.upgrader] exclude"
)


class ScanError(UpgraderError):
    """A single source given to :func:`scan_source` could not be parsed."""


def _parse(text: str, filename: str) -> ast.Module | str:
    """The module's AST, or why it could not be parsed (as a sentence for the user)."""
    try:
        return ast.parse(text, filename=filename)
    except SyntaxError as exc:
        where = f"line {exc.lineno}" if exc.lineno else "somewhere"
        running = f"{sys.version_info.major}.{sys.version_info.minor}"
        return (
            f"syntax error at {where} ({exc.msg}) for Python {running}: not scanned; fix it, "
            "run upgrader with the newer Python the file is written for, or add it to "
            "[tool.upgrader] exclude"
        )
    except RecursionError:
        return TOO_DEEP
    except (ValueError, MemoryError) as exc:  # null bytes; more than the parser can hold
        return f"cannot be parsed ({exc}): not scanned; fix it or exclude it"


def _python_findings(
    tree: ast.Module, filename: str, *, is_settings: bool
) -> tuple[list[Finding], settings_file.SettingsFacts | None]:
    found: list[Finding] = []

    def emit(deprecation_id: str, node: ast.AST, message: str) -> None:
        line = getattr(node, "lineno", 1)
        col = getattr(node, "col_offset", 0)
        found.append(Finding(filename, line, col, deprecation_id, message))

    python_code.detect_python(tree, filename, emit)
    facts = settings_file.detect_settings(tree, emit) if is_settings else None
    return found, facts


def _template_findings(
    text: str, filename: str, url_names: UrlNames | Mapping[str, bool] | None = None
) -> list[Finding]:
    found: list[Finding] = []

    def emit(deprecation_id: str, line: int, col: int, message: str) -> None:
        found.append(Finding(filename, line, col, deprecation_id, message))

    templates.detect_template(text, emit, url_names)
    return found


def _absence_findings(facts: Iterable[settings_file.SettingsFacts], filename: str) -> list[Finding]:
    return [
        Finding(filename, 1, 0, deprecation_id, f"{setting} is not set")
        for deprecation_id, setting in settings_file.absent_settings(facts)
    ]


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per (file, line, col, id): the first message wins."""
    seen: dict[tuple[str, int, int, str], Finding] = {}
    for finding in findings:
        seen.setdefault((finding.file, finding.line, finding.col, finding.id), finding)
    return sorted(seen.values())


def scan_source(text: str, filename: str, *, is_settings: bool = False) -> list[Finding]:
    """Findings in one file's text: templates by suffix, anything else as Python.

    A settings file (``is_settings``) is also checked for settings it must set, judged on this
    file alone unless it star-imports others. Raises :class:`ScanError` for unparsable Python.
    """
    if filename.endswith(TEMPLATE_SUFFIXES):
        return _dedupe(_template_findings(text, filename))
    tree = _parse(text, filename)
    if isinstance(tree, str):
        raise ScanError(f"{filename}: {tree}", hint="Fix the file or exclude it from the scan.")
    try:
        found, facts = _python_findings(tree, filename, is_settings=is_settings)
    except RecursionError:  # parsed, but deeper than the detectors can walk
        raise ScanError(f"{filename}: {TOO_DEEP}", hint="Fix the file or exclude it.") from None
    if facts is not None and not facts.star_imports:
        found += _absence_findings([facts], filename)
    return _dedupe(found)


def is_template(rel: PurePosixPath, path: Path, template_dirs: tuple[Path, ...]) -> bool:
    """Whether the project file ``path`` (``rel`` from the root) is a template the scan reads:
    a template suffix under a ``templates/`` folder or one of the project's template dirs."""
    if rel.suffix not in TEMPLATE_SUFFIXES:
        return False
    if "templates" in rel.parts[:-1]:
        return True
    return any(path.is_relative_to(directory) for directory in template_dirs)


def settings_paths(project: Project) -> list[Path]:
    """The files of the project's settings (see ``upgrader.settings_modules``)."""
    return list(settings_modules(project))


def scan_project(
    project: Project, *, progress: Progress | None = None, origin: Path | None = None
) -> ScanResult:
    """Every finding in the project's Python code, settings and templates, with file:line.

    ``origin``: the project's own root when ``project`` is a copy of it (the plan's scratch
    copy), whose stage environments name the third-party URLs (``url_includes.url_names``)."""
    root = project.root.resolve()
    skipped: list[Skipped] = []
    files = project_files(root, exclude=project.config.exclude, skipped=skipped)
    settings = settings_paths(project)
    settings_set = set(settings)
    template_dirs = tuple(Path(d).resolve() for d in project.template_dirs)
    work: list[tuple[Path, FileKind]] = []
    for path in files:
        rel = PurePosixPath(path.relative_to(root).as_posix())
        if rel.suffix == ".py":
            work.append((path, "settings" if path in settings_set else "python"))
        elif is_template(rel, path, template_dirs):
            work.append((path, "template"))
    known = set(files)
    for path in settings:  # a settings file git ignores is still the settings
        if path not in known and path.is_relative_to(root):
            work.append((path, "settings"))
    result = scan_files(project, work, progress=progress, settings=settings, origin=origin)
    return dataclasses.replace(result, skipped=(*skipped, *result.skipped))


def scan_files(
    project: Project,
    work: Sequence[tuple[Path, FileKind]],
    *,
    progress: Progress | None = None,
    settings: Sequence[Path] | None = None,
    origin: Path | None = None,
) -> ScanResult:
    """The findings in ``work`` (files of ``project``, absolute, each with how it is read);
    ``settings``: the project's settings files when the caller has them (``settings_paths``);
    ``origin``: see :func:`scan_project`.

    When a settings file is among them, what the settings as a whole leave unset is judged on
    every settings file (one of them may set it for the others: ``base.py``) and reported at the
    main one; not at all when a settings file cannot be read or star-imports a module outside
    the settings. A file that cannot be read, decoded or parsed is a ``Skipped`` entry.
    """
    root = project.root.resolve()
    settings = settings_paths(project) if settings is None else settings
    settings_set = set(settings)
    work = list(work)
    known = {path for path, _ in work}
    if any(kind == "settings" for _, kind in work):
        for path in settings:  # read for what they set, not for their findings
            if path not in known and path.is_relative_to(root):
                work.append((path, "settings"))
    findings: list[Finding] = []
    skipped: list[Skipped] = []
    facts: list[settings_file.SettingsFacts] = []
    settings_incomplete = False
    total = len(work)
    url_names = _UrlNames(project, [path for path, kind in work if kind != "template"], origin)
    for done, (path, kind) in enumerate(work, start=1):
        rel_name = path.relative_to(root).as_posix()
        result = _scan_file(path, rel_name, kind, url_names)
        if isinstance(result, Skipped):
            skipped.append(result)
            if kind == "settings":
                settings_incomplete = True  # cannot tell what the settings leave unset
        else:
            file_findings, file_facts = result
            if path in known:
                findings += file_findings
            if file_facts is not None:
                facts.append(file_facts)
                for level, module in file_facts.star_imports:
                    target = module_file(root, path, level, module)
                    if target is None or target not in settings_set:
                        settings_incomplete = True
        if progress is not None:
            progress(done, total)

    main = (root / project.settings_file).resolve() if project.settings_file else None
    if main is None or not main.is_relative_to(root):
        main = next((path for path in settings if path.is_relative_to(root)), None)
    if main is not None and facts and not settings_incomplete:
        findings += _absence_findings(facts, main.relative_to(root).as_posix())
    if any(fact.manifest_storage for fact in facts):
        findings += _source_map_findings(project)
    if any(finding.id == widget_uses.DEPRECATION_ID for finding in findings):
        # A widget's uses may be in files outside ``work``: judged on the whole project.
        every = project_files(root, exclude=project.config.exclude)
        findings = widget_uses.judge(root, findings, every)
    if any(finding.id == python_tables.MIGRATIONS_TABLE for finding in findings):
        # Where the test database is built without migrations is in another file (runtests.py).
        every = project_files(root, exclude=project.config.exclude)
        findings = python_migrate.judge(root, findings, every)
    return ScanResult(tuple(_dedupe(findings)), tuple(skipped), files_scanned=len(known))


def _source_map_findings(project: Project) -> list[Finding]:
    """The static files' source map comments naming a missing map, which a manifest storage's
    collectstatic refuses from Django 4.0 (JavaScript) and 4.1 (CSS) on: read in the whole
    project, since the settings that name the storage are what asks (F42)."""
    root = project.root.resolve()
    every = project_files(root, exclude=project.config.exclude)
    return [
        Finding(
            dangling.file,
            dangling.line,
            0,
            dangling.id,
            f"sourceMappingURL={dangling.url}: {dangling.target} is not in the static files",
        )
        for dangling in static_sourcemaps.dangling_source_maps(root, every)
    ]


class _UrlNames:
    """The project's logout URL names, read from its URLconf once, when a template needs them."""

    def __init__(self, project: Project, python_files: list[Path], origin: Path | None) -> None:
        self._project = project
        self._files = python_files
        self._origin = origin
        self._names: UrlNames | None = None
        self._read = False

    def get(self) -> UrlNames | None:
        if not self._read:
            self._names = url_includes.url_names(self._project, self._files, origin=self._origin)
            self._read = True
        return self._names


def _scan_file(
    path: Path, rel_name: str, kind: str, url_names: _UrlNames | None = None
) -> Skipped | tuple[list[Finding], settings_file.SettingsFacts | None]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Skipped(path, f"cannot be read ({exc.strerror or exc}): check its permissions")
    source = read_text(path, data)
    if isinstance(source, Skipped):
        return source  # named even without a needle: a UTF-16 module using url() is not fine
    assert isinstance(source, SourceText)
    needles = templates.NEEDLES if kind == "template" else python_tables.NEEDLES
    if kind != "settings" and not any(needle in data for needle in needles):
        if kind == "python" and "\0" in source.text:  # Python refuses it: say so
            reason = _parse(source.text, rel_name)
            if isinstance(reason, str):
                return Skipped(path, reason)
        return [], None
    if kind == "template":
        names = url_names.get() if url_names is not None and b"logout" in data else None
        return _template_findings(source.text, rel_name, names), None
    tree = _parse(source.text, rel_name)
    if isinstance(tree, str):
        return Skipped(path, tree)
    try:
        return _python_findings(tree, rel_name, is_settings=kind == "settings")
    except RecursionError:  # parsed, but deeper than the detectors can walk
        return Skipped(path, TOO_DEEP)
