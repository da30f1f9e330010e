"""Reading and writing project files: decoding as Python would, atomic writes, the file walk."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from upgrader.files import Skipped, SourceText, project_files, read_text, write_atomic


@pytest.mark.parametrize(
    ("data", "encoding", "bom", "newline"),
    [
        pytest.param(b"x = 1\n", "utf-8", False, "\n", id="plain"),
        pytest.param(codecs.BOM_UTF8 + b"x = 1\r\n", "utf-8", True, "\r\n", id="bom-crlf"),
        pytest.param(
            b"# -*- coding: latin-1 -*-\nname = '\xe9'\n", "iso-8859-1", False, "\n", id="cookie"
        ),
    ],
)
def test_read_text_keeps_what_it_needs_to_write_back(
    tmp_path: Path, data: bytes, encoding: str, bom: bool, newline: str
) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(data)
    source = read_text(path)
    assert isinstance(source, SourceText)
    assert (source.encoding, source.bom, source.newline) == (encoding, bom, newline)
    assert source.encode(source.text) == data


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(b"x = '\xff'\n", "not valid UTF-8 in its first lines", id="latin1-no-cookie"),
        pytest.param(b"x = 1\ny = 2\nz = '\xff'\n", "not valid utf-8 (byte", id="later-line"),
        pytest.param(b"# -*- coding: nope -*-\n", "unknown encoding", id="unknown-cookie"),
    ],
)
def test_undecodable_python_is_skipped_with_what_to_do(
    tmp_path: Path, data: bytes, reason: str
) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(data)
    skipped = read_text(path)
    assert isinstance(skipped, Skipped)
    assert reason in skipped.reason


@pytest.mark.parametrize(
    "name",
    ["base.html", "requirements.txt", "pyproject.toml", ".python-version", "runtime.txt"],
)
def test_undecodable_non_python_file_is_told_to_be_saved_as_utf8_not_given_a_cookie(
    tmp_path: Path, name: str
) -> None:
    """Only Python modules have PEP 263 coding cookies: the fix for a template is UTF-8."""
    path = tmp_path / name
    path.write_bytes(b"caf\xe9\n")
    skipped = read_text(path)
    assert isinstance(skipped, Skipped)
    assert skipped.reason == "not valid utf-8 (byte 3): save it as UTF-8"


def test_undecodable_python_is_still_offered_a_coding_cookie(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"X = 1\nNAME = 'caf\xe9'\n")  # past the first two lines: no cookie check
    skipped = read_text(path)
    assert isinstance(skipped, Skipped)
    assert "PEP 263 coding cookie" in skipped.reason


def test_a_coding_cookie_on_a_cr_only_first_line_is_read(tmp_path: Path) -> None:
    """Found by hypothesis: Python ends lines at CR, so the cookie holds; a readline that
    splits at LF only saw one first line with latin-1 bytes in it and gave up."""
    path = tmp_path / "m.py"
    data = b"# coding: cp1252\r# \xa9 caf\xe9\rX = 1\r"
    compile(data, "m.py", "exec")
    source = read_text(path, data)
    assert isinstance(source, SourceText)
    assert (source.encoding, source.newline) == ("cp1252", "\r")
    assert source.text == data.decode("cp1252")


def test_write_atomic_keeps_the_mode_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "run.sh"
    path.write_text("old\n")
    path.chmod(0o755)
    write_atomic(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert os.stat(path).st_mode & 0o777 == 0o755
    assert [p.name for p in tmp_path.iterdir()] == ["run.sh"]


def test_project_files_skip_venvs_caches_and_links_out(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    (root / "app").mkdir(parents=True)
    (root / "app" / "views.py").write_text("x = 1\n")
    (root / "env" / "lib").mkdir(parents=True)
    (root / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    (root / "env" / "lib" / "site.py").write_text("x = 1\n")
    (root / "node_modules").mkdir()
    (root / "node_modules" / "x.py").write_text("x = 1\n")
    outside = tmp_path / "outside.py"
    outside.write_text("x = 1\n")
    (root / "app" / "linked.py").symlink_to(outside)
    (root / "legacy").mkdir()
    (root / "legacy" / "old.py").write_text("x = 1\n")
    skipped: list[Skipped] = []
    files = project_files(root, suffixes=(".py",), exclude=("legacy/*",), skipped=skipped)
    assert [p.relative_to(root.resolve()).as_posix() for p in files] == ["app/views.py"]
    assert [s.path.name for s in skipped] == ["linked.py"]


def test_project_files_skip_symlink_loops_and_dangling_links_naming_them(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    (root / "app").mkdir(parents=True)
    (root / "app" / "views.py").write_text("x = 1\n")
    (root / "app" / "a.py").symlink_to("b.py")  # a.py -> b.py -> a.py
    (root / "app" / "b.py").symlink_to("a.py")
    (root / "app" / "gone.py").symlink_to("missing.py")
    (root / "app" / "self").symlink_to("../app")  # a folder looping on itself
    skipped: list[Skipped] = []
    files = project_files(root, suffixes=(".py",), skipped=skipped)
    assert [p.relative_to(root.resolve()).as_posix() for p in files] == ["app/views.py"]
    reasons = {s.path.name: s.reason for s in skipped}
    assert set(reasons) == {"a.py", "b.py", "gone.py"}
    assert "symlink loop" in reasons["a.py"] and "left alone" in reasons["a.py"]
    assert "missing" in reasons["gone.py"]


def test_a_virtualenv_in_a_repository_is_found_with_one_look_per_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through git (no walk to prune), each folder is asked once whether it is a virtualenv
    (issue 11: not once per file and ancestor), and a venv deep down still hides its files."""
    import subprocess

    import upgrader.files as files_module

    root = tmp_path / "proj"
    for rel in ("app/a.py", "app/b.py", "app/sub/c.py", "app/sub/d.py", "tools/env/lib/e.py"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x = 1\n")
    (root / "tools" / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    asked: list[str] = []
    real = files_module._is_virtualenv

    def counting(directory: Path) -> bool:
        asked.append(directory.relative_to(root.resolve()).as_posix())
        return real(directory)

    monkeypatch.setattr(files_module, "_is_virtualenv", counting)
    found = project_files(root, suffixes=(".py",))
    assert [p.relative_to(root.resolve()).as_posix() for p in found] == [
        "app/a.py",
        "app/b.py",
        "app/sub/c.py",
        "app/sub/d.py",
    ]
    assert sorted(asked) == ["app", "app/sub", "tools", "tools/env"]
