"""The ``[tool.upgrader]`` table of the project's pyproject.toml.

Keys (all optional)::

    [tool.upgrader]
    exclude = ["legacy/*", "*/migrations/*"]   # globs of files upgrader leaves alone
    test-runner = "pytest"                      # or "django" (``python manage.py test``)
    test-command = "python -m pytest -x tests"  # the exact command, split like a shell would
    python = "3.8"                              # the Python the project runs on today
    settings = "mysite.settings"                # the settings module
    env = {CI = "true", DJANGO_SETTINGS_MODULE = "mysite.settings.ci"}  # set in every stage's env
    pre-test = ["python manage.py collectstatic --noinput"]  # run before the tests, in order
    test-requirements = ["pytest-xdist"]        # installed with the project's requirements
    extras = ["test"]                           # the extras its tests need (default: detected)
    build-constraints = ["setuptools<58"]       # caps on the tools that build old sdists
    # an unreachable or unwanted requirement -> what to install instead ("" leaves it out):
    replace-requirements = {"django-foo" = "django-foo==1.4", "git+https://x/y.git" = ""}
    target = "4.2"                              # where plan/step/check/ci aim: X.Y, lts, latest
    # manual items reviewed as not applying, "<catalogue id> <path>[:<line>]" (no line: the file's):
    reviewed = ["model-choice-iterator-value pretalx/orga/forms/widgets.py:12"]

A wrong type or an unknown key is an error naming pyproject.toml and the key: a typo must not
silently change what upgrader does. So is a value the project contradicts (``check_against_project``,
run by ``read_config``): a test-command or pre-test command that runs a file the project does not
have (``python runtests.py``, ``./scripts/setup.sh``), an ``env`` DJANGO_SETTINGS_MODULE that is
not a module of the project, an extra its package does not declare, a ``reviewed`` path the
project does not have (an unknown catalogue id is refused here). Programs found on PATH
(``make``, ``npm``) or installed into the stage's environment are not checked: they need not
exist until the tests run.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shlex
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import InvalidVersion, Version

from upgrader.detect.model import ProjectConfig, ReviewedItem
from upgrader.detect.sources import ProjectReader, line_of
from upgrader.errors import UpgraderError
from upgrader.files import Skipped, resolve_link
from upgrader.releases import get_release

KEYS = (
    "exclude",
    "test-runner",
    "test-command",
    "python",
    "settings",
    "env",
    "pre-test",
    "test-requirements",
    "extras",
    "build-constraints",
    "replace-requirements",
    "target",
    "reviewed",
)
TEST_RUNNERS = ("pytest", "django")
_PYTHON = re.compile(r"\d+\.\d+")
MODULE_NAME = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_EXTRA = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")


class ConfigError(UpgraderError):
    """``[tool.upgrader]`` holds a value upgrader cannot use."""


def config_error(
    path: Path, key: str, problem: str, hint: str, line: int | None = None
) -> ConfigError:
    where = f"[tool.upgrader] {key}" if key else "[tool.upgrader]"
    place = f"{path}:{line}" if line else str(path)
    return ConfigError(f"{place}: {where} {problem}", hint=hint, path=path)


def _string(path: Path, key: str, value: object, hint: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise config_error(path, key, f"must be a non-empty string, not {value!r}", hint)
    return value.strip()


def _strings(path: Path, key: str, value: object, hint: str) -> tuple[str, ...]:
    """A list of non-empty strings (each stripped)."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise config_error(path, key, f"must be a list of non-empty strings, not {value!r}", hint)
    return tuple(v.strip() for v in value)


def _requirements(path: Path, key: str, value: object, hint: str) -> tuple[str, ...]:
    """A list of PEP 508 requirement lines."""
    lines = _strings(path, key, value, hint)
    for line in lines:
        _requirement(path, key, line, hint)
    return lines


def _requirement(path: Path, key: str, line: str, hint: str) -> None:
    try:
        Requirement(line)
    except InvalidRequirement as exc:
        raise config_error(
            path, key, f"holds {line!r}, which is not a requirement ({exc})", hint
        ) from None


def _env(path: Path, value: object) -> tuple[tuple[str, str], ...]:
    hint = 'Write it as a table of strings, e.g. env = {CI = "true", DATABASE_URL = "sqlite://"}.'
    if not isinstance(value, dict):
        raise config_error(path, "env", f"must be a table, not {value!r}", hint)
    pairs: list[tuple[str, str]] = []
    for name, item in value.items():
        if not _ENV_NAME.fullmatch(name):
            raise config_error(path, "env", f"names {name!r}, which is not a variable name", hint)
        if isinstance(item, bool):
            item = "true" if item else "false"
        elif isinstance(item, int | float):
            item = str(item)
        if not isinstance(item, str) or "\n" in item or "\r" in item:
            raise config_error(path, "env", f"{name} must be a one-line string, not {item!r}", hint)
        pairs.append((name, item))
    return tuple(pairs)


