"""Find the Python interpreters on this machine, verified by running them.

Candidates come from PATH, pyenv's versions folder, uv-managed Pythons and asdf. A candidate
counts only when running it prints its version: pyenv shims for versions that are not
activated fail, and so do broken virtualenv links, so neither is ever offered.

``find(python)`` answers "is there a 3.9 here?"; ``find_for(release, prefer)`` picks the one
interpreter a Django stage runs on, from the release's supported Python range.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from packaging.version import InvalidVersion, Version

from upgrader.errors import InterpreterNotFoundError
from upgrader.python_releases import latest_patch, uv_installs
from upgrader.releases import Release

# Written to run on any Python from 2.7 on: old projects run old interpreters.
_PROBE = (
    "import sys, platform; "
    "sys.stdout.write(' '.join([platform.python_implementation(), "
    "'.'.join(map(str, sys.version_info[:3])), sys.executable]) + '\\n')"
)
_NAME = re.compile(r"^python(\d(\.\d+)?)?$")
PROBE_TIMEOUT = 10.0


@dataclass(frozen=True, order=True)
class Interpreter:
    """A working interpreter: where it is, which version it runs, and where it was found."""

    version: Version
    path: Path
    origin: str  # "PATH", "pyenv", "uv", "asdf", "config"
    implementation: str = "CPython"

    @property
    def feature(self) -> str:
        """The feature version, e.g. "3.9"."""
        return f"{self.version.major}.{self.version.minor}"


def _pyenv_root(env: Mapping[str, str]) -> Path | None:
    if env.get("PYENV_ROOT"):
        return Path(env["PYENV_ROOT"])
    home = Path(env.get("HOME", str(Path.home())))
    default = home / ".pyenv"
    if default.is_dir():
        return default
    pyenv = shutil.which("pyenv", path=env.get("PATH"))
    if pyenv:
        try:
            out = subprocess.run(
                [pyenv, "root"], capture_output=True, text=True, timeout=PROBE_TIMEOUT, check=True
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return Path(out.stdout.strip())
    return None


def candidate_paths(env: Mapping[str, str] | None = None) -> list[tuple[Path, str]]:
    """Every executable that may be a Python, with where it was found (not yet verified)."""
    env = os.environ if env is None else env
    found: list[tuple[Path, str]] = []
    for directory in env.get("PATH", "").split(os.pathsep):
        if not directory:
            continue
        try:
            names = sorted(os.listdir(directory))
        except OSError:
            continue
        for name in names:
            if _NAME.match(name):
                found.append((Path(directory) / name, "PATH"))
    home = Path(env.get("HOME", str(Path.home())))
    roots: list[tuple[Path, str, str]] = []
    pyenv_root = _pyenv_root(env)
    if pyenv_root:
        roots.append((pyenv_root / "versions", "pyenv", "bin"))
    uv_dir = env.get("UV_PYTHON_INSTALL_DIR") or str(home / ".local" / "share" / "uv" / "python")
    roots.append((Path(uv_dir), "uv", "bin"))
    asdf_dir = env.get("ASDF_DATA_DIR") or str(home / ".asdf")
    roots.append((Path(asdf_dir) / "installs" / "python", "asdf", "bin"))
    for root, origin, bindir in roots:
        try:
            versions = sorted(root.iterdir())
        except OSError:
            continue
        for version_dir in versions:
            for name in ("python3", "python"):
                exe = version_dir / bindir / name
                if exe.is_file():
                    found.append((exe, origin))
                    break
    return found


def probe(path: Path, origin: str = "config") -> Interpreter | None:
    """Run ``path`` and return what it is, or None when it does not work as a Python."""
    try:
        result = subprocess.run(
            [str(path), "-c", _PROBE],
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    parts = result.stdout.strip().split(" ", 2)
    if len(parts) != 3:
        return None
    implementation, version_text, executable = parts
    try:
        version = Version(version_text)
    except InvalidVersion:
        return None
    # Record the real executable, not the shim or symlink that led to it: a pyenv shim's
    # answer depends on which version is activated where it runs.
    real = Path(executable) if executable and Path(executable).is_file() else path
    return Interpreter(version=version, path=real, origin=origin, implementation=implementation)


def _dedupe(interpreters: Iterable[Interpreter]) -> list[Interpreter]:
    seen: set[Path] = set()
    unique: list[Interpreter] = []
    for interp in interpreters:
        key = interp.path.resolve()  # python3 -> python3.9 links name one interpreter
        if key in seen:
            continue
        seen.add(key)
        unique.append(interp)
    return unique


@cache
def _discover_cached(key: tuple[tuple[str, str], ...]) -> tuple[Interpreter, ...]:
    env = dict(key)
    candidates = candidate_paths(env)
    with ThreadPoolExecutor(max_workers=8) as pool:
        probed = list(pool.map(lambda c: probe(*c), candidates))
    return tuple(_dedupe(p for p in probed if p is not None))


def discover(env: Mapping[str, str] | None = None) -> tuple[Interpreter, ...]:
    """Every working CPython interpreter, in discovery order (PATH first), de-duplicated."""
    env = os.environ if env is None else env
    keys = ("PATH", "HOME", "PYENV_ROOT", "UV_PYTHON_INSTALL_DIR", "ASDF_DATA_DIR")
    found = _discover_cached(tuple((k, env[k]) for k in keys if k in env))
    return tuple(i for i in found if i.implementation == "CPython")


def find(python: str, env: Mapping[str, str] | None = None) -> Interpreter | None:
    """The best interpreter for feature version ``python`` ("3.9"): newest patch, PATH first on ties."""
    matches = [i for i in discover(env) if i.feature == python]
    if not matches:
        return None
    return max(matches, key=lambda i: (i.version, i.origin == "PATH"))


def install_hint(python: str) -> str:
    """How to get an interpreter for ``python`` onto this machine."""
    if uv_installs(python):
        how = f"e.g. `uv python install {python}` or `pyenv install {python}`"
    else:  # uv has no build this old: pyenv compiles one
        patch = latest_patch(python) or python
        how = f"e.g. `pyenv install {patch}` (uv has no build of Python {python})"
    return (
        f"Install Python {python}, {how}, "
        "then run upgrader again (interpreters are found on PATH, in pyenv, uv and asdf)."
    )


def supported_pythons(release: Release, django: Version | None = None) -> tuple[str, ...]:
    """The Pythons ``release`` supports, oldest first; with ``django`` (the exact Django that
    runs) without those whose support arrived in a later patch release (3.8 needs 2.2.8). A
    series without a patch number ("2.2", from ``--from 2.2`` or a range) is its newest patch
    release: nothing is left out."""
    if django is not None and len(django.release) < 3:
        django = None
    return (
        tuple(
            support.python
            for support in release.python
            if django is None or support.since is None or Version(support.since) <= django
        )
        or release.python_versions
    )


def find_for(
    release: Release,
    prefer: str | None = None,
    env: Mapping[str, str] | None = None,
    *,
    django: Version | None = None,
) -> Interpreter:
    """The interpreter to run Django ``release``'s stage with.

    ``prefer`` (the project's Python, e.g. "3.8") wins when the release supports it and this
    machine has it; otherwise the supported Python here nearest to it (``nearest_python``), and
    with no preference the newest supported one here. Raises ``InterpreterNotFoundError``
    naming the versions the stage needs when none of them is here.

    ``django``: the exact Django that will run, when known; a Python whose support arrived in a
    later patch release (3.9 needs Django 2.2.17) is then left out.
    """
    supported = supported_pythons(release, django)
    available = {python: found for python in supported if (found := find(python, env))}
    if not available:
        here = sorted({i.feature for i in discover(env)}, key=Version)
        wanted = nearest_python(supported, prefer)
        raise InterpreterNotFoundError(
            f"no Python interpreter for the Django {release.name} stage: it needs Python "
            f"{', '.join(supported)}; this machine has {', '.join(here) or 'none that runs'}",
            hint=install_hint(wanted),
        )
    return available[nearest_python(available, prefer)]


def nearest_python(candidates: Iterable[str], prefer: str | None) -> str:
    """The feature version in ``candidates`` nearest ``prefer`` (newer on a tie; newest without one)."""
    versions = sorted(candidates, key=Version)
    if not versions:
        raise ValueError("no candidate Python versions")
    if prefer is None:
        return versions[-1]
    target = Version(prefer)

    def distance(python: str) -> tuple[int, int]:
        version = Version(python)
        gap = abs((version.major - target.major) * 1000 + version.minor - target.minor)
        return (gap, -(version.major * 1000 + version.minor))

    return min(versions, key=distance)
