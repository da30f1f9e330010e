"""The hop path: which Django feature releases a project passes through, and on which Python.

Pure functions over the release table (``upgrader.releases``): no I/O but the optional
interpreter lookup, which callers inject.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from packaging.version import Version

from upgrader.errors import UsageError
from upgrader.interpreters import Interpreter, nearest_python, supported_pythons
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
    python_reason: str = ""  # why ``python``, in words the plan shows

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
    With no current Python known, the newest supported one that this machine has (or the newest):
    the oldest would be the first to need moving again, and an old interpreter is the likeliest
    to be missing.
    """
    return _choose_with_reason(current, target, available)[0]


def _choose_with_reason(
    current: str | None,
    target: Release,
    available: Callable[[str], bool],
    django: Version | None = None,
) -> tuple[str, str]:
    supported = supported_pythons(target, django)
    name = f"Django {django or target.name}"
    span = f"{supported[0]}-{supported[-1]}"
    if current is not None:
        chosen = nearest_python(supported, current)
        if chosen == current:
            return chosen, f"Python {current} kept: {name} supports {span}"
        return chosen, f"{name} supports {span}: the nearest to Python {current} is {chosen}"
    here = [python for python in supported if available(python)]
    if here:
        return here[-1], (
            f"no Python declared: the newest Python {name} supports ({span}) found on this "
            f"machine ({', '.join(here)})"
        )
    return supported[-1], (
        f"no Python declared, and none of the Pythons {name} supports ({span}) is on this "
        f"machine: its newest, {supported[-1]}"
    )


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
    available: Callable[[str], bool] = lambda v: find_interpreter(v) is not None  # noqa: E731
    start_reason = ""
    if py is None and stops:
        # Nothing declared: the project runs today on the newest Python its Django supports here.
        py, start_reason = _choose_with_reason(None, source, available, current)
    for stop in stops:
        chosen, reason = _choose_with_reason(py, stop, available)
        if start_reason:
            reason, start_reason = f"{start_reason}; {reason}", ""
        hops.append(Hop(here, stop, py, chosen, find_interpreter(chosen), reason))
        here, py = stop, chosen
    return hops
