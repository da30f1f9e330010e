"""The stage env's import check (FINDINGS F29): a real venv holding tiny installed
distributions, imported by its own Python; the bound that moves the declared package holding a
broken one back (requests 2.22 -> urllib3<1.26 on Python 3.12), from an in-memory index."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

from packaging.version import Version

from upgrader.deps.importable import ImportBreak, moves_for, probe
from upgrader.deps.index import CoreMetadata, DistFile, PackageIndexError, PackageReleases
from upgrader.deps.listing import ReleaseFiles


def _install(site: Path, name: str, version: str, files: dict[str, str], *requires: str) -> None:
    """A distribution as an installer leaves it: its files and a dist-info with RECORD."""
    for relative, text in files.items():
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    info = site / f"{name}-{version}.dist-info"
    info.mkdir()
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    lines += [f"Requires-Dist: {r}" for r in requires]
    (info / "METADATA").write_text("\n".join(lines) + "\n")
    record = [f"{r},," for r in files] + [f"{info.name}/METADATA,,", f"{info.name}/RECORD,,"]
    (info / "RECORD").write_text("\n".join(record) + "\n")


def _venv(tmp_path: Path) -> tuple[Path, Path]:
    env = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return python, Path(purelib)


def test_a_distribution_that_does_not_import_is_named_with_who_requires_it(
    tmp_path: Path,
) -> None:
    python, site = _venv(tmp_path)
    # Its vendored module is gone on this Python: the break the check exists for.
    _install(
        site,
        "brokenlib",
        "1.25.11",
        {"brokenlib/__init__.py": "from .packages.six.moves import http_client\n"},
    )
    _install(
        site, "holder", "2.22.0", {"holder/__init__.py": "import brokenlib\n"}, "brokenlib<1.26"
    )
    # An optional dependency that is not installed: not a break.
    _install(site, "optional", "1.0", {"optional/__init__.py": "import not_installed_here\n"})
    # A Django app without settings: it imports as far as it can.
    _install(
        site, "djapp", "1.0", {"djapp.py": "raise RuntimeError('settings are not configured')\n"}
    )
    _install(site, "fine", "1.0", {"fine.py": "import json\n"})
    found = probe(python)
    assert found.problem == ""
    names = [(b.distribution, b.module) for b in found.breaks]
    assert ("brokenlib", "brokenlib") in names  # its own and through holder's import
    assert {n for n, _m in names} == {"brokenlib", "holder"}
    broken = next(b for b in found.breaks if b.distribution == "brokenlib")
    assert broken.error.startswith("ModuleNotFoundError: No module named 'brokenlib.packages'")
    assert broken.location == "brokenlib/__init__.py:1"
    assert broken.required_by == (("holder", "2.22.0", "brokenlib<1.26"),)
    python_version = sysconfig.get_python_version()
    assert broken.describe(python_version).endswith("; holder 2.22.0 requires brokenlib<1.26")


ROWS: dict[str, dict[str, tuple[str, ...]]] = {
    "holder": {
        "2.22.0": ("brokenlib<1.26",),
        "2.24.0": ("brokenlib<1.26,>=1.21",),
        "2.25.0": ("brokenlib<1.27,>=1.21",),
    },
    "brokenlib": {"1.25.11": (), "1.26.20": ()},
}


class _Index:
    ROWS = ROWS

    def releases(self, name: str) -> PackageReleases:
        if name not in self.ROWS:
            raise PackageIndexError(name)
        return PackageReleases(
            name,
            tuple(
                ReleaseFiles(Version(v), (DistFile(f"{name}-{v}.tar.gz", "https://x"),))
                for v in self.ROWS[name]
            ),
        )

    def metadata(self, name: str, release: ReleaseFiles) -> CoreMetadata:
        reqs = self.ROWS[name][str(release.version)]
        return CoreMetadata(name, release.version, requires_dist=reqs)


BREAK = ImportBreak(
    "brokenlib",
    "1.25.11",
    "brokenlib",
    "ModuleNotFoundError: No module named 'brokenlib.packages.six.moves'",
    "brokenlib/__init__.py:1",
    (("holder", "2.22.0", "brokenlib<1.26"),),
)


def test_the_declared_holder_moves_to_the_first_release_admitting_a_newer_one() -> None:
    (move,) = moves_for([BREAK], {"holder"}, _Index(), "3.12")
    assert move.package == "holder"
    assert move.constraint is not None and str(move.constraint.spec) == ">=2.25.0"
    assert "holder 2.25.0 is the first release whose requirement admits a newer brokenlib" in (
        move.note
    )
    # Declared itself: it moves past the broken release.
    (own,) = moves_for([BREAK], {"brokenlib", "holder"}, _Index(), "3.12")
    assert own.package == "brokenlib" and str(own.constraint.spec if own.constraint else "") == (
        ">1.25.11"
    )
    # Held by nothing the project declares: said, with what to bump.
    (said,) = moves_for([BREAK], set(), _Index(), "3.12")
    assert said.constraint is None
    assert said.note.endswith(
        "upgrade what holds it back (holder) or pin a newer brokenlib in the project's requirements"
    )
