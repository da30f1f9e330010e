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
   (``-n auto`` -> ``pytest-xdist``, ``--cov`` -> ``pytest-cov``).

A settings module whose static files storage is a manifest one (``STATICFILES_STORAGE``,
``STORAGES["staticfiles"]["BACKEND"]``: ``ManifestStaticFilesStorage``, whitenoise's
``CompressedManifestStaticFilesStorage`` or a project class based on one) gets ``python manage.py
collectstatic --noinput`` as a pre-test command, unless one runs collectstatic already or
``[tool.upgrader] pre-test`` is set (``pre-test = []`` turns it off).

Test extras: the ones named in ``[tool.upgrader] extras``, else the ones tox.ini installs, else the
project's extras called ``test``, ``tests``, ``testing`` or ``dev``; never the others (``mysql``,
``postgres`` need system libraries the tests do not).
"""

from __future__ import annotations

import ast
import contextlib
import re
import shlex
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from upgrader.detect.model import Evidence, Project, ProjectConfig
from upgrader.detect.sources import ProjectReader, line_of

__all__ = [
    "TEST_EXTRA_NAMES",
    "EnvVariable",
    "Item",
    "TestEnvironment",
    "declared_extras",
    "project_test_environment",
    "read_test_environment",
]

TEST_EXTRA_NAMES = ("test", "tests", "testing", "dev")
CONFIG = "pyproject.toml [tool.upgrader]"

# Variables upgrader sets or clears itself in a stage env: never taken from the project.
_OWN = frozenset({"PYTHONDONTWRITEBYTECODE", "PYTHONWARNINGS", "PATH", "HOME", "VIRTUAL_ENV"})
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ASSIGNMENT = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>\S*)$")
_FACTOR = re.compile(r"^[\w.!{},-]+:\s")  # tox's "django22: Django<3" / "py37,py38: x"
_SERVICE_URL = re.compile(
    r"^(postgres(ql)?|postgis|mysql|mysql2|mariadb|redis|rediss|amqp|memcached?|mongodb|"
    r"elasticsearch)(\+\w+)?://[^/]*\b(localhost|127\.0\.0\.1|postgres|mysql|redis|"
    r"rabbitmq|db|database|memcached|elasticsearch|mongo)\b",
    re.IGNORECASE,
)
_TEST_COMMAND = re.compile(
    r"(\bpytest\b|py\.test|manage\.py\s+test\b|django-admin(\.py)?\s+test\b|\btox\b|"
    r"\bruntests(\.py)?\b|\bquicktest(\.py)?\b|\bcoverage\s+run\b|\bnose2?\b|-m\s+unittest\b)"
)
_SETUP_COMMAND = re.compile(
    r"(manage\.py|django-admin(\.py)?)\s+(collectstatic|compilemessages|compress|"
    r"assets\s+build|tailwind\s+build)\b"
)
_PLUGINS = (
    (re.compile(r"(^|\s)(-n\s*(auto|logical|\d+)|--numprocesses\b|--dist\b)"), "pytest-xdist"),
    (re.compile(r"(^|\s)--cov\b"), "pytest-cov"),
    (re.compile(r"(^|\s)--timeout\b"), "pytest-timeout"),
)


@dataclass(frozen=True)
class EnvVariable:
    """A variable of the test environment; ``value`` None: passed through from the caller."""

    name: str
    value: str | None
    evidence: Evidence


@dataclass(frozen=True)
class Item:
    """A value found for the test environment, and where (a command, a requirement, an extra)."""

    value: str
    evidence: Evidence
    # The Django series it is for (tox.ini's ``django22:`` factor lines); (): every stage.
    series: tuple[str, ...] = ()


@dataclass(frozen=True)
class TestEnvironment:
    """What the project's tests need around them, each item with its evidence."""

    __test__ = False  # not a pytest test class, despite the name

    env: tuple[EnvVariable, ...] = ()  # literal values to set (first source wins)
    pass_env: tuple[EnvVariable, ...] = ()  # names to pass through from the caller's env
    pre_test: tuple[Item, ...] = ()  # commands run before the tests, in order
    requirements: tuple[Item, ...] = ()  # extra test requirement lines (``-r file`` included)
    extras: tuple[Item, ...] = ()  # the project's own extras its tests use
    settings: Item | None = None  # DJANGO_SETTINGS_MODULE the tests name (pytest's ini)
    notes: tuple[Item, ...] = ()  # what was left out and why (secrets, expressions, services)

    def env_dict(self) -> dict[str, str]:
        return {v.name: v.value for v in self.env if v.value is not None}

    def requirements_for(self, series: str) -> tuple[Item, ...]:
        """The test requirements of the stage of Django ``series``: every stage's, and those of
        tox.ini's factor for that series, else of the newest factor before it (a tox.ini of the
        2.2 era has no ``django32:`` lines; its ``django22:`` ones are the nearest)."""
        chosen = factor_series(self, series)
        return tuple(r for r in self.requirements if not r.series or chosen in r.series)


