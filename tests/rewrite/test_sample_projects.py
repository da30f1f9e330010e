"""The whole stage over each sample project, hop after hop, as ``upgrader step`` will run it."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from upgrader.hops import hop_path
from upgrader.project import detect_project
from upgrader.rewrite import rewrite_project

SAMPLE_PROJECTS = Path(__file__).resolve().parents[2] / "sample_projects"
PROJECTS = sorted(p.name for p in SAMPLE_PROJECTS.iterdir() if (p / "manage.py").is_file())


@pytest.mark.parametrize("name", PROJECTS or [pytest.param("none", marks=pytest.mark.skip)])
def test_every_hop_to_52_parses_and_is_idempotent(name: str, tmp_path: Path) -> None:
    root = tmp_path / name
    shutil.copytree(SAMPLE_PROJECTS / name, root)
    project = detect_project(root)
    hops = hop_path(project.django_version, project.python_version, to="5.2")
    assert hops, "a 2.x sample project has hops to 5.2"
    changed = 0
    for hop in hops:
        result = rewrite_project(project, hop, write=True, cache_dir=tmp_path / "cache")
        assert not result.failures, result.failures
        changed += len(result.changes)
        for path in root.rglob("*.py"):
            ast.parse(path.read_bytes(), str(path))
        again = rewrite_project(project, hop, write=False, use_cache=False)
        assert again.changes == (), f"{hop.name} is not idempotent:\n{again.diff}"
    assert changed
