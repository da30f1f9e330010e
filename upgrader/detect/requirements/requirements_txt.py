"""Requirements files (``requirements*.txt|.in``, ``requirements/``) and their ``-r``/``-c``
includes: each file read once, an include loop named on the line closing it."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from upgrader.detect.requirements.declared import Collector
from upgrader.detect.sources import ProjectReader

_COMMENT = re.compile(r"(^|\s+)#.*$")
_INCLUDE = re.compile(r"^(-r|--requirements?|-c|--constraints?)(?:\s*=\s*|\s+|(?=[^-\s]))(\S+)")
_EDITABLE = re.compile(r"^(-e|--editable)(?:\s*=\s*|\s+)(\S+)")
_LINE_OPTION = re.compile(r"\s+--?[A-Za-z]")  # --hash, --config-settings, ... after a requirement
_URL_OR_PATH = re.compile(r"^([A-Za-z][\w+.-]*://|\.{1,2}(/|$)|/|[A-Za-z]:[\\/])")
_EGG = re.compile(r"#(?:.*&)?egg=([A-Za-z0-9][\w.-]*)")
_DIRECT_REFERENCE = re.compile(r"^[A-Za-z0-9][\w.-]*\s*(\[[^\]]*\])?\s*@")  # name @ url
_ARCHIVE = re.compile(r"(?:^|/)([A-Za-z0-9][\w.]*?)-\d[^/]*\.(?:whl|zip|tar\.gz|tar\.bz2|tgz)$")


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first physical line number, joined line without comment) for each non-blank line."""
    start: int | None = None
    parts: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if start is None:
            start = number
        if line.endswith("\\") and not _COMMENT.search(line):
            parts.append(line[:-1])
            continue
        parts.append(line)
        joined = _COMMENT.sub("", " ".join(parts)).strip()
        if joined:
            yield start, joined
        start, parts = None, []
    if parts:
        joined = _COMMENT.sub("", " ".join(parts)).strip()
        if joined and start is not None:
            yield start, joined


@dataclass(frozen=True)
class _Include:
    line: int
    target: Path
    constraint: bool


@dataclass(frozen=True)
class _ReqLine:
    line: int
    text: str
    editable: bool


def _parse_requirements_file(
    reader: ProjectReader, path: Path
) -> tuple[list[_ReqLine], list[_Include]] | None:
    text = reader.text(path)
    if text is None:
        return None
    entries: list[_ReqLine] = []
    includes: list[_Include] = []
    for number, line in _logical_lines(text):
        if match := _INCLUDE.match(line):
            option, value = match.groups()
            if "://" in value:
                reader.skip(path, f"line {number}: remote include {value} is not followed")
                continue
            constraint = option.startswith(("-c", "--constraint"))
            includes.append(_Include(number, path.parent / value, constraint))
        elif match := _EDITABLE.match(line):
            entries.append(_ReqLine(number, match.group(2), editable=True))
        elif line.startswith("-"):
            continue  # --index-url, --find-links, --pre, ...: global options, not requirements
        else:
            option = _LINE_OPTION.search(line)
            entries.append(_ReqLine(number, line[: option.start()] if option else line, False))
    return entries, includes


def requirement_file_roots(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, pattern in ((root, "requirements*"), (root / "requirements", "*")):
        for suffix in (".txt", ".in"):
            found.extend(p for p in sorted(folder.glob(pattern + suffix)) if p.is_file())
    return list(dict.fromkeys(found))


def read_requirements_files(collector: Collector, tops: Iterable[Path]) -> None:
    reader = collector.reader
    parsed: dict[Path, tuple[list[_ReqLine], list[_Include]] | None] = {}
    mode: dict[Path, str] = {}
    seen: set[tuple[Path, str]] = set()
    queue: list[tuple[Path, str, Path | None, int]] = [(p, "requirements", None, 0) for p in tops]
    while queue:
        path, kind, parent, parent_line = queue.pop(0)
        # Lexically normalised, not resolved: a symlink leaving the tree must stay visible.
        path = Path(os.path.normpath(path.absolute()))
        if (path, kind) in seen:
            continue  # a cycle, or a file included twice
        seen.add((path, kind))
        if path not in parsed:
            collector.consulted.add(path)
            if parent is not None and not path.exists():
                reader.skip(
                    path,
                    f"included from {reader.rel(parent)}:{parent_line} but does not exist: "
                    "fix the -r/-c line",
                )
            elif parent is not None and not path.is_file():
                reader.skip(
                    path,
                    f"included from {reader.rel(parent)}:{parent_line} but is not a regular "
                    "file (a folder or a named pipe): fix the -r/-c line",
                )
            parsed[path] = _parse_requirements_file(reader, path)
        content = parsed[path]
        if content is None:
            continue
        if mode.get(path) != "constraints":
            mode[path] = kind
        for include in content[1]:
            child = "constraints" if include.constraint or kind == "constraints" else kind
            queue.append((include.target, child, path, include.line))
    _report_include_loops(reader, tops, parsed)
    for path, kind in mode.items():
        content = parsed[path]
        assert content is not None
        collector.used(path)
        for entry in content[0]:
            _add_requirement_line(collector, path, entry, kind)


def _report_include_loops(
    reader: ProjectReader,
    tops: Iterable[Path],
    parsed: dict[Path, tuple[list[_ReqLine], list[_Include]] | None],
) -> None:
    """Name each ``-r``/``-c`` line that leads back to a file including it (upgrader reads each
    file once), on the file holding the line: a depth-first walk, without recursion."""

    def norm(path: Path) -> Path:
        return Path(os.path.normpath(path.absolute()))

    done: set[Path] = set()
    for top in map(norm, tops):
        if top in done:
            continue
        done.add(top)
        chain: list[Path] = [top]
        stack: list[Iterator[_Include]] = [iter((parsed.get(top) or ([], []))[1])]
        while stack:
            include = next(stack[-1], None)
            if include is None:
                stack.pop()
                chain.pop()
                continue
            path, target = chain[-1], norm(include.target)
            if target in chain:
                option = "-c" if include.constraint else "-r"
                value = Path(os.path.relpath(target, path.parent)).as_posix()
                if target == path:
                    how = "this file itself"
                else:
                    loop = [*chain[chain.index(target) :], target]
                    how = f"{reader.rel(target)} ({' -> '.join(reader.rel(p) for p in loop)})"
                reader.skip(
                    path,
                    f"line {include.line}: {option} {value} leads back to {how}, an include "
                    "loop: not followed (remove one of its -r/-c lines)",
                )
            elif target not in done:
                done.add(target)
                chain.append(target)
                stack.append(iter((parsed.get(target) or ([], []))[1]))


def _add_requirement_line(collector: Collector, path: Path, entry: _ReqLine, kind: str) -> None:
    text = entry.text
    location = text.split("#")[0].split(";")[0].strip()
    archive = None if _DIRECT_REFERENCE.match(text) else _ARCHIVE.search(location)
    if entry.editable or _URL_OR_PATH.match(text) or archive:
        egg = _EGG.search(text)
        name = egg.group(1) if egg else archive.group(1) if archive else ""
        direct = "editable" if entry.editable else "url"
        collector.add(name, "", path, entry.line, direct, text, url=location)
        return
    collector.add_pep508(text, path, entry.line, kind)
