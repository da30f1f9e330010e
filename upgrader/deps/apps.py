"""The ``INSTALLED_APPS`` entries a project's settings files name, read statically.

The dependency stage uses them to know which declared packages are Django apps even when their
metadata names no Django (``choose.django_app_evidence``). Every string literal in the value of
an ``INSTALLED_APPS = ...`` or ``INSTALLED_APPS += ...`` statement counts (lists, tuples,
concatenations); the files read are the project's ``settings*.py`` and every module of a
``settings/`` package. Never imported.
"""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

from upgrader.files import SourceText, project_files, read_text

NAME = "INSTALLED_APPS"


def _is_settings_file(path: Path) -> bool:
    return path.name.startswith("settings") or path.parent.name == "settings"


def _targets(node: ast.stmt) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, ast.AugAssign | ast.AnnAssign):
        return [node.target]
    return []


def apps_in(text: str) -> list[str]:
    """The ``INSTALLED_APPS`` strings of one settings module's source."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        names = [t.id for t in _targets(node) if isinstance(t, ast.Name)]
        value = getattr(node, "value", None)
        if NAME not in names or value is None:
            continue
        for item in ast.walk(value):
            if isinstance(item, ast.Constant) and isinstance(item.value, str):
                found.append(item.value)
    return found


def installed_apps(root: Path) -> tuple[str, ...]:
    """Every ``INSTALLED_APPS`` entry of the project's settings files, in file order, once each."""
    found: dict[str, None] = {}
    for path in project_files(root, suffixes=(".py",)):
        if not _is_settings_file(path):
            continue
        source = read_text(path)
        if isinstance(source, SourceText):
            found.update(dict.fromkeys(apps_in(source.text)))
    return tuple(found)
