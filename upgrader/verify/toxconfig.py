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
``setuptools<70`` (``UV_BUILD_CONSTRAINT``: old ``setup.py`` files import
``setuptools.convert_path`` or ``setuptools.command.test``), plus ``[tool.upgrader] build-constraints``; ``[tool.upgrader]
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

The stage and environment types and their paths are in ``toxstage``, what a stage installs (its
``deps`` lines, the era settings) in ``toxdeps``; this module builds, renders and writes them.
"""

from __future__ import annotations

import configparser
import re
import shlex
from collections.abc import Iterable, Sequence
from pathlib import Path

from packaging.version import Version

from upgrader.detect.test_env import project_test_environment
from upgrader.errors import VerifyError
from upgrader.files import write_text_atomic
from upgrader.project import Project
from upgrader.releases import series_name
from upgrader.verify.parse import DJANGO
from upgrader.verify.results import write_result_writer
from upgrader.verify.suite import suite_command
from upgrader.verify.toxdeps import (
    baseline_requirements,
    declared_dependencies,
    django_line,
    django_lines,
    era_settings,
    own_lines,
    package_lines,
    replaced_requirements,
    same_file,
)
from upgrader.verify.toxstage import (
    CONSTRAINTS_DIR,
    MARKER,
    PASS_ENV,
    TOX_INI,
    UPGRADER_DIR,
    Stage,
    ToxEnv,
    constraints_path,
    env_name,
    python_variable,
    tox_ini_path,
    tox_path,
)

__all__ = [
    "CONSTRAINTS_DIR",
    "MARKER",
    "PASS_ENV",
    "TOX_INI",
    "UPGRADER_DIR",
    "Stage",
    "ToxEnv",
    "baseline_requirements",
    "constraints_path",
    "declared_dependencies",
    "env_name",
    "python_variable",
    "render_env",
    "render_tox_ini",
    "tox_env",
    "tox_ini_path",
    "write_tox_ini",
]

_PYTHON_PROGRAMS = frozenset({"python", "python3", "pip", "django-admin", "django-admin.py"})


def _tox_escape(value: str) -> str:
    """A literal value inside tox's ini: ``{`` starts a substitution there (a backslash does not
    escape anything else, so it stays as it is)."""
    return value.replace("{", "\\{").replace("}", "\\}")


def tox_env(project: Project, stage: Stage, requirements: Path | None = None) -> ToxEnv:
    """The environment of ``stage`` with ``requirements`` as its dependencies.

    Without ``requirements`` (or with the stage's locked set as ``requirements``, as the step
    names it): when the stage has a locked set in ``.upgrader/constraints/``, the
    project's own lines (``own_lines``: its requirements file, or its main dependencies and
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
    if requirements is not None and same_file(root, requirements, locked):
        requirements = None  # the stage's locked set, named by the caller (the step does)
    explicit = requirements is not None  # the caller's file: installed as it is
    if requirements is None:
        if locked.is_file():
            deps = own_lines(project, found, files, locked)
            if deps:
                constrained = True
                replacements = project.config.replace_requirements
                derived = replaced_requirements(root, locked, replacements, files)
                pinned = root / UPGRADER_DIR / derived if derived is not None else locked
                deps = (*deps, f"-c {tox_path(root, pinned)}")
            else:
                requirements = locked
        elif series_name(project.django_version) == stage.release.name:
            own = True
            requirements = baseline_requirements(project)
            if requirements is None:
                deps = declared_dependencies(project, [e.value for e in found.extras])
            elif project.config.replace_requirements:
                derived = replaced_requirements(
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
        deps = (f"-r {tox_path(root, requirements)}",)
        if own:
            deps = (*deps, *package_lines(project))
    if not deps:
        raise VerifyError(
            f"no dependency file for the Django {stage.release.name} stage of {root}",
            hint="Add a requirements.txt that pins Django, or run `upgrader step` to resolve one.",
            path=root,
        )
    extra: dict[str, None] = {}
    if not explicit:
        stage_locked = None if own else locked
        django = django_line(
            stage, django_lines(project, deps, files), stage_locked, constrained=constrained
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
        era = era_settings(project, stage, requirements)
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