def factor_series(environment: TestEnvironment, series: str) -> str | None:
    """The tox factor series whose lines the stage of ``series`` takes (None: none applies)."""
    declared = {s for r in environment.requirements for s in r.series}
    if series in declared:
        return series
    wanted = Version(series)
    older = [s for s in declared if Version(s) < wanted]
    return max(older, key=Version) if older else None


class _Found:
    def __init__(self, reader: ProjectReader) -> None:
        self.reader = reader
        self.env: dict[str, EnvVariable] = {}
        self.pass_env: dict[str, EnvVariable] = {}
        self.pre_test: dict[str, Item] = {}
        self.requirements: dict[str, Item] = {}
        self.extras: list[Item] | None = None
        self.settings: Item | None = None
        self.notes: list[Item] = []
        # (kind, label, CI file) of each service a CI job runs.
        self.services: list[tuple[str, str, str]] = []

    def evidence(self, path: Path, line: int | None, detail: str = "") -> Evidence:
        return Evidence(self.reader.rel(path), line, detail)

    def set(self, name: str, value: str, evidence: Evidence) -> None:
        if name in _OWN:
            self.note(f"{name} is upgrader's own in a stage env: not copied", evidence)
            return
        if name not in self.env:
            self.env[name] = EnvVariable(name, value, evidence)

    def passes(self, name: str, evidence: Evidence) -> None:
        if name not in _OWN and name not in self.pass_env:
            self.pass_env[name] = EnvVariable(name, None, evidence)

    def command(self, command: str, evidence: Evidence) -> None:
        self.pre_test.setdefault(" ".join(command.split()), Item(command.strip(), evidence))

    def requirement(self, line: str, evidence: Evidence, series: tuple[str, ...] = ()) -> None:
        key = line.strip()
        with contextlib.suppress(InvalidRequirement):
            key = canonicalize_name(Requirement(line).name)
        key = f"{key}@{','.join(series)}" if series else key
        self.requirements.setdefault(key, Item(line.strip(), evidence, series))

    def note(self, message: str, evidence: Evidence) -> None:
        self.notes.append(Item(message, evidence))

    def result(self, declared_extras: Iterable[str]) -> TestEnvironment:
        extras = self.extras
        if extras is None:
            names: dict[str, str] = {canonicalize_name(e): e for e in declared_extras}
            extras = [
                Item(names[n], Evidence("", None, "named like a test extra"))
                for n in TEST_EXTRA_NAMES
                if n in names
            ]
        return TestEnvironment(
            env=tuple(self.env.values()),
            pass_env=tuple(v for k, v in self.pass_env.items() if k not in self.env),
            pre_test=tuple(self.pre_test.values()),
            requirements=tuple(self.requirements.values()),
            extras=tuple(extras),
            settings=self.settings,
            notes=tuple(self.notes),
        )


# --- [tool.upgrader] ----------------------------------------------------------------------------


def _from_config(found: _Found, config: ProjectConfig) -> None:
    for name, value in config.env:
        found.env[name] = EnvVariable(name, value, Evidence(CONFIG, None, "env"))
    for command in config.pre_test:
        found.command(command, Evidence(CONFIG, None, "pre-test"))
    for line in config.test_requirements:
        found.requirement(line, Evidence(CONFIG, None, "test-requirements"))
    if config.extras is not None:
        found.extras = [Item(e, Evidence(CONFIG, None, "extras")) for e in config.extras]


# --- tox.ini -------------------------------------------------------------------------------------


def _tox_value(found: _Found, value: str, evidence: Evidence) -> str | None:
    """A tox value with ``{toxinidir}`` made ours; None (with a note) for other substitutions."""
    value = re.sub(r"\{(toxinidir|tox_root)\}", "{tox_root}{/}..", value)
    leftover = re.sub(r"\{tox_root\}|\{/\}", "", value)
    if "{" in leftover:
        found.note(
            f"{value.strip()!r} uses a tox substitution upgrader cannot carry: left out", evidence
        )
        return None
    return value


def _lines(value: str) -> Iterator[tuple[int, str]]:
    """(offset, line) of a multi-line ini value, comments and blanks left out, ``\\`` joined."""
    pending = ""
    start = 0
    for offset, raw in enumerate(value.splitlines()):
        line = raw.strip()
        if not pending:
            start = offset
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        yield start, pending + line
        pending = ""
    if pending:
        yield start, pending.strip()


def _option(parser: Any, section: str, *names: str) -> tuple[str, str] | None:
    for name in names:
        if parser.has_option(section, name):
            return name, str(parser.get(section, name))
    return None


