"""Shared fixtures. Unit tests are hermetic; tests marked ``e2e`` use real interpreters and the index."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PROJECTS = REPO_ROOT / "sample_projects"


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT
