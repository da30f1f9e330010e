"""The tox configuration of the upgrade: one environment per Django stage, in ``.upgrader/tox.ini``.

Why a file of our own: a project's ``tox.ini`` (or ``[tool.tox]``) is the project's, and editing
it would mix our environments into its diffs and its CI. upgrader writes ``.upgrader/tox.ini``
and runs ``tox -c .upgrader/tox.ini -e django22``; the project's own tox configuration is never
read or written. Inside that file ``{tox_root}`` is ``.upgrader/`` (the folder of the file), so:

- commands run in the project root (``change_dir = {tox_root}{/}..``),
- dependency files are named from there (``-r {tox_root}{/}constraints{/}django-4.2.txt``),
- tox's environments live in ``.upgrader/cache/tox`` (ignored by ``.upgrader/.gitignore``): a
  verify writes nothing else in the project.

The same file serves a developer's machine and CI, so nothing machine-specific is written in it:
a stage's interpreter is ``base_python = {env:UPGRADER_PYTHON_DJANGO22:python3.8}``, where
``upgrader verify`` sets the variable to the absolute path of the interpreter it found (pyenv
shims on PATH may not work), and CI, where ``actions/setup-python`` or a ``python:3.8`` image puts
``python3.8`` on PATH, leaves it unset.

Settings come from the project as it runs them (manage.py's default, pytest's ini): no
``DJANGO_SETTINGS_MODULE`` is forced, since for pytest-django it would override the ini file;
``DJANGO_*``, ``DATABASE_URL`` and the CI flags (``CI``, ``GITHUB_ACTIONS``, ...) from the caller's
environment are passed through.

The project's test environment (``upgrader.detect.test_env``: ``[tool.upgrader]``, its tox.ini,
CI files, Makefile, settings) goes into every stage: its variables into ``set_env``, the variables
its settings read into ``pass_env``, its set-up commands into ``commands_pre``, its test
requirements into ``deps``; of the extras its package declares only the test ones are installed.

The stage's installer fits the stage's era and Python: the baseline stage, built from the
project's own requirements, resolves as of the project's era (uv's ``exclude-newer`` at
``upgrader.deps.era.baseline_cutoff``, in ``.upgrader/constraints/uv-djangoNN.toml`` named by
``UV_CONFIG_FILE``), so unpinned requirements get what existed then while exact pins install as
pinned (a file re-uploaded later still counts); a complete lock needs no cut-off. Later stages
install the same lines as the baseline (the project's requirements file, or its main
dependencies and test extras, and its test requirements) with ``-c`` the locked set the
dependency stage wrote, so an extra the tests do not use (``mysql``) is never built; a project
that declares nothing installs the locked set itself. A requirements file is installed with the
package's own ``install_requires`` beside it (the project itself is never installed); a stage
where nothing it installs names Django (a reusable app declares it in ``tests_require`` or tox.ini
only) gets the stage's Django: the locked set's pin, else ``django==X.Y.*``; the test
requirements of tox.ini's Django factors go to their stage only. Stages on Python <= 3.8 build sdists with
``setuptools<72`` (``UV_BUILD_CONSTRAINT``: old ``setup.py`` files import
``setuptools.command.test``), plus ``[tool.upgrader] build-constraints``; ``[tool.upgrader]
replace-requirements`` swaps (or drops) a requirement, e.g. an unreachable ``git+https`` one, in a
copy of the project's requirements file under ``.upgrader/constraints/``.

Environment names: ``django`` + the release's digits when every part is one digit (``django22``,
``django61``), else the parts joined by ``_`` (``django2028_0``): nothing here assumes ``X.Y``.
Each run shows deprecation warnings as Django's upgrade guide recommends (``PYTHONWARNINGS=always``,
``-W always::DeprecationWarning`` for pytest) and writes structured results (``verify/suite.py``):
pytest gets ``-rfE ... --junitxml=.upgrader/logs/results/{env_name}.xml``; every other Python
test command runs under ``.upgrader/result_writer.py``, which ``write_tox_ini`` writes beside this
file so that CI runs the same commands. tox-uv (a dependency of upgrader) creates the
environments; ``runner`` is left unset so the file works with plain tox too.
"""

