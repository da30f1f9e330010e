from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from upgrader.git import Git, GitError


@pytest.fixture
def repo(tmp_path: Path) -> Git:
    subprocess.run(["git", "init", "-q", "-b", "main", str(tmp_path)], check=True)
    (tmp_path / "a.txt").write_text("one\n")
    git = Git(tmp_path)
    assert git.commit_all("initial") is not None
    return git


def test_clean_then_dirty_then_committed(repo: Git) -> None:
    assert repo.dirty_paths() == []
    (repo.root / "a.txt").write_text("two\n")
    (repo.root / "new dir").mkdir()
    (repo.root / "new dir" / "b.txt").write_text("b\n")
    assert sorted(repo.dirty_paths()) == ["a.txt", "new dir/b.txt"]
    before = repo.head()
    after = repo.commit_all("change")
    assert after is not None and after != before
    assert repo.commit_all("nothing") is None
    assert repo.log_subjects(before) == ["change"]


def test_branch_reset_and_delete(repo: Git) -> None:
    base = repo.head()
    repo.create_branch("upgrade/django-3.2", base)
    assert repo.current_branch() == "upgrade/django-3.2"
    (repo.root / "a.txt").write_text("hop\n")
    (repo.root / "stray.txt").write_text("left by a crash\n")
    repo.reset_hard(base)
    repo.clean_untracked()
    assert (repo.root / "a.txt").read_text() == "one\n"
    assert not (repo.root / "stray.txt").exists()
    repo.switch("main")
    repo.delete_branch("upgrade/django-3.2")
    assert not repo.branch_exists("upgrade/django-3.2")


def test_not_a_repository(tmp_path: Path) -> None:
    git = Git(tmp_path)
    assert not git.is_repository()
    with pytest.raises(GitError, match="failed") as info:
        git.head()
    assert info.value.hint


def test_exact_paths_are_staged_stashed_and_discarded_literally(repo: Git) -> None:
    sub = repo.root / "sub"
    sub.mkdir()
    (sub / "[ab].txt").write_text("a glob-like name\n")
    (sub / "a.txt").write_text("would match the glob\n")
    (repo.root / "a.txt").write_text("changed\n")
    assert repo.untracked_paths() == ["sub/[ab].txt", "sub/a.txt"]
    Git(sub).add_paths(["sub/[ab].txt"])  # relative to the top, from any folder, no globbing
    assert repo.run("diff", "--cached", "--name-only").split() == ["sub/[ab].txt"]
    assert repo.commit("one file") is not None
    assert repo.stash_paths("mine", []) is False
    assert repo.stash_paths("mine", ["sub/a.txt"]) is True  # untracked, and only it
    assert not (sub / "a.txt").exists()
    assert (repo.root / "a.txt").read_text() == "changed\n"
    assert repo.stash_count() == 1
    repo.discard(["a.txt"])
    assert (repo.root / "a.txt").read_text() == "one\n"
    assert repo.status() == []
