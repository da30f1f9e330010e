"""The stage env's import check (FINDINGS F29): a real venv holding tiny installed
distributions, imported by its own Python; the bound that moves the declared package holding a
broken one back (requests 2.22 -> urllib3<1.26 on Python 3.12), from an in-memory index."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from upgrader.deps.importable import ImportBreak, moves_for, probe
from upgrader.deps.index import CoreMetadata, DistFile, PackageIndexError, PackageReleases
from upgrader.deps.listing import ReleaseFiles
from upgrader.deps.model import Constraint
from upgrader.deps.plan import held_lines


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


# Django's names as the 4.x releases have them: force_str, no force_text or force_unicode.
FAKE_DJANGO = {
    "django/__init__.py": "VERSION = (4, 2)\n",
    "django/utils/__init__.py": "",
    "django/utils/encoding.py": "def force_str(s):\n    return str(s)\n",
    "django/template/__init__.py": "class Library:\n    pass\n",
    "django/core/__init__.py": "",
    "django/core/exceptions.py": "class AppRegistryNotReady(Exception):\n    pass\n",
}
# django-markdown-deux 1.0.5's templatetags module: both of its names are gone on Django 4.0+.
MARKDOWN_DEUX_TAGS = """from django import template
try:
    from django.utils.encoding import force_text
except ImportError:
    from django.utils.encoding import force_unicode as force_text

