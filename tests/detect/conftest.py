"""Fixture trees for the detect finders: small projects written into ``tmp_path``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

Tree = Mapping[str, str | bytes]
MakeTree = Callable[[Tree], Path]

MINIMAL_MANAGE_PY = """\
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
"""

# A Django 2.2 project in the shape ``django-admin startproject`` gives.
MINIMAL_PROJECT: dict[str, str | bytes] = {
    "manage.py": MINIMAL_MANAGE_PY,
    "mysite/__init__.py": "",
    "mysite/settings.py": "DEBUG = True\n",
    "requirements.txt": "Django==2.2.28\n",
}


def write_tree(root: Path, files: Tree) -> Path:
    """Write ``{relative path: text or bytes}`` under ``root`` and return ``root``."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def make_tree(tmp_path: Path) -> MakeTree:
    """``make_tree({"manage.py": "...", ...})`` writes the files and returns the project root."""
    root = tmp_path / "project"
    root.mkdir()

    def make(files: Tree) -> Path:
        return write_tree(root, files)

    return make