from __future__ import annotations

import configparser
import os
import re
import shlex
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import Version

from upgrader.detect.test_env import EXTRA_GROUP, TestEnvironment, project_test_environment
from upgrader.errors import VerifyError
from upgrader.files import write_text_atomic
from upgrader.interpreters import nearest_python
from upgrader.project import Project
from upgrader.releases import Release, series_name
from upgrader.verify.parse import DJANGO
from upgrader.verify.results import write_result_writer
from upgrader.verify.suite import suite_command

UPGRADER_DIR = ".upgrader"
TOX_INI = "tox.ini"
CONSTRAINTS_DIR = "constraints"
MARKER = "# Generated by upgrader"
# Variables every stage passes through from the caller (CI flags select CI settings in CI).
PASS_ENV = ("DATABASE_URL", "DJANGO_*", "CI", "GITHUB_ACTIONS", "GITLAB_CI", "TRAVIS")
_PYTHON_PROGRAMS = frozenset({"python", "python3", "pip", "django-admin", "django-admin.py"})


def env_name(release: Release) -> str:
    """The tox environment of a stage: "2.2" -> "django22", "2028.0" -> "django2028_0"."""
    parts = release.name.split(".")
    joiner = "" if all(len(part) == 1 for part in parts) else "_"
    return "django" + joiner.join(parts)


def python_variable(env: str) -> str:
    """The environment variable that points a stage at an interpreter: UPGRADER_PYTHON_DJANGO22."""
    return f"UPGRADER_PYTHON_{env.upper()}"


def constraints_path(root: Path, release: Release) -> Path:
    """Where the dependency stage writes a stage's locked set: .upgrader/constraints/django-4.2.txt."""
    return root / UPGRADER_DIR / CONSTRAINTS_DIR / f"django-{release.name}.txt"


@dataclass(frozen=True)
class Stage:
    """A Django stage and the Python feature version it runs on (in CI and by default here)."""

    release: Release
    python: str

    @property
    def env(self) -> str:
        return env_name(self.release)

    @classmethod
    def for_release(cls, release: Release, prefer: str | None) -> Stage:
        """The stage on ``prefer`` (the project's Python) or the supported Python nearest to it."""
        return cls(release, nearest_python(release.python_versions, prefer))


@dataclass(frozen=True)
class ToxEnv:
    """One ``[testenv:djangoNN]`` section."""

    stage: Stage
    deps: tuple[str, ...]  # lines of ``deps``, e.g. "-r {tox_root}{/}..{/}requirements.txt"
    commands: tuple[tuple[str, ...], ...]
    set_env: tuple[tuple[str, str], ...]
    runner: str  # DJANGO | PYTEST
    commands_pre: tuple[tuple[str, ...], ...] = ()
    pass_env: tuple[str, ...] = ()  # beyond PASS_ENV, e.g. the variables the settings read
    allowlist_externals: tuple[str, ...] = ()  # programs of commands_pre outside the env
    files: tuple[tuple[str, str], ...] = ()  # (path relative to .upgrader/, text) it reads
    test_environment: TestEnvironment = field(default_factory=TestEnvironment)  # the evidence

    @property
    def name(self) -> str:
        return self.stage.env


def _tox_path(root: Path, path: Path) -> str:
    """``path`` written relative to ``{tox_root}`` (``.upgrader/``) when it is in the project."""
    absolute = path if path.is_absolute() else root / path
    try:
        relative = absolute.relative_to(root / UPGRADER_DIR)
    except ValueError:
        pass
    else:
        return "{tox_root}{/}" + "{/}".join(relative.parts)
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return absolute.as_posix()
    return "{tox_root}{/}..{/}" + "{/}".join(relative.parts)


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


def _package_lines(project: Project) -> tuple[str, ...]:
    """The package's own main dependencies (``install_requires``) but Django, as deps lines."""
    lines = declared_dependencies(project, (), locks=False, kinds=_PACKAGE_KINDS)
    return tuple(
        line
        for line in lines
        if _line_name(line) and canonicalize_name(_line_name(line)) != "django"
    )


