"""The rewrite stage: bring a project's code, settings and templates forward by one hop.

``rewrite_project(project, hop, write=...)`` runs, per file and in this order:

1. django-upgrade at the hop's target Django (in-process: ``django_upgrade.main.apply_fixers``;
   calendar versions are clamped to the newest target django-upgrade knows),
2. our rules from ``codemods`` that the hop reaches (Python rules on ``.py`` files, settings rules
   on the settings module only, template rules on template files),
3. pyupgrade at the lowest Python the code must run on during the hop (in-process through
   ``pyupgrade._main._fix_plugins``/``_fix_tokens``, a subprocess if those ever move).

How it stays fast: a content-keyed cache (sqlite, in the user cache folder) answers unchanged
files without parsing; misses go to a process pool (sorted, de-duplicated paths; one process
for one file or ``jobs=1``); byte-level needles skip rules (and pyupgrade's token pass) that
cannot match; libcst only parses files a rule's needles matched.

How it stays safe: every stage's output must parse (``ast.parse`` with the hop's Python grammar),
otherwise that stage's change is dropped for the file and reported; a file that cannot be read,
decoded or parsed is a :class:`~upgrader.files.Skipped` result, never a crash; files are
written atomically with their encoding, BOM and line endings; generated files (``@generated``
or ``DO NOT EDIT`` in the first 5 lines) and files outside the project are never touched.

Attribution: the stages run one after another on the text and the text is diffed after each, so
every :class:`RuleHit` names the rule (``django-upgrade:<fixer>``, our rule id, or
``pyupgrade``) and the lines it changed, numbered as in the original file.
"""

from __future__ import annotations

import ast
import base64
import dataclasses
import difflib
import hashlib
import importlib.metadata
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any, Literal

from packaging.version import Version

from codemods import Rule, RuleContext, all_rules, get_rule
from upgrader.errors import UsageError
from upgrader.files import Skipped, SourceText, project_files, read_text, write_atomic
from upgrader.hops import Hop
from upgrader.project import Project
from upgrader.rewrite_guards import (
    DEFAULT_APP_CONFIG,
    DEFAULT_SETTING_FIXERS,
    FIXER_NOTES,
    Sibling,
    app_config_note,
    apps_module_for,
    decide_default_app_config,
    mark_default,
    may_define_storages,
    settings_star_imports,
    spread_is_valid,
    star_import_before,
    star_import_name,
    storages_note,
    without_spread,
)
from upgrader.settings_modules import module_file, settings_modules
from upgrader.urlconf import logout_url_names

FileKind = Literal["python", "template"]

# Files under a folder named like this are Django templates (apps' ``templates/`` folders).
TEMPLATE_FOLDER = "templates"
TEMPLATE_SUFFIXES = (".html", ".htm", ".txt", ".xml", ".email", ".tpl", ".tmpl", ".djhtml")
GENERATED_MARKERS = (b"@generated", b"DO NOT EDIT")
_HEAD_BYTES = 8192  # read of a file over the size limit, to tell a generated one
# The per-file budget: a file past either is a skipped file naming the limit, never a stall.
# Size: hand-written modules stay far below it (Django's largest is 0.1 MB); generated ones
# (data dumps, compiled protobufs, vendored bundles) do not. CPU: what one file may cost every
# stage together (CPU, not wall time, so a busy machine does not skip more files).
MAX_FILE_BYTES = 1_000_000
MAX_FILE_CPU_SECONDS = 30.0
DJANGO_UPGRADE = "django-upgrade"
# django-upgrade fixers whose finders answer "maybe" for every file of a common kind (the
# ``from django.db import models`` line of any models file) and decide while editing tokens, so
# django-upgrade tokenizes those files for nothing. They can only change a file that names what
# they rewrite: without these bytes the fixer is skipped (checked equal on Django's own tree).
DJANGO_UPGRADE_NEEDLES: dict[str, tuple[bytes, ...]] = {
    "permalink": (b"permalink",),  # @models.permalink
    "null_boolean_field": (b"NullBooleanField",),
}
PYUPGRADE = "pyupgrade"
LOGOUT_RULE = "template_logout_link"  # the rule that needs the URLconf's logout views
# The oldest grammar ``ast.parse(feature_version=...)`` accepts on every Python we run on.
_OLDEST_FEATURE_VERSION = (3, 7)
# Line endings as Python reads them, and a CR that is not part of a CRLF (see ``_process_file``).
_LINE_END = re.compile(r"\r\n|\r|\n")
_BARE_CR = re.compile(r"\r(?!\n)")
# What pyupgrade's token pass (``_fix_tokens``) can change (see ``_needs_token_pass``).
_TOKEN_PASS_NEEDLES = re.compile(r"""\\[^\n\r\\'"abfnrtv0-7x]|['"]\.encode\(|(?<![\w.])[uU]['"]""")
# "(" then "(" with only blanks/comments between: where pyupgrade may drop doubled parentheses.
_DOUBLE_OPEN = re.compile(r"\((?:\s|#[^\n]*)*\(")
_BLANKS = re.compile(r"(?:\s|#[^\n]*)*")
_NUMBERED_FIELD = re.compile(r"\{\d")
_COOKIE = re.compile(r"^[ \t\f]*#.*?coding[:=]")


@dataclass(frozen=True)
class RuleHit:
    """One rule (or tool fixer) that changed a file, and the 1-based lines it changed.

    Lines are numbered as in the file before the stage ran, mapped back through earlier stages
    to the original file; a pure insertion is reported at the line it follows (at least 1).
    """

    rule: str
    lines: tuple[int, ...]


@dataclass(frozen=True)
class FileChange:
    """A file the stage changed (or would change, in a dry run) and who changed what."""

    path: Path
    rules: tuple[RuleHit, ...]
    diff: str  # unified diff, ``a/<relative path>`` -> ``b/<relative path>``


@dataclass(frozen=True)
class RewriteResult:
    """What the rewrite stage did (``written``) or would do (a dry run) to a project."""

    changes: tuple[FileChange, ...]
    failures: tuple[Skipped, ...]
    notes: tuple[str, ...]
    files_checked: int
    cache_hits: int = 0
    written: bool = False

    @property
    def counts(self) -> dict[str, int]:
        """Rule id -> number of files it changed, sorted by rule id."""
        counter = Counter(hit.rule for change in self.changes for hit in change.rules)
        return dict(sorted(counter.items()))

    @property
    def line_counts(self) -> dict[str, int]:
        """Rule id -> number of lines it changed over all files, sorted by rule id."""
        counter: Counter[str] = Counter()
        for change in self.changes:
            for hit in change.rules:
                counter[hit.rule] += len(hit.lines)
        return dict(sorted(counter.items()))

    @property
    def diff(self) -> str:
        return "".join(change.diff for change in self.changes)