def _replacements(path: Path, value: object) -> tuple[tuple[str, str], ...]:
    key = "replace-requirements"
    hint = (
        'Map a package name or URL to a requirement, or to "" to leave it out, e.g. '
        'replace-requirements = {"django-foo" = "django-foo==1.4"}.'
    )
    if not isinstance(value, dict):
        raise config_error(path, key, f"must be a table, not {value!r}", hint)
    pairs: list[tuple[str, str]] = []
    for name, item in value.items():
        if not isinstance(item, str) or not name.strip():
            raise config_error(path, key, f"{name!r} must map to a string, not {item!r}", hint)
        if item.strip():
            _requirement(path, key, item.strip(), hint)
        pairs.append((name.strip(), item.strip()))
    return tuple(pairs)


TARGET_WORDS = ("lts", "latest")


def _target(path: Path, value: object) -> str:
    """A Django feature release upgrader knows ("4.2"), or "lts" / "latest"."""
    hint = 'Quote a feature release, e.g. target = "4.2", or write target = "lts" or "latest".'
    target = _string(path, "target", value, hint)
    if target.lower() in TARGET_WORDS:
        return target.lower()
    try:
        known = get_release(Version(target)) is not None
    except InvalidVersion:
        known = False
    if not known or not _PYTHON.fullmatch(target):
        raise config_error(
            path, "target", f"is {target!r}, not a Django feature release upgrader knows", hint
        )
    return target


REVIEWED_HINT = (
    'Write "<catalogue id> <path>[:<line>]" per item the report lists, e.g. reviewed = '
    '["model-choice-iterator-value shop/forms.py:12"] (the path from the project root).'
)
_LINE_SUFFIX = re.compile(r"(.+):([1-9][0-9]*)")


def _text_line(path: Path, key: str) -> int | None:
    """The line of ``key`` in ``path`` (the pyproject.toml being parsed), for an error."""
    try:
        return key_line(path.read_text(encoding="utf-8"), key)
    except (OSError, UnicodeDecodeError):
        return None


def _reviewed(path: Path, value: object) -> tuple[ReviewedItem, ...]:
    """``reviewed`` entries: "<catalogue id> <path>[:<line>]", the path relative to the root."""
    # At call time: upgrader.findings imports upgrader.project, which imports this module.
    from upgrader.findings.catalogue import CATALOGUE

    key = "reviewed"
    entries = _strings(path, key, value, REVIEWED_HINT)
    items = []
    for entry in entries:
        parts = entry.split(None, 1)
        if len(parts) != 2:
            raise config_error(
                path,
                key,
                f"holds {entry!r}, which is not '<catalogue id> <path>[:<line>]'",
                REVIEWED_HINT,
                _text_line(path, key),
            )
        item_id, where = parts[0], parts[1].strip()
        if item_id not in CATALOGUE:
            raise config_error(
                path,
                key,
                f"holds {entry!r}: {item_id!r} is not a catalogue id upgrader knows",
                "Copy the id from the manual item of the plan or report (e.g. "
                "model-choice-iterator-value); docs/coverage.md lists them all.",
                _text_line(path, key),
            )
        line: int | None = None
        if match := _LINE_SUFFIX.fullmatch(where):
            where, line = match.group(1), int(match.group(2))
        file = Path(where.removeprefix("./")).as_posix()
        if Path(file).is_absolute() or ".." in Path(file).parts:
            raise config_error(
                path,
                key,
                f"holds {entry!r}, whose path is not inside the project",
                REVIEWED_HINT,
                _text_line(path, key),
            )
        items.append(ReviewedItem(item_id, file, line))
    return tuple(dict.fromkeys(items))


def _with_target(config: ProjectConfig, target: str | None) -> ProjectConfig:
    """``config`` with its ``target``."""
    return config if target is None else dataclasses.replace(config, target=target)


