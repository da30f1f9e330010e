"""project_jobs resolves each folder once, and every file as ``Path.resolve`` would."""

from __future__ import annotations

from pathlib import Path

import pytest

import upgrader.rewrite.jobs as rw_jobs
from tests.test_rewrite import make_project, write


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    for folder in ("a", "b", "a/c"):
        for name in ("one.py", "two.py", "three.py"):
            write(root, f"{folder}/{name}", f"X = {name!r}\n")
    (root / "a/link.py").symlink_to(root / "b/one.py")  # a symlink to a file listed already
    (root / "a/alias.py").symlink_to(root / "a/c/two.py")
    return root


def test_jobs_are_the_resolved_files_each_once(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    jobs = rw_jobs.project_jobs(make_project(root, settings=None), [])
    expected = sorted({p.resolve() for p in root.rglob("*.py")})
    assert [job.path for job in jobs] == expected
    assert [job.rel for job in jobs] == [p.relative_to(root.resolve()).as_posix() for p in expected]


def test_each_folder_is_resolved_once_not_each_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _tree(tmp_path)
    project = make_project(root, settings=None)
    calls: list[Path] = []
    original = Path.resolve

    def counting(self: Path, strict: bool = False) -> Path:
        calls.append(self)
        return original(self, strict)

    monkeypatch.setattr(Path, "resolve", counting)
    calls.clear()
    rw_jobs.project_jobs(project, [])
    resolved_files = [path for path in calls if path.suffix == ".py"]
    # Only the two symlinks are resolved as files (project_files checks them too); the nine
    # plain files through their folders.
    assert {p.name for p in resolved_files} == {"alias.py", "link.py"}
