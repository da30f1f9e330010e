"""Fixtures of the verify tests: the tiny Django project, detected as the plan would see it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.verify.tinyproject import make_tiny_project
from upgrader.project import Project, detect_project


@pytest.fixture
def tiny(tmp_path: Path) -> Project:
    """The tiny Django 2.2 project (Django's test runner), detected statically."""
    return detect_project(make_tiny_project(tmp_path / "tiny"))


@pytest.fixture
def tiny_pytest(tmp_path: Path) -> Project:
    """The tiny project with pytest and pytest-django in its requirements."""
    return detect_project(make_tiny_project(tmp_path / "tiny", pytest=True))
