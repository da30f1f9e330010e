"""Whether the stage env's installed distributions import on the stage's Python (FINDINGS F29).

Requires-Python and wheels say a release installs; they do not say it imports. requests 2.22
caps ``urllib3<1.26``, and urllib3 1.25.11's vendored six fails on Python 3.12 (``No module
named 'urllib3.packages.six.moves'``): found only when the tests ran. ``probe`` imports each
installed distribution's top-level modules in the stage env (a separate process of the stage's
Python, no Django settings: ``ImproperlyConfigured`` or ``AppRegistryNotReady`` count as
importable, only an ``ImportError`` raised inside site-packages counts, or an ``AttributeError``
for a name a module no longer has, freezegun 0.3.11's ``time.clock`` on Python 3.8), and names the owning
distribution and who requires it. ``moves_for`` turns each break into a bound on a package the
project declares: the broken one itself (``>X``), or the first newer release of the declared
package holding it back whose requirement admits a newer release of it (requests 2.25.0 admits
urllib3 1.26), for the dependency phase to choose again before it commits.

A Django app's top-level module can import while the modules Django loads itself do not:
django-markdown-deux 1.0.5's ``markdown_deux/__init__.py`` imports on Django 4.2, its
``templatetags/markdown_deux_tags.py`` (``force_text``, else ``force_unicode``: both removed)
does not, and the template engine imports every installed app's template tags at start-up
(FINDINGS F84). So, for each ``INSTALLED_APPS`` entry installed in site-packages, the probe also
imports what Django imports of it, in its order: ``apps``, ``models``, every ``templatetags``
module, and ``admin`` when ``django.contrib.admin`` is installed; a break there is its owning
distribution's, named with the module.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import tempfile
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from upgrader.deps.index import PackageIndexError
from upgrader.deps.listing import ReleaseFiles
from upgrader.deps.model import Constraint, FileSource, MetadataSource
from upgrader.deps.removed_api import release_module_text

PROBE_TIMEOUT = 120.0
RELEASE_SCAN = 30  # newer releases of a requiring package read for one that admits a move

# Run by the stage env's Python: argv[1] is where the JSON answer goes, argv[2] (optional) a
# JSON list of the project's INSTALLED_APPS entries.
PROBE = r"""
import importlib, importlib.metadata as md, importlib.util, json, linecache, os, re, sys
import sysconfig, warnings
warnings.simplefilter("ignore")
os.environ.pop("DJANGO_SETTINGS_MODULE", None)
paths = sysconfig.get_paths()
site = tuple(os.path.realpath(p) + os.sep for p in {paths["purelib"], paths["platlib"]})
REMOVED = {"imp", "distutils", "asynchat", "asyncore", "smtpd", "cgi", "cgitb", "crypt",
           "pipes", "telnetlib", "nntplib", "nis", "ossaudiodev", "spwd", "sunau", "uu",
           "xdrlib", "aifc", "audioop", "chunk", "imghdr", "mailcap", "msilib", "sndhdr"}
SKIP = {"test", "tests", "testing", "docs", "doc", "examples", "example", "benchmarks"}

def tops(dist):
    text = dist.read_text("top_level.txt")
    if text:
        return [t.strip() for t in text.split() if t.strip()]
    found = []
    for f in dist.files or ():
        parts = f.parts
        if not parts or parts[0].endswith((".dist-info", ".egg-info", ".data")) or ".." in parts:
            continue
        name = parts[0]
        if len(parts) == 1:
            if not name.endswith(".py"):
                continue
            name = name[:-3]
        elif parts[-1] != "__init__.py" or len(parts) != 2:
            continue
        if name not in found:
            found.append(name)
    return found

def where(exc):
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame.f_code.co_filename + ":" + str(tb.tb_lineno))
        tb = tb.tb_next
    frames = [f for f in frames if not f.startswith("<")]
    return frames[-1] if frames else ""

GONE = re.compile(r"^module '[\w.]+' has no attribute '\w+'$")

