"""The settings a project's settings files name, read statically: ``INSTALLED_APPS`` entries
and, per upper-case setting, the string literals its value names.

The dependency stage uses ``INSTALLED_APPS`` to know which declared packages are Django apps even
when their metadata names no Django (``evidence.django_app_evidence``), and ``settings_values``
to judge third-party upgrade steps (``upgrade_steps``: is the middleware there, which template
pack is set). Every string literal in the value of a ``NAME = ...`` or ``NAME += ...`` statement
counts (lists, tuples, concatenations); the files read are the project's ``settings*.py`` and
every module of a ``settings/`` package (``settings_files``). Never imported.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from upgrader.files import SourceText, project_files, read_text

NAME = "INSTALLED_APPS"


@dataclass(frozen=True)
class SettingsValues:
    """The string literals each setting's value names, over all the project's settings modules
    (``MIDDLEWARE = [...]`` and ``MIDDLEWARE += [...]`` together, in file order)."""

    strings: Mapping[str, tuple[str, ...]]

    def get(self, name: str) -> tuple[str, ...]:
        return self.strings.get(name, ())

    def names(self, name: str, value: str) -> bool:
        return value in self.get(name)

    @property
    def installed_apps(self) -> tuple[str, ...]:
        return self.get(NAME)


def _is_settings_file(path: Path) -> bool:
    return path.name.startswith("settings") or path.parent.name == "settings"


def settings_files(root: Path) -> tuple[Path, ...]:
    """The project's settings modules: ``settings*.py`` and the modules of ``settings/``."""
    return tuple(p for p in project_files(root, suffixes=(".py",)) if _is_settings_file(p))


def _targets(node: ast.stmt) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, ast.AugAssign | ast.AnnAssign):
        return [node.target]
    return []


def _parse(text: str) -> ast.Module | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


def settings_strings(text: str) -> dict[str, list[str]]:
    """Each upper-case setting of one settings module's source, and the string literals its
    value names (lists, tuples, concatenations, ``+=``); {} when the module does not parse."""
    tree = _parse(text)
    if tree is None:
        return {}
    found: dict[str, list[str]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        value = getattr(node, "value", None)
        if value is None:
            continue
        for target in _targets(node):
            if not isinstance(target, ast.Name) or not target.id.isupper():
                continue
            found.setdefault(target.id, []).extend(
                item.value
                for item in ast.walk(value)
                if isinstance(item, ast.Constant) and isinstance(item.value, str)
            )
    return found


def setting_line(paths: Iterable[Path], name: str) -> tuple[Path, int] | None:
    """Where the setting ``name`` is first assigned over ``paths`` (file, line); None if nowhere."""
    for path in paths:
        source = read_text(path)
        if not isinstance(source, SourceText):
            continue
        tree = _parse(source.text)
        if tree is None:
            continue
        lines = [
            node.lineno
            for node in ast.walk(tree)
            if isinstance(node, ast.stmt)
            and any(isinstance(t, ast.Name) and t.id == name for t in _targets(node))
        ]
        if lines:
            return path, min(lines)
    return None


def apps_in(text: str) -> list[str]:
    """The ``INSTALLED_APPS`` strings of one settings module's source."""
    return settings_strings(text).get(NAME, [])


def settings_values(paths: Iterable[Path]) -> SettingsValues:
    """The settings of ``paths`` (``settings_files(root)``, or
    ``upgrader.settings_modules.settings_modules(project)``), merged in order."""
    merged: dict[str, dict[str, None]] = {}
    for path in paths:
        source = read_text(path)
        if not isinstance(source, SourceText):
            continue
        for name, strings in settings_strings(source.text).items():
            merged.setdefault(name, {}).update(dict.fromkeys(strings))
    return SettingsValues({name: tuple(values) for name, values in merged.items()})


def installed_apps(root: Path) -> tuple[str, ...]:
    """Every ``INSTALLED_APPS`` entry of the project's settings files, in file order, once each."""
    return settings_values(settings_files(root)).installed_apps
