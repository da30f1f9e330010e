"""What a stage installs: the ``deps`` lines of its tox environment. The project's own
requirements file (a copy with ``[tool.upgrader] replace-requirements`` applied) or its declared
dependencies and test extras, the package's ``install_requires``, the stage's Django where
nothing it installs pins it, and uv's settings that resolve the baseline as of the project's
era (``era_settings``)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from packaging.utils import canonicalize_name

from upgrader.detect.test_env import EXTRA_GROUP, TestEnvironment, project_test_environment
from upgrader.project import Project
from upgrader.verify.toxstage import CONSTRAINTS_DIR, UPGRADER_DIR, Stage, tox_path


def baseline_requirements(project: Project) -> Path | None:
    """The project's own requirements file (the one declaring Django), or None when it has none."""
    for requirement in project.django_requirements:
        if requirement.kind == "requirements":
            return project.root / requirement.evidence.file
    default = project.root / "requirements.txt"
    return default if default.is_file() else None


_DECLARED_KINDS = ("pep621", "pep735", "poetry", "setup.py", "setup.cfg", "pipfile")
# The package's own dependencies (install_requires): in its test env beside a requirements file,
# since a stage never installs the project itself (skip_install: a reusable app's six).
_PACKAGE_KINDS = ("pep621", "setup.py", "setup.cfg")


def package_lines(project: Project) -> tuple[str, ...]:
    """The package's own main dependencies (``install_requires``) but Django, as deps lines."""
    lines = declared_dependencies(project, (), locks=False, kinds=_PACKAGE_KINDS)
    return tuple(
        line
        for line in lines
        if _line_name(line) and canonicalize_name(_line_name(line)) != "django"
    )


def django_lines(project: Project, deps: Sequence[str], files: Mapping[str, str]) -> list[str]:
    """The lines naming Django in ``deps`` and in the files it names with ``-r`` (and the files
    those include); ``files``: the ones this stage writes into ``.upgrader/``."""
    own = project.root / UPGRADER_DIR
    seen: set[Path] = set()
    found: list[str] = []

    def read(path: Path) -> None:
        if path in seen:
            return
        seen.add(path)
        try:
            text = files.get(path.relative_to(own.resolve()).as_posix())
        except ValueError:
            text = None
        if text is None:
            try:
                text = path.read_text("utf-8", errors="replace")
            except OSError:
                return
        for raw in text.splitlines():
            include = _INCLUDE.match(raw.strip())
            if include and include["flag"] in ("-r", "--requirement"):
                read((path.parent / include["file"]).resolve())
            elif canonicalize_name(_line_name(raw) or "-") == "django":
                found.append(raw.split(" #")[0].strip())

    for line in deps:
        include = _INCLUDE.match(line)
        if include is None:
            if canonicalize_name(_line_name(line) or "-") == "django":
                found.append(line)
        elif include["flag"] in ("-r", "--requirement"):
            read(
                Path(include["file"].replace("{tox_root}", str(own)).replace("{/}", "/")).resolve()
            )
    return found


def django_line(
    stage: Stage, named: Sequence[str], locked: Path | None, *, constrained: bool
) -> str | None:
    """The line that gives the stage its Django where what it installs would not pin it; None
    when it does. ``named``: the Django lines it installs; ``locked``: the stage's locked set
    (installed with ``-r``, or with ``-c`` when ``constrained``), None for the baseline's own
    lines. Nothing naming Django (a reusable app names it only in tests_require or tox.ini) gets
    the set's pin; a set without one, or own lines without an exact pin (``Django>=2.0``,
    resolved as of the era, could be another series), get ``django==X.Y.*``."""
    from upgrader.deps.resolve import read_pins

    series = f"django=={stage.release.name}.*"
    if locked is None:
        return None if named and all(_EXACT.match(_specifier(n)) for n in named) else series
    pin = read_pins(locked).get("django")
    if pin is None:
        return series
    if constrained and not named:
        return f"django=={pin}"
    return None


