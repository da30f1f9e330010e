"""Upgrade steps third-party packages ask for when a hop moves them past a release.

The dependency stage moves a package (``django-allauth 0.55.0 -> 65.7.0``); some releases on the
way ask the project to change with them, or the app stops working: allauth 0.56.0 refuses to
start without its middleware, crispy-forms 2.0 ships no template packs any more. ``STEPS`` is
the curated table, one row per (package, release that needs the step), each with the source it
was read in; ``upgrade_steps`` returns the steps a hop's dependency changes cross, judged
against what a row can see of the project (``StepContext``): its settings (``settings_values``:
the string literals each setting names, read statically from the project's settings modules by
``upgrader.deps.apps``, never imported), the variables its tests run with (``test_env``: tox's
``setenv``, CI's ``env:``, pytest-env's ``env`` lines, ``[tool.upgrader] env``, read by
``upgrader.detect.test_env``), and the project's Python files (``mentions``: a switch set in a
conftest). A step about a variable is an item at the line that sets it (``UpgradeStep.where``).

A step is *mechanical* when upgrader can carry it out exactly: add a requirement
(``add_requirements``, a companion package for the hop's dependency set), an ``INSTALLED_APPS``
entry or a ``MIDDLEWARE`` entry, or replace one dotted path by another in a setting. Anything
else is a manual item with what to do and the source. A settings codemod of the rewrite stage
makes some (``UpgradeStep.codemod``); their items are the ones left open after it.

Package steps already carried out by a codemod (Django REST framework's ``list_route``/
``detail_route``, ``base_name``, ``NullBooleanField``; django-filter's ``name``/``field_name``)
are not repeated here: ``codemods/`` applies them by the package version chosen.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from upgrader.deps.apps import SettingsValues, setting_line, settings_files, settings_values
from upgrader.deps.model import Choice, Choices
from upgrader.deps.upgrade_step_rows import STEPS as STEPS
from upgrader.deps.upgrade_step_rows import StepContext as StepContext
from upgrader.deps.upgrade_step_rows import StepRow as StepRow
from upgrader.deps.upgrade_step_rows import UpgradeStep as UpgradeStep
from upgrader.deps.write import Addition
from upgrader.detect.django_version import exact_pin
from upgrader.detect.model import Evidence
from upgrader.detect.requirements import DeclaredRequirement
from upgrader.detect.test_env import EnvVariable

# --- the steps a hop crosses -------------------------------------------------------------------


def _version(text: str | None) -> Version | None:
    if text is None:
        return None
    pinned = exact_pin(text)
    if pinned is not None:
        return pinned
    try:
        return Version(text)
    except InvalidVersion:
        return None


def crosses(current: str | None, chosen: str, release: str) -> bool:
    """Whether moving from ``current`` (a version, a pin, or unknown) to ``chosen`` passes
    ``release``: below it before, at or above it after. An unknown start counts as below."""
    before = _version(current)
    after = _version(chosen)
    threshold = Version(release)
    if after is None or after < threshold:
        return False
    return before is None or before < threshold


def upgrade_steps(
    changes: Sequence[Choice],
    settings: SettingsValues | StepContext,
    table: Sequence[StepRow] = STEPS,
) -> tuple[UpgradeStep, ...]:
    """The steps the hop's dependency changes cross that the project still needs, in the
    order of ``changes`` then of the table; ``settings``: the project's settings, or all a
    row may look at (``StepContext``: the test environment and files too)."""
    seen = settings if isinstance(settings, StepContext) else StepContext(settings)
    steps: list[UpgradeStep] = []
    for change in changes:
        name = canonicalize_name(change.name)
        for row in table:
            if canonicalize_name(row.package) != name:
                continue
            if crosses(change.current, change.chosen, row.version):
                steps.extend(row.steps(row, seen))
    return tuple(steps)


def companion_requirements(steps: Iterable[UpgradeStep]) -> tuple[str, ...]:
    """The packages the steps add to the hop's dependency set (``crispy-bootstrap4``), once."""
    return tuple(dict.fromkeys(name for step in steps for name in step.add_requirements))


def companion_additions(
    steps: Iterable[UpgradeStep], versions: Mapping[str, str]
) -> tuple[Addition, ...]:
    """The steps' companion packages as lines for ``write.plan_writes(additions=...)``, each
    beside the package that asked for it, at the version the dependency stage chose for it
    (``versions``, by canonical name; a companion without a chosen version is left out)."""
    found: dict[str, Addition] = {}
    for step in steps:
        for name in step.add_requirements:
            version = versions.get(canonicalize_name(name))
            if version is not None and name not in found:
                reason = f"{step.package} {step.version} moved it out"
                found[name] = Addition(name, version, step.package, reason)
    return tuple(found.values())


# --- the dependency stage's use of them (``upgrader.deps.plan``) -------------------------------


def companion_declarations(
    names: Iterable[str], declared: Sequence[DeclaredRequirement]
) -> tuple[DeclaredRequirement, ...]:
    """Unpinned declarations of the companion packages ``names`` the project does not declare
    yet, so the dependency stage chooses (and resolves) them with the rest of the hop's set."""
    have = {d.name for d in declared}
    found: dict[str, DeclaredRequirement] = {}
    for name in map(canonicalize_name, names):
        if name in have or name in found:
            continue
        evidence = Evidence("", None, "a companion requirement of an upgrade step")
        found[name] = DeclaredRequirement(name, "", (), None, evidence, "requirements", name)
    return tuple(found.values())


