"""The newest patch release of each CPython feature version, as data with its source.

Used where a file pins a patch release (``runtime.txt`` ``python-3.8.10``, ``.python-version``
``3.8.18``, ``FROM python:3.8.10-slim``) and a hop moves it to a new feature version: the file
gets a current patch release of the new version, never the patch release of whatever interpreter
happens to run upgrader.

Source: python.org's release pages (https://www.python.org/downloads/) for the final releases of
end-of-life versions (3.5-3.8), and the CPython builds uv 0.13.9 offers
(``uv python list --all-versions --only-downloads``, python-build-standalone, which follows
python.org's releases), read on ``AS_OF``. Update both together.
"""

from __future__ import annotations

AS_OF = "2026-12-03"
SOURCE = "python.org releases / uv 0.13.9's CPython downloads"

LATEST_PATCH: dict[str, str] = {
    "3.5": "3.5.10",  # final (end of life 2020-09)
    "3.6": "3.6.15",  # final (end of life 2021-12)
    "3.7": "3.7.17",  # final (end of life 2023-06)
    "3.8": "3.8.20",  # final (end of life 2024-10)
    "3.9": "3.9.25",
    "3.10": "3.10.22",
    "3.11": "3.11.18",
    "3.12": "3.12.16",
    "3.13": "3.13.18",
    "3.14": "3.14.10",
    "3.15": "3.15.2",
}


# The oldest CPython feature version uv downloads (its list starts at 3.8 on Linux, macOS and
# Windows); older ones need pyenv (which builds them) or a system package.
UV_OLDEST = "3.8"


def uv_installs(feature: str) -> bool:
    """Whether ``uv python install <feature>`` can fetch a build of CPython ``feature``."""
    try:
        return tuple(map(int, feature.split("."))) >= tuple(map(int, UV_OLDEST.split(".")))
    except ValueError:
        return False


def latest_patch(feature: str) -> str | None:
    """The newest patch release of ``feature`` ("3.10" -> "3.10.22"), None when unknown."""
    return LATEST_PATCH.get(feature)