def _from_tox_ini(found: _Found) -> None:
    path = found.reader.root / "tox.ini"
    parser = found.reader.ini(path)
    text = found.reader.text(path) or ""
    if parser is None or not parser.has_section("testenv"):
        return

    def where(key: str, line: str) -> Evidence:
        number = line_of(text, re.escape(line.split()[0])) if line.split() else None
        return found.evidence(path, number or line_of(text, rf"^{re.escape(key)}\s*="), key)

    def conditional(line: str, key: str) -> bool:
        if _FACTOR.match(line):
            found.note(f"{line!r} applies to some tox envs only: left out", where(key, line))
            return True
        return False

    if option := _option(parser, "testenv", "setenv", "set_env"):
        key, value = option
        for _offset, line in _lines(value):
            if conditional(line, key):
                continue
            name, sep, item = line.partition("=")
            name = name.strip()
            if not sep or not _NAME.fullmatch(name):
                if line.startswith("file|"):
                    found.note(f"{line!r}: an env file is not read: left out", where(key, line))
                continue
            carried = _tox_value(found, item.strip(), where(key, line))
            if carried is not None:
                found.set(name, carried, where(key, name))
    if option := _option(parser, "testenv", "passenv", "pass_env"):
        key, value = option
        for _offset, line in _lines(value):
            for name in re.split(r"[\s,]+", line):
                if name and not conditional(line, key):
                    found.passes(name, where(key, name))
    if option := _option(parser, "testenv", "commands_pre"):
        key, value = option
        for _offset, line in _lines(value):
            if not conditional(line, key):
                carried = _tox_value(found, line, where(key, line))
                if carried is not None:
                    found.command(carried, where(key, line))
    if option := _option(parser, "testenv", "commands"):
        key, value = option
        for _offset, line in _lines(value):
            if _TEST_COMMAND.search(line):
                break
            if _SETUP_COMMAND.search(line) and not conditional(line, key):
                carried = _tox_value(found, line, where(key, line))
                if carried is not None:
                    found.command(carried, where(key, line))
    if option := _option(parser, "testenv", "deps"):
        key, value = option
        for _offset, line in _lines(value):
            factor = _FACTOR_LINE.match(line)
            if factor is not None:
                series = _factor_series(factor["condition"])
                if series:
                    evidence = where(key, line)
                    shown = ", ".join(series)
                    stages = "stage" if len(series) == 1 else "stages"
                    detail = f"{key}, {factor['condition']}: the Django {shown} {stages}"
                    evidence = Evidence(evidence.file, evidence.line, detail)
                    _tox_dep(found, factor["rest"].strip(), evidence, series)
                    continue
            if conditional(line, key):
                continue
            _tox_dep(found, line, where(key, line))
    if option := _option(parser, "testenv", "extras"):
        key, value = option
        names = [n for _o, line in _lines(value) for n in re.split(r"[\s,]+", line) if n]
        if found.extras is None:
            found.extras = [Item(n, where(key, n)) for n in names if not _FACTOR.match(n + " ")]


_FACTOR_LINE = re.compile(r"^(?P<condition>[\w.!{},-]+):\s+(?P<rest>.+)$")
# A tox factor naming a Django series: django22, dj22, django111 (1.11), django2.2.
_DJANGO_FACTOR = re.compile(
    r"^(?:django|dj)(?:(?P<major>\d)(?P<minor>\d{1,2})|(?P<dotted>\d+\.\d+))$"
)
_PYTHON_FACTOR = re.compile(r"^(py\d*|pypy\d*)$")


def _braces(text: str) -> list[str]:
    """tox's brace expansion of one factor expression: ``py37-django{22,30}`` -> two."""
    match = re.search(r"\{([^{}]*)\}", text)
    if match is None:
        return [text]
    head, tail = text[: match.start()], text[match.end() :]
    return [x for part in match[1].split(",") for x in _braces(head + part.strip() + tail)]


def _factor_series(condition: str) -> tuple[str, ...]:
    """The Django series a tox factor condition selects (``django{22,30}`` -> 2.2, 3.0); () when
    it names none or depends on more than Django and Python factors (``postgres``, ``!dj22``)."""
    alternatives = re.split(r",(?![^{]*\})", condition)
    series: dict[str, None] = {}
    for alternative in alternatives:
        for expanded in _braces(alternative):
            found: str | None = None
            for factor in expanded.split("-"):
                django = _DJANGO_FACTOR.match(factor)
                if django and found is None:
                    found = django["dotted"] or f"{django['major']}.{int(django['minor'])}"
                elif not _PYTHON_FACTOR.match(factor):
                    return ()  # a negation or another factor: what it selects is unknown here
            if found is None:
                return ()
            series[found] = None
    return tuple(series)


def _tox_dep(found: _Found, line: str, evidence: Evidence, series: tuple[str, ...] = ()) -> None:
    """One ``deps`` line of the project's tox.ini: files relative to it, Django left to the stage
    (``series``: the Django series of its factor, when it is a factor line)."""
    include = re.match(r"^-(r|c)\s*(?P<file>\S+)$|^--requirement[=\s]+(?P<long>\S+)$", line)
    if include:
        name = include["file"] or include["long"]
        carried = _tox_value(found, name, evidence)
        if carried is None:
            return
        if not carried.startswith("{tox_root}"):
            carried = "{tox_root}{/}..{/}" + "{/}".join(Path(carried).parts)
        flag = "-c" if line.startswith("-c") else "-r"
        found.requirement(f"{flag} {carried}", evidence, series)
        return
    if line.startswith(("-", ".")) or "{" in line:
        found.note(f"{line!r} is not a requirement upgrader installs: left out", evidence)
        return
    try:
        requirement = Requirement(line)
    except InvalidRequirement:
        found.note(f"{line!r} is not a requirement upgrader can read: left out", evidence)
        return
    if canonicalize_name(requirement.name) == "django":
        return  # the stage decides Django
    found.requirement(line, evidence, series)


