"""A failing test's traceback, read from a test log: its last frame in the project's own code.

Two log shapes: Django's runner (``ERROR: test_x (app.tests.ApiTests)`` then a Python
traceback with ``File "...", line N`` frames) and pytest (``____ ApiTests.test_x ____`` then
``app/api.py:40: in f`` lines). A frame is the project's when its file is under the project
root and not in an environment (``site-packages``, ``.upgrader/``, ``.tox/``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from upgrader.diagnose.model import Frame

_DJANGO_HEADER = re.compile(r"^(?:ERROR|FAIL): (?P<name>\S+) \((?P<where>[^)]+)\)", re.MULTILINE)
_PYTEST_HEADER = re.compile(r"^_{3,} (?P<name>.+?) _{3,}\s*$", re.MULTILINE)
_END = re.compile(
    r"^(?:={20,}|-{20,}\s*\nRan \d+|={3,} .*(?:short test summary|passed|failed))", re.MULTILINE
)
_PY_FRAME = re.compile(r'File "(?P<path>[^"]+)", line (?P<line>\d+)')
_PYTEST_FRAME = re.compile(r"^(?P<path>[^\s:\"']+\.py):(?P<line>\d+): ", re.MULTILINE)
_ERROR = re.compile(
    r"^(?:E\s+)?(?P<error>[A-Za-z_][\w.]*(?:Error|Exception|Warning|Exit|DoesNotExist)\b.*)$",
    re.MULTILINE,
)
_OUTSIDE = ("site-packages", "dist-packages", ".upgrader", ".tox", ".venv")


def _django_id(name: str, where: str) -> str:
    where = where.strip()
    return where if where.endswith(f".{name}") else f"{where}.{name}"


def _blocks(log: str) -> dict[str, str]:
    """Test key -> the text of its failure block (Django: the dotted id; pytest: the header)."""
    headers = [
        (m.start(), m.end(), _django_id(m["name"], m["where"]))
        for m in _DJANGO_HEADER.finditer(log)
    ]
    headers += [(m.start(), m.end(), m["name"].strip()) for m in _PYTEST_HEADER.finditer(log)]
    headers.sort()
    blocks: dict[str, str] = {}
    for index, (_start, end, key) in enumerate(headers):
        stop = headers[index + 1][0] if index + 1 < len(headers) else len(log)
        text = log[end:stop]
        cut = _END.search(text, 1)
        blocks.setdefault(key, text[: cut.start()] if cut else text)
    return blocks


def _keys(test: str) -> tuple[str, ...]:
    """The block keys a test id may have: itself, and pytest's header for a node id."""
    if "::" in test:
        parts = test.split("::")[1:]
        return (test, ".".join(parts), parts[-1])
    return (test,)


def _project_path(path: str, roots: Iterable[Path]) -> str | None:
    if any(part in _OUTSIDE for part in PurePosixPath(path.replace("\\", "/")).parts):
        return None
    candidate = Path(path)
    if not candidate.is_absolute():
        return candidate.as_posix()
    for root in roots:
        try:
            return candidate.relative_to(root).as_posix()
        except ValueError:
            continue
    return None


def last_project_frame(block: str, roots: Iterable[Path]) -> Frame | None:
    roots = tuple(roots)
    frames: list[tuple[int, str, int]] = []
    for pattern in (_PY_FRAME, _PYTEST_FRAME):
        for match in pattern.finditer(block):
            rel = _project_path(match["path"], roots)
            if rel is not None:
                frames.append((match.start(), rel, int(match["line"])))
    if not frames:
        return None
    _pos, rel, line = max(frames)
    errors = [m["error"].strip() for m in _ERROR.finditer(block)]
    return Frame(rel, line, errors[-1][:300] if errors else "")


def failure_frames(log: str, tests: Iterable[str], roots: Iterable[Path]) -> dict[str, Frame]:
    """Each test's last project frame in ``log`` (tests without a readable block left out)."""
    blocks: Mapping[str, str] = _blocks(log)
    roots = tuple(r.resolve() for r in roots) + tuple(roots)
    found: dict[str, Frame] = {}
    for test in tests:
        block = next((blocks[k] for k in _keys(test) if k in blocks), None)
        if block is None:
            continue
        frame = last_project_frame(block, roots)
        if frame is not None:
            found[test] = frame
    return found