register = template.Library()
"""
FIXED_TAGS = MARKDOWN_DEUX_TAGS.replace("force_unicode as", "force_str as")


def test_the_modules_django_loads_of_an_installed_app_are_imported_too(tmp_path: Path) -> None:
    """F84: markdown_deux's top-level module imports on Django 4.2, its template tags (which
    the template engine imports at start-up) do not; the break names the distribution, the
    module and the removed name, and says which INSTALLED_APPS entry makes Django load it."""
    python, site = _venv(tmp_path)
    _install(site, "Django", "4.2", FAKE_DJANGO)
    _install(
        site,
        "django-markdown-deux",
        "1.0.5",
        {
            "markdown_deux/__init__.py": "",
            "markdown_deux/templatetags/__init__.py": "",
            "markdown_deux/templatetags/markdown_deux_tags.py": MARKDOWN_DEUX_TAGS,
        },
        "markdown2",
    )
    # Installed but not in INSTALLED_APPS: nothing loads its template tags.
    _install(
        site,
        "unused-app",
        "1.0",
        {
            "unused_app/__init__.py": "",
            "unused_app/templatetags/__init__.py": "",
            "unused_app/templatetags/tags.py": MARKDOWN_DEUX_TAGS,
        },
    )
    # Its models need the app registry (not ready without settings: not a break), its admin
    # is broken but only loaded when django.contrib.admin is installed; named by its config.
    _install(
        site,
        "django-otherapp",
        "2.0",
        {
            "otherapp/__init__.py": "",
            "otherapp/apps.py": "class OtherConfig:\n    name = 'otherapp'\n",
            "otherapp/models.py": "from django.core.exceptions import AppRegistryNotReady\n"
            "raise AppRegistryNotReady('Apps are not loaded yet.')\n",
            "otherapp/admin.py": "from django.utils.encoding import force_text\n",
        },
    )
    apps = ["django.contrib.auth", "markdown_deux", "otherapp.apps.OtherConfig", "core"]
    found = probe(python, apps=apps)
    assert found.problem == ""
    (broken,) = found.breaks
    assert (broken.distribution, broken.version, broken.app) == (
        "django-markdown-deux",
        "1.0.5",
        "markdown_deux",
    )
    assert broken.module == "markdown_deux.templatetags.markdown_deux_tags"
    assert broken.error.startswith("ImportError: cannot import name 'force_unicode'")
    assert broken.location == "markdown_deux/templatetags/markdown_deux_tags.py:5"
    text = broken.describe("3.8")
    assert "`import markdown_deux.templatetags.markdown_deux_tags` (Django imports it for " in (
        text
    )
    # Without the apps, only the top-level modules: the check as it was.
    assert probe(python).breaks == ()
    # With django.contrib.admin installed, otherapp's admin module is loaded and breaks too.
    with_admin = probe(python, apps=[*apps, "django.contrib.admin"])
    assert [(b.distribution, b.module) for b in with_admin.breaks] == [
        ("django-markdown-deux", "markdown_deux.templatetags.markdown_deux_tags"),
        ("django-otherapp", "otherapp.admin"),
    ]


def test_an_app_whose_template_tags_import_is_clean(tmp_path: Path) -> None:
    """django-markdown-deux 1.0.6 falls back to force_str: the release the move lands on."""
    python, site = _venv(tmp_path)
    _install(site, "Django", "4.2", FAKE_DJANGO)
    _install(
        site,
        "django-markdown-deux",
        "1.0.6",
        {
            "markdown_deux/__init__.py": "",
            "markdown_deux/templatetags/__init__.py": "",
            "markdown_deux/templatetags/markdown_deux_tags.py": FIXED_TAGS,
        },
    )
    assert probe(python, apps=["markdown_deux"]).breaks == ()


def test_a_broken_app_module_moves_the_declared_app_past_its_release() -> None:
    broken = ImportBreak(
        "django-markdown-deux",
        "1.0.5",
        "markdown_deux.templatetags.markdown_deux_tags",
        "ImportError: cannot import name 'force_unicode' from 'django.utils.encoding'",
        "markdown_deux/templatetags/markdown_deux_tags.py:5",
        app="markdown_deux",
    )
    (move,) = moves_for([broken], {"django-markdown-deux"}, _Index(), "3.8")
    assert move.package == "django-markdown-deux"
    assert move.constraint is not None and str(move.constraint.spec) == ">1.0.5"
    assert "cannot import name 'force_unicode'" in move.note
    assert "markdown_deux.templatetags.markdown_deux_tags" in move.note


def test_a_module_attribute_the_python_no_longer_has_is_a_break(tmp_path: Path) -> None:
    """freezegun 0.3.11's ``real_clock = time.clock`` at import: gone since Python 3.8, so
    djangogirls' 4.2 hop (Python 3.7 -> 3.8) could not collect its tests (F84). Any other
    AttributeError at import (an object's, a settings lookup) is not counted."""
    python, site = _venv(tmp_path)
    _install(
        site,
        "freezegun",
        "0.3.11",
        {
            "freezegun/__init__.py": "from .api import freeze_time\n",
            "freezegun/api.py": "import time\nreal_clock = time.clock\nfreeze_time = None\n",
        },
    )
    _install(site, "objattr", "1.0", {"objattr.py": "object().missing\n"})
    found = probe(python)
    (broken,) = found.breaks
    assert (broken.distribution, broken.module, broken.location) == (
        "freezegun",
        "freezegun",
        "freezegun/api.py:2",
    )
    assert broken.error == "AttributeError: module 'time' has no attribute 'clock'"
    assert broken.source == "real_clock = time.clock"  # the line that raised, as installed


# vcrpy's vcr/patch.py: 2.1.0 to 4.3.0 read VerifiedHTTPSConnection from urllib3.connectionpool
# (gone in urllib3 2), 4.3.1 from urllib3.connection (FINDINGS F90).
RAISING = "_VerifiedHTTPSConnection = cpool.VerifiedHTTPSConnection"
OLD_PATCH = f"import urllib3.connectionpool as cpool\n\n{RAISING}\n"
NEW_PATCH = (
    "import urllib3.connection as conn\n\n_VerifiedHTTPSConnection = conn.VerifiedHTTPSConnection\n"
)


class _FileIndex:
    """Releases of ``vcrlike`` with a wheel each, served from ``folder`` (no network)."""

    def __init__(self, folder: Path, patches: dict[str, str | None]) -> None:
        self.folder = folder
        self.patches = patches
        self.downloaded: list[str] = []
        for version, text in patches.items():
            with zipfile.ZipFile(folder / f"vcrlike-{version}-py3-none-any.whl", "w") as wheel:
                wheel.writestr("vcrlike/__init__.py", "from . import patch\n")
                if text is not None:
                    wheel.writestr("vcrlike/patch.py", text)

    def releases(self, name: str) -> PackageReleases:
        if name != "vcrlike":
            raise PackageIndexError(name)
        return PackageReleases(
            name,
            tuple(
                ReleaseFiles(Version(v), (DistFile(f"vcrlike-{v}-py3-none-any.whl", "https://x"),))
                for v in self.patches
            ),
        )

    def metadata(self, name: str, release: ReleaseFiles) -> CoreMetadata:
        return CoreMetadata(name, release.version)

    def download(self, dist: DistFile) -> Path:
        self.downloaded.append(dist.filename)
        path = self.folder / dist.filename
        if not path.exists():
            raise PackageIndexError(f"{dist.filename} is not on the index")
        return path


def _vcr_break(location: str = "vcrlike/patch.py:3", source: str = RAISING) -> ImportBreak:
    return ImportBreak(
        "vcrlike",
        "2.1.0",
        "vcrlike",
        "AttributeError: module 'urllib3.connectionpool' has no attribute "
        "'VerifiedHTTPSConnection'",
        location,
        source=source,
    )


def test_a_declared_package_moves_past_every_release_still_holding_the_line_that_raised(
    tmp_path: Path,
) -> None:
    """F90: djangogirls' 5.2 hop moved vcrpy one release a round (2.0.1, 2.1.0, 2.1.1) and
    committed 3.0.0, which breaks the same way; the releases whose own file still has the line
    that raised are skipped, read from their wheels."""
    index = _FileIndex(
        tmp_path,
        {
            "2.0.1": OLD_PATCH,
            "2.1.0": OLD_PATCH,
            "2.1.1": OLD_PATCH,
            "3.0.0": "# reformatted\n" + OLD_PATCH.replace(RAISING, "    " + RAISING),
            "4.3.1": NEW_PATCH,
            "5.0.0": NEW_PATCH,
        },
    )
    (move,) = moves_for([_vcr_break()], {"vcrlike"}, index, "3.10")
    assert move.constraint is not None and str(move.constraint.spec) == ">=4.3.1"
    assert move.note.endswith(
        "; vcrlike 2.1.1 to 3.0.0 still have it, vcrlike 4.3.1 is the first release whose "
        f"vcrlike/patch.py no longer has the line that raised (`{RAISING}`)"
    )
    assert "5.0.0" not in " ".join(index.downloaded)  # read up to the first clean one


def test_the_line_scan_stops_at_what_it_cannot_read_or_does_not_own(tmp_path: Path) -> None:
    # 3.0.0's wheel is not there: bounded past the last release read that still has the line.
    index = _FileIndex(tmp_path, {"2.1.0": OLD_PATCH, "2.1.1": OLD_PATCH, "4.3.1": NEW_PATCH})
    (tmp_path / "vcrlike-2.1.1-py3-none-any.whl").rename(tmp_path / "gone.whl")
    (move,) = moves_for([_vcr_break()], {"vcrlike"}, index, "3.10")
    assert move.constraint is not None and str(move.constraint.spec) == ">2.1.0"
    (tmp_path / "gone.whl").rename(tmp_path / "vcrlike-2.1.1-py3-none-any.whl")
    (tmp_path / "vcrlike-4.3.1-py3-none-any.whl").unlink()
    (move,) = moves_for([_vcr_break()], {"vcrlike"}, index, "3.10")
    assert move.constraint is not None and str(move.constraint.spec) == ">2.1.1"
    assert move.note.endswith(
        f"; vcrlike 2.1.1 still has the line that raised in vcrlike/patch.py (`{RAISING}`)"
    )
    # The line raised in a file the broken release does not hold (another distribution's):
    # nothing is learnt from its releases, it moves one release on.
    (other,) = moves_for([_vcr_break("urllib3/connectionpool.py:9")], {"vcrlike"}, index, "3.10")
    assert other.constraint is not None and str(other.constraint.spec) == ">2.1.0"
    # No line known (an older probe's answer): as before.
    (bare,) = moves_for([_vcr_break(source="")], {"vcrlike"}, index, "3.10")
    assert bare.constraint is not None and str(bare.constraint.spec) == ">2.1.0"


def test_a_break_on_another_distributions_name_says_whose_name_it_reads(tmp_path: Path) -> None:
    """F91: vcrpy's break names urllib3's module; the probe says which installed distribution
    (and version) owns it, read from the stage env."""
    python, site = _venv(tmp_path)
    _install(site, "pool3", "2.8.0", {"pool3/__init__.py": "", "pool3/connectionpool.py": ""})
    _install(
        site,
        "vcrlike",
        "2.1.0",
        {"vcrlike/__init__.py": "import pool3.connectionpool as cpool\nx = cpool.Verified\n"},
    )
    found = probe(python)
    (broken,) = found.breaks
    assert broken.distribution == "vcrlike"
    assert broken.named == ("pool3", "2.8.0")
    assert broken.name_read == "pool3.connectionpool.Verified"
    # Its own module's name: nothing else is named.
    python2, site2 = _venv(tmp_path / "own")
    _install(
        site2,
        "selfish",
        "1.0",
        {"selfish/__init__.py": "from . import part\npart.gone\n", "selfish/part.py": ""},
    )
    (own,) = probe(python2).breaks
    assert (own.named, own.name_read) == ((), "")


def _urllib3_break(named: tuple[str, ...] = ("urllib3", "2.8.0")) -> ImportBreak:
    return ImportBreak(
        "vcrlike",
        "2.1.0",
        "vcrlike",
        "AttributeError: module 'urllib3.connectionpool' has no attribute "
        "'VerifiedHTTPSConnection'",
        "vcrlike/patch.py:3",
        source=RAISING,
        named=named,
        name_read="urllib3.connectionpool.VerifiedHTTPSConnection" if named else "",
    )


def test_a_distribution_that_crossed_a_major_is_held_below_it_before_the_declared_one_moves(
    tmp_path: Path,
) -> None:
    """F91: djangogirls' 5.2 hop resolved urllib3 2.8.0 (1.26.20 on 4.2); vcrpy reads a name
    urllib3 2 removed. Holding urllib3 below 2 comes first; moving vcrpy is kept for when the
    set does not resolve with it."""
    index = _FileIndex(tmp_path, {"2.1.0": OLD_PATCH, "4.3.1": NEW_PATCH})
    before = {"urllib3": "1.26.20", "vcrlike": "2.1.0"}
    (hold,) = moves_for([_urllib3_break()], {"vcrlike"}, index, "3.10", before)
    assert hold.held and hold.package == "urllib3"
    assert hold.constraint is not None and str(hold.constraint.spec) == "<2"
    assert hold.note == (
        "urllib3 held below 2: vcrlike 2.1.0 reads urllib3.connectionpool."
        "VerifiedHTTPSConnection, which urllib3 2.8.0 does not have (urllib3 1.26.20 before the "
        "hop)"
    )
    (instead,) = hold.instead
    assert instead.package == "vcrlike" and not instead.held
    assert instead.constraint is not None and str(instead.constraint.spec) == ">=4.3.1"
    # Same major before the hop, no previous set, the name not another's, or a distribution
    # the set chooses itself (Django, the hop's own move): no hold.
    for previous, named, chosen in (
        ({"urllib3": "2.0.0"}, ("urllib3", "2.8.0"), {"vcrlike"}),
        (None, ("urllib3", "2.8.0"), {"vcrlike"}),
        ({"urllib3": "1.26.20"}, (), {"vcrlike"}),
        ({"urllib3": "1.26.20"}, ("urllib3", "2.8.0"), {"vcrlike", "urllib3"}),
        ({"django": "3.2.25"}, ("django", "4.2.30"), {"vcrlike"}),
    ):
        (move,) = moves_for([_urllib3_break(named)], chosen, index, "3.10", previous)
        assert not move.held and move.package == "vcrlike"


def test_a_hold_on_a_distribution_the_set_does_not_choose_goes_to_the_resolver() -> None:
    """The chooser only bounds declared packages; urllib3<2 reaches the resolver's input."""
    hold = Constraint(SpecifierSet("<2"), "held", "stage env")
    moved = Constraint(SpecifierSet(">=4.3.1"), "moved", "stage env")
    lines = held_lines({"urllib3": [hold], "vcrpy": [moved]}, {"vcrpy", "django"})
    assert lines == ["urllib3<2"]
