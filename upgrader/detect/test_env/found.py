"""What the sources of the test environment find: the ``TestEnvironment`` types and the
``Found`` each source adds to (the first source that sets a variable wins), with the patterns
of test and set-up commands more than one source reads."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from upgrader.detect.model import Evidence
from upgrader.detect.sources import ProjectReader

TEST_EXTRA_NAMES = ("test", "tests", "testing", "dev")

# Variables upgrader sets or clears itself in a stage env: never taken from the project.
_OWN = frozenset({"PYTHONDONTWRITEBYTECODE", "PYTHONWARNINGS", "PATH", "HOME", "VIRTUAL_ENV"})
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
ASSIGNMENT = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>\S*)$")
TEST_COMMAND = re.compile(
    r"(\bpytest\b|py\.test|manage\.py\s+test\b|django-admin(\.py)?\s+test\b|\btox\b|"
    r"\bruntests(\.py)?\b|\bquicktest(\.py)?\b|\bcoverage\s+run\b|\bnose2?\b|-m\s+unittest\b)"
)
SETUP_COMMAND = re.compile(
    r"(manage\.py|django-admin(\.py)?)\s+(collectstatic|compilemessages|compress|"
    r"assets\s+build|tailwind\s+build)\b"
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
    # What pytest's ini sets itself through pytest-env (``env = RECAPTCHA_TESTING=True``): read
    # for what the tests run with (``variables``), never set again by the stage.
    ini_env: tuple[EnvVariable, ...] = ()

    def variables(self) -> tuple[EnvVariable, ...]:
        """Every variable the tests run with a literal value of, first source first: the
        stage's (``env``) and pytest-env's (``ini_env``), which pytest sets last and so wins."""
        ini = {v.name for v in self.ini_env}
        return (*self.ini_env, *(v for v in self.env if v.name not in ini))

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


class Found:
    def __init__(self, reader: ProjectReader) -> None:
        self.reader = reader
        self.env: dict[str, EnvVariable] = {}
        self.pass_env: dict[str, EnvVariable] = {}
        self.pre_test: dict[str, Item] = {}
        self.requirements: dict[str, Item] = {}
        self.extras: list[Item] | None = None
        self.settings: Item | None = None
        self.notes: list[Item] = []
        self.ini_env: dict[str, EnvVariable] = {}
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
            ini_env=tuple(self.ini_env.values()),
        )