# --- setup.py tests_require ------------------------------------------------------------------------


def _from_package(found: _Found) -> None:
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


def _from_makefile(found: _Found) -> None:
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
            if _TEST_COMMAND.search(command):
                try:
                    words = shlex.split(command)
                except ValueError:
                    break
                for word in words:
                    assigned = _ASSIGNMENT.match(word)
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
            if _SETUP_COMMAND.search(command) and "$" not in command:
                found.command(command, found.evidence(path, number, "test"))
        return


# --- CI files --------------------------------------------------------------------------------------


def _yaml(found: _Found, path: Path) -> Any:
    text = found.reader.text(path)
    if text is None:
        return None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        found.reader.skip(path, f"invalid YAML ({reason}): fix the file so CI can read it")
        return None


def _ci_value(found: _Found, name: str, value: object, path: Path, detail: str) -> None:
    text = found.reader.text(path) or ""
    evidence = found.evidence(path, line_of(text, rf"^\s*-?\s*{re.escape(name)}\s*[:=]"), detail)
    if not _NAME.fullmatch(name):
        return
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        found.note(f"{name} is not a literal value: left out", evidence)
        return
    if "secrets." in value:
        found.note(
            f"{name} comes from a CI secret: never copied; set it in your environment", evidence
        )
        return
    if "${{" in value or "$" in value:
        found.note(f"{name} = {value!r} is a CI expression: left out", evidence)
        return
    if "\n" in value:
        found.note(f"{name} spans lines: left out", evidence)
        return
    if _names_django(value):
        found.note(
            f"{name} = {value!r} selects the CI's Django: left out (each stage installs its own)",
            evidence,
        )
        return
    if _SERVICE_URL.match(value):
        found.note(
            f"{name} = {value!r} names a CI service that is not running here: left out "
            f'(set it in your environment or [tool.upgrader] env = {{{name} = "..."}})',
            evidence,
        )
        return
    found.set(name, value, evidence)


def _names_django(value: str) -> bool:
    """Whether a CI value is a Django requirement (Travis's ``DJANGO="Django>=2.2,<2.3"``)."""
    try:
        requirement = Requirement(value)
    except InvalidRequirement:
        return False
    return canonicalize_name(requirement.name) == "django" and bool(requirement.specifier)


def _ci_env(found: _Found, table: object, path: Path, detail: str) -> None:
    if isinstance(table, dict):
        for name, value in table.items():
            _ci_value(found, str(name), value, path, detail)
    elif isinstance(table, list):  # Travis: ["A=1 B=2", ...]
        for entry in table:
            if isinstance(entry, str):
                for word in entry.split():
                    assigned = _ASSIGNMENT.match(word)
                    if assigned:
                        _ci_value(
                            found, assigned["name"], assigned["value"].strip("\"'"), path, detail
                        )
            elif isinstance(entry, dict) and "secure" in entry:
                found.note(
                    "an encrypted Travis variable: never copied", found.evidence(path, None, detail)
                )


def _run_steps(found: _Found, steps: object, path: Path, detail: str) -> None:
    """The env of steps that run tests, set-up commands in steps before them, and the packages
    the steps install."""
    if not isinstance(steps, list):
        return
    text = found.reader.text(path) or ""
    for step in steps:
        if not isinstance(step, dict):
            continue
        run = step.get("run")
        if not isinstance(run, str):
            continue
        if _TEST_COMMAND.search(run):
            _ci_env(found, step.get("env"), path, f"{detail} step env")
        for line in run.splitlines():
            line = line.strip()
            if _SETUP_COMMAND.search(line) and "$" not in line:
                found.command(line, found.evidence(path, line_of(text, re.escape(line)), detail))
            _pip_install(found, line, path, detail)


# "pip install X", "pip3 install X", "python -m pip install X", "uv pip install X".
_PIP_INSTALL = re.compile(
    r"(?:^|[;&|]\s*|\s)(?:(?:python[\d.]*|py)\s+-m\s+pip|pip[\d.]*|uv\s+pip)\s+install\s+(?P<args>.*)$"
)
# Options of pip install that take a value (the value is not a package).
_PIP_VALUE_OPTIONS = frozenset(
    {
        "-r",
        "--requirement",
        "-c",
        "--constraint",
        "-e",
        "--editable",
        "-i",
        "--index-url",
        "--extra-index-url",
        "-f",
        "--find-links",
        "-t",
        "--target",
        "--prefix",
        "--root",
        "--python",
        "--cache-dir",
        "--src",
        "--trusted-host",
        "--platform",
        "--python-version",
        "--implementation",
        "--abi",
        "--no-binary",
        "--only-binary",
        "--progress-bar",
        "--log",
        "--timeout",
        "--retries",
        "--proxy",
        "--upgrade-strategy",
        "-p",
    }
)
# Tools a CI installs to run, report or lint, not for the tests' imports (decided: left out).
_CI_TOOLS = frozenset(
    {
        "pip",
        "setuptools",
        "wheel",
        "tox",
        "tox-uv",
        "tox-gh-actions",
        "tox-travis",
        "nox",
        "virtualenv",
        "uv",
        "pipenv",
        "poetry",
        "pip-tools",
        "coverage",
        "coveralls",
        "python-coveralls",
        "codecov",
        "flake8",
        "black",
        "isort",
        "ruff",
        "pylint",
        "mypy",
        "pre-commit",
        "twine",
        "build",
        "django",
    }
)
# Packages that build against a system library the stage may not have: a note, not a requirement.
_SYSTEM_LIBRARY = {
    "mysqlclient": "MySQL's client library",
    "mysql-python": "MySQL's client library",
}


