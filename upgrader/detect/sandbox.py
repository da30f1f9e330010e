"""A repository that packages its code in ``src/<pkg>`` and keeps a demo site beside it
(django-oscar's ``sandbox/``): ``sandbox_folder``; whether a folder declares a distribution
(``declares_project``) and whether a search for a project looks into it (``searched``)."""

from __future__ import annotations

from pathlib import Path

from upgrader.detect.sources import ProjectReader
from upgrader.files import PRUNED_DIRS


def declares_project(folder: Path) -> bool:
    """``folder`` packages a distribution: a setup.py, a setup.cfg ``[metadata] name``, or a
    pyproject.toml ``[project]`` (or Poetry/Flit) table; not a pyproject.toml of tool settings."""
    if (folder / "setup.py").is_file():
        return True
    reader = ProjectReader(folder)
    if (folder / "setup.cfg").is_file():
        parser = reader.ini(folder / "setup.cfg")
        if parser is not None and parser.has_option("metadata", "name"):
            return True
    if (folder / "pyproject.toml").is_file():
        data = reader.toml(folder / "pyproject.toml") or {}
        tool = data.get("tool")
        tools = tool if isinstance(tool, dict) else {}
        return "project" in data or "poetry" in tools or "flit" in tools
    return False


def _src_packages(folder: Path) -> list[Path]:
    src = folder / "src"
    try:
        return [p for p in src.iterdir() if (p / "__init__.py").is_file()] if src.is_dir() else []
    except OSError:
        return []


def sandbox_folder(root: Path) -> Path | None:
    """The folder below ``root`` whose ``manage.py`` runs the package ``root`` ships, or None.

    A repository that packages its code in ``src/<pkg>`` (its setup.py, setup.cfg or
    pyproject.toml declares the project) and keeps a demo site beside it (django-oscar's
    ``sandbox/manage.py``): the repository is the project, the sandbox holds its manage.py and
    settings. Only one folder, one level down, and never ``src/`` itself (pretalx's
    ``src/manage.py`` beside ``src/setup.py`` is a project rooted in ``src/``).
    """
    if (root / "manage.py").is_file() or not _src_packages(root) or not declares_project(root):
        return None
    try:
        found = sorted(
            p
            for p in root.iterdir()
            if p.is_dir() and p.name != "src" and searched(p) and (p / "manage.py").is_file()
        )
    except OSError:
        return None
    return found[0] if len(found) == 1 else None


def searched(folder: Path) -> bool:
    name = folder.name
    if name.startswith(".") or name in PRUNED_DIRS or name in ("build", "dist"):
        return False
    return not (folder / "pyvenv.cfg").is_file()  # a virtualenv