@dataclass(frozen=True)
class RewriteConfig:
    """Everything a worker needs about the hop (picklable; the same for every file).

    Built by :func:`hop_config` (or by :func:`run_rule_on_paths` for one rule).
    """

    root: Path
    django_from: Version
    django_to: Version
    python_to: Version
    packages: tuple[tuple[str, Version], ...]
    rule_ids: tuple[str, ...]  # our rules to run (already filtered by the hop)
    django_upgrade_target: tuple[int, int] | None  # None: do not run django-upgrade
    pyupgrade_min: tuple[int, int] | None  # None: do not run pyupgrade
    grammar: tuple[int, int] | None  # ast feature_version for parse checks
    all_settings: bool = False  # treat every Python file as settings (``codemods run``)
    # URL name -> routes to LogoutView, from the project's URLconf (None: not read).
    url_names: tuple[tuple[str, bool], ...] | None = None

    def context(self, rel: str, is_settings: bool) -> RuleContext:
        return RuleContext(
            django_from=self.django_from,
            django_to=self.django_to,
            python_to=self.python_to,
            packages=dict(self.packages),
            filename=rel,
            is_settings=is_settings,
            url_names=None if self.url_names is None else dict(self.url_names),
        )


@dataclass(frozen=True)
class _Job:
    path: Path  # resolved
    rel: str  # relative to the root, posix
    kind: FileKind
    is_settings: bool
    data: bytes
    # Other files' original bytes that a guard of a wrapped fixer decides on (in the cache key).
    siblings: tuple[Sibling, ...] = ()

    def sibling(self, key: str) -> Sibling | None:
        return next((s for s in self.siblings if s.key == key), None)


@dataclass(frozen=True)
class _Outcome:
    new: bytes | None  # None: unchanged
    hits: tuple[RuleHit, ...] = ()
    notes: tuple[str, ...] = ()
    failures: tuple[str, ...] = ()  # reasons (the file may still have changed by other stages)
    diff: str = ""
    # New files that belong with this change: (path relative to the root, text, rule).
    created: tuple[tuple[str, str, str], ...] = ()
    # False: not stored in the cache (a file over the CPU budget may fit on another run).
    cacheable: bool = True

    def to_json(self) -> bytes:
        payload = {
            "new": None if self.new is None else base64.b64encode(self.new).decode("ascii"),
            "hits": [[hit.rule, list(hit.lines)] for hit in self.hits],
            "notes": list(self.notes),
            "failures": list(self.failures),
            "diff": self.diff,
            "created": [list(item) for item in self.created],
        }
        return json.dumps(payload, separators=(",", ":")).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> _Outcome:
        payload = json.loads(raw)
        new = payload["new"]
        return cls(
            new=None if new is None else base64.b64decode(new),
            hits=tuple(RuleHit(rule, tuple(lines)) for rule, lines in payload["hits"]),
            notes=tuple(payload["notes"]),
            failures=tuple(payload["failures"]),
            diff=payload["diff"],
            created=tuple((rel, text, rule) for rel, text, rule in payload.get("created", [])),
        )


# --------------------------------------------------------------------------- public API


def list_rules() -> list[Rule]:
    """Every registered rule, by scope, package, version and id (for ``upgrader codemods list``)."""
    return list(all_rules())


def rewrite_project(
    project: Project,
    hop: Hop,
    *,
    write: bool,
    packages: Mapping[str, Version] | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = True,
) -> RewriteResult:
    """Run the whole rewrite stage of ``hop`` over ``project``; write only when ``write``.

    ``packages`` are the dependency stage's choices (canonical name -> version) that gate
    third-party rules. ``jobs`` defaults to the CPU count; ``progress(done, total)`` is called
    as files finish. ``cache_dir`` overrides the user cache folder (``UPGRADER_CACHE_DIR``).
    """
    config = hop_config(project.root, hop, packages or {})
    skipped: list[Skipped] = []
    files = _project_jobs(project, skipped)
    if LOGOUT_RULE in config.rule_ids and any(
        job.kind == "template" and b"logout" in job.data for job in files
    ):
        names = logout_url_names(project, (job.path for job in files if job.kind == "python"))
        if names is not None:
            config = dataclasses.replace(config, url_names=tuple(sorted(names.items())))
    return _run(
        files,
        config,
        write=write,
        jobs=jobs,
        progress=progress,
        cache_dir=cache_dir,
        use_cache=use_cache,
        skipped=skipped,
    )


def run_rule_on_paths(
    rule_id: str,
    paths: Sequence[Path],
    *,
    dry_run: bool,
    django_from: Version | None = None,
    jobs: int | None = None,
) -> RewriteResult:
    """Run one of our rules on files and folders (``upgrader codemods run RULE PATH...``).

    The rule runs as if the hop reached exactly its version, from ``django_from`` (default:
    before every release, so "when unset, keep the old default" rules apply). Every Python file
    given is treated as a settings module by settings rules: the user chose the files. Neither
    django-upgrade nor pyupgrade runs. An unknown ``rule_id`` raises ``UsageError``.
    """
    try:
        rule = get_rule(rule_id)
    except KeyError:
        raise UsageError(
            f"there is no codemod rule {rule_id!r}",
            hint="`upgrader codemods list` shows the rule ids.",
        ) from None
    django_to = rule.version if rule.scope == "django" else Version("99")
    python_to = rule.version if rule.scope == "python" else Version(f"3.{sys.version_info[1]}")
    packages = ((rule.package, rule.version),) if rule.package else ()
    resolved = [p.resolve() for p in paths]
    root = Path(os.path.commonpath(resolved)) if resolved else Path.cwd()
    if root.is_file():
        root = root.parent
    config = RewriteConfig(
        root=root,
        django_from=django_from or Version("0"),
        django_to=django_to,
        python_to=python_to,
        packages=packages,
        rule_ids=(rule.id,),
        django_upgrade_target=None,
        pyupgrade_min=None,
        grammar=None,
        all_settings=True,
    )
    skipped: list[Skipped] = []
    files: list[_Job] = []
    kind: FileKind = "template" if rule.kind == "template" else "python"
    for path in resolved:
        candidates = (
            project_files(path, suffixes=_suffixes(kind), skipped=skipped)
            if path.is_dir()
            else [path]
        )
        for file in candidates:
            job = _job(file, root, kind, True, skipped)
            if job is not None:
                files.append(job)
    return _run(
        files, config, write=not dry_run, jobs=jobs, progress=None, use_cache=False, skipped=skipped
    )