def _django_lines(project: Project, deps: Sequence[str], files: Mapping[str, str]) -> list[str]:
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


def _django_line(
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


def _replaced_requirements(
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
            derived = _replaced_requirements(root, child, replacements, files)
            flag = "-c" if include["flag"] in ("-c", "--constraint") else "-r"
            if derived is not None:
                out.append(f"{flag} {Path(derived).name}")
                changed = True
            else:
                out.append(f"{flag} {Path(os.path.relpath(child, folder)).as_posix()}")
            continue
        if line and not line.startswith("#") and not line.startswith("-"):
            matched, replacement = _replacement(_line_name(line), line, replacements)
            if matched:
                changed = True
                out.append(
                    replacement or f"# {line}  (left out: [tool.upgrader] replace-requirements)"
                )
                continue
        if line.startswith(("-e ", "--editable ")):
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


def _tox_escape(value: str) -> str:
    """A literal value inside tox's ini: ``{`` starts a substitution there (a backslash does not
    escape anything else, so it stays as it is)."""
    return value.replace("{", "\\{").replace("}", "\\}")


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


def _era_settings(
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


def _own_lines(
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
        derived = _replaced_requirements(
            root, requirements, project.config.replace_requirements, files
        )
        if derived is not None:
            requirements = root / UPGRADER_DIR / derived
    return (f"-r {_tox_path(root, requirements)}", *_package_lines(project))


def _same_file(root: Path, path: Path, other: Path) -> bool:
    absolute = path if path.is_absolute() else root / path
    return absolute.resolve() == other.resolve()


def tox_env(project: Project, stage: Stage, requirements: Path | None = None) -> ToxEnv:
    """The environment of ``stage`` with ``requirements`` as its dependencies.

    Without ``requirements`` (or with the stage's locked set as ``requirements``, as the step
    names it): when the stage has a locked set in ``.upgrader/constraints/``, the
    project's own lines (``_own_lines``: its requirements file, or its main dependencies and
    test extras, and its test requirements) installed with ``-c`` that set, so the stage
    installs what the baseline installs at the versions the dependency stage chose (never an
    unused extra's ``mysqlclient``); the locked set alone (``-r``) when the project declares
    nothing. Without a locked set, for the project's current Django only, the project's own
    requirements file, or the dependencies it declares elsewhere (``declared_dependencies``).
    ``replace-requirements`` applies to the locked set too.
    """
    root = project.root
    found = project_test_environment(project)
    files: dict[str, str] = {}
    own = False  # the project's own declarations (not a locked set): resolve as of its era
    constrained = False  # the project's own lines, pinned by the locked set as constraints
    deps: tuple[str, ...] = ()
    locked = constraints_path(root, stage.release)
    if requirements is not None and _same_file(root, requirements, locked):
        requirements = None  # the stage's locked set, named by the caller (the step does)
    explicit = requirements is not None  # the caller's file: installed as it is
    if requirements is None:
        if locked.is_file():
            deps = _own_lines(project, found, files, locked)
            if deps:
                constrained = True
                replacements = project.config.replace_requirements
                derived = _replaced_requirements(root, locked, replacements, files)
                pinned = root / UPGRADER_DIR / derived if derived is not None else locked
                deps = (*deps, f"-c {_tox_path(root, pinned)}")
            else:
                requirements = locked
        elif series_name(project.django_version) == stage.release.name:
            own = True
            requirements = baseline_requirements(project)
            if requirements is None:
                deps = declared_dependencies(project, [e.value for e in found.extras])
            elif project.config.replace_requirements:
                derived = _replaced_requirements(
                    root, requirements, project.config.replace_requirements, files
                )
                if derived is not None:
                    requirements = root / UPGRADER_DIR / derived
        else:
            raise VerifyError(
                f"no dependency set for the Django {stage.release.name} stage of {root} yet "
                f"(expected {locked.relative_to(root)})",
                hint="`upgrader step` resolves it; the project's own requirements are for its "
                f"current Django {series_name(project.django_version)} only.",
                path=locked,
            )
    if requirements is not None:
        deps = (f"-r {_tox_path(root, requirements)}",)
        if own:
            deps = (*deps, *_package_lines(project))
    if not deps:
        raise VerifyError(
            f"no dependency file for the Django {stage.release.name} stage of {root}",
            hint="Add a requirements.txt that pins Django, or run `upgrader step` to resolve one.",
            path=root,
        )
    extra: dict[str, None] = {}
    if not explicit:
        stage_locked = None if own else locked
        django = _django_line(
            stage, _django_lines(project, deps, files), stage_locked, constrained=constrained
        )
        if django is not None:
            extra[django] = None
    for item in found.requirements_for(stage.release.name):
        # A project file (-r requirements/test.txt) pins the baseline's versions: later stages
        # have them in their locked set; named test tools (pytest-xdist) go into every stage.
        if item.value.startswith(("-r ", "-c ")) and not (own or constrained):
            continue
        if item.value not in deps:
            extra[item.value] = None
    deps = (*deps, *extra)

    set_env = [("PYTHONDONTWRITEBYTECODE", "1")]
    if project.test_runner.kind == DJANGO:
        set_env.append(("PYTHONWARNINGS", "always"))
    for variable in found.env:
        if variable.value is None:
            continue
        from_tox = variable.evidence.file == "tox.ini"
        value = variable.value if from_tox else _tox_escape(variable.value)
        # [tool.upgrader] env may set one of ours (PYTHONWARNINGS = "error"): the user's wins.
        set_env = [(key, old) for key, old in set_env if key != variable.name]
        set_env.append((variable.name, value))
    if own:
        era = _era_settings(project, stage, requirements)
        if era is not None:
            name, text = era
            files[name] = text
            set_env.append(("UV_CONFIG_FILE", "{tox_root}{/}" + name.replace("/", "{/}")))
    from upgrader.deps.resolve import stage_build_constraints

    build = stage_build_constraints(project.config.build_constraints, stage.python)
    if build:
        name = f"{CONSTRAINTS_DIR}/build-{stage.env}.txt"
        files[name] = (
            f"# Generated by upgrader: what builds sdists for the Django {stage.release.name} "
            f"stage on Python {stage.python} ([tool.upgrader] build-constraints adds to it).\n"
            + "\n".join(build)
            + "\n"
        )
        set_env.append(("UV_BUILD_CONSTRAINT", "{tox_root}{/}" + name.replace("/", "{/}")))

    commands_pre: list[tuple[str, ...]] = []
    externals: dict[str, None] = {}
    for item in found.pre_test:
        try:
            command = tuple(shlex.split(item.value))
        except ValueError:
            continue
        if not command:
            continue
        commands_pre.append(command)
        program = command[0]
        if program not in _PYTHON_PROGRAMS and not program.startswith("{"):
            externals[program] = None
    pass_env = tuple(v.name for v in found.pass_env if v.name not in PASS_ENV)
    return ToxEnv(
        stage=stage,
        deps=deps,
        commands=(suite_command(project),),
        set_env=tuple(set_env),
        runner=project.test_runner.kind,
        commands_pre=tuple(commands_pre),
        pass_env=pass_env,
        allowlist_externals=tuple(externals),
        files=tuple(sorted(files.items())),
        test_environment=found,
    )


def render_env(env: ToxEnv) -> str:
    stage = env.stage
    lines = [
        f"[testenv:{env.name}]",
        f"description = Django {stage.release.name} on Python {stage.python} ({env.runner})",
        f"base_python = {{env:{python_variable(env.name)}:python{stage.python}}}",
    ]
    if env.deps:
        lines += ["deps =", *(f"    {dep}" for dep in env.deps)]
    lines += ["set_env =", *(f"    {key} = {value}" for key, value in env.set_env)]
    if env.pass_env:
        lines += [
            "pass_env =",
            "    {[testenv]pass_env}",
            *(f"    {name}" for name in env.pass_env),
        ]
    if env.allowlist_externals:
        lines += ["allowlist_externals =", *(f"    {name}" for name in env.allowlist_externals)]
    if env.commands_pre:
        lines += ["commands_pre =", *(f"    {shlex.join(command)}" for command in env.commands_pre)]
    lines += ["commands =", *(f"    {shlex.join(command)} {{posargs}}" for command in env.commands)]
    return "\n".join(lines) + "\n"


_HEADER = f"""\
{MARKER}: one tox environment per Django stage of the upgrade.
# Run a stage:   tox -c .upgrader/tox.ini -e django22
# upgrader never edits the project's own tox configuration; this file is regenerated by
# `upgrader verify` and `upgrader ci` (edit the project, not this file).
# A stage's interpreter: $UPGRADER_PYTHON_<ENV> when set, else pythonX.Y from PATH (as in CI).
"""

_COMMON = """\
[testenv]
skip_install = true
change_dir = {tox_root}{/}..
# tox-uv: seed pip and setuptools as virtualenv does (old plugins import pkg_resources).
uv_seed = true
pass_env =
"""
_COMMON += "".join(f"    {name}\n" for name in PASS_ENV)


def render_tox_ini(blocks: Iterable[tuple[str, Version, str]]) -> str:
    """The whole file from ``(env name, release version, section text)`` blocks."""
    ordered = sorted(blocks, key=lambda block: block[1])
    env_list = ", ".join(name for name, _version, _text in ordered)
    tox_section = f"[tox]\nenv_list = {env_list}\nwork_dir = {{tox_root}}{{/}}cache{{/}}tox\n"
    parts = [_HEADER, tox_section, _COMMON]
    parts += [text for _name, _version, text in ordered]
    return "\n".join(parts)


_SECTION = re.compile(r"^\[testenv:(?P<name>[^\]]+)\]\s*$", re.MULTILINE)
_DESCRIPTION = re.compile(r"^description = Django (?P<release>\S+) ", re.MULTILINE)


def _existing_blocks(text: str) -> dict[str, tuple[Version, str]]:
    """Our stage sections in a file we wrote before (to keep the stages this run does not touch)."""
    if not text.startswith(MARKER):
        return {}
    blocks: dict[str, tuple[Version, str]] = {}
    starts = list(_SECTION.finditer(text))
    for index, start in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        section = text[start.start() : end].strip() + "\n"
        described = _DESCRIPTION.search(section)
        if described is None:
            continue
        blocks[start["name"]] = (Version(described["release"]), section)
    return blocks


def tox_ini_path(root: Path) -> Path:
    return root / UPGRADER_DIR / TOX_INI


def write_tox_ini(root: Path, envs: Sequence[ToxEnv]) -> Path:
    """Write (or update) ``.upgrader/tox.ini`` with ``envs``; other stages already there stay."""
    path = tox_ini_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        existing = _existing_blocks(path.read_text("utf-8"))
    except FileNotFoundError:
        existing = {}
    blocks = {name: (version, text) for name, (version, text) in existing.items()}
    for env in envs:
        blocks[env.name] = (env.stage.release.version, render_env(env))
    text = render_tox_ini((name, version, body) for name, (version, body) in blocks.items())
    _check_parses(text, path)
    for env in envs:
        for relative, content in env.files:
            target = path.parent / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.is_file() or target.read_text("utf-8") != content:
                write_text_atomic(target, content)
                target.chmod(0o644)
    new = not path.exists()
    write_text_atomic(path, text)
    if new:
        path.chmod(0o644)  # a file to commit and read, not a private temporary one
    write_result_writer(path.parent)  # the commands run it, here and in CI
    return path


def _check_parses(text: str, path: Path) -> None:
    """Refuse to write a file tox could not read (a value with a newline would do that)."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=str(path))
    except configparser.Error as exc:  # pragma: no cover - our own rendering is at fault
        raise VerifyError(f"upgrader generated an unreadable {path}: {exc}", path=path) from exc
