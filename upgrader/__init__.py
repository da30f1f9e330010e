"""upgrader: walk a Django project to a supported Django, one tested hop at a time."""

from __future__ import annotations

from importlib import metadata

try:
    __version__ = metadata.version("upgrader")
except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"
