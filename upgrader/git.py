"""A small adapter over the git command line: only what the hop transaction needs.

Every call runs ``git -C <root>``; failures raise :class:`GitError` with git's own message and
the command that failed, so the user can repeat it by hand.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from upgrader.errors import StateError

# Commits made by upgrader carry this identity when the user has none configured.
FALLBACK_IDENTITY = {
    "GIT_AUTHOR_NAME": "upgrader",
    "GIT_AUTHOR_EMAIL": "upgrader@localhost",
    "GIT_COMMITTER_NAME": "upgrader",
    "GIT_COMMITTER_EMAIL": "upgrader@localhost",
}


class GitError(StateError):
    """A git command failed."""


@dataclass(frozen=True)
class Git:
    root: Path

    def run(
        self,
        *args: str,
        check: bool = True,
        env: dict[str, str] | None = None,
        input: str | None = None,
    ) -> str:
        command = ["git", "-C", str(self.root), *args]
        try:
            result = subprocess.run(
                command,
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ, **(env or {}), "GIT_TERMINAL_PROMPT": "0"},
                input=input if input is not None else "",
            )
        except FileNotFoundError:
            raise GitError(
                "git is not installed", hint="Install git, or run with --no-git."
            ) from None
        if check and result.returncode != 0:
            raise GitError(
                f"`git {' '.join(args)}` failed in {self.root}: {result.stderr.strip() or result.stdout.strip()}",
                hint="Fix the repository state (see git's message), then run upgrader again.",
            )
        return result.stdout

    def is_repository(self) -> bool:
        try:
            out = self.run("rev-parse", "--show-toplevel", check=False)
        except GitError:
            return False
        return bool(out.strip())

    def toplevel(self) -> Path:
        return Path(self.run("rev-parse", "--show-toplevel").strip())

    def head(self) -> str:
        return self.run("rev-parse", "HEAD").strip()

    def has_commits(self) -> bool:
        return bool(self.run("rev-parse", "--verify", "--quiet", "HEAD", check=False).strip())

    def current_branch(self) -> str | None:
        name = self.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False).strip()
        return name or None

    def status(self) -> list[tuple[str, str]]:
        """``(XY, path)`` of every changed, staged and untracked (not ignored) file, paths
        relative to the repository's top; ``XY`` is ``git status --porcelain``'s code
        (``"??"`` for untracked)."""
        out = self.run("status", "--porcelain=v1", "-z", "--untracked-files=all")
        entries = [e for e in out.split("\0") if e]
        found: list[tuple[str, str]] = []
        skip_next = False
        for entry in entries:
            if skip_next:  # the source path of a rename
                skip_next = False
                continue
            code, path = entry[:2], entry[3:]
            found.append((code, path))
            if code[0] in "RC":
                skip_next = True
        return found

    def dirty_paths(self) -> list[str]:
        """Changed, staged and untracked (not ignored) paths, relative to the repository's top."""
        return [path for _code, path in self.status()]

    def untracked_paths(self) -> list[str]:
        """Untracked, not ignored files, relative to the repository's top."""
        return [path for code, path in self.status() if code == "??"]

    def _top(self) -> Git:
        return Git(self.toplevel())

    def add_paths(self, paths: Sequence[str]) -> None:
        """Stage exactly ``paths`` (relative to the top, taken literally: no globs), including
        deletions."""
        if paths:
            self._top().run(
                "add",
                "--all",
                "--pathspec-from-file=-",
                "--pathspec-file-nul",
                env={"GIT_LITERAL_PATHSPECS": "1"},
                input="\0".join(paths),
            )

    def stash_count(self) -> int:
        return len(self.run("stash", "list", "-z", check=False).split("\0")) - 1

    def stash_paths(self, message: str, paths: Sequence[str]) -> bool:
        """``git stash push --include-untracked`` of exactly ``paths`` (relative to the top),
        nothing else; False when it made no stash entry."""
        if not paths:
            return False
        before = self.stash_count()
        self._top().run(
            "stash",
            "push",
            "--include-untracked",
            "--message",
            message,
            "--pathspec-from-file=-",
            "--pathspec-file-nul",
            env={"GIT_LITERAL_PATHSPECS": "1"},
            input="\0".join(paths),
        )
        return self.stash_count() > before

    def commit(self, message: str, *, allow_empty: bool = False) -> str | None:
        """Commit what is staged; None when nothing is (unless ``allow_empty``)."""
        extra = []
        if not self.run("diff", "--cached", "--name-only").strip():
            if not allow_empty:
                return None
            extra.append("--allow-empty")
        env = {} if self._has_identity() else FALLBACK_IDENTITY
        self.run("commit", "--quiet", "--no-verify", *extra, "-m", message, env=env)
        return self.head()

    def branch_exists(self, name: str) -> bool:
        return bool(
            self.run("rev-parse", "--verify", "--quiet", f"refs/heads/{name}", check=False).strip()
        )

    def create_branch(self, name: str, start: str) -> None:
        self.run("switch", "--create", name, start)

    def switch(self, name: str) -> None:
        self.run("switch", name)

    def delete_branch(self, name: str) -> None:
        self.run("branch", "--delete", "--force", name)

    def commit_all(
        self, message: str, *, paths: Sequence[str] = (), allow_empty: bool = False
    ) -> str | None:
        """Stage everything (or ``paths``) and commit; None when there was nothing to commit
        (unless ``allow_empty``, which records a commit anyway, e.g. "tests green")."""
        self.run("add", "--all", "--", *(paths or ["."]))
        return self.commit(message, allow_empty=allow_empty)

    def _has_identity(self) -> bool:
        name = self.run("config", "user.name", check=False).strip()
        email = self.run("config", "user.email", check=False).strip()
        return bool(name and email)

    def reset_hard(self, commit: str) -> None:
        self.run("reset", "--hard", "--quiet", commit)

    def clean_untracked(self) -> None:
        """Remove untracked files (not ignored ones): what a half-done phase may have left."""
        self.run("clean", "--force", "-d", "--quiet")

    def log_subjects(self, base: str, tip: str = "HEAD") -> list[str]:
        out = self.run("log", "--format=%s", f"{base}..{tip}")
        return [line for line in out.splitlines() if line]

    def commits(self, base: str, tip: str = "HEAD") -> list[tuple[str, str, str]]:
        """``(sha, subject, body)`` of each commit in ``base..tip``, newest first."""
        out = self.run("log", "--format=%H%x00%s%x00%B%x1e", f"{base}..{tip}")
        found = []
        for record in out.split("\x1e"):
            fields = record.strip("\n").split("\x00")
            if len(fields) == 3:
                found.append((fields[0], fields[1], fields[2]))
        return found

    def diff(self, base: str, tip: str = "HEAD") -> str:
        return self.run("diff", "--no-color", "--no-ext-diff", f"{base}..{tip}")

    def discard(self, paths: Sequence[str]) -> None:
        """Put ``paths`` (tracked, relative to the top) back as HEAD has them, index and tree."""
        if paths:
            self._top().run(
                "restore",
                "--source=HEAD",
                "--staged",
                "--worktree",
                "--pathspec-from-file=-",
                "--pathspec-file-nul",
                env={"GIT_LITERAL_PATHSPECS": "1"},
                input="\0".join(paths),
            )
