"""``ProjectReader``: each file read once, every failure a ``Skipped`` entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.detect.conftest import MakeTree
from upgrader.detect.sources import ProjectReader, line_of


@pytest.mark.parametrize(
    ("method", "content", "reason"),
    [
        pytest.param("toml", "a = [\n", "invalid TOML", id="TOML"),
        pytest.param("ini", "no section header\n", "invalid INI", id="INI"),
        pytest.param("json", "{", "invalid JSON", id="JSON"),
        pytest.param("python", "def f(:\n", "syntax error at line 1", id="Python"),
        pytest.param("python", "x = 1\0\n", "null bytes", id="Python with a null byte"),
        pytest.param("text", b"\xff\xfe", "not valid utf-8", id="bytes that are not UTF-8"),
    ],
)
def test_unusable_file(make_tree: MakeTree, method: str, content: str | bytes, reason: str) -> None:
    root = make_tree({"file": content})
    reader = ProjectReader(root)
    assert getattr(reader, method)(root / "file") is None
    (skipped,) = reader.skipped
    assert skipped.path == root / "file"
    assert reason.lower() in skipped.reason.lower()


def test_missing_file_is_not_skipped(tmp_path: Path) -> None:
    reader = ProjectReader(tmp_path)
    assert reader.toml(tmp_path / "pyproject.toml") is None
    assert reader.skipped == ()


def test_read_once(make_tree: MakeTree) -> None:
    root = make_tree({"pyproject.toml": "[tool.x]\na = 1\n"})
    reader = ProjectReader(root)
    assert reader.toml(root / "pyproject.toml") == {"tool": {"x": {"a": 1}}}
    (root / "pyproject.toml").write_text("changed = true\n")
    assert reader.toml(root / "pyproject.toml") == {"tool": {"x": {"a": 1}}}
    assert reader.text(Path("pyproject.toml")) == "[tool.x]\na = 1\n"


def test_rel(tmp_path: Path) -> None:
    reader = ProjectReader(tmp_path / "root")
    assert reader.rel(tmp_path / "root" / "a" / "b.txt") == "a/b.txt"
    assert reader.rel(tmp_path / "other.txt") == "../other.txt"


@pytest.mark.parametrize(
    ("pattern", "start", "line"),
    [
        pytest.param(r"^b", 1, 2, id="first match"),
        pytest.param(r"^B", 1, 2, id="case-insensitive"),
        pytest.param(r"^b", 3, 4, id="from a start line"),
        pytest.param(r"^z", 1, None, id="no match"),
    ],
)
def test_line_of(pattern: str, start: int, line: int | None) -> None:
    assert line_of("a\nb\nc\nb\n", pattern, start=start) == line
