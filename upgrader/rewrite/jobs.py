"""Which files the stage reads, as what (Python, settings, template), with the sibling files
their guards decide on; files over the size budget, generated or outside the project are left
alone."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from upgrader.files import Skipped, project_files
from upgrader.project import Project
from upgrader.rewrite.guards import DEFAULT_APP_CONFIG, settings_star_imports, star_import_name
from upgrader.rewrite.model import FileKind, Job, Sibling
from upgrader.rewrite.stages import tool_tree
from upgrader.settings_modules import module_file, settings_modules

# Files under a folder named like this are Django templates (apps' ``templates/`` folders).
TEMPLATE_FOLDER = "templates"
TEMPLATE_SUFFIXES = (".html", ".htm", ".txt", ".xml", ".email", ".tpl", ".tmpl", ".djhtml")
GENERATED_MARKERS = (b"@generated", b"DO NOT EDIT")
_HEAD_BYTES = 8192  # read of a file over the size limit, to tell a generated one
# The per-file size budget (the CPU budget is ``engine.MAX_FILE_CPU_SECONDS``): a file past it
# is a skipped file naming the limit, never a stall. Hand-written modules stay far below it
# (Django's largest is 0.1 MB); generated ones (data dumps, compiled protobufs, vendored
# bundles) do not.
MAX_FILE_BYTES = 1_000_000


def suffixes(kind: FileKind) -> tuple[str, ...]:
    return (".py",) if kind == "python" else TEMPLATE_SUFFIXES


def _head(path: Path) -> bytes:
    """The first bytes of ``path``: enough for ``_is_generated``."""
    with path.open("rb") as file:
        return file.read(_HEAD_BYTES)


def _too_large(size: int) -> str:
    return (
        f"is {size / 1_000_000:.1f} MB, over the rewrite stage's per-file limit of "
        f"{MAX_FILE_BYTES / 1_000_000:.1f} MB: left alone (a generated module? add it to "
        "[tool.upgrader] exclude to silence this)"
    )


def _is_generated(data: bytes) -> bool:
    head = data.split(b"\n", 5)[:5]
    return any(marker in line for line in head for marker in GENERATED_MARKERS)


def file_job(
    path: Path,
    root: Path,
    kind: FileKind,
    is_settings: bool,
    skipped: list[Skipped],
    resolved: Path | None = None,  # ``path.resolve()``, when the caller has it
) -> Job | None:
    resolved = resolved or path.resolve()
    if not resolved.is_relative_to(root):
        skipped.append(Skipped(path, f"resolves to {resolved}, outside {root}: left alone"))
        return None
    try:
        size = resolved.stat().st_size
        data = _head(resolved) if size > MAX_FILE_BYTES else resolved.read_bytes()
    except OSError as exc:
        skipped.append(Skipped(path, f"cannot be read ({exc.strerror or exc}): check permissions"))
        return None
    if _is_generated(data):
        return None
    if size > MAX_FILE_BYTES:
        skipped.append(Skipped(path, _too_large(size)))
        return None
    return Job(resolved, resolved.relative_to(root).as_posix(), kind, is_settings, data)


def settings_paths(project: Project) -> frozenset[Path]:
    """The files settings rules run on: ``settings_modules`` without a settings package's
    ``__init__.py`` (unless it is the settings module itself)."""
    main = project.settings_file
    main = (project.root / main).resolve() if main is not None else None
    return frozenset(
        path for path in settings_modules(project) if path.name != "__init__.py" or path == main
    )


def _template_roots(project: Project) -> list[Path]:
    roots = []
    for directory in project.template_dirs:
        path = directory if directory.is_absolute() else project.root / directory
        roots.append(path.resolve())
    return roots


def project_jobs(project: Project, skipped: list[Skipped]) -> list[Job]:
    root = project.root.resolve()
    exclude = tuple(project.config.exclude)
    settings = settings_paths(project)
    template_roots = _template_roots(project)
    jobs: dict[Path, Job] = {}
    folders: dict[Path, Path] = {}  # folder -> its resolved path: one ``resolve`` per folder
    for path in project_files(
        root, suffixes=(".py", *TEMPLATE_SUFFIXES), exclude=exclude, skipped=skipped
    ):
        resolved = _resolve(path, folders)
        if resolved in jobs:
            continue  # a symlink to a file already listed
        if path.suffix == ".py":
            kind: FileKind = "python"
        elif TEMPLATE_FOLDER in path.relative_to(root).parts[:-1] or any(
            resolved.is_relative_to(t) for t in template_roots
        ):
            kind = "template"
        else:
            continue
        job = file_job(path, root, kind, resolved in settings, skipped, resolved)
        if job is not None:
            jobs[resolved] = job
    return [_with_siblings(jobs[p], root, jobs) for p in sorted(jobs)]


def _resolve(path: Path, folders: dict[Path, Path]) -> Path:
    """``path.resolve()``, with its folder's resolved path remembered in ``folders``: a file
    that is not a symlink resolves to its resolved folder joined with its name (``resolve``
    costs an ``lstat`` per component of every path; the warm run pays it for every file)."""
    if path.is_symlink():
        return path.resolve()
    folder = folders.get(path.parent)
    if folder is None:
        folder = folders[path.parent] = path.parent.resolve()
    return folder / path.name


_SETTINGS_NAME = re.compile(r"(\b|_)settings(\b|_)")  # django-upgrade's looks_like_settings_file


def _with_siblings(job: Job, root: Path, jobs: Mapping[Path, Job]) -> Job:
    """``job`` with the other files its wrapped fixers' guards decide on (see guards)."""
    siblings: list[Sibling] = []
    folder = job.path.parent
    if job.path.name == "__init__.py" and DEFAULT_APP_CONFIG in job.data:
        apps = folder / "apps.py"
        sibling = _sibling("apps", apps, root, editable=apps in jobs)
        if sibling is not None:
            siblings.append(sibling)
        if (folder / "apps").exists():  # an apps package: no apps.py can be added
            siblings.append(Sibling("apps-package", f"{job.rel.rpartition('/')[0]}/apps", b""))
    elif job.path.name == "apps.py":
        init = jobs.get(folder / "__init__.py")
        if init is not None and DEFAULT_APP_CONFIG in init.data:
            siblings.append(Sibling("init", init.rel, init.data))
    if (
        job.kind == "python"
        and _SETTINGS_NAME.search(job.rel)
        and b"_STORAGE" in job.data
        and b"import *" in job.data
    ):
        tree = tool_tree(job.data.decode("utf-8", "replace"))
        for node in settings_star_imports(tree) if tree is not None else ():
            target = module_file(root, job.path, node.level, node.module or "")
            if target is not None:
                sibling = _sibling(f"star:{star_import_name(node)}", target, root, editable=False)
                if sibling is not None:
                    siblings.append(sibling)
    if not siblings:
        return job
    return Job(job.path, job.rel, job.kind, job.is_settings, job.data, tuple(siblings))


def _sibling(key: str, path: Path, root: Path, *, editable: bool) -> Sibling | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    return Sibling(key, rel, data, editable)
