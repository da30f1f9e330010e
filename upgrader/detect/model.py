"""The detect stage's data: what a project is, with where each fact came from (frozen dataclasses only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from packaging.version import Version

from upgrader.files import Skipped


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: a file relative to the project root, and a line when known."""

    file: str
    line: int | None = None
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class DjangoRequirement:
    """One place that declares or locks Django, e.g. ``Django>=2.1,<2.3`` in requirements.txt."""

    evidence: Evidence
    kind: str  # "requirements" | "pep621" | "poetry" | "setup.py" | "setup.cfg" | "pipfile" | "poetry.lock" | "pipfile.lock" | "uv.lock"
    specifier: str  # as written: "==2.2.28", ">=2.1,<2.3", "^2.2", "*"
    version: Version | None  # the highest release the specifier allows; None when unbounded


@dataclass(frozen=True)
class PythonDeclaration:
    """One place that says which Python the project runs on today."""

    evidence: Evidence
    kind: str  # ".python-version" | "runtime.txt" | "tox.ini" | "requires-python" | "Dockerfile" | "ci" | "config"
    version: str  # feature version, "3.8"


@dataclass(frozen=True)
class TestRunner:
    """How the project's tests are run."""

    __test__: ClassVar[bool] = False  # not a pytest test class, despite its name

    kind: str  # "pytest" | "django"
    command: tuple[str, ...]  # e.g. ("python", "-m", "pytest") or ("python", "manage.py", "test")
    evidence: Evidence | None = None


@dataclass(frozen=True)
class ReviewedItem:
    """A manual item the developer reviewed as not applying (``[tool.upgrader] reviewed``):
    the catalogue id, the project-relative file, and the line (None: any line of the file)."""

    id: str
    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.id} {self.file}" + (f":{self.line}" if self.line else "")


@dataclass(frozen=True)
class ProjectConfig:
    """The ``[tool.upgrader]`` table of the project's pyproject.toml."""

    exclude: tuple[str, ...] = ()
    test_runner: str | None = None  # "pytest" | "django"
    test_command: tuple[str, ...] | None = None
    python: str | None = None
    settings: str | None = None
    env: tuple[tuple[str, str], ...] = ()  # set in every stage's env: (("CI", "true"),)
    pre_test: tuple[str, ...] = ()  # commands run before the tests, each one shell-like string
    test_requirements: tuple[str, ...] = ()  # requirement lines added to every stage's env
    extras: tuple[str, ...] | None = None  # the project's extras its tests need; None: detect
    replace_requirements: tuple[tuple[str, str], ...] = ()  # (name or URL, requirement or "")
    build_constraints: tuple[str, ...] = ()  # constraints for building sdists, e.g. setuptools<58
    target: str | None = None  # the default --target of check/ci: "X.Y", "lts" or "latest"
    reviewed: tuple[ReviewedItem, ...] = ()  # manual items reviewed as not applying


@dataclass(frozen=True)
class Project:
    """Everything the plan needs to know about a project, with where each fact came from."""

    root: Path
    manage_py: Path | None  # None for a reusable app tested by its own script
    settings_module: str | None  # None when a test script configures settings in code
    settings_file: Path | None
    django_version: Version  # the current Django (highest the declarations allow, or --from)
    django_requirements: tuple[DjangoRequirement, ...]
    python_version: str | None  # "3.8"; None when the project says nothing
    python_declarations: tuple[PythonDeclaration, ...]
    test_runner: TestRunner
    config: ProjectConfig = field(default_factory=ProjectConfig)
    template_dirs: tuple[Path, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    settings_files: tuple[Path, ...] = ()  # every module of a settings package (base.py, ...)
    settings_evidence: Evidence | None = None  # where the settings module is named, or configured
    django_source: DjangoRequirement | None = None  # the declaration that decided; None: --from
    python_source: PythonDeclaration | None = None  # the declaration that decided
    python_reason: str = ""  # why python_version: the file, the entry and the rule
    dependency_files: tuple[Path, ...] = ()  # files that declare or lock dependencies
    app_packages: tuple[str, ...] = ()  # top-level Django app packages (a reusable app's own)
