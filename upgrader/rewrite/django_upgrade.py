"""django-upgrade, in process: its finders walk the tree we parsed, its token edits run from their
callbacks, each callback tagged with its fixer for attribution; the guards of its wrapped fixers
(``guards``) decide what it may change."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache, partial
from typing import Any

from packaging.version import Version

from upgrader.rewrite.guards import (
    DEFAULT_APP_CONFIG,
    DEFAULT_SETTING_FIXERS,
    FIXER_NOTES,
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
from upgrader.rewrite.model import RuleHit, Sibling
from upgrader.rewrite.stages import Stages, line_changes, tool_tree

DJANGO_UPGRADE = "django-upgrade"
# django-upgrade fixers whose finders answer "maybe" for every file of a common kind (the
# ``from django.db import models`` line of any models file) and decide while editing tokens, so
# django-upgrade tokenizes those files for nothing. They can only change a file that names what
# they rewrite: without these bytes the fixer is skipped (checked equal on Django's own tree).
DJANGO_UPGRADE_NEEDLES: dict[str, tuple[bytes, ...]] = {
    "permalink": (b"permalink",),  # @models.permalink
    "null_boolean_field": (b"NullBooleanField",),
}


def django_upgrade_target(version: Version) -> tuple[int, int]:
    """The django-upgrade ``--target-version`` for a Django release, clamped to what it knows."""
    from django_upgrade.main import SUPPORTED_TARGET_VERSIONS

    wanted = (version.major, version.minor)
    known = sorted(SUPPORTED_TARGET_VERSIONS)
    eligible = [v for v in known if v <= wanted]
    return eligible[-1] if eligible else known[0]


def run_django_upgrade(stages: Stages, target: tuple[int, int], tree: ast.Module) -> None:
    from django_upgrade.data import Settings, visit
    from django_upgrade.main import apply_fixers

    before = stages.text
    filename = stages.job.rel
    skip = _fixers_without_needles(stages.job.data) | _guarded_fixers(stages, target, tree)
    settings = Settings(target_version=target, skip_fixers=set(skip))
    tag_finders()
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
    # tag_finders), and each fixer that found something is applied on its own for its lines.
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
        changed, new_to_old = line_changes(before, alone)
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
def tag_finders() -> bool:
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


def _guarded_fixers(stages: Stages, target: tuple[int, int], tree: ast.Module) -> frozenset[str]:
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


def mark_default_app_config(stages: Stages, target: tuple[int, int]) -> None:
    """In ``apps.py``: ``default = True`` on the class its package's ``default_app_config``
    named, where the guard lets django-upgrade remove that line only with it."""
    job = stages.job
    init = job.sibling("init")
    if target < (3, 2) or init is None:
        return
    init_tree = tool_tree(init.data.decode("utf-8-sig", "replace"))
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


def _storages_guard(stages: Stages, tree: ast.Module, before: str, after: str) -> str:
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
