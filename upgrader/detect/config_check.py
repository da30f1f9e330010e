"""``[tool.upgrader]`` values checked against the project they configure.

A value the project contradicts is refused (a ``ConfigError`` naming pyproject.toml:line, the
key and the value): a ``test-command``/``pre-test`` that runs a file the project does not have
(``python runtests.py``, ``./scripts/setup.sh``), an ``env`` DJANGO_SETTINGS_MODULE that is no
module under the root, ``src/`` or the env's PYTHONPATH, ``extras`` the package does not declare,
a ``reviewed`` item's path the project does not have.
Apart from ``config`` (which only reads the table) because it reads the project's layout, its
packaging and the test command's parts.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

from packaging.utils import canonicalize_name

from upgrader.detect.config import MODULE_NAME, config_error, key_line
from upgrader.detect.layout import module_file
from upgrader.detect.model import ProjectConfig
from upgrader.detect.sources import ProjectReader
from upgrader.detect.test_env import declared_extras
from upgrader.verify.suite import command_file


def _missing_file(root: Path, command: str) -> str | None:
    """The file ``command`` runs when the project does not have it (relative to the root, where
    the stage runs its commands), else None."""
    try:
        argv = tuple(shlex.split(command))
    except ValueError:
        return None  # parse_config refused it already
    name = command_file(argv)
    if name is None or "$" in name or "{" in name:  # a variable tox or the shell fills in
        return None
    path = Path(name) if Path(name).is_absolute() else root / name
    return None if path.exists() else name


def _declares_extras_dynamically(reader: ProjectReader) -> bool:
    """Whether a packaging file names extras in a way not read statically (a variable)."""
    for name in ("setup.py", "setup.cfg", "pyproject.toml"):
        text = reader.text(reader.root / name) or ""
        if re.search(r"extras_require|optional-dependencies|dependency-groups", text):
            return True
    return False


def check_against_project(config: ProjectConfig, reader: ProjectReader) -> None:
    """Refuse ``[tool.upgrader]`` values the project contradicts (see the module doc): a
    ``ConfigError`` naming pyproject.toml:line, the key and the value."""
    root = reader.root
    path = root / "pyproject.toml"
    text = reader.text(path) or ""
    commands = [("test-command", shlex.join(config.test_command))] if config.test_command else []
    commands += [("pre-test", line) for line in config.pre_test]
    for key, command in commands:
        missing = _missing_file(root, command)
        if missing is not None:
            raise config_error(
                path,
                key,
                f"runs {command!r}, but the project has no {missing} (looked in {root})",
                "Commands run from the project root: fix the path, or add the file.",
                key_line(text, key),
            )
    env = dict(config.env)
    # The folders the tests import from: the root, src/, and the env's own PYTHONPATH entries.
    bases = [
        root,
        *(root / entry for entry in env.get("PYTHONPATH", "").split(os.pathsep) if entry),
    ]
    for name, value in config.env:
        settings = name == "DJANGO_SETTINGS_MODULE" and MODULE_NAME.fullmatch(value)
        if settings and all(module_file(base, value) is None for base in bases):
            files = value.replace(".", "/")
            raise config_error(
                path,
                "env",
                f"sets DJANGO_SETTINGS_MODULE={value}, which is not a module of the project "
                f"(no {files}.py or {files}/__init__.py under {root} or src/)",
                "Write the dotted path of the tests' settings module from the project root, "
                'e.g. env = {DJANGO_SETTINGS_MODULE = "mysite.settings.test"}.',
                key_line(text, "env"),
            )
    for item in config.reviewed:
        if not (root / item.file).is_file():
            raise config_error(
                path,
                "reviewed",
                f"holds '{item}', but the project has no file {item.file} (looked in {root})",
                "Write the path of the manual item's file from the project root, as the plan "
                "or report shows it, or remove the entry.",
                key_line(text, "reviewed"),
            )
    if config.extras:
        declared = declared_extras(root, reader)
        known = {canonicalize_name(extra) for extra in declared}
        unknown = [e for e in config.extras if canonicalize_name(e) not in known]
        if unknown and (declared or not _declares_extras_dynamically(reader)):
            which = f"it declares {', '.join(declared)}" if declared else "it declares none"
            raise config_error(
                path,
                "extras",
                f"names {unknown[0]!r}, which the project's package does not declare ({which})",
                "Name extras from setup.py extras_require or [project.optional-dependencies] "
                "(or write extras = [] for none).",
                key_line(text, "extras"),
            )