def attempt(key, version, mod, app=""):
    # Import mod; True unless an ImportError raised inside site-packages (a break) says it
    # does not import, or an AttributeError for a module's name the running Python or a
    # dependency no longer has (freezegun 0.3.11's `time.clock` on Python 3.8).
    try:
        importlib.import_module(mod)
    except (ImportError, AttributeError) as exc:
        if isinstance(exc, AttributeError) and not GONE.match(str(exc)):
            return True
        location = where(exc)
        if not os.path.realpath(location.rsplit(":", 1)[0]).startswith(site):
            return True
        if "partially initialized module" in str(exc):
            return True  # a circular import of a module imported outside Django's order
        missing = (getattr(exc, "name", None) or "").split(".")[0]
        if isinstance(exc, ModuleNotFoundError) and missing and missing not in REMOVED:
            try:
                installed = importlib.util.find_spec(missing) is not None
            except Exception:
                installed = False
            if not installed:
                return True  # an optional dependency that is not installed
        real = os.path.realpath(location.rsplit(":", 1)[0])
        short = next((real[len(s):] for s in site if real.startswith(s)), real)
        number = location.rsplit(":", 1)[1]
        source = linecache.getline(real, int(number)).strip() if number.isdigit() else ""
        breaks.append([key, version, mod, type(exc).__name__ + ": " + str(exc),
                       short + ":" + number, app, source])
        return False
    except BaseException:
        pass  # ImproperlyConfigured, AppRegistryNotReady, ...: it imports as far as it can
    return True

def app_module(entry):
    # The package an INSTALLED_APPS entry names (x.apps.XConfig -> x), or None.
    parts = entry.split(".")
    if len(parts) > 2 and parts[-2] == "apps" and parts[-1][:1].isupper():
        parts = parts[:-2]
    elif len(parts) > 1 and parts[-1][:1].isupper():
        parts = parts[:-1]
    if not parts or not all(p.isidentifier() for p in parts):
        return None
    return ".".join(parts)

def in_site(path):
    return bool(path) and os.path.realpath(path).startswith(site)

breaks = []
requires = {}
owners = {}  # top-level module -> (distribution key, version)
broken_tops = set()
seen = set()
for dist in md.distributions():
    name = dist.metadata["Name"] or ""
    key = name.lower().replace("_", "-").replace(".", "-")
    if not name or key in seen:
        continue
    seen.add(key)
    requires[key] = [name, dist.version, list(dist.requires or ())]
    for mod in tops(dist):
        if not mod.isidentifier() or mod.startswith("_") or mod in SKIP:
            continue
        owners.setdefault(mod, (key, dist.version))
        if not attempt(key, dist.version, mod):
            broken_tops.add(mod)

apps = json.loads(sys.argv[2]) if len(sys.argv) > 2 else []
admin = "django.contrib.admin" in apps or any(
    a.startswith("django.contrib.admin.apps.") for a in apps)
for entry in apps:
    package = app_module(str(entry))
    if package is None or package.split(".")[0] in broken_tops:
        continue
    top = package.split(".")[0]
    if top not in owners or top == "django":
        continue
    try:
        spec = importlib.util.find_spec(package)
    except BaseException:
        continue
    if spec is None or not spec.submodule_search_locations:
        continue
    folder = next(iter(spec.submodule_search_locations), "")
    if not in_site(folder):
        continue  # the project's own app
    key, version = owners[top]
    wanted = ["apps", "models"]
    tags = os.path.join(folder, "templatetags")
    if os.path.isfile(os.path.join(tags, "__init__.py")):
        wanted += sorted("templatetags." + f[:-3] for f in os.listdir(tags)
                         if f.endswith(".py") and f != "__init__.py" and f[:-3].isidentifier())
    if admin:
        wanted.append("admin")
    for sub in wanted:
        first = sub.split(".")[0]
        if not (os.path.isfile(os.path.join(folder, first + ".py"))
                or os.path.isfile(os.path.join(folder, first, "__init__.py"))):
            continue
        attempt(key, version, package + "." + sub, str(entry))
with open(sys.argv[1], "w") as out:
    json.dump({"breaks": breaks, "requires": requires, "owners": owners,
               "python": "%d.%d" % sys.version_info[:2]}, out)
