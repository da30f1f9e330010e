"""Whether a hop's dependency set installs on the stage's Python without building from source.

Requires-Python says a release *may* run on a Python; it does not say it installs there. A
package that publishes platform wheels (psycopg2, reportlab, lxml) but has none for the stage's
CPython on this platform is installed from its sdist: that needs a compiler and the library's
headers, and old sdists often fail on new Pythons (psycopg2 2.8 and reportlab 3.5 on 3.12). The
dependency phase checks every package of the resolved set, transitive ones included, before it
writes anything, with the wheel tags pip and uv use (``choose.target_tags``), and says which
would build from source and which later release has a wheel. A package that publishes no
platform wheels (pure Python, sdist only) builds anywhere and is not reported.

``uv_source_builds`` asks uv the same question as a dry run: ``uv pip compile`` of the resolved
pins for the stage's Python with ``--only-binary`` for every package that publishes platform
wheels; uv's "X==1.0 has no usable wheels" names one package per run, so it is asked again
without it until the set passes. It catches what the listing alone cannot tell.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from upgrader.deps.evidence import PLATFORM, has_wheel_for, is_binary, target_tags
from upgrader.deps.index import IndexConfig, PackageIndexError
from upgrader.deps.model import MetadataSource, Target
from upgrader.deps.resolve import (
    RESOLVE_TIMEOUT,
    Resolver,
    Runner,
    _command,
    _isolated_env,
    subprocess_runner,
)

__all__ = [
    "BINARY_ALTERNATIVES",
    "SourceBuild",
    "binary_packages",
    "source_builds",
    "uv_source_builds",
]

# Packages published twice, as an sdist-first name and as one with wheels for every platform
# (psycopg2's own wheels are for Windows and macOS; psycopg2-binary's docs say it is the same
# code built with its libraries: https://www.psycopg.org/docs/install.html#binary-install-from-pypi).
BINARY_ALTERNATIVES = {"psycopg2": "psycopg2-binary"}


@dataclass(frozen=True)
class SourceBuild:
    """A package of the set that would build from source on the stage."""

    name: str
    version: str
    python: str
    platform: str
    with_wheel: str | None  # the first later release with a wheel for the stage, if any

    @property
    def note(self) -> str:
        where = f"CPython {self.python} on {self.platform}"
        text = (
            f"{self.name} {self.version} has no wheel for {where}: installing it builds from "
            "source (a compiler and the library's headers are needed, and old sdists often fail "
            "on new Pythons)"
        )
        if self.with_wheel:
            text += f"; {self.with_wheel} is the first later release with one: pin {self.name}>="
            text += f"{self.with_wheel} in the project's requirements to install it instead"
        elif self.name in BINARY_ALTERNATIVES:
            other = BINARY_ALTERNATIVES[self.name]
            text += (
                f"; {other} is the same code with wheels: [tool.upgrader] replace-requirements = "
                f'{{"{self.name}" = "{other}"}}'
            )
        return text


def source_builds(
    pins: Iterable[tuple[str, str]],
    python: str,
    index: MetadataSource,
    *,
    platforms: Sequence[str] | None = None,
) -> tuple[SourceBuild, ...]:
    """The pinned packages (name, version) that have no wheel for CPython ``python`` on
    ``platforms`` (default: this machine's) although they publish platform wheels.

    Read from the index's file listings; a package the index cannot list is left out."""
    accepted = target_tags(python, platforms)
    platform = platforms[0] if platforms else PLATFORM
    found: list[SourceBuild] = []
    for name, version in pins:
        try:
            wanted = Version(version)
            releases = index.releases(name)
        except (InvalidVersion, PackageIndexError):
            continue
        release = releases.get(wanted)
        if release is None or not is_binary(releases) or has_wheel_for(release, accepted):
            continue
        later = next(
            (
                r
                for r in sorted(releases.releases, key=lambda r: r.version)
                if r.version > wanted
                and not r.version.is_prerelease
                and not r.yanked
                and has_wheel_for(r, accepted)
            ),
            None,
        )
        found.append(
            SourceBuild(name, version, python, platform, str(later.version) if later else None)
        )
    return tuple(found)


def binary_packages(names: Iterable[str], index: MetadataSource) -> frozenset[str]:
    """Of ``names``, the packages that publish platform wheels (an sdist of them needs a
    compiler); a package the index cannot list is left out."""
    found = set()
    for name in names:
        try:
            if is_binary(index.releases(name)):
                found.add(name)
        except PackageIndexError:
            continue
    return frozenset(found)


# uv: "Because reportlab==3.5.59 has no usable wheels and you require ...", "Because aaa==1.0
# has no wheels with a matching Python ABI tag (e.g., `cp312`)", "... matching platform tag".
_NO_WHEELS = re.compile(
    r"Because (?P<name>[A-Za-z0-9][\w.-]*)==(?P<version>[^\s,]+) has no "
    r"(?:usable wheels|wheels with a matching)"
)


def uv_source_builds(
    pins: Sequence[tuple[str, str]],
    binary: Collection[str],
    target: Target,
    config: IndexConfig,
    resolver: Resolver,
    *,
    runner: Runner = subprocess_runner,
    cache_dir: Path | None = None,
    offline: bool = False,
) -> tuple[tuple[str, str], ...] | None:
    """The (name, version) pins uv cannot install from a wheel on ``target``'s Python, asked as
    a dry run (``uv pip compile --only-binary``, nothing installed); None when uv cannot say
    (not the resolver, or failing for another reason: the resolution itself already passed)."""
    if resolver.tool != "uv":
        return None
    found: dict[str, str] = {}
    body = "".join(f"{name}=={version}\n" for name, version in pins)
    with tempfile.TemporaryDirectory(prefix="upgrader-wheels-") as tmp:
        infile = Path(tmp) / "requirements.in"
        infile.write_text(body)
        for _attempt in range(len(binary) + 1):
            only = sorted(set(binary) - set(found))
            if not only:
                break
            argv = _command(resolver, infile, target, config, False, cache_dir, offline)
            argv += ["--only-binary", ",".join(only)]
            env = _isolated_env(cache_dir, resolver.tool)
            result = runner(argv, cwd=Path(tmp), env=env, timeout=RESOLVE_TIMEOUT)
            if result.returncode == 0:
                return tuple(found.items())
            output = "\n".join(part for part in (result.stderr, result.stdout) if part)
            match = _NO_WHEELS.search(output)
            if match is None or match["name"].lower() not in {n.lower() for n in only}:
                return None
            found[match["name"].lower()] = match["version"]
    return tuple(found.items())
