"""``upgrader check [FILE ...]``: the removed-API check, on the files given (the pre-commit hook).

pre-commit runs ``upgrader check`` at the repository root with the staged file names (the hook in
``.pre-commit-hooks.yaml`` passes Python and HTML files). Only those files are read:

- a ``.py`` file gets the Python-code detector, and the settings detector when it is one of the
  project's settings files (``upgrader.settings_modules``); the settings rules that look for a
  setting the settings must set (``DEFAULT_AUTO_FIELD``, ...) then read every settings file,
  since a setting may be set in a sibling module (``base.py``), and report at the main one;
- a template (``.html``/``.htm`` given by name, or a ``.txt``/``.xml``/``.email`` under a
  ``templates/`` folder or a template dir) gets the template detector.

A file outside the project, excluded by ``[tool.upgrader] exclude``, inside a virtualenv folder
or of another kind is not checked (pre-commit passes every staged file of the types it matches).
Files are grouped by the project that holds them (a repository may hold several), each project
found as ``upgrader plan`` finds it.

Without file names the whole project is checked, as before (``upgrader check [PROJECT]``).
The target defaults to ``[tool.upgrader] target`` (a key of the project's pyproject.toml, once the
config reader knows it) and else to the newest LTS.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from packaging.version import Version

from upgrader.detect.layout import find_root
from upgrader.errors import NotADjangoProjectError, UsageError
from upgrader.files import PRUNED_DIRS, Skipped, is_ignored
from upgrader.findings.model import Finding
from upgrader.findings.scan import FileKind, is_template, scan_files, scan_project, settings_paths
from upgrader.findings.selection import relevant
from upgrader.project import Project, detect_project
from upgrader.releases import get_release, newest, newest_lts, parse_version
from upgrader.reviewed import is_reviewed

# Given by name, these are templates wherever they are; the other template suffixes only under a
# templates folder (a .txt file is rarely a template).
NAMED_TEMPLATE_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class CheckResult:
    """What ``check`` found: the uses of removed APIs and the files it could not read."""

    findings: tuple[Finding, ...]
    skipped: tuple[Skipped, ...] = ()
    files_checked: int = 0
    reviewed: int = 0  # breaking findings left out as ``[tool.upgrader] reviewed`` names them


def target_version(project: Project, spec: str | None) -> Version:
    """The Django ``--target`` names (``X.Y``, ``lts``, ``latest``), else the project's
    ``[tool.upgrader] target``, else the newest LTS. Announced releases count: what they remove
    is known before they are out."""
    configured = project.config.target
    chosen = spec or (configured if isinstance(configured, str) else None) or "lts"
    if chosen == "lts":
        return newest_lts().version
    if chosen == "latest":
        return newest().version
    version = parse_version(chosen)
    if get_release(version) is None:
        origin = "--target" if spec else "the project's configured target"
        raise UsageError(
            f"{origin} {chosen}: not a Django feature release upgrader knows",
            hint="Pass --target with a release such as 4.2 or 5.2, or lts / latest.",
        )
    return version


def _kind(project: Project, path: Path, settings: set[Path]) -> FileKind | None:
    """How ``path`` is checked ("python", "settings", "template"), None when it is not."""
    root = project.root.resolve()
    rel = PurePosixPath(path.relative_to(root).as_posix())
    parts = rel.parts
    if any(part in PRUNED_DIRS for part in parts[:-1]):
        return None
    if project.config.exclude and is_ignored(rel.as_posix(), project.config.exclude):
        return None
    if rel.suffix == ".py":
        return "settings" if path in settings else "python"
    template_dirs = tuple(Path(d).resolve() for d in project.template_dirs)
    if rel.suffix in NAMED_TEMPLATE_SUFFIXES or is_template(rel, path, template_dirs):
        return "template"
    return None


def check_project_files(project: Project, files: Iterable[Path]) -> CheckResult:
    """Every finding in ``files`` of ``project`` (absolute or relative to the working folder)."""
    root = project.root.resolve()
    settings = settings_paths(project)
    settings_set = set(settings)
    work: dict[Path, FileKind] = {}
    for given in files:
        path = given.resolve()
        if not path.is_file() or not path.is_relative_to(root):
            continue
        kind = _kind(project, path, settings_set)
        if kind is not None:
            work[path] = kind
    scan = scan_files(project, sorted(work.items()), settings=settings)
    return CheckResult(scan.findings, scan.skipped, files_checked=scan.files_scanned)


def group_by_project(paths: Sequence[Path]) -> dict[Path, list[Path]]:
    """The given files by the root of the project that holds each (found from its folder).

    A file in no single project (a repository's top-level ``setup.py`` above two projects) is
    left out; when no file is in a project, the error says why (``NotADjangoProjectError``).
    """
    roots: dict[Path, Path | None] = {}
    grouped: dict[Path, list[Path]] = {}
    first_error: NotADjangoProjectError | None = None
    for path in paths:
        folder = path.resolve().parent
        if folder not in roots:
            try:
                roots[folder] = find_root(folder)
            except NotADjangoProjectError as exc:
                roots[folder] = None
                first_error = first_error or exc
        root = roots[folder]
        if root is not None:
            grouped.setdefault(root, []).append(path)
    if not grouped and first_error is not None:
        raise first_error
    return grouped


@dataclass(frozen=True)
class CheckRun:
    """One ``upgrader check`` over its projects: each project's target and breaking findings."""

    projects: tuple[tuple[Project, Version, CheckResult], ...]
    files: bool = False  # file names were given (paths are shown from the working folder)

    @property
    def breaking(self) -> int:
        return sum(len(result.findings) for _project, _target, result in self.projects)


def run_check(
    paths: Sequence[Path],
    *,
    target: str | None = None,
    python: str | None = None,
    django_from: str | None = None,
) -> CheckRun:
    """``upgrader check``: no paths or one folder checks that whole project; files check those.

    Each project's result keeps only what its hop to the target breaks (``relevant``).
    """
    if not paths or (len(paths) == 1 and paths[0].is_dir()):
        project = detect_project(paths[0] if paths else Path("."), django_from=django_from)
        version = target_version(project, target)
        scan = scan_project(project)
        whole = CheckResult(scan.findings, scan.skipped, scan.files_scanned)
        return CheckRun(((project, version, _breaking(project, version, whole, python)),))
    folders = [path for path in paths if path.is_dir()]
    if folders:
        raise UsageError(
            f"{folders[0]} is a folder: pass either one project folder or file names",
            hint="Name one project folder (all of its files are checked) or only file names.",
            path=folders[0],
        )
    existing = [path for path in paths if path.exists()]  # a deleted file has nothing to check
    if not existing:  # nothing given exists: a mistyped path, not a commit that deletes files
        raise UsageError(
            f"{paths[0]} does not exist"
            + (f" (nor do the other {len(paths) - 1})" if len(paths) > 1 else ""),
            hint="Name the project folder or files that exist (paths are taken from the current folder).",
            path=paths[0],
        )
    runs: list[tuple[Project, Version, CheckResult]] = []  # one per project, in the given order
    for root, files in group_by_project(existing).items():
        project = detect_project(root, django_from=django_from)
        version = target_version(project, target)
        result = check_project_files(project, files)
        runs.append((project, version, _breaking(project, version, result, python)))
    return CheckRun(tuple(runs), files=True)


def _breaking(
    project: Project, target: Version, result: CheckResult, python: str | None
) -> CheckResult:
    """What the hop to ``target`` breaks, less the findings ``[tool.upgrader] reviewed`` names
    as not applying (``upgrader.reviewed``: the same entries the plan and the step honour)."""
    found = relevant(result.findings, project.django_version, target, python).breaking
    reviewed = project.config.reviewed
    kept = tuple(f for f in found if not is_reviewed(f, reviewed))
    return CheckResult(kept, result.skipped, result.files_checked, reviewed=len(found) - len(kept))


def render_findings(run: CheckRun) -> list[str]:
    """One line per breaking finding, ``file:line: id: summary (docs)``; the file as given (from
    the working folder) when files were named, else relative to the project root."""
    lines: list[str] = []
    for project, _target, result in run.projects:
        for finding in result.findings:
            shown = _from_cwd(project.root / finding.file) if run.files else finding.file
            lines.append(
                f"{shown}:{finding.line}: {finding.id}: {finding.deprecation.summary} "
                f"({finding.deprecation.docs})"
            )
    return lines


def _from_cwd(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