def hop_config(root: Path, hop: Hop, packages: Mapping[str, Version]) -> RewriteConfig:
    """The per-hop facts every file is rewritten with (exposed for tests and benchmarks)."""
    django_from = hop.source.version
    django_to = hop.target.version
    python_to = Version(hop.python)
    python_min = min(
        (Version(p) for p in (hop.python_from, hop.python) if p is not None), default=python_to
    )
    context = RuleContext(django_from, django_to, python_to, packages=dict(packages))
    rule_ids = tuple(rule.id for rule in all_rules() if rule.applies(context))
    minimum = (python_min.major, python_min.minor)
    return RewriteConfig(
        root=root.resolve(),
        django_from=django_from,
        django_to=django_to,
        python_to=python_to,
        packages=tuple(sorted(packages.items())),
        rule_ids=rule_ids,
        django_upgrade_target=django_upgrade_target(django_to),
        pyupgrade_min=minimum,
        grammar=max(minimum, _OLDEST_FEATURE_VERSION),
    )


def django_upgrade_target(version: Version) -> tuple[int, int]:
    """The django-upgrade ``--target-version`` for a Django release, clamped to what it knows."""
    from django_upgrade.main import SUPPORTED_TARGET_VERSIONS

    wanted = (version.major, version.minor)
    known = sorted(SUPPORTED_TARGET_VERSIONS)
    eligible = [v for v in known if v <= wanted]
    return eligible[-1] if eligible else known[0]


# --------------------------------------------------------------------------- file selection


def _suffixes(kind: FileKind) -> tuple[str, ...]:
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


def _job(
    path: Path,
    root: Path,
    kind: FileKind,
    is_settings: bool,
    skipped: list[Skipped],
    resolved: Path | None = None,  # ``path.resolve()``, when the caller has it
) -> _Job | None:
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
    return _Job(resolved, resolved.relative_to(root).as_posix(), kind, is_settings, data)


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


def _project_jobs(project: Project, skipped: list[Skipped]) -> list[_Job]:
    root = project.root.resolve()
    exclude = tuple(project.config.exclude)
    settings = settings_paths(project)
    template_roots = _template_roots(project)
    jobs: dict[Path, _Job] = {}
    for path in project_files(
        root, suffixes=(".py", *TEMPLATE_SUFFIXES), exclude=exclude, skipped=skipped
    ):
        resolved = path.resolve()
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
        job = _job(path, root, kind, resolved in settings, skipped, resolved)
        if job is not None:
            jobs[resolved] = job
    return [_with_siblings(jobs[p], root, jobs) for p in sorted(jobs)]


_SETTINGS_NAME = re.compile(r"(\b|_)settings(\b|_)")  # django-upgrade's looks_like_settings_file


def _with_siblings(job: _Job, root: Path, jobs: Mapping[Path, _Job]) -> _Job:
    """``job`` with the other files its wrapped fixers' guards decide on (see rewrite_guards)."""
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
        tree = _tool_tree(job.data.decode("utf-8", "replace"))
        for node in settings_star_imports(tree) if tree is not None else ():
            target = module_file(root, job.path, node.level, node.module or "")
            if target is not None:
                sibling = _sibling(f"star:{star_import_name(node)}", target, root, editable=False)
                if sibling is not None:
                    siblings.append(sibling)
    if not siblings:
        return job
    return _Job(job.path, job.rel, job.kind, job.is_settings, job.data, tuple(siblings))


def _sibling(key: str, path: Path, root: Path, *, editable: bool) -> Sibling | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    return Sibling(key, rel, data, editable)


# --------------------------------------------------------------------------- the run


def _run(
    files: list[_Job],
    config: RewriteConfig,
    *,
    write: bool,
    jobs: int | None,
    progress: Callable[[int, int], None] | None,
    skipped: list[Skipped],
    cache_dir: Path | None = None,
    use_cache: bool = True,
) -> RewriteResult:
    files = sorted({job.path: job for job in files}.values(), key=lambda job: job.path)
    total = len(files)
    outcomes: dict[Path, _Outcome] = {}
    store = _Cache.open(cache_dir, _fingerprint(config)) if use_cache else None
    keys: dict[Path, str] = {}
    misses: list[_Job] = []
    for job in files:
        if store is None:
            misses.append(job)
            continue
        key = store.key(job)
        keys[job.path] = key
        hit = store.get(key)
        if hit is None:
            misses.append(job)
        else:
            outcomes[job.path] = hit
    cache_hits = total - len(misses)
    done = cache_hits
    if progress is not None and total:
        progress(done, total)
    fresh: dict[Path, _Outcome] = {}
    for job, outcome in _process_all(misses, config, jobs):
        fresh[job.path] = outcome
        done += 1
        if progress is not None:
            progress(done, total)
    outcomes.update(fresh)
    if store is not None:
        store.put_many(
            (keys[path], outcome) for path, outcome in fresh.items() if outcome.cacheable
        )
        store.close()
    return _collect(files, outcomes, config, write=write, skipped=skipped, cache_hits=cache_hits)


def _process_all(
    files: list[_Job], config: RewriteConfig, jobs: int | None
) -> Iterator[tuple[_Job, _Outcome]]:
    """Each file's outcome, as files finish (not in ``files``' order)."""
    workers = min(jobs or os.cpu_count() or 1, len(files))
    if workers <= 1:
        for job in files:
            yield job, process_file(job, config)
        return
    _preload_tools()  # once here rather than once per forked worker
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_process_chunk, chunk, config) for chunk in _chunks(files, workers)]
        for future in as_completed(futures):
            yield from future.result()


def _preload_tools() -> None:
    """Import both tools and tag django-upgrade's finders in this process, so workers forked
    from it start with them."""
    try:
        import django_upgrade.main  # noqa: F401
        import pyupgrade._main  # noqa: F401
    except ImportError:  # pragma: no cover - the stage reports the tool's absence per file
        return
    _tag_finders()