def _specifier(line: str) -> str:
    """The version specifier of a requirement line ("" when it has none or is not one)."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return str(Requirement(line.split(" #")[0].strip()).specifier)
    except InvalidRequirement:
        return ""


def _replacement(name: str, text: str, replacements: Sequence[tuple[str, str]]) -> tuple[bool, str]:
    """(matched, replacement) for a requirement named ``name`` written as ``text``."""
    for key, value in replacements:
        if (name and canonicalize_name(key) == canonicalize_name(name)) or (
            "/" in key and key in text
        ):
            return True, value
    return False, ""


def declared_dependencies(
    project: Project,
    extras: Iterable[str] | None = None,
    *,
    locks: bool = True,
    kinds: Sequence[str] = (),
) -> tuple[str, ...]:
    """The project's dependencies as requirement lines, for a project without requirements files.

    A lock file's exact pins when there is one (poetry.lock, Pipfile.lock, uv.lock), else the
    declarations of pyproject.toml, setup.py, setup.cfg or Pipfile: the main ones and those of the
    extras (or dependency groups) named in ``extras`` (default: the test extras of the project's
    test environment), never the others (``mysql``, ``postgres`` need system libraries).
    ``[tool.upgrader] replace-requirements`` applies. Read statically; the project itself is not
    built (an in-tree build would write into the project). ``locks=False``: the declarations
    even when there is a lock file (a stage whose locked set pins them: a lock the dependency
    stage could not regenerate still pins the old versions). ``kinds``: only declarations of
    those kinds (``_PACKAGE_KINDS``: the package's own ``install_requires``), never a lock's.
    """
    from upgrader.detect.requirements import LOCK_KINDS, read_declared

    if extras is None:
        extras = [item.value for item in project_test_environment(project).extras]
    wanted = {canonicalize_name(extra) for extra in extras}
    declared = read_declared(project.root).requirements
    chosen = [r for r in declared if r.kind in LOCK_KINDS and r.name] if locks and not kinds else []
    if not chosen:
        chosen = [r for r in declared if r.kind in (kinds or _DECLARED_KINDS) and r.name]
    lines: dict[str, None] = {}
    for requirement in chosen:
        group = EXTRA_GROUP.match(requirement.evidence.detail)
        if group and canonicalize_name(group["name"].strip()) not in wanted:
            continue
        extra_names = f"[{','.join(requirement.extras)}]" if requirement.extras else ""
        marker = f"; {requirement.marker}" if requirement.marker else ""
        line = f"{requirement.name}{extra_names}{requirement.specifier}{marker}"
        matched, replacement = _replacement(
            requirement.name, requirement.raw, project.config.replace_requirements
        )
        if matched:
            if replacement:
                lines[replacement] = None
            continue
        lines[line] = None
    return tuple(lines)


_INCLUDE = re.compile(r"^(?P<flag>-r|-c|--requirement|--constraint)(\s*=?\s*)(?P<file>\S+)\s*$")
_EGG = re.compile(r"#egg=(?P<name>[A-Za-z0-9][\w.-]*)")


def _line_name(line: str) -> str:
    """The package a requirement line names ("" when it names none)."""
    from packaging.requirements import InvalidRequirement, Requirement

    egg = _EGG.search(line)
    if egg:
        return egg["name"]
    text = re.sub(r"^(-e|--editable)\s+", "", line.split(" #")[0].strip())
    try:
        return Requirement(text).name
    except InvalidRequirement:
        return ""


def replaced_requirements(
    root: Path, path: Path, replacements: Sequence[tuple[str, str]], files: dict[str, str]
) -> str | None:
    """A copy of requirements file ``path`` with ``replacements`` applied, as a file in
    ``.upgrader/constraints/`` (its name, relative to .upgrader/; added to ``files``), or None when
    nothing in it (or in the files it includes) is replaced."""
    folder = root / UPGRADER_DIR / CONSTRAINTS_DIR
    try:
        relative = path.resolve().relative_to(root.resolve())
        text = path.read_text("utf-8")
    except (ValueError, OSError, UnicodeDecodeError):
        return None
    name = f"{CONSTRAINTS_DIR}/project-{'-'.join(relative.parts)}"
    if name in files:
        return name  # an include cycle, or a file included twice
    files[name] = ""
    changed = False
    out: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        include = _INCLUDE.match(line)
        if include:
            child = path.parent / include["file"]
            derived = replaced_requirements(root, child, replacements, files)
            flag = "-c" if include["flag"] in ("-c", "--constraint") else "-r"
            if derived is not None:
                out.append(f"{flag} {Path(derived).name}")
                changed = True
            else:
                out.append(f"{flag} {Path(os.path.relpath(child, folder)).as_posix()}")
            continue
        is_requirement = line and not line.startswith("#") and not line.startswith("-")
        if is_requirement or line.startswith(("-e ", "--editable ")):
            matched, replacement = _replacement(_line_name(line), line, replacements)
            if matched:
                changed = True
                out.append(
                    replacement or f"# {line}  (left out: [tool.upgrader] replace-requirements)"
                )
                continue
        out.append(raw)
    if not changed:
        del files[name]
        return None
    header = (
        f"# Generated by upgrader from {relative.as_posix()} with [tool.upgrader] "
        "replace-requirements applied.\n"
    )
    files[name] = header + "\n".join(out) + "\n"
    return name


def _cutoff(project: Project) -> datetime | None:
    """The moment the baseline resolves as of (None: today)."""
    from upgrader.deps.era import baseline_cutoff

    try:
        return baseline_cutoff(project.root, project.django_version)
    except OSError:  # pragma: no cover - git missing or unreadable: resolve as of today
        return None


# An exact pin is installed whenever its file was uploaded (re-uploads happen: atomicwrites
# 1.4.0's files are from 2022, two years after its release): the cut-off is for the others.
_NO_CUTOFF = "2100-01-01T00:00:00Z"  # uv reads no later date (9999-12-31 overflows)
_EXACT = re.compile(r"^===?\s*[^*,;\s]+$")


def era_settings(
    project: Project, stage: Stage, requirements: Path | None
) -> tuple[str, str] | None:
    """uv's settings for resolving the baseline as of the project's era, as a file to write:
    ``exclude-newer`` at the cut-off, with every exactly pinned package exempt; None when there is
    no cut-off (no git history) or nothing is left to date (every requirement pinned exactly).

    ``requirements``: the requirements file the stage installs; then only requirements files
    count (not pip-compile's ``.in`` inputs, which its ``.txt`` output locks)."""
    from upgrader.deps.era import reuploaded_exemptions
    from upgrader.deps.resolve import rfc3339
    from upgrader.detect.requirements import DIRECT_KINDS, read_declared

    declared = [r for r in read_declared(project.root).requirements if r.name or r.url]
    if requirements is not None:
        declared = [
            r
            for r in declared
            if r.kind in ("requirements", "constraints", *DIRECT_KINDS)
            and not r.evidence.file.endswith(".in")
        ]
    exact = sorted({r.name for r in declared if r.name and _EXACT.match(r.specifier.strip())})
    loose = [
        r
        for r in declared
        if r.kind not in DIRECT_KINDS and r.name and not _EXACT.match(r.specifier.strip())
    ]
    if not loose:
        return None  # a complete lock (pip-compile output, a lock file): nothing to date
    cutoff = _cutoff(project)
    if cutoff is None:
        return None
    lines = [
        f"# Generated by upgrader: the Django {stage.release.name} baseline resolves as of the "
        "project's last change to its dependency files",
        "# (upgrader.deps.era); exactly pinned packages install as pinned, whenever uploaded.",
        "# uv reads it instead of any uv.toml (yours or the project's) for this stage's install;",
        "# index settings in the environment (UV_DEFAULT_INDEX, UV_INDEX_URL, ...) still apply.",
        "# A package re-uploaded since (atomicwrites, 2022) is taken as of its re-upload.",
        "[pip]",
        f'exclude-newer = "{rfc3339(cutoff)}"',
    ]
    exempt = dict.fromkeys(exact, _NO_CUTOFF)
    for name, moment in reuploaded_exemptions(cutoff).items():
        exempt.setdefault(name, rfc3339(moment))
    if exempt:
        pins = ", ".join(f'"{name}" = "{moment}"' for name, moment in sorted(exempt.items()))
        lines.append(f"exclude-newer-package = {{ {pins} }}")
    return f"{CONSTRAINTS_DIR}/uv-{stage.env}.toml", "\n".join(lines) + "\n"


def _pins_the_locked_set_moved(project: Project, locked: Path) -> bool:
    """Whether the project's requirements files pin, exactly, a version of a package that the
    stage's locked set pins at another version: pip-compile's ``.txt`` keeps the old stage's
    transitive pins (the hop rewrites the direct ones), and ``-c`` the set would then conflict
    (pluggy 0.13.1 against 1.5.0 on shop's 4.2 hop)."""
    from upgrader.deps.resolve import read_pins
    from upgrader.detect.requirements import read_declared

    pinned = read_pins(locked)
    for r in read_declared(project.root).requirements:
        if not r.name or r.kind not in ("requirements", "constraints"):
            continue
        if r.evidence.file.endswith(".in") or not _EXACT.match(r.specifier.strip()):
            continue
        chosen = pinned.get(canonicalize_name(r.name))
        if chosen is not None and chosen != r.specifier.strip().lstrip("=").strip():
            return True
    return False


def own_lines(
    project: Project, found: TestEnvironment, files: dict[str, str], constraints: Path
) -> tuple[str, ...]:
    """The ``deps`` lines of what the project itself declares, for a stage with a locked set:
    its requirements file (a copy with ``replace-requirements`` applied, added to ``files``),
    else its declared dependencies (never a lock file's old pins) with the test extras only."""
    root = project.root
    requirements = baseline_requirements(project)
    if requirements is None:
        return declared_dependencies(project, [e.value for e in found.extras], locks=False)
    if _pins_the_locked_set_moved(project, constraints):
        return ()  # the caller installs the locked set itself, which the dependency stage resolved
    if project.config.replace_requirements:
        derived = replaced_requirements(
            root, requirements, project.config.replace_requirements, files
        )
        if derived is not None:
            requirements = root / UPGRADER_DIR / derived
    return (f"-r {tox_path(root, requirements)}", *package_lines(project))


def same_file(root: Path, path: Path, other: Path) -> bool:
    absolute = path if path.is_absolute() else root / path
    return absolute.resolve() == other.resolve()
