"""End to end: a project's unpinned requirement resolved as of its last dependency commit by the
real uv (``--exclude-newer`` against a served PEP 691/700 index), and kept by the hop."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from packaging.version import Version

from tests.deps.conftest import LocalIndex, Served
from upgrader.deps.index import IndexConfig
from upgrader.deps.plan import plan_dependencies
from upgrader.deps.resolve import find_uv
from upgrader.detect.requirements import read_declared
from upgrader.hops import hop_path

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(find_uv() is None, reason="uv is not installed"),
]


def test_the_baseline_resolves_as_of_the_last_dependency_commit(
    local_index: LocalIndex, serve: Callable[[LocalIndex], Served], tmp_path: Path
) -> None:
    local_index.add("Django", "2.2.28", upload_time="2019-04-01T10:00:00Z")
    local_index.add("Django", "3.2.25", upload_time="2024-03-04T10:00:00Z")
    local_index.add("tool", "1.0", upload_time="2019-06-01T10:00:00Z")
    local_index.add("tool", "2.0", upload_time="2021-06-01T10:00:00Z")
    served = serve(local_index.build())
    root = tmp_path / "project"
    root.mkdir()
    (root / "requirements.txt").write_text("Django==2.2.28\ntool\n")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
        "GIT_AUTHOR_DATE": "2020-06-15T00:00:00Z",
        "GIT_COMMITTER_DATE": "2020-06-15T00:00:00Z",
    }
    for args in (["init", "-q"], ["add", "requirements.txt"], ["commit", "-qm", "deps"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, env=env)
    config = IndexConfig(index_url=served.url)
    hop = hop_path(Version("2.2"), "3.8", to="3.2", find_interpreter=lambda _v: None)[0]
    plan = plan_dependencies(
        root,
        read_declared(root),
        hop,
        config=config,
        index=local_index.client(tmp_path / "cache"),
        resolve=True,
        cache_dir=tmp_path / "uv-cache",
    )
    assert dict(plan.baseline) == {"tool": "1.0"}
    (note,) = [n for n in plan.notes if n.startswith("unpinned requirements start")]
    assert "as of 2020-06-15T00:00:00Z" in note and "(uv --exclude-newer" in note
    tool = next(c for c in plan.choices if c.name == "tool")
    assert (tool.current, tool.chosen) == ("1.0", "1.0")
    assert plan.resolution is not None and plan.resolution.version_of("tool") == "1.0"