def _chunks(files: Sequence[_Job], workers: int) -> list[list[_Job]]:
    """``files`` largest first, in chunks of about 1/(8 x workers) of the bytes (at most 64
    files): workers take the next chunk as they finish one, so the big files start first and the
    small ones even out the end; each chunk costs one round trip to a worker."""
    ordered = sorted(files, key=lambda job: (-len(job.data), job.path))
    share = max(1, sum(len(job.data) for job in ordered) // (workers * 8))
    chunks: list[list[_Job]] = []
    chunk: list[_Job] = []
    size = 0
    for job in ordered:
        chunk.append(job)
        size += len(job.data)
        if size >= share or len(chunk) >= 64:
            chunks.append(chunk)
            chunk, size = [], 0
    if chunk:
        chunks.append(chunk)
    return chunks


def _process_chunk(chunk: list[_Job], config: RewriteConfig) -> list[tuple[_Job, _Outcome]]:
    return [(job, process_file(job, config)) for job in chunk]


def _collect(
    files: list[_Job],
    outcomes: Mapping[Path, _Outcome],
    config: RewriteConfig,
    *,
    write: bool,
    skipped: list[Skipped],
    cache_hits: int,
) -> RewriteResult:
    changes: list[FileChange] = []
    failures = list(skipped)
    notes: list[str] = []
    for job in files:
        outcome = outcomes[job.path]
        notes.extend(outcome.notes)
        failures.extend(Skipped(job.path, reason) for reason in outcome.failures)
        if outcome.new is None:
            continue
        created = [(config.root / rel, text, rule) for rel, text, rule in outcome.created]
        taken = [path for path, _text, _rule in created if path.exists() or path.is_symlink()]
        if taken:
            failures.append(
                Skipped(job.path, f"{taken[0]} appeared during the rewrite: not written, run again")
            )
            continue
        if write:
            try:
                current = job.path.read_bytes()
            except OSError as exc:
                failures.append(Skipped(job.path, f"cannot be read again ({exc}): not written"))
                continue
            if current != job.data:
                failures.append(
                    Skipped(job.path, "changed on disk during the rewrite: not written, run again")
                )
                continue
            for path, text, _rule in created:  # first: the edit relies on them
                write_atomic(path, text.encode())
            write_atomic(job.path, outcome.new)
        changes.append(FileChange(job.path, outcome.hits, outcome.diff))
        for path, text, rule in created:
            changes.append(_created_change(path, config.root, text, rule))
    return RewriteResult(
        changes=tuple(changes),
        failures=tuple(failures),
        notes=tuple(notes),
        files_checked=len(files),
        cache_hits=cache_hits,
        written=write,
    )


def _created_change(path: Path, root: Path, text: str, rule: str) -> FileChange:
    lines = text.splitlines(keepends=True)
    diff = "".join(
        difflib.unified_diff(
            [], lines, fromfile="/dev/null", tofile=f"b/{path.relative_to(root).as_posix()}"
        )
    )
    return FileChange(path, (RuleHit(rule, tuple(range(1, len(lines) + 1))),), diff)


# --------------------------------------------------------------------------- one file


class _Stages:
    """Runs the stages on one file's text, keeping per-stage attribution and failures."""

    def __init__(
        self, text: str, job: _Job, config: RewriteConfig, *, check_each: bool = True
    ) -> None:
        self.original = text
        # False: ``parses`` answers yes unchecked (``unchecked`` says so) and the caller checks
        # the final text with ``final_parses`` (see ``_process_file``).
        self.check_each = check_each
        self.unchecked = False
        self.text = text
        self.job = job
        self.config = config
        self.hits: list[RuleHit] = []
        self.failures: list[str] = []
        self.notes: list[str] = []
        self.created: list[tuple[str, str, str]] = []  # new files (see _Outcome.created)
        self.pending_created: list[tuple[str, str, str]] = []  # once django-upgrade's change holds
        # Maps a line index of the current text to a line index of the original text.
        self._to_original: list[int] = list(range(len(text.splitlines())))
        self._grammar: tuple[int, ...] | None = None  # () once known: full grammar

    def parses(self, text: str) -> bool:
        """Whether a stage's output parses: with the hop's grammar when the original did (a stage
        must not introduce newer syntax), else with this interpreter's full grammar."""
        if self.job.kind != "python":
            return True
        if not self.check_each:
            self.unchecked = True
            return True
        if self._grammar is None:
            grammar = self.config.grammar
            self._grammar = (
                grammar if grammar and _parses(self.original, grammar, self.job.rel) else ()
            )
        return _parses(text, self._grammar or None, self.job.rel)

    def final_parses(self) -> bool:
        """Whether the text the stages left parses (as ``parses`` checks each stage's output)."""
        self.check_each = True
        if self.text == self.original:
            return True
        grammar = self.config.grammar if self.job.kind == "python" else None
        if grammar and self._grammar is None and _parses(self.text, grammar, self.job.rel):
            return True  # fine with the hop's grammar: fine whether or not the original was
        return self.parses(self.text)

    def apply(self, name: str, transform: Callable[[str], str]) -> None:
        try:
            new = transform(self.text)
        except Exception as exc:  # a tool or rule bug must not stop the run
            self.failures.append(
                f"{name} failed on this file ({type(exc).__name__}: {exc}); its change is skipped"
            )
            return
        if new == self.text:
            return
        if not self.parses(new):
            self.failures.append(f"{name} produced code that does not parse; its change is dropped")
            return
        self.record(name, new)

    def original_lines(self, changed: Iterable[int]) -> tuple[int, ...]:
        """1-based lines of the original file for line indexes of the current text."""
        return tuple(sorted({self._to_original_or_last(i) + 1 for i in changed}))

    def record(self, name: str, new: str, *, hit: bool = True) -> None:
        """Accept ``new`` as the current text; ``hit``: attribute the change to ``name``."""
        changed, new_to_old = _line_changes(self.text, new)
        if hit:
            self.hits.append(RuleHit(name, self.original_lines(changed)))
        self._to_original = [self._to_original_or_last(i) for i in new_to_old]
        self.text = new

    def _to_original_or_last(self, index: int) -> int:
        if not self._to_original:
            return 0
        return self._to_original[min(index, len(self._to_original) - 1)]


def _with_endings(original: str, lf_original: str, lf_new: str, default: str) -> str:
    """``lf_new`` (the stages' output on ``lf_original``, ``original`` with LF endings) with the
    line endings of ``original``: a line kept keeps its own, a changed line takes the ending of
    the original line it replaces (``default`` after the original's last line)."""
    endings = [match.group() for match in _LINE_END.finditer(original)]
    old_lines = lf_original.split("\n")
    new_lines = lf_new.split("\n")
    last = len(new_lines) - 1  # the text after the last LF: no ending of its own
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(j2 - j1):
            j = j1 + k
            out.append(new_lines[j])
            if j == last:
                continue
            i = i1 + k if tag == "equal" else min(i1 + k, max(i2 - 1, i1))
            out.append(endings[i] if i < len(endings) else (endings[-1] if endings else default))
    return "".join(out)


def _line_changes(old: str, new: str) -> tuple[list[int], list[int]]:
    """Changed line indexes of ``old``, and for each line of ``new`` the ``old`` line it came from.

    The lines both texts start and end with are equal lines as they are: only the lines between
    go through difflib (a stage changes a few lines of a long file, and difflib's matcher costs
    far more per line than a comparison)."""
    old_lines = old.splitlines()
    new_lines = new.splitlines()
    limit = min(len(old_lines), len(new_lines))
    head = 0
    while head < limit and old_lines[head] == new_lines[head]:
        head += 1
    tail = 0
    while tail < limit - head and old_lines[-1 - tail] == new_lines[-1 - tail]:
        tail += 1
    old_end, new_end = len(old_lines) - tail, len(new_lines) - tail
    new_to_old = list(range(head)) + [0] * (new_end - head) + list(range(old_end, len(old_lines)))
    changed: list[int] = []
    matcher = difflib.SequenceMatcher(
        None, old_lines[head:old_end], new_lines[head:new_end], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        i1, i2, j1, j2 = i1 + head, i2 + head, j1 + head, j2 + head
        if tag == "equal":
            for k in range(j2 - j1):
                new_to_old[j1 + k] = i1 + k
            continue
        anchor = max(i1 - 1, 0)  # a pure insertion is reported at the line it follows
        changed.extend(range(i1, i2) if i2 > i1 else [anchor])
        for k in range(j2 - j1):
            new_to_old[j1 + k] = min(i1 + k, i2 - 1) if i2 > i1 else anchor
    return changed, new_to_old


def _parses(text: str, grammar: tuple[int, ...] | None, filename: str) -> bool:
    """``ast.parse`` with ``grammar`` as ``feature_version`` (best effort, as ``ast`` documents)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escape sequences etc. are not our concern here
        try:
            if grammar:
                ast.parse(text, filename, feature_version=(grammar[0], grammar[1]))
            else:
                ast.parse(text, filename)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
    return True


class _OverBudget(BaseException):
    """Raised by the CPU timer inside a file's stages (not an ``Exception``: no stage's guard
    against a tool's bug catches it)."""


def process_file(job: _Job, config: RewriteConfig) -> _Outcome:
    """Every stage over one file, within the per-file CPU budget (``MAX_FILE_CPU_SECONDS``);
    never raises for a problem with the file or a tool."""
    limit = MAX_FILE_CPU_SECONDS
    if (
        limit <= 0
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        return _process_file(job, config)  # no timer: Windows, or called off the main thread
    armed = [True]

    def expired(signum: int, frame: object) -> None:
        if armed[0]:
            raise _OverBudget

    previous = signal.signal(signal.SIGPROF, expired)

    def disarm() -> None:
        armed[0] = False
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)

    try:
        try:
            signal.setitimer(signal.ITIMER_PROF, limit)
            return _process_file(job, config)
        finally:
            disarm()
    except _OverBudget:
        disarm()
        reason = (
            f"took over {limit:g} s of CPU, the rewrite stage's per-file limit: left alone "
            "(add it to [tool.upgrader] exclude if it is generated)"
        )
        return _Outcome(new=None, failures=(reason,), cacheable=False)


def _process_file(job: _Job, config: RewriteConfig) -> _Outcome:
    read = read_text(job.path, job.data)
    if isinstance(read, Skipped):
        return _Outcome(new=None, failures=(read.reason,))
    # The tools tokenize lines ending in LF (or CRLF): a module with CR-only (or some bare CR)
    # line endings is one line to them, though Python reads it fine. They get it with LF
    # endings, and ``_finish`` puts the file's own endings back on every line.
    source = read
    if job.kind == "python" and _BARE_CR.search(read.text):
        source = dataclasses.replace(read, text=_LINE_END.sub("\n", read.text), newline="\n")
    text = source.text
    tree: ast.Module | None = None
    if job.kind == "python":
        # Parsed once, as both tools parse (the text's UTF-8 bytes): the syntax check, and the
        # tree both tools' finders walk while the text is unchanged (no re-parse per tool).
        tree = _tool_tree(text)
        if tree is None:
            return _Outcome(new=None, failures=(_syntax_error(text, job.rel),))
    # Optimistic first: one parse check of the final text instead of one per stage that changed
    # it. A stage whose output did not parse leaves a final text that does not parse (or a later
    # stage's failure on it), and then the stages run again checking each output, as always.
    stages = _run_stages(source, job, config, tree, check_each=False)
    if stages.unchecked and (stages.failures or not stages.final_parses()):
        stages = _run_stages(source, job, config, tree, check_each=True)
    return _finish(read, stages, job)


def _run_stages(
    source: SourceText,
    job: _Job,
    config: RewriteConfig,
    tree: ast.Module | None,
    *,
    check_each: bool,
) -> _Stages:
    text = source.text
    stages = _Stages(text, job, config, check_each=check_each)
    if tree is not None and config.django_upgrade_target is not None:
        _django_upgrade(stages, config.django_upgrade_target, tree)
        _mark_default_app_config(stages, config.django_upgrade_target)
    is_settings = job.kind == "python" and (job.is_settings or config.all_settings)
    for rule in _rules(config.rule_ids):
        if not _rule_runs_on(rule, job.kind, is_settings):
            continue
        data = job.data if stages.text is text else stages.text.encode()
        if not rule.may_match(data):
            continue
        context = config.context(job.rel, is_settings)
        stages.apply(rule.id, partial(_call_rule, rule, context))
        stages.notes.extend(context.notes)
    # pyupgrade assumes UTF-8 (it drops coding cookies): files in other encodings skip it.
    if (
        job.kind == "python"
        and config.pyupgrade_min is not None
        and source.encoding.replace("_", "-").lower() in ("utf-8", "utf8")
    ):
        unchanged_tree = tree if stages.text is text else None
        stages.apply(
            PYUPGRADE, partial(_pyupgrade, minimum=config.pyupgrade_min, tree=unchanged_tree)
        )
    return stages


def _tool_tree(text: str) -> ast.Module | None:
    """``text`` parsed as the tools parse it. The decoded text, not its UTF-8 bytes: under a
    coding cookie other than UTF-8 those bytes would be decoded again by the cookie (a valid
    cp1252 module refused, a latin-1 ``÷`` read as ``Ã·``, an identifier); the positions are
    the same (``ast`` counts columns in UTF-8 bytes either way)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None


def _call_rule(rule: Rule, context: RuleContext, text: str) -> str:
    return rule.transform(text, context)


def _rule_runs_on(rule: Rule, kind: FileKind, is_settings: bool) -> bool:
    if kind == "template":
        return rule.kind == "template"
    if rule.kind == "settings":
        return is_settings
    return rule.kind == "python"


@cache
def _rules(rule_ids: tuple[str, ...]) -> tuple[Rule, ...]:
    return tuple(get_rule(rule_id) for rule_id in rule_ids)


def _syntax_error(text: str, filename: str) -> str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text, filename)
    except SyntaxError as exc:
        return f"syntax error at line {exc.lineno} ({exc.msg}): fix it, or exclude the file"
    except ValueError as exc:
        return f"cannot be parsed ({exc}): fix it, or exclude the file"
    except (RecursionError, MemoryError) as exc:
        return (
            f"nested too deeply for Python's parser ({type(exc).__name__}): left alone "
            "(add it to [tool.upgrader] exclude if it is generated)"
        )
    return "cannot be parsed: fix it, or exclude the file"


def _finish(source: SourceText, stages: _Stages, job: _Job) -> _Outcome:
    """The outcome of ``stages`` on the file read as ``source`` (the stages may have worked on
    its text with LF endings: each line gets its own ending back)."""
    failures = tuple(stages.failures)
    notes = tuple(stages.notes)
    if stages.text == stages.original:
        return _Outcome(new=None, notes=notes, failures=failures)
    final = stages.text
    if stages.original != source.text:
        final = _with_endings(source.text, stages.original, stages.text, source.newline)
    try:
        new = source.encode(final)
    except UnicodeEncodeError as exc:
        reason = f"the rewritten text cannot be encoded as {source.encoding} ({exc.reason}): left untouched"
        return _Outcome(new=None, notes=notes, failures=(*failures, reason))
    diff = "".join(
        difflib.unified_diff(
            source.text.splitlines(keepends=True),
            final.splitlines(keepends=True),
            fromfile=f"a/{job.rel}",
            tofile=f"b/{job.rel}",
        )
    )
    if diff and not diff.endswith("\n"):
        diff += "\n\\ No newline at end of file\n"
    return _Outcome(
        new=new,
        hits=tuple(stages.hits),
        notes=notes,
        failures=failures,
        diff=diff,
        created=tuple(stages.created),
    )


# --------------------------------------------------------------------------- the tools


def _django_upgrade(stages: _Stages, target: tuple[int, int], tree: ast.Module) -> None:
    from django_upgrade.data import Settings, visit
    from django_upgrade.main import apply_fixers

    before = stages.text
    filename = stages.job.rel
    skip = _fixers_without_needles(stages.job.data) | _guarded_fixers(stages, target, tree)
    settings = Settings(target_version=target, skip_fixers=set(skip))
    _tag_finders()
    try:
        callbacks = visit(tree, settings, filename)
        if not callbacks:
            return  # no fixer found anything: the common case, decided without tokenizing
        tokens = _django_upgrade_token_list(before)
        after = _django_upgrade_tokens(before, callbacks, settings, filename, tokens)
    except Exception as exc:
        stages.failures.append(
            f"{DJANGO_UPGRADE} failed on this file ({type(exc).__name__}: {exc})"
        )
        return
    if after == before:
        return
    after = _storages_guard(stages, tree, before, after)
    if not stages.parses(after):
        stages.failures.append(f"{DJANGO_UPGRADE} produced code that does not parse; dropped")
        return
    # Attribute the change to fixers: each callback names the fixer whose finder gave it (see
    # _tag_finders), and each fixer that found something is applied on its own for its lines.
    by_fixer = _callbacks_by_fixer(callbacks)
    if by_fixer is None:  # untagged (django-upgrade changed its registry): bisect with finders
        fired = _fired_fixers(
            tree, target, filename, sorted(_enabled_fixers(target) - skip), found=True
        )
    else:
        fired = sorted(by_fixer)
    for fixer in fired:
        if len(fired) == 1:
            alone = after
        elif by_fixer is not None:
            alone = _django_upgrade_tokens(before, by_fixer[fixer], settings, filename, tokens)
        else:
            alone = str(apply_fixers(before, Settings(target, only_fixers={fixer}), filename))
        if alone == before:
            continue  # found something, changed nothing
        changed, new_to_old = _line_changes(before, alone)
        lines = stages.original_lines(changed)
        stages.hits.append(RuleHit(f"{DJANGO_UPGRADE}:{fixer}", lines))
        note = FIXER_NOTES.get(fixer)
        if note is not None and note.applies(before, alone):
            at = note.first_line(before, alone)
            where = stages.original_lines([new_to_old[at]]) if at is not None else lines
            stages.notes.append(note.text(filename, where[0] if where else None))
    stages.record(DJANGO_UPGRADE, after, hit=False)
    if "default_app_config" in fired:
        stages.created.extend(stages.pending_created)


class _Tagged:
    """A django-upgrade token callback and the fixer whose finder gave it."""

    __slots__ = ("fixer", "func")

    def __init__(self, fixer: str, func: Callable[[list[Any], int], None]) -> None:
        self.fixer = fixer
        self.func = func

    def __call__(self, tokens: list[Any], i: int) -> None:
        self.func(tokens, i)


def _tagging(fixer: str, finder: Callable[..., Iterable[tuple[Any, Any]]]) -> Callable[..., Any]:
    def tagging(state: Any, node: ast.AST, parents: tuple[ast.AST, ...]) -> Iterator[Any]:
        for offset, func in finder(state, node, parents):
            yield offset, _Tagged(fixer, func)

    return tagging


@cache
def _tag_finders() -> bool:
    """Make every django-upgrade finder (in this process) tag the callbacks it gives with its
    fixer's name, so one walk of a file tells which fixers found something: the walk the edit
    needs anyway, instead of a bisection of the fixers with one walk per step. The callbacks
    and their order are django-upgrade's own. False when its registry is not as expected."""
    try:
        from django_upgrade import data

        registries = [(fixer.name, fixer.ast_funcs) for fixer in data.FIXERS.values()]
        dispatch_cache = data._dispatch_cache
    except (ImportError, AttributeError):  # pragma: no cover - django-upgrade changed
        return False
    for name, registry in registries:
        for registrations in registry.values():
            registrations[:] = [(_tagging(name, f), names) for f, names in registrations]
    dispatch_cache.clear()  # dispatch tables built before hold the untagged finders
    return True


def _callbacks_by_fixer(
    callbacks: Mapping[Any, list[Any]],
) -> dict[str, dict[Any, list[Any]]] | None:
    """Fixer -> its callbacks by offset (in django-upgrade's order); None if one is untagged."""
    by_fixer: dict[str, dict[Any, list[Any]]] = {}
    for offset, funcs in callbacks.items():
        for func in funcs:
            if not isinstance(func, _Tagged):
                return None
            by_fixer.setdefault(func.fixer, {}).setdefault(offset, []).append(func)
    return by_fixer


def _django_upgrade_token_list(text: str) -> list[Any] | None:
    """``text``'s tokens as django-upgrade edits them (dedents fixed up); None when its internals
    moved (then ``_django_upgrade_tokens`` runs ``apply_fixers``)."""
    try:
        from django_upgrade.main import fixup_dedent_tokens
        from tokenize_rt import src_to_tokens
    except ImportError:  # pragma: no cover - django-upgrade moved its internals
        return None
    tokens = src_to_tokens(text)
    fixup_dedent_tokens(tokens)
    return list(tokens)


def _django_upgrade_tokens(
    text: str,
    callbacks: Mapping[Any, list[Any]],
    settings: Any,
    filename: str,
    tokens: Sequence[Any] | None = None,
) -> str:
    """What ``apply_fixers(text, settings, filename)`` returns, from the callbacks its finder
    gave for the tree we already have (its token edits as it makes them: no second parse and
    finder walk per file). ``tokens``: ``text``'s (``_django_upgrade_token_list``), when several
    sets of callbacks edit one text (the attribution per fixer): each edits its own copy, so the
    text is tokenized once, not once per fixer."""
    prepared = _django_upgrade_token_list(text) if tokens is None else list(tokens)
    if prepared is None:  # pragma: no cover - django-upgrade moved its internals
        from django_upgrade.main import apply_fixers

        return str(apply_fixers(text, settings, filename))
    from tokenize_rt import reversed_enumerate, tokens_to_src

    for i, token in reversed_enumerate(prepared):
        if not token.src:
            continue
        for callback in callbacks.get(token.offset, ()):
            callback(prepared, i)
    return str(tokens_to_src(prepared))


def _guarded_fixers(stages: _Stages, target: tuple[int, int], tree: ast.Module) -> frozenset[str]:
    """django-upgrade fixers not to run on this file because their change would not keep
    behaviour here (see docs/wrapped-fixers.md)."""
    job = stages.job
    guarded: set[str] = set()
    for fixer, (setting, honoured_below) in DEFAULT_SETTING_FIXERS.items():
        # Removing "SETTING = <new default>" lets a value star-imported before it win.
        if (
            target < honoured_below
            and setting.encode() in job.data
            and star_import_before(tree, setting)
        ):
            guarded.add(fixer)
    if target >= (3, 2) and job.path.name == "__init__.py" and DEFAULT_APP_CONFIG in job.data:
        decision = decide_default_app_config(
            tree,
            job.path.parent.name,
            job.sibling("apps"),
            apps_taken=job.sibling("apps-package") is not None,
        )
        if decision is not None and decision.action != "remove":
            stages.notes.append(app_config_note(job.rel, decision))
            if decision.action == "keep":
                guarded.add("default_app_config")
            elif decision.action == "create-apps":
                folder = job.rel.rpartition("/")[0]
                stages.pending_created.append(
                    (
                        f"{folder}/apps.py" if folder else "apps.py",
                        apps_module_for(decision.class_name),
                        f"{DJANGO_UPGRADE}:default_app_config",
                    )
                )
    return frozenset(guarded)


def _mark_default_app_config(stages: _Stages, target: tuple[int, int]) -> None:
    """In ``apps.py``: ``default = True`` on the class its package's ``default_app_config``
    named, where the guard lets django-upgrade remove that line only with it."""
    job = stages.job
    init = job.sibling("init")
    if target < (3, 2) or init is None:
        return
    init_tree = _tool_tree(init.data.decode("utf-8-sig", "replace"))
    if init_tree is None:
        return
    apps = Sibling("apps", job.rel, job.data, editable=True)
    decision = decide_default_app_config(init_tree, job.path.parent.name, apps)
    if decision is not None and decision.action == "mark-default":
        stages.apply(
            f"{DJANGO_UPGRADE}:default_app_config",
            partial(_call_mark_default, class_name=decision.class_name),
        )


def _call_mark_default(text: str, class_name: str) -> str:
    return mark_default(text, class_name)


def _storages_guard(stages: _Stages, tree: ast.Module, before: str, after: str) -> str:
    """``settings_storages`` spreads ``**STORAGES`` whenever the file star-imports a settings
    module, even one imported after the assignment (NameError on import): write the whole dict
    unless a star import that may define ``STORAGES`` runs first."""
    if "**STORAGES" in before or "**STORAGES" not in after:
        return after
    provided: dict[str, bool | None] = {}
    for sibling in stages.job.siblings:
        if sibling.key.startswith("star:"):
            provided[sibling.key.removeprefix("star:")] = may_define_storages(sibling.data)
    for node in settings_star_imports(tree):
        provided.setdefault(star_import_name(node), None)
    if spread_is_valid(tree, provided):
        return after
    fixed = without_spread(after, tree)
    line = min(
        (
            node.lineno
            for node in tree.body
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id.endswith("_STORAGE") for t in node.targets)
        ),
        default=1,
    )
    stages.notes.append(storages_note(stages.job.rel, line))
    return fixed


def _fixers_without_needles(data: bytes) -> frozenset[str]:
    """django-upgrade fixers that cannot change ``data`` (none of their needles is in it)."""
    return frozenset(
        name
        for name, needles in DJANGO_UPGRADE_NEEDLES.items()
        if not any(needle in data for needle in needles)
    )


@cache
def _enabled_fixers(target: tuple[int, int]) -> frozenset[str]:
    from django_upgrade.data import FIXERS

    return frozenset(name for name, fixer in FIXERS.items() if fixer.min_version <= target)


def _fired_fixers(
    tree: ast.Module, target: tuple[int, int], filename: str, names: list[str], *, found: bool
) -> list[str]:
    """The fixers among ``names`` whose finders match something in ``tree`` (bisection);
    ``found``: the finders of all ``names`` together are known to match (no walk for that)."""
    from django_upgrade.data import Settings, visit

    if not names:
        return []
    if not found and not visit(tree, Settings(target, only_fixers=set(names)), filename):
        return []
    if len(names) == 1:
        return names
    middle = len(names) // 2
    first = _fired_fixers(tree, target, filename, names[:middle], found=False)
    # Without a match among the first half, the second half holds the match.
    return first + _fired_fixers(tree, target, filename, names[middle:], found=found and not first)


def _pyupgrade(text: str, minimum: tuple[int, int], tree: ast.Module | None = None) -> str:
    """pyupgrade for ``--py3X-plus``, keeping %-formatting and ``mock`` (smaller, safer diffs).

    ``tree``: ``text`` already parsed, so a file no plugin matches is not parsed again. The token
    pass runs only on text with something it can change (``_needs_token_pass``).
    """
    try:
        from pyupgrade._data import FUNCS, Settings, visit
        from pyupgrade._main import _fix_plugins, _fix_tokens
    except ImportError:  # pragma: no cover - pyupgrade moved its internals: use its CLI
        return _pyupgrade_subprocess(text, minimum)
    settings = Settings(min_version=minimum, keep_percent_format=True, keep_mock=True)
    if tree is None:
        new = str(_fix_plugins(text, settings=settings))
    else:
        callbacks = visit(FUNCS, tree, settings)
        new = _pyupgrade_tokens(text, callbacks, settings) if callbacks else text
    if _needs_token_pass(new):
        new = str(_fix_tokens(new))
    return new


def _pyupgrade_tokens(text: str, callbacks: Mapping[Any, list[Any]], settings: Any) -> str:
    """What ``_fix_plugins(text, settings)`` returns, from the callbacks its finder gave for the
    tree we already have (its token edits as it makes them: no second parse and walk)."""
    import tokenize

    try:
        from pyupgrade._main import _fixup_dedent_tokens
        from tokenize_rt import reversed_enumerate, src_to_tokens, tokens_to_src
    except ImportError:  # pragma: no cover - pyupgrade moved its internals
        from pyupgrade._main import _fix_plugins

        return str(_fix_plugins(text, settings=settings))
    try:
        tokens = src_to_tokens(text)
    except tokenize.TokenError:  # pragma: no cover - as pyupgrade (bpo-2180)
        return text
    _fixup_dedent_tokens(tokens)
    for i, token in reversed_enumerate(tokens):
        if not token.src:
            continue
        for callback in callbacks.get(token.offset, ()):
            callback(i, tokens)
    return str(tokens_to_src(tokens)).lstrip()


def _needs_token_pass(text: str) -> bool:
    """Whether pyupgrade's token pass could change ``text``: an invalid escape sequence, a ``u''``
    prefix, doubled parentheses, ``'{0}'.format``, ``'...'.encode(``, or a coding cookie."""
    if _TOKEN_PASS_NEEDLES.search(text) or _may_have_extraneous_parens(text):
        return True
    if ".format" in text and _NUMBERED_FIELD.search(text):
        return True
    head = text.split("\n", 2)[:2]
    return any(_COOKIE.search(line) for line in head)


def _may_have_extraneous_parens(text: str) -> bool:
    """Whether ``text`` may hold ``((expr))`` (no comma in the inner group) for pyupgrade to fix.

    A bracket scan with no tokenizer: anything it cannot judge (a string, a comment, a
    backslash inside the inner group) counts as "maybe", so it never hides a real fix.
    """
    for match in _DOUBLE_OPEN.finditer(text):
        depth = 1
        index = match.end()
        verdict: bool | None = None
        while index < len(text) and verdict is None:
            char = text[index]
            if char in "'\"#\\":
                verdict = True
            elif char in "([{":
                depth += 1
            elif char in ")]}":
                depth -= 1
                if depth == 0:
                    after = _BLANKS.match(text, index + 1)
                    end = after.end() if after else index + 1
                    verdict = text.startswith(")", end)
            elif char == "," and depth == 1:
                verdict = False
            elif char == "y" and depth == 1 and text.startswith("yield", index):
                verdict = True
            index += 1
        if verdict is None or verdict:
            return True
    return False


def _pyupgrade_subprocess(text: str, minimum: tuple[int, int]) -> str:  # pragma: no cover
    flag = f"--py{minimum[0]}{minimum[1]}-plus"
    result = subprocess.run(
        [sys.executable, "-m", "pyupgrade", flag, "--keep-percent-format", "--keep-mock", "-"],
        input=text.encode(),
        capture_output=True,
        check=False,
    )
    if result.returncode not in (0, 1):
        raise RuntimeError(result.stderr.decode(errors="replace").strip())
    return result.stdout.decode()


# --------------------------------------------------------------------------- the cache


def default_cache_dir() -> Path:
    """``$UPGRADER_CACHE_DIR``, else ``$XDG_CACHE_HOME/upgrader``, else ``~/.cache/upgrader``."""
    explicit = os.environ.get("UPGRADER_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "upgrader"


@cache
def _code_fingerprint() -> str:
    """Tool versions and our own rule/engine sources: any change invalidates the cache."""
    digest = hashlib.sha256()
    for dist in ("django-upgrade", "pyupgrade", "libcst"):
        try:
            digest.update(f"{dist}=={importlib.metadata.version(dist)};".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{dist}=?;".encode())
    digest.update(f"python{sys.version_info[:2]};".encode())
    import codemods

    sources = [Path(__file__), *sorted(Path(codemods.__file__).parent.glob("*.py"))]
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _fingerprint(config: RewriteConfig) -> str:
    facts: dict[str, Any] = {
        "code": _code_fingerprint(),
        "django": [str(config.django_from), str(config.django_to)],
        "python": str(config.python_to),
        "packages": [[name, str(v)] for name, v in config.packages],
        "rules": list(config.rule_ids),
        "django_upgrade": config.django_upgrade_target,
        "pyupgrade": config.pyupgrade_min,
        "grammar": config.grammar,
        "all_settings": config.all_settings,
        "url_names": config.url_names,
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


@dataclass
class _Cache:
    """Outcomes by sha256(fingerprint, path, kind, settings flag, content), in one sqlite file.

    A cache that cannot be opened or written is silently not used: it only saves time.
    """

    connection: sqlite3.Connection | None
    fingerprint: str
    _pending: list[tuple[str, bytes]] = field(default_factory=list)

    @classmethod
    def open(cls, directory: Path | None, fingerprint: str) -> _Cache:
        folder = directory or default_cache_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(folder / "rewrite.sqlite3", timeout=30)
            connection.execute(
                "CREATE TABLE IF NOT EXISTS outcome (key TEXT PRIMARY KEY, value BLOB NOT NULL)"
            )
        except (OSError, sqlite3.Error):
            return cls(None, fingerprint)
        return cls(connection, fingerprint)

    def key(self, job: _Job) -> str:
        # Names are encoded as the file system spells them: a name that is not UTF-8 (b'caf\xe9.py'
        # from an old archive) holds surrogates that a plain ``.encode()`` refuses.
        digest = hashlib.sha256(self.fingerprint.encode())
        digest.update(
            b"\0%s\0%s\0%d\0" % (os.fsencode(job.rel), job.kind.encode(), job.is_settings)
        )
        digest.update(job.data)
        for sibling in job.siblings:
            digest.update(
                b"\0%s\0%s\0%d\0"
                % (os.fsencode(sibling.key), os.fsencode(sibling.rel), sibling.editable)
            )
            digest.update(hashlib.sha256(sibling.data).digest())
        return digest.hexdigest()

    def get(self, key: str) -> _Outcome | None:
        if self.connection is None:
            return None
        try:
            row = self.connection.execute(
                "SELECT value FROM outcome WHERE key = ?", (key,)
            ).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        try:
            return _Outcome.from_json(row[0])
        except (ValueError, KeyError, TypeError):
            return None

    def put_many(self, items: Iterable[tuple[str, _Outcome]]) -> None:
        if self.connection is None:
            return
        rows = [(key, outcome.to_json()) for key, outcome in items]
        try:
            with self.connection:
                self.connection.executemany(
                    "INSERT OR REPLACE INTO outcome (key, value) VALUES (?, ?)", rows
                )
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