def _pip_install(found: _Found, line: str, path: Path, detail: str) -> None:
    """The packages a CI command line ``pip install``s by name, as test requirements."""
    match = _PIP_INSTALL.search(line)
    if match is None:
        return
    words: list[str] = []
    lexer = shlex.shlex(match["args"], posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    try:
        for word in lexer:  # up to the end of the command: ``pip install black; fi``
            if set(word) <= set(";&|"):
                break
            words.append(word)
    except ValueError:
        return
    text = found.reader.text(path) or ""
    evidence = found.evidence(path, line_of(text, re.escape(line.strip())), detail)
    skip_value = False
    for word in words:
        if skip_value:
            skip_value = False
            continue
        if word.startswith("-"):
            skip_value = word in _PIP_VALUE_OPTIONS
            continue
        if "$" in word or "{" in word or "/" in word or word.startswith("."):
            continue  # a variable, a path or URL (the project itself): not a package name
        try:
            requirement = Requirement(word)
        except InvalidRequirement:
            continue
        name = canonicalize_name(requirement.name)
        if requirement.url or name in _CI_TOOLS or name.startswith("tox-"):
            continue
        if name in _SYSTEM_LIBRARY:
            found.note(
                f"the CI installs {word}, which builds against {_SYSTEM_LIBRARY[name]}: left out "
                f'(if the tests import it: [tool.upgrader] test-requirements = ["{word}"])',
                evidence,
            )
            continue
        found.requirement(word, evidence)


# Images of the services a CI job runs, and what the tests then need.
_SERVICES = (
    (re.compile(r"post(gres|gis)", re.IGNORECASE), "postgres", "PostgreSQL"),
    (re.compile(r"mysql|mariadb", re.IGNORECASE), "mysql", "MySQL"),
    (re.compile(r"redis|valkey", re.IGNORECASE), "redis", "Redis"),
    (re.compile(r"memcached", re.IGNORECASE), "memcached", "memcached"),
    (re.compile(r"rabbitmq", re.IGNORECASE), "rabbitmq", "RabbitMQ"),
    (re.compile(r"elasticsearch|opensearch", re.IGNORECASE), "elasticsearch", "Elasticsearch"),
    (re.compile(r"mongo", re.IGNORECASE), "mongodb", "MongoDB"),
)


def _services(found: _Found, services: object, path: Path, detail: str) -> None:
    """A note per service a CI job runs: the tests need one, and nothing here starts it."""
    entries: list[tuple[str, object]] = []
    if isinstance(services, dict):  # GitHub: {name: {image: ..., ports: [...]}}
        entries = [(str(name), spec) for name, spec in services.items()]
    elif isinstance(services, list):  # GitLab: ["postgres:12", {name: "redis:6", alias: ...}]
        for entry in services:
            if isinstance(entry, str):
                entries.append((entry, entry))
            elif isinstance(entry, dict) and isinstance(entry.get("name"), str):
                entries.append((str(entry["name"]), entry))
    text = found.reader.text(path) or ""
    for name, spec in entries:
        image = (spec.get("image") or spec.get("name")) if isinstance(spec, dict) else spec
        label = image if isinstance(image, str) and "${{" not in image else name
        ports = spec.get("ports") if isinstance(spec, dict) else None
        kind = next(
            ((key, what) for pattern, key, what in _SERVICES if pattern.search(f"{name} {label}")),
            None,
        )
        if kind is None:
            continue
        key, what = kind
        on = ""
        if isinstance(ports, list) and ports:
            on = " on " + ", ".join(str(p) for p in ports)
        found.services.append((key, f"{label}{on}", found.reader.rel(path)))
        point = (
            f' (e.g. [tool.upgrader] env = {{DATABASE_URL = "{key}://user:password@host/db"}})'
            if key in ("postgres", "mysql")
            else ""
        )
        message = (
            f"the project's CI runs a {key} service ({label}{on}): its tests need {what} "
            f"running, and nothing here starts it; start one, or point the settings at one{point}"
        )
        if any(note.value == message for note in found.notes):
            continue
        found.note(
            message,
            found.evidence(
                path,
                line_of(text, rf"^\s*-?\s*(name:\s*)?['\"]?{re.escape(name)}\b"),
                f"{detail}.services" if detail else "services",
            ),
        )


# The words of the variables that configure a client of each kind of service.
_SERVICE_WORDS = {
    "postgres": ("POSTGRES", "POSTGRESQL", "PG", "PGHOST", "DATABASE", "DB"),
    "mysql": ("MYSQL", "MARIADB", "DATABASE", "DB"),
    "redis": ("REDIS", "CACHE", "BROKER", "CELERY"),
    "memcached": ("MEMCACHE", "MEMCACHED", "CACHE"),
    "rabbitmq": ("RABBITMQ", "AMQP", "BROKER", "CELERY"),
    "elasticsearch": ("ELASTICSEARCH", "ELASTIC", "OPENSEARCH", "SEARCH", "HAYSTACK"),
    "mongodb": ("MONGO", "MONGODB"),
}


def _service_variables(found: _Found) -> None:
    """A variable copied from a CI file that runs a service (``POSTGRES_HOST=localhost`` beside a
    ``postgres`` service) is kept, since it is right once the service runs here too, and its
    evidence says which service it is for."""
    for name, variable in list(found.env.items()):
        words = set(name.upper().split("_"))
        for kind, label, file in found.services:
            if variable.evidence.file != file or not words & set(_SERVICE_WORDS.get(kind, ())):
                continue
            evidence = variable.evidence
            detail = ", ".join(
                part
                for part in (evidence.detail, f"for the CI's {kind} service ({label}): start one")
                if part
            )
            found.env[name] = EnvVariable(
                name, variable.value, Evidence(evidence.file, evidence.line, detail)
            )
            break


def _from_github(found: _Found) -> None:
    folder = found.reader.root / ".github" / "workflows"
    if not folder.is_dir():
        return
    for path in sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]):
        data = _yaml(found, path)
        if not isinstance(data, dict):
            continue
        _ci_env(found, data.get("env"), path, "env")
        jobs = data.get("jobs")
        if not isinstance(jobs, dict):
            continue
        for job_name, job in jobs.items():
            if isinstance(job, dict):
                _ci_env(found, job.get("env"), path, f"jobs.{job_name}.env")
                _run_steps(found, job.get("steps"), path, f"jobs.{job_name}")
                _services(found, job.get("services"), path, f"jobs.{job_name}")