def parse_config(table: dict[str, Any], path: Path) -> ProjectConfig:
    """Validate a ``[tool.upgrader]`` table read from ``path``."""
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise config_error(
            path,
            unknown[0],
            "is not a setting upgrader knows",
            f"Use one of: {', '.join(KEYS)}.",
        )
    exclude = table.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(g, str) for g in exclude):
        raise config_error(
            path,
            "exclude",
            f"must be a list of glob strings, not {exclude!r}",
            'Write it like exclude = ["legacy/*", "*/migrations/*"].',
        )
    runner: str | None = None
    if "test-runner" in table:
        runner = table["test-runner"]
        if runner not in TEST_RUNNERS:
            raise config_error(
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
            raise config_error(path, "test-command", f"cannot be split ({exc})", hint) from None
    python: str | None = None
    if "python" in table:
        hint = 'Quote it: python = "3.8" (an unquoted 3.10 would read as 3.1).'
        python = _string(path, "python", table["python"], hint)
        if not _PYTHON.fullmatch(python):
            raise config_error(
                path, "python", f"must be a feature version like 3.8, not {python!r}", hint
            )
    settings: str | None = None
    if "settings" in table:
        hint = 'Write the dotted module path, e.g. settings = "mysite.settings".'
        settings = _string(path, "settings", table["settings"], hint)
        if not MODULE_NAME.fullmatch(settings):
            raise config_error(path, "settings", f"is not a module path: {settings!r}", hint)
    pre_test: tuple[str, ...] = ()
    if "pre-test" in table:
        hint = 'Write a list of commands, e.g. pre-test = ["python manage.py collectstatic --noinput"].'
        pre_test = _strings(path, "pre-test", table["pre-test"], hint)
        for line in pre_test:
            try:
                shlex.split(line)
            except ValueError as exc:
                raise config_error(
                    path, "pre-test", f"{line!r} cannot be split ({exc})", hint
                ) from None
    extras: tuple[str, ...] | None = None
    if "extras" in table:
        hint = 'Write the names of extras, e.g. extras = ["test"] (or [] for none).'
        extras = _strings(path, "extras", table["extras"], hint)
        for name in extras:
            if not _EXTRA.fullmatch(name):
                raise config_error(
                    path, "extras", f"holds {name!r}, which is not an extra's name", hint
                )
    target = _target(path, table["target"]) if "target" in table else None
    config = ProjectConfig(
        exclude=tuple(exclude),
        test_runner=runner,
        test_command=command,
        python=python,
        settings=settings,
        env=_env(path, table["env"]) if "env" in table else (),
        pre_test=pre_test,
        test_requirements=_requirements(
            path,
            "test-requirements",
            table.get("test-requirements", []),
            'Write requirement lines, e.g. test-requirements = ["pytest-xdist", "factory-boy<3"].',
        ),
        extras=extras,
        build_constraints=_requirements(
            path,
            "build-constraints",
            table.get("build-constraints", []),
            'Write requirement lines, e.g. build-constraints = ["setuptools<58"].',
        ),
        replace_requirements=(
            _replacements(path, table["replace-requirements"])
            if "replace-requirements" in table
            else ()
        ),
    )
    if "reviewed" in table:
        config = dataclasses.replace(config, reviewed=_reviewed(path, table["reviewed"]))
    return _with_target(config, target)


def key_line(text: str, key: str) -> int | None:
    return line_of(text, rf"^\s*{re.escape(key)}\s*=") or line_of(
        text, rf"^\s*\[tool\.upgrader\.{re.escape(key)}\]"
    )


UNREADABLE_HINT = (
    "Fix pyproject.toml so it reads as UTF-8 TOML: its [tool.upgrader] exclude and the other "
    "settings there decide which files upgrader may change. `upgrader plan` reads the project "
    "without them meanwhile."
)


def unreadable_pyproject(reader: ProjectReader) -> Skipped | None:
    """Why the project's pyproject.toml, which exists, cannot be read (None: read, or absent)."""
    path = reader.root / "pyproject.toml"
    if not os.path.lexists(path) or reader.toml(path) is not None:
        return None
    recorded = next((s for s in reader.skipped if s.path == path), None)
    if recorded is not None:
        return recorded
    if path.is_symlink():
        target = resolve_link(path)
        if isinstance(target, str):
            return Skipped(path, target)
    if not path.is_file():
        return Skipped(path, "is not a regular file (a folder or a named pipe)")
    return None


def read_config(reader: ProjectReader, *, strict: bool = False) -> ProjectConfig:
    """The project's ``[tool.upgrader]`` settings (defaults when there are none).

    A pyproject.toml that exists but cannot be read (invalid TOML, not UTF-8, a dangling link)
    gives the defaults, and its ``Skipped`` entry stays in ``reader.skipped``; with ``strict`` it
    is a ``ConfigError`` instead: a command that writes must not drop the ``exclude`` it held.
    """
    path = reader.root / "pyproject.toml"
    data = reader.toml(path)
    if data is None:
        problem = unreadable_pyproject(reader) if strict else None
        if problem is not None:
            raise ConfigError(
                f"{path} cannot be read: {problem.reason}", hint=UNREADABLE_HINT, path=path
            )
        return ProjectConfig()
    tool = data.get("tool", {})
    table = tool.get("upgrader") if isinstance(tool, dict) else None
    if table is None:
        return ProjectConfig()
    if not isinstance(table, dict):
        raise config_error(path, "", "must be a table", "Write it as a [tool.upgrader] section.")
    return parse_config(table, path)
