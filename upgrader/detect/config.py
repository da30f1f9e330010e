"""The ``[tool.upgrader]`` table of the project's pyproject.toml.

Keys (all optional)::

    [tool.upgrader]
    exclude = ["legacy/*", "*/migrations/*"]   # globs of files upgrader leaves alone
    test-runner = "pytest"                      # or "django" (``python manage.py test``)
    test-command = "python -m pytest -x tests"  # the exact command, split like a shell would
    python = "3.8"                              # the Python the project runs on today
    settings = "mysite.settings"                # the settings module

A wrong type or an unknown key is an error naming pyproject.toml and the key: a typo must not
silently change what upgrader does.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

from upgrader.detect.model import ProjectConfig
from upgrader.detect.sources import ProjectReader
from upgrader.errors import UpgraderError

KEYS = ("exclude", "test-runner", "test-command", "python", "settings")
TEST_RUNNERS = ("pytest", "django")
_PYTHON = re.compile(r"\d+\.\d+")
_MODULE = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")


class ConfigError(UpgraderError):
    """``[tool.upgrader]`` holds a value upgrader cannot use."""


def _error(path: Path, key: str, problem: str, hint: str) -> ConfigError:
    where = f"[tool.upgrader] {key}" if key else "[tool.upgrader]"
    return ConfigError(f"{path}: {where} {problem}", hint=hint, path=path)


def _string(path: Path, key: str, value: object, hint: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _error(path, key, f"must be a non-empty string, not {value!r}", hint)
    return value.strip()


def parse_config(table: dict[str, Any], path: Path) -> ProjectConfig:
    """Validate a ``[tool.upgrader]`` table read from ``path``."""
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise _error(
            path,
            unknown[0],
            "is not a setting upgrader knows",
            f"Use one of: {', '.join(KEYS)}.",
        )
    exclude = table.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(g, str) for g in exclude):
        raise _error(
            path,
            "exclude",
            f"must be a list of glob strings, not {exclude!r}",
            'Write it like exclude = ["legacy/*", "*/migrations/*"].',
        )
    runner: str | None = None
    if "test-runner" in table:
        runner = table["test-runner"]
        if runner not in TEST_RUNNERS:
            raise _error(
                path,
                "test-runner",
                f"must be one of {', '.join(map(repr, TEST_RUNNERS))}, not {runner!r}",
                'Write test-runner = "pytest" or test-runner = "django".',
            )
    command: tuple[str, ...] | None = None
    if "test-command" in table:
        hint = 'Write the command as one string, e.g. test-command = "python -m pytest -x".'
        text = _string(path, "test-command", table["test-command"], hint)
        try:
            command = tuple(shlex.split(text))
        except ValueError as exc:
            raise _error(path, "test-command", f"cannot be split ({exc})", hint) from None
    python: str | None = None
    if "python" in table:
        hint = 'Quote it: python = "3.8" (an unquoted 3.10 would read as 3.1).'
        python = _string(path, "python", table["python"], hint)
        if not _PYTHON.fullmatch(python):
            raise _error(
                path, "python", f"must be a feature version like 3.8, not {python!r}", hint
            )
    settings: str | None = None
    if "settings" in table:
        hint = 'Write the dotted module path, e.g. settings = "mysite.settings".'
        settings = _string(path, "settings", table["settings"], hint)
        if not _MODULE.fullmatch(settings):
            raise _error(path, "settings", f"is not a module path: {settings!r}", hint)
    return ProjectConfig(
        exclude=tuple(exclude),
        test_runner=runner,
        test_command=command,
        python=python,
        settings=settings,
    )


def read_config(reader: ProjectReader) -> ProjectConfig:
    """The project's ``[tool.upgrader]`` settings (defaults when there are none)."""
    path = reader.root / "pyproject.toml"
    data = reader.toml(path)
    if data is None:
        return ProjectConfig()
    tool = data.get("tool", {})
    table = tool.get("upgrader") if isinstance(tool, dict) else None
    if table is None:
        return ProjectConfig()
    if not isinstance(table, dict):
        raise _error(path, "", "must be a table", "Write it as a [tool.upgrader] section.")
    return parse_config(table, path)