def _from_gitlab(found: _Found) -> None:
    path = found.reader.root / ".gitlab-ci.yml"
    data = _yaml(found, path)
    if not isinstance(data, dict):
        return
    _ci_env(found, data.get("variables"), path, "variables")
    tests = False
    for name, job in data.items():
        if isinstance(job, dict) and "script" in job:
            script = job.get("script")
            if isinstance(script, list) and any(
                isinstance(s, str) and _TEST_COMMAND.search(s) for s in script
            ):
                tests = True
                _ci_env(found, job.get("variables"), path, f"{name}.variables")
                before = _script_lines(job.get("before_script"))
                steps = [{"run": "\n".join([*before, *(s for s in script if isinstance(s, str))])}]
                _run_steps(found, steps, path, str(name))
                _services(found, job.get("services"), path, str(name))
    if tests:
        for line in _script_lines(data.get("before_script")):
            _pip_install(found, line, path, "before_script")
        _services(found, data.get("services"), path, "")


def _script_lines(value: object) -> list[str]:
    """The commands of a CI script key (a string or a list of strings)."""
    if isinstance(value, str):
        return value.splitlines()
    if isinstance(value, list):
        return [line for item in value if isinstance(item, str) for line in item.splitlines()]
    return []


def _from_travis(found: _Found) -> None:
    path = found.reader.root / ".travis.yml"
    data = _yaml(found, path)
    if not isinstance(data, dict):
        return
    env = data.get("env")
    if isinstance(env, dict):
        _ci_env(found, env.get("global"), path, "env.global")
    elif isinstance(env, list):
        _ci_env(found, env[:1], path, "env")  # a matrix: its first row
    elif isinstance(env, str):
        _ci_env(found, [env], path, "env")
    for key in ("before_install", "install", "before_script", "script"):
        for line in _script_lines(data.get(key)):
            _pip_install(found, line, path, key)


# --- settings modules: the variables they read ------------------------------------------------

# GitHub Actions, GitLab CI and Travis set these on every run, without the workflow naming them.
CI_FLAGS = {
    "GITHUB_ACTIONS": ".github/workflows",
    "GITLAB_CI": ".gitlab-ci.yml",
    "TRAVIS": ".travis.yml",
}
_ENV_TYPED = frozenset(
    {"bool", "str", "int", "float", "list", "tuple", "dict", "json", "url", "db", "db_url", "cache"}
)
# Settings a CI flag must not switch on here: they point at services CI starts and we do not.
SERVICE_SETTINGS = frozenset(
    {
        "DATABASES",
        "CACHES",
        "CHANNEL_LAYERS",
        "HAYSTACK_CONNECTIONS",
        "ELASTICSEARCH_DSL",
        "BROKER_URL",
        "CELERY_BROKER_URL",
        "CELERY_RESULT_BACKEND",
        "REDIS_URL",
        "DATABASE_URL",
    }
)