def _asked_by(steps: Iterable[UpgradeStep]) -> dict[str, UpgradeStep]:
    found: dict[str, UpgradeStep] = {}
    for step in steps:
        for name in step.add_requirements:
            found.setdefault(canonicalize_name(name), step)
    return found


def mark_companions(choices: Choices, steps: Sequence[UpgradeStep]) -> Choices:
    """``choices`` with each companion's reason (chosen or blocked) saying which step asked
    for it."""
    asked = _asked_by(steps)

    def why(name: str) -> str | None:
        step = asked.get(name)
        if step is None:
            return None
        return f"added: {step.package} {step.version} moved it out ({step.source})"

    chosen = tuple(
        dataclasses.replace(c, reason=f"{added}; {c.reason}") if (added := why(c.name)) else c
        for c in choices.choices
    )
    blocked = tuple(
        dataclasses.replace(b, reason=f"{added}; {b.reason}") if (added := why(b.name)) else b
        for b in choices.blocked
    )
    return dataclasses.replace(choices, choices=chosen, blocked=blocked)


def step_notes(steps: Iterable[UpgradeStep], versions: Mapping[str, str]) -> tuple[str, ...]:
    """One note per step: what to do, what the dependency stage did about it (the companion
    package at the version it chose, by canonical name in ``versions``), and the source."""
    notes = []
    for step in steps:
        added = [
            f"{name} {versions[canonicalize_name(name)]}"
            for name in step.add_requirements
            if canonicalize_name(name) in versions
        ]
        done = f"; the hop's dependency set gets {', '.join(added)}" if added else ""
        if step.codemod:
            done += f"; the hop's settings rewrite makes the edit ({step.codemod})"
        how = f"; {step.how}" if step.how else ""
        notes.append(
            f"upgrade step of {step.package} {step.version}: {step.todo}{done}{how} "
            f"(source: {step.source})"
        )
    return tuple(notes)


@dataclass(frozen=True)
class StepItem:
    """A step as an item of the hop's plan (``upgrader.plan.model.ManualItem``'s fields): at the
    line of the settings module that assigns the setting it concerns."""

    id: str  # "django-allauth-0.56.0"
    file: str  # project-relative
    line: int
    summary: str
    suggestion: str
    docs: str
    removed_in: str  # the release that asks for it: "django-allauth 0.56.0"


def _suggestion(step: UpgradeStep) -> str:
    if step.how:
        return step.how
    done = [f"add '{m}' to MIDDLEWARE" for m in step.add_middleware]
    done += [f"add '{a}' to INSTALLED_APPS" for a in step.add_installed_apps]
    done += [f"{s}: replace '{old}' with '{new}'" for s, old, new in step.replace_values]
    if not done:
        return step.todo
    if step.add_requirements:
        added = ", ".join(step.add_requirements)
        done.append(f"(the dependency stage adds {added} to the requirements)")
    return "; ".join(done)


def step_items(
    steps: Iterable[UpgradeStep], root: Path, paths: Sequence[Path]
) -> tuple[StepItem, ...]:
    """The steps as plan items, each at the settings line (of ``paths``, the project's settings
    modules under ``root``) assigning the setting it concerns, else ``INSTALLED_APPS``'s, else
    the first module's line 1; none when the project has no settings module."""
    items = []
    for step in steps:
        if step.where is not None:  # the line it is about (pytest.ini's env line)
            shown, line = step.where
        else:
            where = setting_line(paths, step.setting) if step.setting else None
            where = where or setting_line(paths, "INSTALLED_APPS")
            if where is None and paths:
                where = (paths[0], 1)
            if where is None:
                continue
            path, line = where
            try:
                shown = path.relative_to(root).as_posix()
            except ValueError:
                shown = path.as_posix()
        items.append(
            StepItem(
                f"{step.package}-{step.version}",
                shown,
                line,
                step.todo,
                _suggestion(step),
                step.source,
                f"{step.package} {step.version}",
            )
        )
    return tuple(items)


def test_variables(root: Path, paths: Sequence[Path]) -> tuple[EnvVariable, ...]:
    """The variables the project's tests run with (``TestEnvironment.variables``), as
    ``upgrader.detect.test_env`` reads them from ``root`` (``[tool.upgrader]`` included;
    ``paths``: the settings modules); () when the configuration does not read."""
    from upgrader.detect.config import read_config
    from upgrader.detect.sources import ProjectReader
    from upgrader.detect.test_env import read_test_environment
    from upgrader.errors import UpgraderError

    reader = ProjectReader(root)
    try:
        config = read_config(reader)
    except UpgraderError:
        return ()
    return read_test_environment(root, config, settings_files=paths, reader=reader).variables()


def step_context(root: Path, paths: Sequence[Path], settings: SettingsValues) -> StepContext:
    """All a row may look at in the project under ``root`` (its test environment read when a
    row first asks)."""
    return StepContext(settings, lambda: test_variables(root, paths), root)


def open_step_items(
    root: Path, changes: Sequence[Choice], paths: Sequence[Path] | None = None
) -> tuple[StepItem, ...]:
    """The items of the steps ``changes`` (a hop's dependency changes, as recorded) cross that
    the project, read now, still needs: an item closes once its setting is changed (the
    middleware added, the pack's app installed) or the variable is gone from the test
    environment. ``paths``: the settings modules (default: ``apps.settings_files(root)``)."""
    paths = settings_files(root) if paths is None else paths
    seen = step_context(root, paths, settings_values(paths))
    return step_items(upgrade_steps(changes, seen), root, paths)
