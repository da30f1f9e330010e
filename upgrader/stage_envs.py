"""Where the stage environments upgrader makes live, and their site-packages.

verify's tox makes one environment per Django stage in ``.upgrader/cache/tox/djangoNN`` (its
``work_dir``, see :mod:`upgrader.verify.toxconfig`); the dependency phase, the findings and the
diagnosis read installed packages from there. This module is the one place that knows the layout.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["TOX_ENVS", "env_dir", "env_python", "newest_site_packages", "site_packages"]

TOX_ENVS = Path(".upgrader") / "cache" / "tox"
_STAGE_ENV = re.compile(r"django(\d+)")


def env_dir(root: Path, env: str) -> Path:
    """The folder of the tox environment ``env`` upgrader makes in ``root``."""
    return root / TOX_ENVS / env


def env_python(directory: Path) -> Path | None:
    """The interpreter of the environment in ``directory`` (POSIX or Windows layout)."""
    for candidate in (directory / "bin" / "python", directory / "Scripts" / "python.exe"):
        if candidate.exists():
            return candidate
    return None


def site_packages(root: Path, env: str) -> Path | None:
    """The site-packages folder of the tox environment ``env`` upgrader made in ``root``."""
    if not env:
        return None
    folder = env_dir(root, env)
    found = sorted(folder.glob("lib/python*/site-packages"))
    found += sorted(folder.glob("Lib/site-packages"))  # Windows
    return found[0] if found else None


def newest_site_packages(root: Path) -> Path | None:
    """The site-packages of the newest Django stage environment (``djangoNN``) in ``root``."""
    try:
        stages = [
            (int(m.group(1)), p.name)
            for p in (root / TOX_ENVS).iterdir()
            if (m := _STAGE_ENV.fullmatch(p.name))
        ]
    except OSError:
        return None
    for _, env in sorted(stages, reverse=True):
        if (site := site_packages(root, env)) is not None:
            return site
    return None