def _read_key(node: ast.AST) -> ast.expr | None:
    """The variable-name expression of an environment read, or None when ``node`` is none."""
    if isinstance(node, ast.Subscript) and _is_environ(node.value):
        return node.slice
    if (
        isinstance(node, ast.Compare)
        and _is_environ(node.comparators[0])
        and isinstance(node.ops[0], ast.In | ast.NotIn)
    ):
        return node.left
    if isinstance(node, ast.Call) and node.args:
        func = node.func
        if isinstance(func, ast.Name) and func.id in ("getenv", "env", "config"):
            return node.args[0]
        if isinstance(func, ast.Attribute) and (
            func.attr == "getenv"
            or (func.attr == "get" and _is_environ(func.value))
            or (
                isinstance(func.value, ast.Name)
                and func.value.id == "env"
                and func.attr in _ENV_TYPED
            )
        ):
            return node.args[0]
    return None


def _read_names(tree: ast.AST) -> Iterator[tuple[str, int]]:
    """Names of environment variables read under ``tree``: ``os.environ["X"]``, ``"X" in
    os.environ``, ``os.getenv("X")``, ``os.environ.get("X")``, django-environ's ``env("X")`` and
    ``env.bool("X")``, decouple's ``config("X")``."""
    for node in ast.walk(tree):
        key = _read_key(node)
        if (
            isinstance(key, ast.Constant)
            and isinstance(key.value, str)
            and _NAME.fullmatch(key.value)
        ):
            yield key.value, key.lineno


def _is_environ(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def _assigned(nodes: Iterable[ast.stmt]) -> set[str]:
    """Setting names assigned (or item-assigned, ``DATABASES["default"] = ...``) in ``nodes``."""
    names: set[str] = set()
    for statement in nodes:
        for node in ast.walk(statement):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = list(node.targets)
            elif isinstance(node, ast.AugAssign | ast.AnnAssign):
                targets = [node.target]
            for target in targets:
                while isinstance(target, ast.Subscript | ast.Attribute):
                    target = target.value
                if isinstance(target, ast.Name):
                    names.add(target.id)
    return names


def _flag_switches(tree: ast.Module, flag: str) -> tuple[set[str], bool]:
    """(settings assigned under an ``if`` on ``flag``, whether every read of it is such a test)."""
    switched: set[str] = set()
    tested: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If | ast.IfExp):
            reads = [line for name, line in _read_names(node.test) if name == flag]
            if reads:
                tested.update(reads)
                if isinstance(node, ast.If):
                    switched |= _assigned([*node.body, *node.orelse])
                else:
                    switched.add("?")  # a value chosen by the flag: what it feeds is unknown
    every = {line for name, line in _read_names(tree) if name == flag} <= tested
    return switched, every


def _from_settings(found: _Found, settings_files: Iterable[Path]) -> None:
    root = found.reader.root
    for path in settings_files:
        tree = found.reader.python(path if path.is_absolute() else root / path)
        if tree is None:
            continue
        for name, line in sorted(_read_names(tree), key=lambda found: found[1]):
            evidence = found.evidence(root / path, line, "read by the settings")
            found.passes(name, evidence)
            ci = CI_FLAGS.get(name)
            if not ci or not (root / ci).exists() or name in found.env:
                continue
            switched, every = _flag_switches(tree, name)
            services = sorted(switched & SERVICE_SETTINGS)
            if every and "?" not in switched and not services:
                what = ", ".join(sorted(switched)) or "nothing"
                found.set(
                    name,
                    "true",
                    Evidence(
                        evidence.file,
                        evidence.line,
                        f"set on every {ci} run; here it selects {what}",
                    ),
                )
                continue
            why = (
                f"it selects {', '.join(services)} (a CI service)"
                if services
                else "what it selects cannot be read statically"
            )
            found.note(
                f"{name} is set on every CI run ({ci}) but not here: {why}; to test with the CI "
                f'settings, set it in your environment or [tool.upgrader] env = {{{name} = "true"}}',
                evidence,
            )


# --- a Manifest static files storage: collectstatic before the tests -------------------------

# ManifestStaticFilesStorage, whitenoise's CompressedManifestStaticFilesStorage, ManifestFilesMixin.
_MANIFEST = re.compile(r"Manifest\w*(StaticFilesStorage|FilesMixin)$")
COLLECTSTATIC = "python manage.py collectstatic --noinput"


def _string(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _item(node: ast.expr | None, key: str) -> ast.expr | None:
    """``node[key]`` of a dict literal."""
    if isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values, strict=True):
            if _string(k) == key:
                return v
    return None


