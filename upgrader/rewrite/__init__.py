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

Modules: ``model`` (the data), ``jobs`` (which files), ``engine`` and ``stages`` (one file),
``django_upgrade`` and ``pyupgrade`` (the tool adapters), ``guards`` (their wrapped fixers),
``parallel`` (worker processes), ``cache``; this module composes them.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from packaging.version import Version

from codemods import Rule, RuleContext, all_rules, get_rule, selected_rule_ids
from codemods._signal_classes import project_signal_classes
from upgrader.errors import UsageError
from upgrader.files import Skipped, project_files, write_atomic
from upgrader.findings.url_includes import url_names
from upgrader.hops import Hop
from upgrader.project import Project
from upgrader.rewrite.cache import Cache, default_cache_dir, fingerprint
from upgrader.rewrite.django_upgrade import DJANGO_UPGRADE, django_upgrade_target
from upgrader.rewrite.engine import MAX_FILE_CPU_SECONDS, process_file
from upgrader.rewrite.jobs import (
    MAX_FILE_BYTES,
    TEMPLATE_FOLDER,
    TEMPLATE_SUFFIXES,
    file_job,
    project_jobs,
    settings_paths,
    suffixes,
)
from upgrader.rewrite.model import (
    FileChange,
    FileKind,
    Job,
    Outcome,
    RewriteConfig,
    RewriteResult,
    RuleHit,
)
from upgrader.rewrite.parallel import process_all
from upgrader.rewrite.pyupgrade import PYUPGRADE

__all__ = [
    "DJANGO_UPGRADE",
    "MAX_FILE_BYTES",
    "MAX_FILE_CPU_SECONDS",
    "PYUPGRADE",
    "TEMPLATE_FOLDER",
    "TEMPLATE_SUFFIXES",
    "FileChange",
    "FileKind",
    "RewriteConfig",
    "RewriteResult",
    "RuleHit",
    "default_cache_dir",
    "django_upgrade_target",
    "hop_config",
    "list_rules",
    "process_file",
    "rewrite_project",
    "run_rule_on_paths",
    "settings_paths",
]

LOGOUT_RULE = "template_logout_link"  # the rule that needs the URLconf's logout views
SIGNAL_RULE = "signal_providing_args"  # the rule that needs the project's Signal subclasses


def _signal_classes(root: Path, files: Sequence[Job]) -> tuple[tuple[str, bool], ...]:
    """The project's ``Signal`` subclasses (qualified name -> defines ``__init__``), read from
    its Python files, for ``signal_providing_args`` to rewrite their calls in other modules."""
    modules = (
        (job.rel, job.data.decode("utf-8", "replace"))
        for job in files
        if job.kind != "template" and b"Signal" in job.data
    )
    found = project_signal_classes(
        modules, lambda folder: (root / folder / "__init__.py").is_file()
    )
    return tuple(sorted(found.items()))


# The oldest grammar ``ast.parse(feature_version=...)`` accepts on every Python we run on.
_OLDEST_FEATURE_VERSION = (3, 7)


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
    origin: Path | None = None,
) -> RewriteResult:
    """Run the whole rewrite stage of ``hop`` over ``project``; write only when ``write``.

    ``packages`` are the dependency stage's choices (canonical name -> version) that gate
    third-party rules. ``jobs`` defaults to the CPU count; ``progress(done, total)`` is called
    as files finish. ``cache_dir`` overrides the user cache folder (``UPGRADER_CACHE_DIR``).
    ``origin``: the project's own root when ``project`` is the plan's scratch copy of it (its
    stage environments name the third-party URLs the logout-link rule needs).
    """
    config = hop_config(project.root, hop, packages or {})
    skipped: list[Skipped] = []
    files = project_jobs(project, skipped)
    if LOGOUT_RULE in config.rule_ids and any(
        job.kind == "template" and b"logout" in job.data for job in files
    ):
        # Third-party URLconfs included: read from the stage env, as the logout-get check does.
        python = [job.path for job in files if job.kind == "python"]
        names = url_names(project, python, origin=origin)
        if names is not None:
            config = dataclasses.replace(config, url_names=tuple(sorted(names.names.items())))
    if SIGNAL_RULE in config.rule_ids and any(
        job.kind != "template" and b"providing_args" in job.data for job in files
    ):
        config = dataclasses.replace(config, signal_classes=_signal_classes(project.root, files))
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
    files: list[Job] = []
    kind: FileKind = "template" if rule.kind == "template" else "python"
    for path in resolved:
        candidates = (
            project_files(path, suffixes=suffixes(kind), skipped=skipped)
            if path.is_dir()
            else [path]
        )
        for file in candidates:
            job = file_job(file, root, kind, True, skipped)
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
    rule_ids = selected_rule_ids(context)  # from the rule index: no rule module imported
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


def _run(
    files: list[Job],
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
    outcomes: dict[Path, Outcome] = {}
    store = Cache.open(cache_dir, fingerprint(config)) if use_cache else None
    keys: dict[Path, str] = {}
    misses: list[Job] = []
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
    fresh: dict[Path, Outcome] = {}
    for job, outcome in process_all(misses, config, jobs):
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


def _collect(
    files: list[Job],
    outcomes: Mapping[Path, Outcome],
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
