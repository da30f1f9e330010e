"""The environment a project's tests run in, read from where projects keep it; never run.

``read_test_environment(root, config)`` returns a ``TestEnvironment``: the variables to set (and to
pass through from the caller), the commands that run before the tests, extra test requirements,
the extras of the project's own package that its tests need, and the settings module the tests
name, each with the file and line it came from. Sources, in order of precedence (the first that
sets a variable wins):

1. ``[tool.upgrader]``: ``env``, ``pre-test``, ``test-requirements``, ``extras``;
2. the project's ``tox.ini`` ``[testenv]``: ``setenv``/``set_env``, ``passenv``/``pass_env``,
   ``commands_pre`` and the set-up commands before the test command in ``commands``, ``deps``,
   ``extras``; a ``deps`` line of a Django factor (``django22: mock``, ``django{22,30}:``,
   ``dj22:``, ``py37-django22:``) is a test requirement of that Django stage only (a stage newer
   than every factor takes the newest one before it: ``TestEnvironment.requirements_for``); other
   factor-conditional lines (``postgres: psycopg2``, ``!django22:``) and substitutions other than
   ``{toxinidir}`` are left out with a note; a Django line is never taken (the stage's Django);
   ``setup.py``/``setup.cfg`` ``tests_require`` are test requirements too (its Django line noted);
3. a ``Makefile`` ``test`` target: ``VAR=value`` before the test command, set-up commands before it;
4. CI: GitHub Actions workflows (``env:`` of the workflow, of each job and of the steps that run
   tests; ``run:`` set-up steps such as ``manage.py collectstatic``), ``.gitlab-ci.yml``
   ``variables:``, ``.travis.yml`` ``env:``; the packages their steps ``pip install`` by name
   (GitHub ``run:``, GitLab ``before_script``/``script``, Travis ``before_install``/``install``/
   ``before_script``/``script``) are test requirements, except requirement files (``-r``: the
   project's own files, read where they are), the project itself (``-e .``, paths, URLs), Django
   (the stage decides it), the tools that only run or report (``pip``, ``tox``, ``coverage``,
   ``coveralls``, linters) and packages that build against a system library (``mysqlclient``:
   left out with a note); the ``services:`` a job runs (GitHub Actions, GitLab) are notes, since
   the tests need them and nothing here starts them. Only literal values are taken: ``${{ secrets.X }}`` and
   every other expression or ``$VAR`` reference is skipped with a note, so no secret is ever copied;
   a database or broker URL naming a CI service host (``postgres://postgres@localhost/x``) is
   skipped with a note too: the service is not running here (the caller's own ``DATABASE_URL``
   still passes through); other variables of such a service (``POSTGRES_HOST=localhost``) are
   kept, right once the service runs here, and their evidence names the service.
5. the settings modules (parsed with ``ast``): every variable they read (``os.environ.get("X")``,
   ``env("X")``) is passed through from the caller; a CI flag they read that the project's CI sets
   on every run without naming it (``GITHUB_ACTIONS`` with ``.github/workflows``, ``GITLAB_CI``,
   ``TRAVIS``) is set to ``true`` when every read of it is an ``if`` whose branches assign no
   service setting (``DATABASES``, ``CACHES``, a broker: CI's services are not running here), as
   on the project's CI (``if 'GITHUB_ACTIONS' in os.environ: STATICFILES_DIRS = ...``); otherwise a
   note says how to set it;
6. ``DJANGO_SETTINGS_MODULE`` of pytest's ini (``pytest.ini``, ``setup.cfg`` ``[tool:pytest]``,
   ``tox.ini`` ``[pytest]``, ``pyproject.toml``): recorded as the tests' settings (pytest-django reads
   the ini itself, so it is not set again); its ``addopts`` name plugins the tests need
   (``-n auto`` -> ``pytest-xdist``, ``--cov`` -> ``pytest-cov``); its ``env`` lines (pytest-env:
   ``RECAPTCHA_TESTING=True``, ``D:``/``R:`` prefixes dropped) are ``ini_env``: what the tests
   run with, which pytest sets itself, so the stage does not set them again (the third-party
   upgrade steps read them: ``upgrader.deps.upgrade_steps``).

A settings module whose static files storage is a manifest one (``STATICFILES_STORAGE``,
``STORAGES["staticfiles"]["BACKEND"]``: ``ManifestStaticFilesStorage``, whitenoise's
``CompressedManifestStaticFilesStorage`` or a project class based on one) gets ``python manage.py
collectstatic --noinput`` as a pre-test command, unless one runs collectstatic already or
``[tool.upgrader] pre-test`` is set (``pre-test = []`` turns it off).

Test extras: the ones named in ``[tool.upgrader] extras``, else the ones tox.ini installs, else the
project's extras called ``test``, ``tests``, ``testing`` or ``dev``; never the others (``mysql``,
``postgres`` need system libraries the tests do not).

Where each source is read: ``tox`` (tox.ini), ``ci`` (the CI files), ``settings`` (the settings
modules, their static files storage, uncompiled catalogues); ``found`` holds the types and what
every source adds to; ``[tool.upgrader]``, ``tests_require``, the Makefile and pytest's ini are
read here, in ``read_test_environment``'s order.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from pathlib import Path

from upgrader.detect.model import Evidence, Project, ProjectConfig
from upgrader.detect.sources import ProjectReader, line_of
from upgrader.detect.test_env.ci import from_github, from_gitlab, from_travis, service_variables
from upgrader.detect.test_env.found import (
    ASSIGNMENT,
    SETUP_COMMAND,
    TEST_COMMAND,
    TEST_EXTRA_NAMES,
    EnvVariable,
    Found,
    Item,
    TestEnvironment,
    factor_series,
)
from upgrader.detect.test_env.settings import (
    CI_FLAGS,
    COLLECTSTATIC,
    SERVICE_SETTINGS,
    from_settings,
    manifest_collectstatic,
    uncompiled_messages,
)
from upgrader.detect.test_env.tox import from_tox_ini

__all__ = [
    "CI_FLAGS",
    "COLLECTSTATIC",
    "CONFIG",
    "EXTRA_GROUP",
    "SERVICE_SETTINGS",
    "TEST_EXTRA_NAMES",
    "EnvVariable",
    "Item",
    "TestEnvironment",
    "declared_extras",
    "factor_series",
    "project_test_environment",
    "read_test_environment",
]

CONFIG = "pyproject.toml [tool.upgrader]"
_PLUGINS = (
    (re.compile(r"(^|\s)(-n\s*(auto|logical|\d+)|--numprocesses\b|--dist\b)"), "pytest-xdist"),
    (re.compile(r"(^|\s)--cov\b"), "pytest-cov"),
    (re.compile(r"(^|\s)--timeout\b"), "pytest-timeout"),
)


# --- [tool.upgrader] ----------------------------------------------------------------------------


def _from_config(found: Found, config: ProjectConfig) -> None:
    for name, value in config.env:
        found.env[name] = EnvVariable(name, value, Evidence(CONFIG, None, "env"))
    for command in config.pre_test:
        found.command(command, Evidence(CONFIG, None, "pre-test"))
    for line in config.test_requirements:
        found.requirement(line, Evidence(CONFIG, None, "test-requirements"))
    if config.extras is not None:
        found.extras = [Item(e, Evidence(CONFIG, None, "extras")) for e in config.extras]


# --- setup.py tests_require ------------------------------------------------------------------------


def _from_package(found: Found) -> None:
    """A package's ``tests_require`` (reusable apps): test requirements; Django is the stage's."""
    from upgrader.detect.requirements import read_tests_require

    for declared in read_tests_require(found.reader.root, reader=found.reader):
        evidence = declared.evidence
        if declared.name == "django":
            found.note(
                f"{declared.raw!r}: each stage installs its own Django in its place", evidence
            )
            continue
        found.requirement(declared.raw, evidence)


# --- Makefile --------------------------------------------------------------------------------------


def _from_makefile(found: Found) -> None:
    path = found.reader.root / "Makefile"
    text = found.reader.text(path)
    if text is None:
        return
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if not re.match(r"^tests?\s*:", line):
            continue
        for number, recipe in enumerate(lines[index + 1 :], start=index + 2):
            if not recipe.startswith("\t"):
                if recipe.strip():
                    break
                continue
            command = recipe.strip().lstrip("@-").strip()
            if TEST_COMMAND.search(command):
                try:
                    words = shlex.split(command)
                except ValueError:
                    break
                for word in words:
                    assigned = ASSIGNMENT.match(word)
                    if assigned is None:
                        break
                    value = assigned["value"]
                    if "$" in value:
                        found.note(
                            f"{word!r} refers to a variable: left out",
                            found.evidence(path, number, "test"),
                        )
                        continue
                    found.set(assigned["name"], value, found.evidence(path, number, "test"))
                break
            if SETUP_COMMAND.search(command) and "$" not in command:
                found.command(command, found.evidence(path, number, "test"))
        return


# --- pytest's ini --------------------------------------------------------------------------------


def _pytest_ini(found: Found) -> None:
    root = found.reader.root
    candidates: list[tuple[Path, str]] = [
        (root / "pytest.ini", "pytest"),
        (root / "pyproject.toml", ""),
        (root / "tox.ini", "pytest"),
        (root / "setup.cfg", "tool:pytest"),
    ]
    for path, section in candidates:
        options: dict[str, str] = {}
        if section:
            parser = found.reader.ini(path)
            if parser is None or not parser.has_section(section):
                continue
            options = {k: str(v) for k, v in parser.items(section)}
        else:
            data = found.reader.toml(path) or {}
            table = data.get("tool", {}).get("pytest", {}).get("ini_options")
            if not isinstance(table, dict):
                continue
            options = {
                k.lower(): ("\n" if k.lower() == "env" else " ").join(map(str, v))
                if isinstance(v, list)
                else str(v)
                for k, v in table.items()
            }
        text = found.reader.text(path) or ""
        module = options.get("django_settings_module", "").strip()
        if module:
            line = line_of(text, r"(?i)^\s*DJANGO_SETTINGS_MODULE\s*=")
            found.settings = Item(module, found.evidence(path, line, "DJANGO_SETTINGS_MODULE"))
        addopts = options.get("addopts", "")
        for pattern, plugin in _PLUGINS:
            if pattern.search(addopts):
                line = line_of(text, r"^\s*addopts\s*=")
                found.requirement(plugin, found.evidence(path, line, f"addopts needs {plugin}"))
        _pytest_env(found, path, text, options.get("env", ""))
        return  # pytest reads the first ini file it finds, and so do we


_ENV_FLAGS = re.compile(r"^(?:[DR]:)+")  # pytest-env's "default only" and "raw" prefixes


def _pytest_env(found: Found, path: Path, text: str, lines: str) -> None:
    """pytest-env's ``env`` option of pytest's ini: one ``NAME=value`` per line."""
    for raw in lines.splitlines():
        entry = _ENV_FLAGS.sub("", raw.strip())
        name, equals, value = entry.partition("=")
        name = name.strip()
        if not equals or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            continue
        line = line_of(text, rf"^\s*(?:env\s*=\s*)?(?:[DR]:)*{re.escape(name)}\s*=")
        evidence = found.evidence(path, line, f"pytest-env: {name}")
        found.ini_env.setdefault(name, EnvVariable(name, value.strip(), evidence))


def read_test_environment(
    root: Path,
    config: ProjectConfig | None = None,
    *,
    declared_extras: Iterable[str] = (),
    settings_files: Iterable[Path] = (),
    reader: ProjectReader | None = None,
) -> TestEnvironment:
    """What the project's tests need around them (see the module docstring for the sources).

    ``declared_extras``: the extras the project's package declares (to pick the test ones when
    neither ``[tool.upgrader] extras`` nor tox.ini names them); ``settings_files``: the settings
    modules, whose environment reads are passed through.
    """
    found = Found(reader or ProjectReader(root))
    _from_config(found, config or ProjectConfig())
    from_tox_ini(found)
    _from_package(found)
    _from_makefile(found)
    from_github(found)
    from_gitlab(found)
    from_travis(found)
    service_variables(found)
    _pytest_ini(found)
    from_settings(found, settings_files)
    manifest_collectstatic(found, settings_files)
    uncompiled_messages(found)
    return found.result(declared_extras)


EXTRA_GROUP = re.compile(
    r"^(extras_require|optional-dependencies|dependency-groups): (?P<name>.+)$"
)


def declared_extras(root: Path, reader: ProjectReader | None = None) -> tuple[str, ...]:
    """The extras (and dependency groups) the project's own declarations define, in file order."""
    from upgrader.detect.requirements import read_declared

    names: dict[str, None] = {}
    for requirement in read_declared(root, reader=reader).requirements:
        group = EXTRA_GROUP.match(requirement.evidence.detail)
        if group:
            names[group["name"].strip()] = None
    return tuple(names)


def project_test_environment(project: Project) -> TestEnvironment:
    """The test environment of a detected project: what the plan shows and every stage gets."""
    reader = ProjectReader(project.root)
    return read_test_environment(
        project.root,
        project.config,
        declared_extras=declared_extras(project.root, reader),
        settings_files=project.settings_files
        or ((project.settings_file,) if project.settings_file else ()),
        reader=reader,
    )
