"""Interpreter discovery on layouts built in tmp_path, and the choice of one per stage."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from packaging.version import Version

from upgrader.errors import InterpreterNotFoundError
from upgrader.interpreters import discover, find, find_for, nearest_python, probe
from upgrader.releases import Release, get_release

# The real binary behind this test run's Python (a venv's python is itself a symlink).
REAL_PYTHON = Path(sys.executable).resolve()
FEATURE = f"{sys.version_info.major}.{sys.version_info.minor}"
VERSION = f"{FEATURE}.{sys.version_info.micro}"


def release(name: str) -> Release:
    found = get_release(name)
    assert found is not None
    return found


def link(path: Path, target: Path = REAL_PYTHON) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)
    return path


def script(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)
    return path


def environ(tmp_path: Path, *path_dirs: Path, **extra: str) -> dict[str, str]:
    """An environment that sees only what the test built (no real pyenv, uv or asdf)."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {"PATH": os.pathsep.join(str(d) for d in path_dirs), "HOME": str(home), **extra}


def test_broken_shim_on_path_is_skipped(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    script(bin_dir / "python3.7", 'echo "pyenv: python3.7: command not found" >&2; exit 127')
    script(bin_dir / "python3.6", "echo not a python at all")
    link(bin_dir / "python3")
    found = discover(environ(tmp_path, bin_dir))
    assert [(i.feature, i.origin) for i in found] == [(FEATURE, "PATH")]


def test_probe_rejects_a_broken_shim(tmp_path: Path) -> None:
    shim = script(tmp_path / "python3.9", "exit 127")
    assert probe(shim) is None


@pytest.mark.parametrize(
    ("variable", "layout", "origin"),
    [
        pytest.param("PYENV_ROOT", "versions/{v}/bin/python3", "pyenv", id="pyenv"),
        pytest.param(
            "UV_PYTHON_INSTALL_DIR", "cpython-{v}-linux-x86_64-gnu/bin/python3", "uv", id="uv"
        ),
        pytest.param("ASDF_DATA_DIR", "installs/python/{v}/bin/python3", "asdf", id="asdf"),
    ],
)
def test_managed_layouts(tmp_path: Path, variable: str, layout: str, origin: str) -> None:
    root = tmp_path / origin
    exe = link(root / layout.format(v=VERSION))
    found = discover(environ(tmp_path, tmp_path / "empty", **{variable: str(root)}))
    assert [(str(i.version), i.origin) for i in found] == [(VERSION, origin)]
    # The path is the one that was run (sys.executable of the child), inside the layout.
    assert found[0].path == exe


@pytest.mark.parametrize(
    ("layout", "origin"),
    [
        pytest.param(".pyenv/versions/{v}/bin/python3", "pyenv", id="pyenv"),
        pytest.param(".local/share/uv/python/cpython-{v}-linux/bin/python3", "uv", id="uv"),
        pytest.param(".asdf/installs/python/{v}/bin/python3", "asdf", id="asdf"),
    ],
)
def test_default_locations_under_home(tmp_path: Path, layout: str, origin: str) -> None:
    env = environ(tmp_path, tmp_path / "empty")
    link(Path(env["HOME"]) / layout.format(v=VERSION))
    assert [i.origin for i in discover(env)] == [origin]


def test_links_to_one_interpreter_are_one_entry(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    real = link(bin_dir / f"python{FEATURE}")
    link(bin_dir / "python3", real)
    link(bin_dir / "python", Path(f"python{FEATURE}"))  # relative link, as distributions do
    found = discover(environ(tmp_path, bin_dir))
    assert len(found) == 1


def test_path_comes_first_on_ties(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    link(bin_dir / "python3")
    pyenv = tmp_path / "pyenv"
    link(pyenv / "versions" / VERSION / "bin" / "python3")
    # Both name one binary: the PATH entry, found first, is the one kept.
    env = environ(tmp_path, bin_dir, PYENV_ROOT=str(pyenv))
    chosen = find(FEATURE, env)
    assert chosen is not None and chosen.origin == "PATH"


def test_find_for_picks_a_supported_python(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    link(bin_dir / "python3")
    env = environ(tmp_path, bin_dir)
    supporting = next(
        r for r in (release("4.2"), release("5.2"), release("6.0")) if r.supports_python(FEATURE)
    )
    chosen = find_for(supporting, prefer="3.5", env=env)
    assert chosen.feature == FEATURE


def test_find_for_says_what_the_stage_needs(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    link(bin_dir / "python3")
    script(bin_dir / "python3.8", "exit 127")
    with pytest.raises(InterpreterNotFoundError) as info:
        find_for(release("2.2"), prefer="3.8", env=environ(tmp_path, bin_dir))
    error = info.value
    assert "Django 2.2 stage" in error.message
    assert "it needs Python 3.5, 3.6, 3.7, 3.8, 3.9" in error.message
    assert f"this machine has {FEATURE}" in error.message
    assert error.hint is not None and "uv python install 3.8" in error.hint


def test_find_for_on_a_machine_without_python(tmp_path: Path) -> None:
    with pytest.raises(InterpreterNotFoundError, match="none that runs"):
        find_for(release("5.2"), env=environ(tmp_path, tmp_path / "empty"))


@pytest.mark.parametrize(
    ("candidates", "prefer", "chosen"),
    [
        pytest.param(("3.8", "3.9"), "3.8", "3.8", id="preferred-present"),
        pytest.param(("3.10", "3.12"), "3.11", "3.12", id="tie-takes-newer"),
        pytest.param(("3.12", "3.13"), "3.8", "3.12", id="below-range-takes-lowest"),
        pytest.param(("3.5", "3.9"), "3.13", "3.9", id="above-range-takes-highest"),
        pytest.param(("3.9", "3.10"), None, "3.10", id="no-preference-takes-newest"),
        pytest.param(("3.9", "3.10"), "3.10", "3.10", id="two-digit-minor-compares-numerically"),
    ],
)
def test_nearest_python(candidates: tuple[str, ...], prefer: str | None, chosen: str) -> None:
    assert nearest_python(candidates, prefer) == chosen


def test_nearest_python_needs_candidates() -> None:
    with pytest.raises(ValueError, match="no candidate"):
        nearest_python((), "3.8")


def fake_python(path: Path, version: str) -> Path:
    """A script that answers the probe as CPython ``version`` would (it runs nothing else)."""
    return script(path, f'echo "CPython {version} $0"')


@pytest.mark.parametrize(
    ("django", "chosen"),
    [
        pytest.param(None, "3.9", id="unknown-django-newest-supported"),
        pytest.param("2.2.28", "3.9", id="django-with-python-39-support"),
        pytest.param("2.2.10", "3.8", id="python-39-support-came-in-2.2.17"),
    ],
)
def test_find_for_respects_the_patch_release_that_added_a_python(
    tmp_path: Path, django: str | None, chosen: str
) -> None:
    bin_dir = tmp_path / "bin"
    fake_python(bin_dir / "python3.8", "3.8.18")
    fake_python(bin_dir / "python3.9", "3.9.18")
    env = environ(tmp_path, bin_dir)
    found = find_for(release("2.2"), env=env, django=Version(django) if django else None)
    assert found.feature == chosen
    assert found.path == bin_dir / f"python{chosen}"


@pytest.mark.parametrize(
    ("python", "expected", "absent"),
    [
        pytest.param("3.12", "`uv python install 3.12` or `pyenv install 3.12`", "", id="uv"),
        pytest.param(
            "3.6",
            "`pyenv install 3.6.15` (uv has no build of Python 3.6)",
            "uv python",
            id="pyenv only",
        ),
    ],
)
def test_install_hint_names_a_tool_that_has_the_version(
    python: str, expected: str, absent: str
) -> None:
    """uv downloads CPython 3.8 and later only: for 3.6 its command would fail."""
    from upgrader.interpreters import install_hint

    hint = install_hint(python)
    assert expected in hint
    if absent:
        assert absent not in hint
