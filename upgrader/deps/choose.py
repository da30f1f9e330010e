"""Choose, per declared package, a version that works with a hop's Django series and Python.

For each package the evidence is read from the index's metadata, in this order of strength:

1. ``Requires-Python`` must admit the hop's Python, and yanked releases (PEP 592) are skipped
   (a current pin that is yanked is kept but noted);
2. ``Requires-Dist`` on Django must admit the chosen Django release;
3. the curated table (``upgrader.deps.known``) sets a minimum where metadata is silent;
4. ``Framework :: Django :: X.Y`` classifiers say which releases declare the series;
5. then the chosen releases' ``Requires-Dist`` on each other (Django's included) raise any
   choice that another one needs newer (pytest-django 4.6 needs pytest>=7).

Strategy ``minimal`` (default) means the smallest change from what the project runs today: a
pin or lock that already works is kept, else the smallest upgrade that does is taken. For a
package the project does not pin, what it runs today is what its baseline resolved
(``baseline_versions``: the newest release as of the cut-off, ``upgrader.deps.era``, that fits
the baseline's Python, Django and the project's own pins; or the previous hop's choice), and a
choice never goes below it; with no baseline known, the newest release that works. ``latest``
takes the newest release that works. Django itself gets the newest patch of the target series
whose ``Requires-Python`` admits the hop's Python.

Requires-Python is not installability: for a package that publishes platform wheels, a release
with a wheel for the hop's CPython on this platform is preferred, and the reason says when only
an sdist fits. A package that is a Django app (its name, a ``Framework :: Django`` classifier,
``INSTALLED_APPS``) but whose metadata names no Django is "unverified", never "does not depend
on Django". Every reason starts with how the package is declared ("pinned ==X", "declared
>=X", "unpinned: kept at what the baseline resolved, X"). A blocker is explained from every
release, naming the pair that conflicts (``requests 2.22.0 requires urllib3<1.26`` and the pin
``urllib3==1.26.5``), never from the newest release alone. ``name @ url`` and ``-e url`` lines
get a note: kept as is, unchecked.

The pieces: ``upgrader.deps.model`` (the shared types), ``evidence`` (what one release's
metadata says), ``chooser`` (one package's choice and its blocker), ``baseline`` (what the
project runs today); this module chooses the whole set and re-exports the names its importers
use.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Collection, Iterable, Mapping, Sequence

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from upgrader.deps import known
from upgrader.deps.baseline import baseline_versions
from upgrader.deps.chooser import Chooser, choose_django
from upgrader.deps.evidence import (
    PLATFORM,
    DeclaredPackage,
    applies_on,
    django_app_evidence,
    group_declared,
    has_wheel_for,
    is_binary,
    judge,
    pinned_version,
    requirements_in_effect,
    target_tags,
)
from upgrader.deps.index import PackageIndexError
from upgrader.deps.model import (
    BREAKS_ON,
    DJANGO,
    REMOVED_IMPORT,
    STRATEGIES,
    Blocked,
    BreakingWarning,
    Choice,
    Choices,
    Constraint,
    FileSource,
    MetadataSource,
    ReplacementChoice,
    Target,
)
from upgrader.deps.reachable import ProjectRoots
from upgrader.deps.removed_api import release_removed_imports
from upgrader.detect.requirements import DIRECT_KINDS, DeclaredRequirement

__all__ = [
    "PLATFORM",
    "Blocked",
    "Choice",
    "Choices",
    "MetadataSource",
    "ReplacementChoice",
    "Target",
    "baseline_versions",
    "choose_django",
    "choose_versions",
    "direct_requirement_notes",
    "django_app_evidence",
    "has_wheel_for",
    "is_binary",
    "target_tags",
]


def choose_versions(
    declared: Sequence[DeclaredRequirement],
    target: Target,
    index: MetadataSource,
    *,
    strategy: str = "minimal",
    locked_files: Collection[str] = (),
    baseline: Mapping[str, str] | None = None,
    baseline_from: str = "the baseline resolved",
    installed_apps: Collection[str] = (),
    platforms: Sequence[str] | None = None,
    breaking: Mapping[str, BreakingWarning] | None = None,
    roots: ProjectRoots | None = None,
    row_notes: Mapping[str, str] | None = None,
    python_from: str | None = None,
    moves: Mapping[str, Sequence[Constraint]] | None = None,
    transitive: Mapping[str, str] | None = None,
) -> Choices:
    """A version per declared package (and Django) for ``target``; blocked ones explained.

    Declarations from ``locked_files`` (pip-compiled ``.txt`` files, as project-relative paths)
    count as locks: they give current versions, not packages to choose.

    ``baseline``: canonical name -> the version the project runs today for packages it does not
    pin (what its baseline resolved, ``baseline_versions``, or the previous hop's choice, as
    ``baseline_from`` says); a choice never goes below it. A package without one gets the
    newest release that works. ``installed_apps``: the project's ``INSTALLED_APPS`` entries,
    to know which packages are Django apps even when their metadata names no Django.
    ``platforms``: the wheel platform tags the stage installs for (default: this machine's).
    ``breaking``: canonical name -> the baseline's warning from its code about an API the
    target removes (``upgrader.deps.breaking``): when the version the project runs today is the
    one that warned, the package moves to the first newer release that works, or, when none
    does, is blocked naming the warning (or the removed import ``upgrader.deps.removed_api``
    found in its files) and what to do; a warning Django's own code raised about the app
    (``default_app_config``) only keeps its version with the warning in its reason.
    ``roots``: where the project loads modules from (``upgrader.deps.reachable``): a release
    read to move to counts only the imports in modules loaded from them. ``row_notes``:
    canonical name -> a note ending its row's reason (a removed import in a module nothing
    loads; removed imports that could not be checked). ``python_from``: the Python the project
    ran before the hop (None: unknown); on a hop that moves Python, a binary package whose
    release predates the new Python and was not made for it (no ``cpXY`` wheel, no classifier)
    moves to the first release that was (``Chooser.declares_python``). ``moves``: canonical
    name -> bounds found by trying the set (``upgrader.deps.importable``: requests 2.22's
    ``urllib3<1.26`` holds a urllib3 that does not import on Python 3.12), each a constraint
    the package's choice must meet. ``transitive``: canonical name -> the version the project
    runs today of packages it does not declare (the source stage's installed set), joined by
    the pins of ``locked_files`` for packages declared only there (pluggy 1.0.0 in a
    pip-compiled requirements.txt): a package that moves takes the first release whose
    requirements keep each of them at or above that version, when one works
    (``Chooser.keeps_transitive``: pytest 6.2.5 rather than 5.4.0, which needs pluggy<1.0).
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, not {strategy!r}")
    choices: list[Choice] = []
    blocked: list[Blocked] = []
    replacements: list[ReplacementChoice] = []
    notes: list[str] = direct_requirement_notes(declared, target)
    packages = group_declared(declared, locked_files)
    for name, package in packages.items():
        package.app_evidence = django_app_evidence(name, installed_apps)
        package.baseline_from = baseline_from
        found = (baseline or {}).get(name)
        if found and package.current is None:
            with contextlib.suppress(InvalidVersion):
                package.baseline = Version(found)
    django_choice = choose_django(index, target)
    if isinstance(django_choice, Blocked):
        return Choices((), (django_choice,), (), ())
    django = Version(django_choice.chosen)
    # Always chosen: the stage installs Django even for an app whose files never name it (its
    # locked set needs the pin); such an app's current Django is what its baseline ran, if known.
    current = packages[DJANGO].shown_current if DJANGO in packages else (baseline or {}).get(DJANGO)
    choices.append(
        Choice(DJANGO, current, django_choice.chosen, django_choice.reason, django_choice.evidence)
    )
    underneath = transitive_versions(declared, locked_files, packages, transitive)
    chooser = Chooser(index, target, django, strategy, platforms, python_from, underneath)
    for name, package in sorted(packages.items()):
        if name == DJANGO:
            continue
        if not any(applies_on(d, target.python) for d in package.declared):
            notes.append(f"{name}: its marker excludes Python {target.python}; left as is")
            continue
        row = known.replacement_for(name, target.django)
        try:
            if row is not None:
                replacement = _replace(row, package, chooser, notes)
                replacements.append(replacement)
                if row.action == "rename":
                    continue
            result = chooser.choose(package, (moves or {}).get(name, ()))
            warning = (breaking or {}).get(name)
            if warning is not None and isinstance(result, Choice):
                result = _away_from_breaking(chooser, package, result, warning, roots)
            if name in (row_notes or {}):
                result = dataclasses.replace(
                    result, reason=f"{result.reason}; {(row_notes or {})[name]}"
                )
        except PackageIndexError as exc:
            blocked.append(Blocked(name, None, "", exc.message))
            continue
        if isinstance(result, Choice):
            choices.append(result)
        else:
            blocked.append(result)
    _honour_requirements(chooser, packages, choices, blocked, moves or {})
    return Choices(tuple(choices), tuple(blocked), tuple(replacements), tuple(notes))


def transitive_versions(
    declared: Sequence[DeclaredRequirement],
    locked_files: Collection[str],
    packages: Collection[str],
    transitive: Mapping[str, str] | None = None,
) -> dict[str, Version]:
    """The versions the project runs today of packages it does not declare (not in
    ``packages``, Django aside): ``transitive``, then the exact pins of its lock files."""
    found: dict[str, Version] = {}
    pins = [(d.name, d.specifier) for d in declared if d.is_lock or d.evidence.file in locked_files]
    for name, text in [*((n, f"=={v}") for n, v in (transitive or {}).items()), *pins]:
        name = canonicalize_name(name)
        if not name or name in packages or name == DJANGO or name in found:
            continue
        pin = pinned_version(text)
        if pin is not None:
            found[name] = pin
    return found


def _away_from_breaking(
    chooser: Chooser,
    package: DeclaredPackage,
    choice: Choice,
    warning: BreakingWarning,
    roots: ProjectRoots | None = None,
) -> Choice | Blocked:
    """``choice`` when it already leaves the version that breaks (the one the project runs,
    ``package.floor``, when that is the version that warned), else the first newer release that
    works, else ``Blocked`` naming the file:line, the API and the release that removed it (a
    warning Django's own code raised about the app, ``default_app_config``, only keeps the
    version saying why: Django then ignores what it warned about). The release moved to must
    itself be clean: its own files are read first (``_first_clean``)."""
    floor = package.floor
    if floor is None:
        return choice
    with contextlib.suppress(InvalidVersion):
        if warning.version is not None and Version(warning.version) != floor:
            return choice  # the warning came from another release than the one kept
    why = warning.why
    series = f"Django {chooser.target.django}"
    if warning.finding.file.startswith("django/"):
        if Version(choice.chosen) > floor:
            return choice
        newer = chooser.choose(package, [_above(package, floor, why, series)])
        if isinstance(newer, Choice):
            return newer
        # Django's own code warning about the app (default_app_config): ignored, not an error.
        return dataclasses.replace(
            choice,
            reason=f"{choice.reason}; but {package.name} {floor} breaks on {series} ({why}) and "
            "no newer release works with it: check its release notes",
        )
    moved: Choice | Blocked = choice
    if Version(choice.chosen) <= floor:
        moved = chooser.choose(package, [_above(package, floor, why, series)])
    if isinstance(moved, Choice):
        return _first_clean(chooser, package, moved, warning, roots)
    return _breaks(chooser, package, f"no newer release works with {series}", why)


def _above(package: DeclaredPackage, version: Version, why: str, series: str) -> Constraint:
    return Constraint(
        SpecifierSet(f">{version}"),
        f"{package.name} {package.floor} breaks on {series}: {why}",
        f"baseline run: {why}",
    )


RELEASE_CHECKS = 8  # newer releases whose files are read looking for one free of removed imports


def _first_clean(
    chooser: Chooser,
    package: DeclaredPackage,
    choice: Choice,
    warning: BreakingWarning,
    roots: ProjectRoots | None = None,
) -> Choice | Blocked:
    """``choice`` when its own files (its wheel or sdist, read statically) import no name the
    target removed, else the next release that works and whose files do not (at most
    ``RELEASE_CHECKS`` read), else ``Blocked``: rules 3.0 still imports ``force_text``, which
    rules 2.2 broke on; 3.1 is the first that does not. The reason names the release checked
    clean; a release whose files cannot be read is taken, saying so."""
    index = chooser.index
    if not isinstance(index, FileSource):
        return choice
    name, series = package.name, f"Django {chooser.target.django}"
    still: list[str] = []  # "rules 3.0 still breaks: its rules/contrib/views.py:8 imports ..."
    for _read in range(RELEASE_CHECKS):
        release = index.releases(name).get(choice.chosen)
        if release is None:
            return choice
        scan = release_removed_imports(index, release, chooser.target.django, roots)
        if scan.problem:
            note = f"{name} {choice.chosen}'s files were not checked for removed imports"
            return dataclasses.replace(
                choice, reason="; ".join([choice.reason, *still, f"{note}: {scan.problem}"])
            )
        if scan.clean:
            what = _what(warning, series)
            first = f"the first release whose files {what}" if still else f"its files {what}"
            if scan.unloaded:  # the name is still there, where nothing the project runs looks
                first += f" where the project loads them ({scan.unloaded[0].location} still does)"
            return dataclasses.replace(
                choice,
                reason="; ".join([choice.reason, *still, f"{name} {choice.chosen}: {first}"]),
                evidence=f"{choice.evidence}; read {scan.filename}: no import of a removed name",
            )
        found = scan.findings[0]
        still.append(f"{name} {choice.chosen} still breaks: its {found.location} {found.message}")
        above = _above(package, Version(choice.chosen), warning.why, series)
        newer = chooser.choose(package, [dataclasses.replace(above, evidence=f"read: {still[-1]}")])
        if isinstance(newer, Blocked):
            which = (
                f"every newer release that works with {series} breaks too, up to {choice.chosen}"
            )
            return _breaks(chooser, package, which, "; ".join([warning.why, *still]))
        choice = newer
    which = f"no release checked clean up to {choice.chosen}, {RELEASE_CHECKS} newer releases read"
    return _breaks(chooser, package, which, "; ".join([warning.why, *still]))


def _what(warning: BreakingWarning, series: str) -> str:
    """What a clean release's files no longer do: "no longer import force_text"."""
    finding = warning.finding
    quoted = finding.message.split("`")
    if finding.category == REMOVED_IMPORT and len(quoted) >= 3:
        if finding.message.startswith("imports from"):
            return f"no longer import from {quoted[1]}"
        if finding.message.startswith("imports"):
            return f"no longer import {quoted[1].rsplit('.', 1)[-1]}"
        return f"no longer define {quoted[1]}"
    return f"import no name {series} removed"


def _breaks(chooser: Chooser, package: DeclaredPackage, which: str, why: str) -> Blocked:
    """``package`` blocked: the release kept (``package.floor``) breaks on the target and no
    release to move to was found (``which`` says why), with the ways out."""
    floor = package.floor
    releases = chooser.index.releases(package.name).releases
    usable = [r.version for r in releases if not r.yanked and not r.version.is_prerelease]
    newest = max(usable, default=floor)
    newest_kept = floor is not None and newest is not None and newest <= floor
    if newest_kept:
        which = "its newest release"
    elif not which.endswith(f" {newest}"):  # "..., up to 3.1" already names the newest
        which = f"{which}; the newest is {newest}"
    return Blocked(
        package.name,
        str(newest),
        f"{package.name}=={floor}",
        f"{package.name} {floor} ({which}) {BREAKS_ON} {chooser.target.django}: {why}. Replace "
        "it with a maintained package, vendor a patched copy into the project, or map it to a "
        "fork for the stage environments in pyproject.toml: [tool.upgrader] "
        f'replace-requirements = {{"{package.name}" = "{package.name} @ '
        f'git+https://github.com/you/{package.name}@fixed"}}',
    )


def _honour_requirements(
    chooser: Chooser,
    packages: Mapping[str, DeclaredPackage],
    choices: list[Choice],
    blocked: list[Blocked],
    moves: Mapping[str, Sequence[Constraint]],
) -> None:
    """Raise a choice another chosen release requires more of (``Requires-Dist`` between them);
    ``moves`` (``choose_versions``) still bound each package chosen again.

    E.g. pytest-django 4.2.0 requires pytest>=5.4.0: a kept pytest 5.3.5 moves to 5.4.x, with
    that requirement as its reason. Repeats until nothing moves (bounded).
    """
    extra: dict[str, list[Constraint]] = {}
    for _round in range(5):
        moved = False
        versions = {c.name: Version(c.chosen) for c in choices}
        for choice in list(choices):
            release = chooser.index.releases(choice.name).get(choice.chosen)
            if release is None:
                continue
            meta = chooser.index.metadata(choice.name, release)
            for req in requirements_in_effect(meta, chooser.target.python, choice.extras):
                line = str(req)
                name = canonicalize_name(req.name)
                if name == DJANGO or name not in versions or name not in packages:
                    continue
                if req.specifier.contains(versions[name], prereleases=True):
                    continue
                extra.setdefault(name, list(moves.get(name, ()))).append(
                    Constraint(
                        req.specifier,
                        f"{choice.name} {choice.chosen} requires {req.name}{req.specifier}",
                        f"Requires-Dist of {choice.name} {choice.chosen}: {line}",
                    )
                )
                result = chooser.choose(packages[name], extra[name])
                index = next(i for i, c in enumerate(choices) if c.name == name)
                if isinstance(result, Choice):
                    choices[index] = result
                    versions[name] = Version(result.chosen)
                else:
                    way_out = _requirer_upgrade(chooser, choice, name, versions[name])
                    if way_out:
                        result = dataclasses.replace(result, reason=f"{result.reason}; {way_out}")
                    del choices[index]
                    del versions[name]
                    blocked.append(result)
                moved = True
        if not moved:
            return


REQUIRER_SCAN = 30  # releases of the requiring package read looking for one that admits the pin


def _requirer_upgrade(chooser: Chooser, requirer: Choice, name: str, pinned: Version) -> str:
    """The smallest newer release of ``requirer`` whose requirement on ``name`` admits
    ``pinned`` (so the user knows which side of the pair to move), or ""."""
    try:
        releases = chooser.index.releases(requirer.name)
    except PackageIndexError:
        return ""
    chosen = Version(requirer.chosen)
    newer = [r for r in chooser.candidates(releases, None) if r.version > chosen]
    for release in newer[:REQUIRER_SCAN]:
        meta = chooser.index.metadata(requirer.name, release)
        if not judge(meta, chooser.target, chooser.django, requirer.extras).ok:
            continue
        reqs = [
            r
            for r in requirements_in_effect(meta, chooser.target.python, requirer.extras)
            if canonicalize_name(r.name) == name
        ]
        if all(r.specifier.contains(pinned, prereleases=True) for r in reqs):
            return (
                f"{requirer.name} {release.version} is the first release whose requirements "
                f"admit {name} {pinned}: upgrade {requirer.name}, or pin {name} lower"
            )
    return ""


def _replace(
    row: known.Replacement, package: DeclaredPackage, chooser: Chooser, notes: list[str]
) -> ReplacementChoice:
    chosen: str | None = None
    if row.action == "rename" and row.replacement:
        newcomer = DeclaredPackage(canonicalize_name(row.replacement))
        latest = Chooser(
            chooser.index,
            chooser.target,
            chooser.django,
            "latest",
            chooser.platforms,
            chooser.python_from,
        )
        result = latest.choose(newcomer)
        if isinstance(result, Choice):
            chosen = result.chosen
        else:
            notes.append(f"{row.replacement}: {result.reason}")
    return ReplacementChoice(
        canonicalize_name(row.name),
        row.replacement,
        chosen,
        row.action,
        row.reason,
        row.source,
        package.shown_current,
    )


def direct_requirement_notes(declared: Iterable[DeclaredRequirement], target: Target) -> list[str]:
    """One warning per ``name @ url`` / ``-e url#egg=name`` line: kept as is, not checked."""
    notes = []
    for decl in declared:
        if decl.kind not in DIRECT_KINDS or not decl.name:
            continue  # an unnamed one (``-e .``) is the project itself
        notes.append(
            f"{decl.name} ({decl.evidence.file}"
            f"{f':{decl.evidence.line}' if decl.evidence.line else ''}: {decl.raw}): "
            f"a direct {'editable ' if decl.kind == 'editable' else ''}URL requirement, kept as "
            f"is; upgrader cannot read its versions, so it is unchecked for Django "
            f"{target.django} on Python {target.python}: point it at a release that supports "
            "them, or pin a released version"
        )
    return notes
