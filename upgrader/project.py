"""What a project is, found statically: never importing or running any of its code.

``detect_project(path)`` is the entry point of the detect stage. The finders it composes live in
``upgrader/detect/`` (one module per question: root and settings, Django requirement, Python
version, test runner, ``[tool.upgrader]`` configuration).
"""

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
class ProjectConfig:
    """The ``[tool.upgrader]`` table of the project's pyproject.toml."""

    exclude: tuple[str, ...] = ()
    test_runner: str | None = None  # "pytest" | "django"
    test_command: tuple[str, ...] | None = None
    python: str | None = None
    settings: str | None = None


@dataclass(frozen=True)
class Project:
    """Everything the plan needs to know about a project, with where each fact came from."""

    root: Path
    manage_py: Path | None
    settings_module: str | None
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
    settings_evidence: Evidence | None = None  # where the settings module is named
    django_source: DjangoRequirement | None = None  # the declaration that decided; None: --from
    python_source: PythonDeclaration | None = None  # the declaration that decided
    dependency_files: tuple[Path, ...] = ()  # files that declare or lock dependencies


def detect_project(path: Path, *, django_from: str | None = None) -> Project:
    """What the project at (or above) ``path`` is, read from its files without running any.

    Raises ``NotADjangoProjectError`` when no project root is found, ``DetectionError`` when the
    current Django cannot be told (pass ``django_from``, the ``--from`` option) and
    ``ConfigError`` for an invalid ``[tool.upgrader]`` table. Files that cannot be read are
    listed in ``Project.skipped`` and detection goes on without them.
    """
    # The finders import this module's dataclasses, so they are imported here, not at the top.
    from upgrader.detect.config import read_config
    from upgrader.detect.django_version import find_django_version
    from upgrader.detect.layout import find_layout, find_root, find_template_dirs
    from upgrader.detect.python_version import find_python_version
    from upgrader.detect.requirements import read_declared
    from upgrader.detect.sources import ProjectReader
    from upgrader.detect.test_runner import find_test_runner
    from upgrader.files import project_files

    reader = ProjectReader(find_root(path))
    root = reader.root
    config = read_config(reader)
    walk_skipped: list[Skipped] = []
    files = project_files(root, exclude=config.exclude, skipped=walk_skipped)
    layout = find_layout(reader, config)
    declared = read_declared(root, reader=reader)
    python = find_python_version(reader, files, config)
    django = find_django_version(declared, django_from=django_from, python=python.version)
    runner = find_test_runner(reader, files, declared, config)
    template_dirs = find_template_dirs(reader, layout, files)
    skipped = {s.path: s for s in walk_skipped}
    for entry in reader.skipped:
        skipped.setdefault(entry.path, entry)
    return Project(
        root=root,
        manage_py=layout.manage_py,
        settings_module=layout.settings_module,
        settings_file=layout.settings_file,
        django_version=django.version,
        django_requirements=django.requirements,
        python_version=python.version,
        python_declarations=python.declarations,
        test_runner=runner,
        config=config,
        template_dirs=template_dirs,
        skipped=tuple(sorted(skipped.values(), key=lambda s: s.path)),
        settings_files=layout.settings_files,
        settings_evidence=layout.settings_evidence,
        django_source=django.source,
        python_source=python.source,
        dependency_files=declared.files,
    )
