"""Which files of a project upgrader looks at, how it reads them, and how it writes them.

- ``project_files``: the project's files, sorted and de-duplicated, honouring ``.gitignore``
  (through git when the project is a repository), ``[tool.upgrader] exclude`` globs,
  virtualenvs, ``node_modules`` and tool caches; symlinks that leave the project are skipped.
- ``read_text``: decode a file the way Python would (BOM, PEP 263 coding cookie), remembering
  what is needed to write it back byte-for-byte alike (encoding, BOM, line endings).
- ``write_atomic``: a temporary file in the same folder, fsync, then ``os.replace``.
"""

from __future__ import annotations

import codecs
import fnmatch
import os
import subprocess
import tempfile
import tokenize
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

# Folders never part of a project's own code.
PRUNED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".tox",
        ".nox",
        ".venv",
        "venv",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "__pycache__",
        "node_modules",
        "site-packages",
        ".upgrader",
        ".eggs",
    }
)


@dataclass(frozen=True)
class Skipped:
    """A file upgrader could not use, and why (shown to the user; the run goes on)."""

    path: Path
    reason: str


@dataclass(frozen=True)
class SourceText:
    """A decoded file and what it takes to write it back as it was."""

    path: Path
    text: str  # with the original line endings kept
    encoding: str
    bom: bool
    newline: str  # "\n", "\r\n" or "\r": the first line ending in the file

    def encode(self, text: str) -> bytes:
        data = text.encode(self.encoding)
        return (codecs.BOM_UTF8 + data) if self.bom else data


def is_ignored(rel: str, patterns: Sequence[str]) -> bool:
    parts = rel.split("/")
    for pattern in patterns:
        pat = pattern.rstrip("/")
        if fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(rel, pat + "/*"):
            return True
        if "/" not in pat and any(fnmatch.fnmatch(part, pat) for part in parts):
            return True
    return False


def _is_virtualenv(directory: Path) -> bool:
    return (directory / "pyvenv.cfg").is_file()


def _in_virtualenv(root: Path, folder: str, known: dict[str, bool]) -> bool:
    """Whether ``folder`` (relative to ``root``, posix; "" is the root) is in a virtualenv below
    the root: one ``stat`` per folder, remembered in ``known``, not one per file and ancestor."""
    if not folder:
        return False
    answer = known.get(folder)
    if answer is None:
        parent = folder.rpartition("/")[0]
        answer = _in_virtualenv(root, parent, known) or _is_virtualenv(root / folder)
        known[folder] = answer
    return answer


def _git_files(root: Path) -> list[str] | None:
    """Tracked and untracked-but-not-ignored files, or None when ``root`` is not in a git work tree."""
    try:
        result = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."],
            cwd=root,
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    return [p for p in result.stdout.decode("utf-8", "surrogateescape").split("\0") if p]


def _walk_files(root: Path) -> list[str]:
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d for d in dirnames if d not in PRUNED_DIRS and not _is_virtualenv(here / d)
        )
        for name in filenames:
            found.append((here / name).relative_to(root).as_posix())
    return found


def _gitignore_patterns(root: Path) -> list[str]:
    try:
        lines = (root / ".gitignore").read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    return [ln.strip().lstrip("/") for ln in lines if ln.strip() and not ln.startswith(("#", "!"))]


def resolve_link(path: Path) -> Path | str:
    """Where the symlink ``path`` leads, or why it leads nowhere (a loop, a missing target).

    ``Path.resolve()`` raises ``RuntimeError`` on a loop before Python 3.13 and returns a path on
    later ones; ``strict=True`` fails the same way on all of them.
    """
    try:
        return path.resolve(strict=True)
    except FileNotFoundError:
        return f"symlink to {os.readlink(path)}, which is missing"
    except (OSError, RuntimeError):
        return "symlink loop (it leads back to itself)"


def project_files(
    root: Path,
    *,
    suffixes: Iterable[str] | None = None,
    exclude: Sequence[str] = (),
    skipped: list[Skipped] | None = None,
) -> list[Path]:
    """The project's files with one of ``suffixes`` (all files when None), sorted, absolute.

    Symlinks pointing outside ``root`` are recorded in ``skipped`` (when given) and left out.
    """
    root = root.resolve()
    wanted = tuple(suffixes) if suffixes is not None else None
    rels = _git_files(root)
    patterns = list(exclude)
    if rels is None:
        rels = _walk_files(root)
        patterns += _gitignore_patterns(root)
    result: set[Path] = set()
    virtualenvs: dict[str, bool] = {}
    for rel in rels:
        if wanted is not None and not rel.endswith(wanted):
            continue
        parts = rel.split("/")
        if any(part in PRUNED_DIRS for part in parts[:-1]):
            continue
        if patterns and is_ignored(rel, patterns):
            continue
        path = root / rel
        if _in_virtualenv(root, rel.rpartition("/")[0], virtualenvs):
            continue
        if path.is_symlink():
            target = resolve_link(path)
            if isinstance(target, str) or not target.is_relative_to(root):
                if skipped is not None:
                    why = (
                        target
                        if isinstance(target, str)
                        else f"symlink to {target}, outside the project"
                    )
                    skipped.append(Skipped(path, f"{why}: left alone"))
                continue
        if not path.is_file():
            continue
        result.add(path)
    return sorted(result)


def _first_newline(text: str) -> str:
    index = text.find("\n")
    if index == -1:
        return "\r" if "\r" in text else "\n"
    return "\r\n" if index > 0 and text[index - 1] == "\r" else "\n"


# The files whose encoding a PEP 263 coding cookie declares (Python's own); others are UTF-8.
_COOKIE_SUFFIXES = (".py", ".pyi")


def read_text(path: Path, data: bytes | None = None) -> SourceText | Skipped:
    """Decode ``path`` (Python files by their PEP 263 cookie, others as UTF-8)."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            return Skipped(path, f"cannot be read ({exc.strerror or exc}): check its permissions")
    bom = data.startswith(codecs.BOM_UTF8)
    encoding = "utf-8"
    if path.suffix in _COOKIE_SUFFIXES:
        try:
            # Python ends a line at CR too: a cookie on a CR-only first line still counts.
            lines = iter(data.splitlines(keepends=True)[:2])
            encoding, _ = tokenize.detect_encoding(lambda: next(lines, b""))
        except SyntaxError as exc:
            if "unknown encoding" in str(exc):
                return Skipped(
                    path,
                    f"unknown encoding in its coding cookie ({exc}): fix the `# -*- coding: -*-` line",
                )
            # No usable cookie and bytes in the first lines that are not UTF-8.
            return Skipped(
                path,
                "not valid UTF-8 in its first lines and no coding cookie: save it as UTF-8 "
                "or declare its encoding with a PEP 263 coding cookie",
            )
        if encoding == "utf-8-sig":
            encoding = "utf-8"
    body = data[len(codecs.BOM_UTF8) :] if bom else data
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        # Only Python modules have coding cookies: templates, requirements files, TOML and the
        # rest are read as UTF-8, so that is the one fix to name for them.
        fix = (
            "save it as UTF-8 or declare its encoding with a PEP 263 coding cookie"
            if path.suffix in _COOKIE_SUFFIXES
            else "save it as UTF-8"
        )
        return Skipped(path, f"not valid {encoding} (byte {exc.start}): {fix}")
    except LookupError:
        return Skipped(path, f"declares unknown encoding {encoding!r}")
    return SourceText(path, text, encoding, bom, _first_newline(text))


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so readers see the old or the new file, never half of one."""
    try:
        mode: int | None = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    write_atomic(path, text.encode(encoding))
