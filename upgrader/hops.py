"""The hop path: which Django feature releases a project passes through, and on which Python.

Pure functions over the release table (``upgrader.releases``): no I/O but the optional
interpreter lookup, which callers inject.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from packaging.version import Version

from upgrader.errors import UsageError
from upgrader.interpreters import Interpreter, nearest_python
from upgrader.releases import Release, get_release, newest, newest_lts, parse_version, released

VIA_CHOICES = ("lts", "each")


@dataclass(frozen=True)
class Hop:
    """One step of the path: Django ``source`` -> ``target``, run on ``python``."""

    source: Release
    target: Release
    python_from: str | None
    python: str
    interpreter: Interpreter | None = None

    @property
    def name(self) -> str:
        return f"{self.source.name} -> {self.target.name}"

    @property
    def python_changes(self) -> bool:
        return self.python_from is not None and self.python_from != self.python

    @property
    def min_django_patch(self) -> str | None:
        """The first patch release of the target that supports ``python`` (e.g. 3.2.9 for 3.10)."""
        for support in self.target.python:
            if support.python == self.python:
                return support.since
        return None


def resolve_target(spec: str, current: Release) -> Release:
    """``lts`` (newest released LTS), ``latest`` (newest release) or an explicit ``X.Y``."""
    if spec == "lts":
        target = newest_lts()
    elif spec == "latest":
        target = newest()
    else:
        found = get_release(parse_version(spec))
        if found is None:
            known = ", ".join(r.name for r in released(include_announced=True))
            raise UsageError(
                f"Django {spec} is not a feature release upgrader knows",
                hint=f"Choose one of: {known}, or `lts` / `latest`.",
            )
        if found.status != "released":
            raise UsageError(
                f"Django {found.name} is announced (expected {found.released}) but not released yet",
                hint=f"Target {newest().name} (`--to latest`) until it is out.",
            )
        target = found
    if target.version < current.version:
        raise UsageError(
            f"the target Django {target.name} is older than the project's Django {current.name}",
            hint="upgrader only moves forward; choose a newer --to.",
        )
    return target


def choose_python(current: str | None, target: Release, available: Callable[[str], bool]) -> str:
    """Keep the current Python when ``target`` supports it, otherwise the nearest supported one.

    Below the supported range that is the lowest supported Python; above it, the highest.
    With no current Python known, the lowest supported one that this machine has (or the lowest).
    """
    supported = target.python_versions
    if current is not None:
        return nearest_python(supported, current)
    for python in supported:
        if available(python):
            return python
    return supported[0]


def hop_path(
    current: Version,
    python: str | None,
    *,
    to: str = "lts",
    via: str = "lts",
    find_interpreter: Callable[[str], Interpreter | None] = lambda _python: None,
) -> list[Hop]:
    """Every hop from the project's ``current`` Django to the target, with the Python of each."""
    if via not in VIA_CHOICES:
        raise UsageError(f"--via {via!r} is not one of {', '.join(VIA_CHOICES)}")
    source = get_release(current)
    if source is None:
        oldest = released()[0].name
        raise UsageError(
            f"Django {current} is not in upgrader's release table (it starts at {oldest})",
            hint=f"Upgrade to Django {oldest} by hand first, or pass --from with a known version.",
        )
    target = resolve_target(to, source)
    stops = [r for r in released() if source.version < r.version <= target.version]
    if via == "lts":
        stops = [r for r in stops if r.lts or r is target]
    hops: list[Hop] = []
    here, py = source, python
    for stop in stops:
        chosen = choose_python(py, stop, lambda v: find_interpreter(v) is not None)
        hops.append(Hop(here, stop, py, chosen, find_interpreter(chosen)))
        here, py = stop, chosen
    return hops