def _storage_settings(tree: ast.Module) -> Iterator[tuple[str, int, str]]:
    """(dotted path, line, setting) of each static files storage the settings name:
    ``STATICFILES_STORAGE = "..."`` and ``STORAGES["staticfiles"]["BACKEND"]`` (a dict literal,
    or item assignments)."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            value: ast.expr | None = None
            setting = "STORAGES"
            if isinstance(target, ast.Name) and target.id == "STATICFILES_STORAGE":
                value, setting = node.value, target.id
            elif isinstance(target, ast.Name) and target.id == "STORAGES":
                value = _item(_item(node.value, "staticfiles"), "BACKEND")
            elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                if target.value.id == "STORAGES" and _string(target.slice) == "staticfiles":
                    value = _item(node.value, "BACKEND")
            elif (
                isinstance(target, ast.Subscript)
                and _string(target.slice) == "BACKEND"
                and isinstance(target.value, ast.Subscript)
                and isinstance(target.value.value, ast.Name)
                and target.value.value.id == "STORAGES"
                and _string(target.value.slice) == "staticfiles"
            ):
                value = node.value
            path = _string(value)
            if path:
                yield path, node.lineno, setting


def _is_manifest(found: _Found, dotted: str, depth: int = 0) -> bool:
    """Whether the storage class at ``dotted`` is a manifest storage: by its name, or a class of
    the project's own code whose bases are (read with ``ast``, followed through its module)."""
    module, _, name = dotted.rpartition(".")
    if _MANIFEST.search(name):
        return True
    if not module or depth > 4:
        return False
    base = found.reader.root.joinpath(*module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        tree = found.reader.python(path) if path.is_file() else None
        if tree is None:
            continue
        imported = {
            alias.asname or alias.name: f"{node.module}.{alias.name}"
            for node in tree.body
            if isinstance(node, ast.ImportFrom) and node.module
            for alias in node.names
        }
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name == name:
                for b in node.bases:
                    base_name = (
                        b.id
                        if isinstance(b, ast.Name)
                        else b.attr
                        if isinstance(b, ast.Attribute)
                        else ""
                    )
                    if _MANIFEST.search(base_name):
                        return True
                    target = imported.get(base_name, f"{module}.{base_name}")
                    if base_name and _is_manifest(found, target, depth + 1):
                        return True
        return False
    return False


def _manifest_collectstatic(found: _Found, settings_files: Iterable[Path]) -> None:
    """F3 (locallibrary): a Manifest storage needs the manifest ``collectstatic`` writes (Heroku
    runs it at deploy, so no file of the repository does); without it every page that names a
    static file raises "Missing staticfiles manifest entry". Added as a pre-test command unless
    one runs collectstatic or ``[tool.upgrader] pre-test`` is set (``[]`` turns it off)."""
    if any("collectstatic" in item.value for item in found.pre_test.values()):
        return
    pyproject = found.reader.toml(found.reader.root / "pyproject.toml") or {}
    table = pyproject.get("tool", {}).get("upgrader", {}) if isinstance(pyproject, dict) else {}
    if isinstance(table, dict) and "pre-test" in table:
        return  # the user's list, even an empty one, is the whole of it
    root = found.reader.root
    trees: list[tuple[Path, ast.Module]] = []
    for path in settings_files:
        absolute = path if path.is_absolute() else root / path
        tree = found.reader.python(absolute)
        if tree is not None:
            trees.append((absolute, tree))
    static_root = any("STATIC_ROOT" in _assigned(tree.body) for _path, tree in trees)
    for absolute, tree in trees:
        for dotted, line, setting in _storage_settings(tree):
            if not _is_manifest(found, dotted):
                continue
            evidence = found.evidence(
                absolute,
                line,
                f"{setting} is a manifest storage ({dotted.rpartition('.')[2]}): the tests need "
                "the manifest collectstatic writes",
            )
            if not (root / "manage.py").is_file() or not static_root:
                missing = "there is no manage.py to run it" if static_root else "no STATIC_ROOT"
                found.note(
                    f"{setting} names a manifest storage, whose manifest collectstatic writes, and "
                    f"{missing}: add the command to [tool.upgrader] pre-test",
                    evidence,
                )
                return
            found.command(COLLECTSTATIC, evidence)
            return


def _uncompiled_messages(found: _Found) -> None:
    """Catalogues (``locale/<lang>/LC_MESSAGES/*.po``) with no compiled ``.mo`` beside them: tests
    of translated text need ``compilemessages`` first, which needs GNU gettext's ``msgfmt`` (not a
    Python package), so a note says what to add rather than a command that may not run here."""
    if any("compilemessages" in item.value for item in found.pre_test.values()):
        return
    from upgrader.files import project_files

    root = found.reader.root
    missing = [
        path
        for path in project_files(root, suffixes=(".po",))
        if "LC_MESSAGES" in path.parts and not path.with_suffix(".mo").is_file()
    ]
    if missing:
        found.note(
            f"{len(missing)} translation catalogue(s) have no compiled .mo (e.g. "
            f"{found.reader.rel(missing[0])}): tests of translated text need `python manage.py "
            "compilemessages` before them (it needs GNU gettext's msgfmt): add it to "
            "[tool.upgrader] pre-test if they do",
            found.evidence(missing[0], None, "compilemessages"),
        )


# --- pytest's ini --------------------------------------------------------------------------------


def _pytest_ini(found: _Found) -> None:
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
                k.lower(): " ".join(map(str, v)) if isinstance(v, list) else str(v)
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
        return  # pytest reads the first ini file it finds, and so do we


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
    found = _Found(reader or ProjectReader(root))
    _from_config(found, config or ProjectConfig())
    _from_tox_ini(found)
    _from_package(found)
    _from_makefile(found)
    _from_github(found)
    _from_gitlab(found)
    _from_travis(found)
    _service_variables(found)
    _pytest_ini(found)
    _from_settings(found, settings_files)
    _manifest_collectstatic(found, settings_files)
    _uncompiled_messages(found)
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
