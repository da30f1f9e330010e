"""What a project is, found statically: never importing or running any of its code.

``detect_project(path)`` is the entry point of the detect stage. The finders it composes live in
``upgrader/detect/`` (one module per question: root and settings, Django requirement, Python
version, test runner, ``[tool.upgrader]`` configuration); their data types are in
``upgrader/detect/model.py`` and are re-exported here.
"""

from __future__ import annotations

from pathlib import Path

from upgrader.detect.config import read_config
from upgrader.detect.config_check import check_against_project
from upgrader.detect.django_version import find_django_version
from upgrader.detect.layout import find_layout, find_root, find_template_dirs
from upgrader.detect.model import (
    DjangoRequirement,
    Evidence,
    Project,
    ProjectConfig,
    PythonDeclaration,
    TestRunner,
)
from upgrader.detect.python_version import find_python_version, python_for_django
from upgrader.detect.requirements import read_declared
from upgrader.detect.sources import ProjectReader
from upgrader.detect.test_runner import find_test_runner
from upgrader.files import Skipped, project_files

__all__ = [
    "DjangoRequirement",
    "Evidence",
    "Project",
    "ProjectConfig",
    "PythonDeclaration",
    "TestRunner",
    "detect_project",
]


def detect_project(
    path: Path, *, django_from: str | None = None, strict_config: bool = True
) -> Project:
    """What the project at (or above) ``path`` is, read from its files without running any.

    Raises ``NotADjangoProjectError`` when no project root is found, ``DetectionError`` when the
    current Django cannot be told (pass ``django_from``, the ``--from`` option) and
    ``ConfigError`` for an invalid ``[tool.upgrader]`` table, or for a pyproject.toml that
    cannot be read at all. Other files that cannot be read are listed in ``Project.skipped``
    and detection goes on without them; so is that pyproject.toml with ``strict_config=False``
    (``plan``, read-only, shows the project without its ``[tool.upgrader]`` settings).
    """
    reader = ProjectReader(find_root(path))
    root = reader.root
    config = read_config(reader, strict=strict_config)
    check_against_project(config, reader)
    walk_skipped: list[Skipped] = []
    files = project_files(root, exclude=config.exclude, skipped=walk_skipped)
    layout = find_layout(reader, config)
    declared = read_declared(root, reader=reader)
    python = find_python_version(reader, files, config)
    django = find_django_version(declared, django_from=django_from, python=python.version)
    python = python_for_django(python, django.version)
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
        python_reason=python.reason,
        dependency_files=declared.files,
        app_packages=layout.app_packages,
    )