"""


@dataclass(frozen=True)
class ImportBreak:
    """One installed distribution whose top-level module does not import on the stage."""

    distribution: str  # canonical name
    version: str
    module: str
    error: str  # "ModuleNotFoundError: No module named 'urllib3.packages.six.moves'"
    location: str  # "urllib3/exceptions.py:2", relative to site-packages
    required_by: tuple[tuple[str, str, str], ...] = ()  # (name, version, requirement line)
    # The INSTALLED_APPS entry whose module Django loads itself (``module`` is then one of its
    # apps, models, templatetags or admin modules), "" for a top-level module.
    app: str = ""
    # The line that raised, as the installed file has it, stripped
    # ("_VerifiedHTTPSConnection = cpool.VerifiedHTTPSConnection"), "" when unknown.
    source: str = ""
    # The installed distribution (canonical name, version) owning the module the error names,
    # when another than the broken one (urllib3 2.8.0 for vcrpy's "module
    # 'urllib3.connectionpool' has no attribute 'VerifiedHTTPSConnection'"), and the dotted
    # name read there ("urllib3.connectionpool.VerifiedHTTPSConnection").
    named: tuple[str, ...] = ()  # () or (name, version)
    name_read: str = ""

    def describe(self, python: str) -> str:
        held = "; ".join(f"{n} {v} requires {line}" for n, v, line in self.required_by)
        loads = f" (Django imports it for INSTALLED_APPS' {self.app!r})" if self.app else ""
        text = (
            f"{self.distribution} {self.version} does not import on Python {python}: "
            f"`import {self.module}`{loads} raises {self.error} ({self.location})"
        )
        return f"{text}; {held}" if held else text


@dataclass(frozen=True)
class ProbeResult:
    breaks: tuple[ImportBreak, ...]
    python: str
    problem: str = ""  # why the probe could not run, when it could not


def probe(
    python: Path,
    *,
    timeout: float = PROBE_TIMEOUT,
    cwd: Path | None = None,
    apps: Sequence[str] = (),
) -> ProbeResult:
    """Import every installed distribution's top-level modules with ``python`` (a stage env's),
    and, of each of ``apps`` (the project's ``INSTALLED_APPS`` entries) installed in
    site-packages, the modules Django imports itself (apps, models, templatetags, admin)."""
    with tempfile.TemporaryDirectory(prefix="upgrader-imports-") as tmp:
        answer = Path(tmp) / "answer.json"
        script = Path(tmp) / "probe.py"
        script.write_text(PROBE, encoding="utf-8")
        try:
            result = subprocess.run(
                [str(python), "-I", str(script), str(answer), json.dumps(list(apps))],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
                cwd=str(cwd or tmp),
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return ProbeResult((), "", f"the import check did not finish: {exc}")
        if not answer.exists():
            last = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
            return ProbeResult((), "", f"the import check failed: {last[0][:200]}")
        data = json.loads(answer.read_text(encoding="utf-8"))
    return parse_probe(data)


def parse_probe(data: Mapping[str, object]) -> ProbeResult:
    """The probe's JSON answer as breaks, each with who requires the broken distribution."""
    requires = data.get("requires")
    raw = data.get("breaks")
    owners = data.get("owners")
    owners = owners if isinstance(owners, dict) else {}
    python = str(data.get("python", ""))
    if not isinstance(requires, dict) or not isinstance(raw, list):
        return ProbeResult((), python, "the import check's answer was not understood")
    found: list[ImportBreak] = []
    for item in raw:
        name, version, module, error, location, *rest = (str(part) for part in item)
        app = rest[0] if rest else ""
        source = rest[1] if len(rest) > 1 else ""
        holders = []
        for entry in requires.values():
            holder, holder_version, lines = entry
            for line in lines:
                try:
                    req = Requirement(line)
                except InvalidRequirement:
                    continue
                if canonicalize_name(req.name) != name:
                    continue
                if req.marker is not None and "extra" in str(req.marker):
                    continue
                holders.append((canonicalize_name(holder), str(holder_version), str(req)))
        named: tuple[str, ...] = ()
        read = _name_read(error)
        owner = owners.get(read.split(".")[0]) if read else None
        if isinstance(owner, list) and len(owner) == 2 and canonicalize_name(str(owner[0])) != name:
            named = (canonicalize_name(str(owner[0])), str(owner[1]))
        found.append(
            ImportBreak(
                name,
                version,
                module,
                error,
                location,
                tuple(holders),
                app,
                source,
                named,
                read if named else "",
            )
        )
    return ProbeResult(tuple(found), python)


_NAMED = (
    re.compile(r"^AttributeError: module '([\w.]+)' has no attribute '(\w+)'$"),
    re.compile(r"^ImportError: cannot import name '(\w+)' from '([\w.]+)'"),
)


def _name_read(error: str) -> str:
    """The dotted name a break's error says is missing ("urllib3.connectionpool.
    VerifiedHTTPSConnection"), "" when it names none."""
    gone = _NAMED[0].match(error)
    if gone:
        return f"{gone.group(1)}.{gone.group(2)}"
    cannot = _NAMED[1].match(error)
    if cannot:
        return f"{cannot.group(2)}.{cannot.group(1)}"
    return ""


@dataclass(frozen=True)
class Move:
    """A bound on a declared package that a break asks for, or what the user must bump; or
    (``held``) a bound holding another installed distribution below the major release that
    removed the name the broken one reads, with ``instead`` the moves to make when the set
    does not resolve with it (FINDINGS F91)."""

    package: str  # the declared package the constraint is on, or the distribution held
    constraint: Constraint | None
    note: str
    held: bool = False
    instead: tuple[Move, ...] = ()


def moves_for(
    breaks: Sequence[ImportBreak],
    declared: Collection[str],
    index: MetadataSource,
    python: str,
    previous: Mapping[str, str] | None = None,
) -> tuple[Move, ...]:
    """Per break, the bound that moves a declared package past it (``declared``: canonical
    names the project declares): the broken one itself when declared, else the first newer
    release of a declared package requiring it whose requirement admits a newer release of it;
    without one, a note saying what to bump.

    ``previous``: canonical name -> version of the set the project ran before the hop. A break
    on a name another installed distribution no longer has, when that distribution crossed a
    major release since (vcrpy 2.1.0 reads ``urllib3.connectionpool.VerifiedHTTPSConnection``,
    urllib3 1.26.20 before the hop, 2.8.0 in it), holds that distribution below the next major
    instead (``urllib3<2``), the moves above kept for when the set does not resolve with it
    (FINDINGS F91: moving vcrpy to 4.3.1 left seven cassette tests failing under urllib3 2)."""
    found: list[Move] = []
    for broken in breaks:
        own = _moves_for_one(broken, declared, index, python)
        hold = _hold_below(broken, previous or {}, declared)
        if hold is None:
            found += own
        else:
            found.append(dataclasses.replace(hold, instead=tuple(own)))
    return tuple(found)


def _hold_below(
    broken: ImportBreak, previous: Mapping[str, str], declared: Collection[str]
) -> Move | None:
    """The bound holding the distribution whose name ``broken`` reads below the major release
    after the one the project ran before the hop, when it crossed it; else None. Never one the
    set chooses (``declared``, Django among them: the hop's own move; django-leaflet 0.24.0
    reads ``force_text``, gone in Django 4, on djangogirls' 4.2 hop)."""
    if not broken.named or not broken.name_read:
        return None
    held, now = broken.named
    if held in declared or held == "django":
        return None
    before = previous.get(held)
    try:
        major = Version(before).major if before else None
        crossed = major is not None and Version(now).major > major
    except InvalidVersion:
        return None
    if major is None or not crossed:
        return None
    spec = SpecifierSet(f"<{major + 1}")
    note = (
        f"{held} held below {major + 1}: {broken.distribution} {broken.version} reads "
        f"{broken.name_read}, which {held} {now} does not have ({held} {before} before the hop)"
    )
    why = f"import check in the stage env: {broken.error} ({broken.location})"
    return Move(held, Constraint(spec, note, why), note, held=True)


def _moves_for_one(
    broken: ImportBreak, declared: Collection[str], index: MetadataSource, python: str
) -> list[Move]:
    """The moves ``moves_for`` makes for one break, without a hold."""
    what = broken.describe(python)
    try:
        broken_version = Version(broken.version)
    except InvalidVersion:
        return []
    if broken.distribution in declared:
        spec = SpecifierSet(f">{broken.version}")
        past = _past_the_line(index, broken, broken_version)
        if past is not None:
            spec, said = past
            what = f"{what}; {said}"
        return [
            Move(
                broken.distribution,
                Constraint(spec, what, f"import check in the stage env: {broken.error}"),
                what,
            )
        ]
    found: list[Move] = []
    for holder, holder_version, line in broken.required_by:
        if holder not in declared:
            continue
        first = _first_admitting(index, holder, holder_version, broken, broken_version, python)
        if first is None:
            continue
        why = (
            f"{what}: {holder} {first} is the first release whose requirement admits a newer "
            f"{broken.distribution}"
        )
        spec = SpecifierSet(f">={first}")
        found.append(
            Move(holder, Constraint(spec, why, f"import check in the stage env: {line}"), why)
        )
    if not found:
        held = ", ".join(h for h, _v, _l in broken.required_by) or "nothing the project declares"
        found.append(
            Move(
                broken.distribution,
                None,
                f"{what}: upgrade what holds it back ({held}) or pin a newer "
                f"{broken.distribution} in the project's requirements",
            )
        )
    return found


def _first_admitting(
    index: MetadataSource,
    holder: str,
    holder_version: str,
    broken: ImportBreak,
    broken_version: Version,
    python: str,
) -> Version | None:
    """The smallest release of ``holder`` newer than ``holder_version`` whose requirement on the
    broken distribution admits one of its releases newer than the broken one."""
    try:
        releases = index.releases(holder)
        newer_broken = [
            r.version
            for r in index.releases(broken.distribution).releases
            if r.version > broken_version and not r.version.is_prerelease and not r.yanked
        ]
        current = Version(holder_version)
    except (PackageIndexError, InvalidVersion):
        return None
    candidates = [
        r
        for r in releases.releases
        if r.version > current and not r.version.is_prerelease and not r.yanked
    ]
    for release in candidates[:RELEASE_SCAN]:
        meta = index.metadata(holder, release)
        specs = []
        for line in meta.requires_dist:
            try:
                req = Requirement(line)
            except InvalidRequirement:
                continue
            if canonicalize_name(req.name) != broken.distribution:
                continue
            if req.marker is not None and not req.marker.evaluate(
                {"python_version": python, "extra": ""}
            ):
                continue
            specs.append(req.specifier)
        if any(all(s.contains(v, prereleases=True) for s in specs) for v in newer_broken):
            return release.version
    return None


LINE_SCAN = 20  # newer releases of a broken declared package read for the line that raised


def _past_the_line(
    index: MetadataSource, broken: ImportBreak, broken_version: Version
) -> tuple[SpecifierSet, str] | None:
    """The bound past every newer release whose own file still has the very line that raised
    (they break the same way: vcrpy 2.1.0 to 4.3.0 keep ``_VerifiedHTTPSConnection =
    cpool.VerifiedHTTPSConnection`` in vcr/patch.py, gone from urllib3 2's connectionpool, and
    4.3.1 reads it from urllib3.connection), with what it says; None when nothing was learnt
    (no line, an index without files, the line not in the broken release's own file, the next
    release's file unreadable), so the package moves one release on (``>broken``). Each file
    is read from the release's wheel or sdist, never installed (FINDINGS F90)."""
    path, _, _line = broken.location.rpartition(":")
    if not broken.source or not path.endswith(".py") or not isinstance(index, FileSource):
        return None
    try:
        releases = index.releases(broken.distribution)
    except PackageIndexError:
        return None
    own = releases.get(broken_version)

    def still(release: ReleaseFiles) -> bool | None:
        read = release_module_text(index, release, path)
        if read.problem:
            return None
        lines = (line.strip() for line in (read.text or "").splitlines())
        return read.text is not None and broken.source in lines

    if own is None or still(own) is not True:
        return None  # the file that raised is not the broken release's own
    newer = [
        r
        for r in releases.releases
        if r.version > broken_version and not r.version.is_prerelease and not r.yanked
    ]
    kept: list[Version] = []
    for release in newer[:LINE_SCAN]:
        answer = still(release)
        if answer is None:
            break
        if not answer:
            held = f"{_still_have(broken.distribution, kept)} it, " if kept else ""
            return SpecifierSet(f">={release.version}"), (
                f"{held}{broken.distribution} {release.version} is the first release whose "
                f"{path} no longer has the line that raised (`{broken.source}`)"
            )
        kept.append(release.version)
    if not kept:
        return None
    return SpecifierSet(f">{kept[-1]}"), (
        f"{_still_have(broken.distribution, kept)} the line that raised in {path} "
        f"(`{broken.source}`)"
    )


def _still_have(name: str, kept: Sequence[Version]) -> str:
    if len(kept) == 1:
        return f"{name} {kept[0]} still has"
    return f"{name} {kept[0]} to {kept[-1]} still have"
