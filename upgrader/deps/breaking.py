"""Third-party Django apps that the baseline's own test run says break on the hop's target.

A ``RemovedInDjangoNNWarning`` raised from an installed package's code (``origin`` third-party,
the file relative to site-packages: ``oscar/apps/catalogue/models.py``) while the project's
tests ran on the current Django means that release of the package calls an API the named Django
removes. When that Django is at or before the hop's target, the package's version breaks
there, whatever its classifiers say: ``choose_versions`` is told so (``breaking``), prefers a
newer release, and says why in the reason.

The warnings come from the hop's baseline run, kept in the hop state (``tests_before``, a
``TestRun.to_json()``), or from the previous hop's green run on that Django (``tests_after``).
The file's top-level module is mapped to the package that installs it from the stage
environments' ``*.dist-info`` (``top_level.txt``, else ``RECORD``), else by name
(``rest_framework`` -> ``djangorestframework`` needs the metadata; ``taggit`` ->
``django-taggit`` does not).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from upgrader.deps.model import BREAKS_ON, BreakingWarning
from upgrader.errors import UpgraderError
from upgrader.stage_envs import TOX_ENVS, site_packages
from upgrader.verify.deprecations import THIRD_PARTY, DeprecationFinding

__all__ = [
    "BREAKS_ON",
    "BaselineRun",
    "BreakingWarning",
    "baseline_findings",
    "breaking_warnings",
    "hop_run",
    "is_breaking",
    "module_owners",
]


def is_breaking(reason: str) -> bool:
    """Whether a blocked package's ``reason`` says its kept release breaks on the target (a
    warning of the baseline's run, or an import of a removed name in its files)."""
    return f" {BREAKS_ON} " in reason and "replace-requirements" in reason


def _findings(run: Mapping[str, Any] | None) -> tuple[DeprecationFinding, ...]:
    items = run.get("warnings") if isinstance(run, Mapping) else None
    if not isinstance(items, list):
        return ()
    found: list[DeprecationFinding] = []
    for item in items:
        try:
            found.append(DeprecationFinding.from_json(item))
        except (KeyError, TypeError, ValueError):
            continue  # a state written by another version: skip what it cannot read
    return tuple(found)


@dataclass(frozen=True)
class BaselineRun:
    """The warnings of a recorded run, and where it ran."""

    stage: str  # the Django release it ran on, "2.2"
    env: str  # its tox environment, "django22"
    findings: tuple[DeprecationFinding, ...]
    # The removed-name imports in the installed modules neither Django nor the project loads
    # (``upgrader.deps.reachable``): notes on their packages' rows, never blockers.
    unloaded: tuple[DeprecationFinding, ...] = ()
    static_read: bool = False  # whether the environment's installed files were read


def baseline_findings(root: Path, source: str, target: str) -> BaselineRun | None:
    """The latest recorded run before the hop ``source`` -> ``target``, from the hop state in
    ``root`` (read only): that hop's own baseline (``tests_before``), else the last finished
    hop's run (``tests_after``) on ``source`` or earlier; None when there is none."""
    from upgrader.step.state import load_state  # the state lives with step; read, never written

    try:
        state = load_state(root)
    except (UpgraderError, OSError):  # unreadable state: no warnings here; step reports it
        return None
    runs: list[Mapping[str, Any] | None] = []
    current = state.current
    if current is not None and current.target == target:
        runs.append(current.tests_before)
    runs += [hop.tests_after for hop in reversed(state.history)]
    for run in runs:
        if not isinstance(run, Mapping):
            continue
        stage, env = str(run.get("stage", "")), str(run.get("env", ""))
        try:
            if Version(stage) > Version(source):
                continue
        except InvalidVersion:
            continue
        return BaselineRun(stage, env, _findings(run))
    return None


def hop_run(
    root: Path, source: str, target: str, replaced: Collection[str] = ()
) -> BaselineRun | None:
    """What tells, before the hop ``source`` -> ``target``, which kept package breaks on the
    target: the recorded run's warnings (``baseline_findings``) plus the imports of names the
    target removed in the installed files of that run's environment (``upgrader.deps.removed_api``;
    without a run, the source stage's environment, else any environment upgrader made: its
    packages then count only where their version is known). ``replaced``: names (or URLs) the
    project maps in ``[tool.upgrader] replace-requirements``; their findings are dropped (the
    stages install the replacement). ``root`` is the project's own root (the plan's scratch copy
    has neither the state nor the environments). Only imports in modules Django or the project
    loads count (``upgrader.deps.reachable``); the others are ``unloaded``. None when there is
    nothing to go on."""
    from upgrader.deps.apps import settings_files, settings_values
    from upgrader.deps.reachable import project_roots
    from upgrader.deps.removed_api import loaded_split, removed_imports, site_loaded
    from upgrader.releases import get_release
    from upgrader.verify.toxconfig import env_name

    run = baseline_findings(root, source, target)
    release = get_release(source)
    envs = [run.env] if run is not None else []
    envs += [env_name(release)] if release is not None else []
    folder = root / TOX_ENVS
    envs += sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    env, site = next(
        ((e, s) for e in envs if (s := site_packages(root, e)) is not None), ("", None)
    )
    if run is None and site is None:
        return None
    static: tuple[DeprecationFinding, ...] = ()
    unloaded: tuple[DeprecationFinding, ...] = ()
    if site is not None:
        static = removed_imports(site, source, target)
        roots = project_roots(root, settings_values(settings_files(root)).installed_apps)
        if static and roots.known:
            static, unloaded = loaded_split(static, site_loaded(site, roots))
    if run is None:
        same = release is not None and env == env_name(release)
        run = BaselineRun(source if same else "", env, ())
    elif env != run.env:
        static = unloaded = ()  # the run's own environment is gone: its owners could not be read
        site = None
    findings = (*run.findings, *static)
    gone = {canonicalize_name(r) for r in replaced}
    if gone and findings:
        owners = module_owners(root, run.env)
        findings = tuple(
            f
            for f in findings
            if (module := _module(f)) is None
            or canonicalize_name(owners.get(module, (module, ""))[0]) not in gone
        )
    return BaselineRun(run.stage, run.env, findings, unloaded, site is not None)


def module_owners(root: Path, env: str) -> dict[str, tuple[str, str]]:
    """Top-level module -> (canonical package name, version), read from the ``*.dist-info``
    folders of the tox environment ``env`` upgrader made in ``root`` (``.upgrader/cache/tox``)."""
    owners: dict[str, tuple[str, str]] = {}
    site = site_packages(root, env)
    if site is None:
        return owners
    for info in sorted(site.glob("*.dist-info")):
        name, _, rest = info.name.removesuffix(".dist-info").partition("-")
        package = (canonicalize_name(name), rest)
        modules: set[str] = set()
        try:
            top_level = info / "top_level.txt"
            if top_level.is_file():
                modules = {m.strip() for m in top_level.read_text("utf-8").splitlines()}
            elif (info / "RECORD").is_file():
                for line in (info / "RECORD").read_text("utf-8").splitlines():
                    first = line.split(",", 1)[0].split("/", 1)[0]
                    if first and not first.endswith((".dist-info", ".data", ".pth")):
                        modules.add(first.removesuffix(".py"))
        except (OSError, UnicodeDecodeError):
            continue
        for module in modules:
            if module and not module.startswith("__"):
                owners.setdefault(module, package)
    return owners


def _owner(
    module: str, packages: Collection[str], owners: Mapping[str, tuple[str, str]]
) -> tuple[str, str | None] | None:
    if module in owners:
        name, version = owners[module]
        return (name, version) if name in packages else None
    name = canonicalize_name(module)
    for candidate in (name, f"django-{name}", f"{name}-django", f"dj-{name}"):
        if candidate in packages:
            return candidate, None
    return None


# Django's own code warning about an app it names: "'taggit' defines default_app_config = ...".
_NAMED_APP = re.compile(r"^'(?P<module>[A-Za-z_][\w.]*)' defines default_app_config")


def _module(finding: DeprecationFinding) -> str | None:
    """The top-level module whose code the warning is about: the file's, or, for a warning
    Django's own code raises about an app (``default_app_config``), the app's it names."""
    module = finding.file.split("/", 1)[0].removesuffix(".py")
    if module == "django":
        named = _NAMED_APP.match(finding.message)
        return named["module"].split(".", 1)[0] if named else None
    return module


def breaking_warnings(
    findings: Iterable[DeprecationFinding],
    target: str,
    packages: Collection[str],
    owners: Mapping[str, tuple[str, str]] | None = None,
) -> dict[str, BreakingWarning]:
    """Per package of ``packages`` (canonical names), the first warning from its code that names
    a removal in Django ``target`` or before; Django itself is never blamed (a warning its code
    raises about an app it names, ``default_app_config``, is the app's)."""
    try:
        limit = Version(target)
    except InvalidVersion:
        return {}
    owners = owners or {}
    wanted = {canonicalize_name(p) for p in packages} - {"django"}
    found: dict[str, BreakingWarning] = {}
    for finding in findings:
        if finding.origin != THIRD_PARTY or finding.removed_in is None:
            continue
        try:
            if Version(finding.removed_in) > limit:
                continue
        except InvalidVersion:
            continue
        module = _module(finding)
        if module is None:
            continue
        owner = _owner(module, wanted, owners)
        if owner is not None and owner[0] not in found:
            found[owner[0]] = BreakingWarning(owner[0], finding, owner[1])
    return found
