"""Package-index metadata: the releases of a package and the core metadata of each.

Listings come from the PEP 691 JSON simple API (``application/vnd.pypi.simple.v1+json``), with the
PEP 503 HTML page as fallback (PEP 592 ``data-yanked``, PEP 658/714 ``data-core-metadata``).
Core metadata (``Requires-Dist``, ``Requires-Python``, classifiers) comes from the PEP 658
``.metadata`` file, else from the smallest wheel or sdist of the release.

The indexes are pip's: ``--index-url``/``--extra-index-url`` lines in the project's requirement
files, then ``PIP_INDEX_URL``/``PIP_EXTRA_INDEX_URL``, then ``pip config list``. Indexes that
cannot be reached (``file://`` folders that do not exist) are dropped with a debug note.

Everything fetched is cached on disk (``UPGRADER_CACHE_DIR``, else ``$XDG_CACHE_HOME/upgrader``,
else ``~/.cache/upgrader``): listings for ``LISTING_TTL`` seconds, metadata and the release files
``download`` fetches (``files/``) for good (a released file never changes). ``offline=True`` reads the cache only. Credentials in index URLs are never
shown: every URL in a message goes through ``redact_url``.
"""

from __future__ import annotations

import base64
import email.parser
import hashlib
import html.parser
import io
import json
import logging
import netrc
import os
import re
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from upgrader.errors import UpgraderError
from upgrader.files import write_atomic

log = logging.getLogger(__name__)

PYPI_SIMPLE = "https://pypi.org/simple/"
JSON_CONTENT_TYPE = "application/vnd.pypi.simple.v1+json"
ACCEPT = f"{JSON_CONTENT_TYPE}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"
LISTING_TTL = 3600.0
HTTP_TIMEOUT = 30.0
HTTP_ATTEMPTS = 2  # one retry for connection errors and 5xx answers
CACHE_SCHEMA = 1
SDIST_SUFFIXES = (".tar.gz", ".zip", ".tar.bz2", ".tgz")


class PackageIndexError(UpgraderError):
    """A package index could not answer (unreachable, not found, or missing from the cache)."""


def redact_url(url: str) -> str:
    """``url`` with any password (or token used as user name) replaced by ``****``."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    userinfo, _, host = parts.netloc.rpartition("@")
    user, sep, _password = userinfo.partition(":")
    # A lone user name is usually a token (``https://TOKEN@host``): hide it too.
    shown = f"{user}:****" if sep else "****"
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{shown}@{host}"))


_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<userinfo>[^/\s@]+)@", re.IGNORECASE)


def redact_text(text: str) -> str:
    """``text`` (e.g. a resolver's output) with every URL's credentials replaced by ``****``."""

    def hide(match: re.Match[str]) -> str:
        user, sep, _password = match["userinfo"].partition(":")
        return f"{match['scheme']}{user + ':****' if sep else '****'}@"

    return _CREDENTIALS.sub(hide, text)


@dataclass(frozen=True)
class IndexConfig:
    """Where packages come from, as pip would see it for this project."""

    index_url: str = PYPI_SIMPLE
    extra_index_urls: tuple[str, ...] = ()
    find_links: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # what was dropped and why (credentials redacted)
    no_index: bool = False  # pip's --no-index: find-links only

    @property
    def urls(self) -> tuple[str, ...]:
        return () if self.no_index else (self.index_url, *self.extra_index_urls)


def _split_urls(value: str) -> list[str]:
    return [part for part in re.split(r"\s+", value.strip()) if part]


def _pip_config(python: str, env: Mapping[str, str]) -> dict[str, str]:
    """``pip config list`` as ``{key: value}``, later sections winning (global < install < env)."""
    try:
        result = subprocess.run(
            [python, "-m", "pip", "config", "list"],
            capture_output=True,
            text=True,
            timeout=60,
            env=dict(env),
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    found: dict[str, str] = {}
    order = {"global": 0, "install": 1, "download": 1, ":env:": 2}
    ranked: dict[str, tuple[int, str]] = {}
    for line in result.stdout.splitlines():
        match = re.match(r"^(?P<section>[^.]*)\.(?P<key>[\w-]+)='(?P<value>.*)'$", line.strip())
        if not match:
            continue
        rank = order.get(match["section"], 0)
        key = match["key"]
        if key not in ranked or rank >= ranked[key][0]:
            ranked[key] = (rank, match["value"])
    for key, (_rank, value) in ranked.items():
        found[key] = value
    return found


_OPTION = re.compile(
    r"^\s*(?P<opt>--index-url|-i|--extra-index-url|--find-links|-f|--no-index)(?:[\s=]+(?P<value>\S+))?"
)


def _file_options(files: Iterable[Path]) -> tuple[str | None, list[str], list[str], bool]:
    index: str | None = None
    extra: list[str] = []
    links: list[str] = []
    no_index = False
    for path in files:
        try:
            lines = path.read_text("utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for line in lines:
            match = _OPTION.match(line)
            if not match:
                continue
            value = os.path.expandvars(match["value"] or "")
            opt = match["opt"]
            if opt in ("--index-url", "-i"):
                index = value
            elif opt == "--extra-index-url":
                extra.append(value)
            elif opt in ("--find-links", "-f"):
                links.append(value)
            else:
                no_index = True
    return index, extra, links, no_index


def reachable(url: str) -> bool:
    """False for ``file://`` URLs whose folder does not exist; network URLs are assumed up."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "file":
        return Path(urllib.request.url2pathname(parts.path)).exists()
    if parts.scheme in ("http", "https"):
        return True
    return Path(url).exists()  # a bare path (find-links)


def index_config(
    requirement_files: Sequence[Path] = (),
    *,
    env: Mapping[str, str] | None = None,
    python: str = sys.executable,
    read_pip_config: bool = True,
) -> IndexConfig:
    """The indexes pip would use for this project (files > environment > pip configuration)."""
    env = os.environ if env is None else env
    config = _pip_config(python, env) if read_pip_config else {}
    file_index, file_extra, file_links, no_index = _file_options(requirement_files)
    index = file_index or env.get("PIP_INDEX_URL") or config.get("index-url") or PYPI_SIMPLE
    # As in pip, an environment variable replaces the configuration files' value.
    extra = [
        *file_extra,
        *_split_urls(env.get("PIP_EXTRA_INDEX_URL") or config.get("extra-index-url", "")),
    ]
    links = [*file_links, *_split_urls(env.get("PIP_FIND_LINKS") or config.get("find-links", ""))]
    notes: list[str] = []

    def keep(url: str, what: str) -> bool:
        if reachable(url):
            return True
        note = f"{what} {redact_url(url)} does not exist: skipped"
        log.debug(note)
        notes.append(note)
        return False

    no_index = no_index or _truthy(env.get("PIP_NO_INDEX") or config.get("no-index", ""))
    if no_index:
        notes.append("--no-index: only find-links are used")
    if not keep(index, "index"):
        index = PYPI_SIMPLE
    extra_kept = tuple(dict.fromkeys(u for u in extra if u != index and keep(u, "extra index")))
    links_kept = tuple(dict.fromkeys(u for u in links if keep(u, "find-links")))
    return IndexConfig(index, extra_kept, links_kept, tuple(notes), no_index)


def _truthy(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class DistFile:
    """One file of a release on an index."""

    filename: str
    url: str
    requires_python: str | None = None
    yanked: bool = False
    yanked_reason: str | None = None
    sha256: str | None = None
    metadata_url: str | None = None  # PEP 658, when the index advertises it
    size: int | None = None  # bytes, when the index says (PEP 700)
    upload_time: str | None = None  # ISO 8601, when the index says (PEP 700, JSON only)

    @property
    def uploaded(self) -> datetime | None:
        """``upload_time`` as an aware datetime (UTC when the index gives no zone)."""
        return parse_timestamp(self.upload_time)

    @property
    def is_wheel(self) -> bool:
        return self.filename.endswith(".whl")


@dataclass(frozen=True)
class ReleaseFiles:
    """A version of a package and its files (from every configured index)."""

    version: Version
    files: tuple[DistFile, ...]

    @property
    def yanked(self) -> bool:
        """PEP 592: a release is yanked when all its files are."""
        return bool(self.files) and all(f.yanked for f in self.files)

    @property
    def yanked_reason(self) -> str | None:
        return next((f.yanked_reason for f in self.files if f.yanked_reason), None)

    @property
    def requires_python(self) -> str | None:
        return next((f.requires_python for f in self.files if f.requires_python), None)

    @property
    def uploaded(self) -> datetime | None:
        """When the release's first file was uploaded (None when the index does not say)."""
        times = [t for t in (f.uploaded for f in self.files) if t is not None]
        return min(times) if times else None


@dataclass(frozen=True)
class PackageReleases:
    """Every release of ``name`` the indexes list, oldest first."""

    name: str
    releases: tuple[ReleaseFiles, ...]
    sources: tuple[str, ...] = ()  # redacted index URLs that answered

    def get(self, version: Version | str) -> ReleaseFiles | None:
        wanted = Version(str(version))
        return next((r for r in self.releases if r.version == wanted), None)

    @property
    def versions(self) -> tuple[Version, ...]:
        return tuple(r.version for r in self.releases)


@dataclass(frozen=True)
class CoreMetadata:
    """What choosing a version needs from a release's METADATA."""

    name: str
    version: Version
    requires_dist: tuple[str, ...] = ()
    requires_python: str | None = None
    classifiers: tuple[str, ...] = ()
    source: str = ""  # "pep658", "wheel", "sdist" or "none" (no file could be read)

    @property
    def django_classifiers(self) -> tuple[str, ...]:
        """The ``Framework :: Django :: X.Y`` versions, e.g. ("3.2", "4.0")."""
        prefix = "Framework :: Django :: "
        return tuple(c[len(prefix) :] for c in self.classifiers if c.startswith(prefix))


# --- parsing ------------------------------------------------------------------------------------


def _version_of(filename: str, name: str) -> Version | None:
    try:
        if filename.endswith(".whl"):
            wheel_name, version, _build, _tags = parse_wheel_filename(filename)
            return version if wheel_name == name else None
        if filename.endswith(SDIST_SUFFIXES):
            base = filename
            for suffix in SDIST_SUFFIXES:
                if base.endswith(suffix):
                    base = base[: -len(suffix)]
                    break
            # Legacy sdists keep the project's own spelling (``django-filter-2.1.0``).
            prefix, sep, version_text = base.rpartition("-")
            if not sep or canonicalize_name(prefix) != name:
                return None
            sdist_name, version = parse_sdist_filename(
                f"{canonicalize_name(prefix)}-{version_text}.tar.gz"
            )
            return version if sdist_name == name else None
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion):
        return None
    return None


class _LinkParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[dict[str, str | None], str]] = []
        self._current: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._current = dict(attrs)
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._current is not None:
            self.links.append((self._current, "".join(self._text).strip()))
            self._current = None


def _sha256_of(url: str, hashes: Mapping[str, str] | None = None) -> str | None:
    if hashes and "sha256" in hashes:
        return hashes["sha256"]
    fragment = urllib.parse.urlsplit(url).fragment
    if fragment.startswith("sha256="):
        return fragment[len("sha256=") :]
    return None


def _strip_fragment(url: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(fragment=""))


def parse_html_listing(text: str, page_url: str) -> list[DistFile]:
    """The files of a PEP 503 project page (with PEP 592 and PEP 658/714 attributes)."""
    parser = _LinkParser()
    parser.feed(text)
    files: list[DistFile] = []
    for attrs, label in parser.links:
        href = attrs.get("href")
        if not href:
            continue
        url = urllib.parse.urljoin(page_url, href)
        filename = urllib.parse.unquote(urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1]) or label
        yanked_attr = "data-yanked" in attrs
        meta = attrs.get("data-core-metadata", attrs.get("data-dist-info-metadata"))
        has_meta = ("data-core-metadata" in attrs or "data-dist-info-metadata" in attrs) and (
            meta != "false"
        )
        files.append(
            DistFile(
                filename=filename,
                url=_strip_fragment(url),
                requires_python=attrs.get("data-requires-python") or None,
                yanked=yanked_attr,
                yanked_reason=(attrs.get("data-yanked") or None) if yanked_attr else None,
                sha256=_sha256_of(url),
                metadata_url=_strip_fragment(url) + ".metadata" if has_meta else None,
            )
        )
    return files


def parse_json_listing(data: Mapping[str, object], page_url: str) -> list[DistFile]:
    """The files of a PEP 691 JSON project page."""
    files: list[DistFile] = []
    raw_files = data.get("files", [])
    if not isinstance(raw_files, list):
        return files
    for item in raw_files:
        if not isinstance(item, dict):
            continue
        url = urllib.parse.urljoin(page_url, str(item.get("url", "")))
        yanked = item.get("yanked", False)
        meta = item.get("core-metadata", item.get("dist-info-metadata", False))
        hashes = item.get("hashes") if isinstance(item.get("hashes"), dict) else None
        files.append(
            DistFile(
                filename=str(item.get("filename", "")),
                url=_strip_fragment(url),
                requires_python=str(item["requires-python"])
                if item.get("requires-python")
                else None,
                yanked=bool(yanked),
                yanked_reason=yanked if isinstance(yanked, str) and yanked else None,
                sha256=_sha256_of(url, hashes),
                metadata_url=_strip_fragment(url) + ".metadata" if meta else None,
                size=item["size"] if isinstance(item.get("size"), int) else None,
                upload_time=_optional_str(item.get("upload-time")),
            )
        )
    return files


def parse_timestamp(text: str | None) -> datetime | None:
    """An ISO 8601 / RFC 3339 timestamp (``2019-04-01T14:01:40.123Z``), aware; None if unreadable."""
    if not text:
        return None
    text = text.strip().replace("Z", "+00:00")
    # Python 3.10's fromisoformat reads only 3 or 6 digits of fractions: pad or cut to 6.
    text = re.sub(r"\.(\d+)", lambda m: "." + m[1][:6].ljust(6, "0"), text, count=1)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def parse_metadata(text: str, source: str) -> CoreMetadata:
    """A METADATA / PKG-INFO document (RFC 822 headers) as ``CoreMetadata``."""
    message = email.parser.HeaderParser().parsestr(text)
    name = canonicalize_name(message.get("Name", ""))
    try:
        version = Version(message.get("Version", "0"))
    except InvalidVersion:
        version = Version("0")
    return CoreMetadata(
        name=name,
        version=version,
        requires_dist=tuple(str(v).strip() for v in message.get_all("Requires-Dist", [])),
        requires_python=(message.get("Requires-Python") or "").strip() or None,
        classifiers=tuple(str(v).strip() for v in message.get_all("Classifier", [])),
        source=source,
    )


def _metadata_from_archive(filename: str, data: bytes) -> str | None:
    buffer = io.BytesIO(data)
    if filename.endswith((".whl", ".zip")):
        with zipfile.ZipFile(buffer) as archive:
            names = archive.namelist()
            wanted = [n for n in names if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
            wanted = wanted or [n for n in names if n.count("/") == 1 and n.endswith("/PKG-INFO")]
            return archive.read(wanted[0]).decode("utf-8", "replace") if wanted else None
    with tarfile.open(fileobj=buffer) as archive:
        for member in archive.getmembers():
            if member.name.count("/") == 1 and member.name.endswith("/PKG-INFO"):
                handle = archive.extractfile(member)
                return handle.read().decode("utf-8", "replace") if handle else None
    return None


def group_releases(name: str, files: Iterable[DistFile]) -> tuple[ReleaseFiles, ...]:
    """``files`` of ``name`` grouped by the version their filenames say, oldest first."""
    name = canonicalize_name(name)
    by_version: dict[Version, list[DistFile]] = {}
    for dist in files:
        version = _version_of(dist.filename, name)
        if version is not None:
            by_version.setdefault(version, []).append(dist)
    return tuple(ReleaseFiles(v, tuple(by_version[v])) for v in sorted(by_version))


# --- fetching -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Response:
    data: bytes
    content_type: str
    url: str


def _auth_request(url: str, accept: str | None) -> urllib.request.Request:
    parts = urllib.parse.urlsplit(url)
    headers = {"User-Agent": "upgrader"}
    if accept:
        headers["Accept"] = accept
    if "@" in parts.netloc:
        userinfo, _, host = parts.netloc.rpartition("@")
        token = base64.b64encode(urllib.parse.unquote(userinfo).encode()).decode()
        headers["Authorization"] = f"Basic {token}"
        url = urllib.parse.urlunsplit(parts._replace(netloc=host))
    elif parts.hostname:
        # As pip does: credentials for the host from ~/.netrc (or $NETRC).
        found = _netrc_login(parts.hostname)
        if found is not None:
            token = base64.b64encode(f"{found[0]}:{found[1]}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
    return urllib.request.Request(url, headers=headers)


def _netrc_login(host: str) -> tuple[str, str] | None:
    try:
        entry = netrc.netrc(os.environ.get("NETRC") or None).authenticators(host)
    except (OSError, netrc.NetrcParseError):
        return None
    if entry is None:
        return None
    login, _account, password = entry
    return (login, password or "") if login else None


def _get(url: str, accept: str | None = None) -> _Response | None:
    """GET ``url`` (http(s) or file); None when it does not exist. Errors name the redacted URL."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "file" or not parts.scheme:
        path = Path(urllib.request.url2pathname(parts.path)) if parts.scheme else Path(url)
        if path.is_dir():
            index = path / "index.html"
            if index.is_file():
                return _Response(index.read_bytes(), "text/html", path.as_uri() + "/")
            # A bare folder of files (find-links style): list it as an HTML page.
            links = "".join(
                f'<a href="{urllib.parse.quote(p.name)}">{p.name}</a>\n'
                for p in sorted(path.iterdir())
            )
            return _Response(links.encode(), "text/html", path.as_uri() + "/")
        if path.is_file():
            return _Response(path.read_bytes(), "application/octet-stream", path.as_uri())
        return None
    for attempt in range(HTTP_ATTEMPTS):
        try:
            with urllib.request.urlopen(_auth_request(url, accept), timeout=HTTP_TIMEOUT) as resp:
                content_type = resp.headers.get("Content-Type", "").split(";")[0].strip()
                return _Response(resp.read(), content_type, _strip_credentials(resp.geturl(), url))
        except urllib.error.HTTPError as exc:
            exc.close()  # its response stays open otherwise
            if exc.code in (404, 410):
                return None
            if exc.code >= 500 and attempt + 1 < HTTP_ATTEMPTS:
                continue
            raise PackageIndexError(
                f"{redact_url(url)} answered HTTP {exc.code}",
                hint="Check the index URL and its credentials (pip config, PIP_INDEX_URL).",
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            if attempt + 1 < HTTP_ATTEMPTS:
                continue
            reason = getattr(exc, "reason", exc)
            raise PackageIndexError(
                f"cannot reach {redact_url(url)}: {reason}",
                hint="Check the network and the index URL, or run with --offline to use the cache.",
            ) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _strip_credentials(final_url: str, asked: str) -> str:
    # Keep the asked URL's credentials for relative links; the final URL never carries them.
    asked_parts = urllib.parse.urlsplit(asked)
    final_parts = urllib.parse.urlsplit(final_url)
    if "@" in asked_parts.netloc and final_parts.netloc == asked_parts.netloc.rpartition("@")[2]:
        return urllib.parse.urlunsplit(final_parts._replace(netloc=asked_parts.netloc))
    return final_url


def default_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get("UPGRADER_CACHE_DIR"):
        return Path(env["UPGRADER_CACHE_DIR"])
    base = env.get("XDG_CACHE_HOME") or str(Path(env.get("HOME", str(Path.home()))) / ".cache")
    return Path(base) / "upgrader"


def _strings(value: object) -> tuple[str, ...]:
    return tuple(str(x) for x in value) if isinstance(value, list) else ()


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


@dataclass
class PackageIndex:
    """Reads releases and metadata from the configured indexes, through the on-disk cache."""

    config: IndexConfig = field(default_factory=IndexConfig)
    cache_dir: Path = field(default_factory=default_cache_dir)
    offline: bool = False
    listing_ttl: float = LISTING_TTL
    _memory: dict[str, object] = field(default_factory=dict, repr=False)

    # cache helpers
    def _cache_path(self, kind: str, key: str) -> Path:
        return self.cache_dir / f"v{CACHE_SCHEMA}" / kind / f"{key}.json"

    def _cache_read(self, kind: str, key: str, ttl: float | None) -> dict[str, object] | None:
        path = self._cache_path(kind, key)
        try:
            payload = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(payload, dict):
            return None
        fetched = payload.get("fetched", 0)
        fresh = isinstance(fetched, int | float) and time.time() - fetched <= (ttl or 0)
        if ttl is not None and not self.offline and not fresh:
            return None
        return payload

    def _cache_write(self, kind: str, key: str, payload: dict[str, object]) -> None:
        path = self._cache_path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, json.dumps({**payload, "fetched": time.time()}).encode())
        except OSError as exc:
            log.debug("cannot write the index cache %s: %s", path, exc)

    # listings
    def _listing(self, base: str, name: str) -> list[DistFile] | None:
        cache_key = _key(f"{base}|{name}")
        cached = self._cache_read("listing", cache_key, self.listing_ttl)
        if cached is not None:
            if cached.get("missing"):
                return None
            raw = cached.get("files", [])
            # A listing cached before upload times were kept would date nothing: fetch it again
            # (offline, it is used as it is).
            dated = not raw or not isinstance(raw, list) or "upload_time" in raw[0]
            try:
                if dated or self.offline:
                    return [DistFile(**item) for item in raw] if isinstance(raw, list) else []
            except TypeError:
                log.debug("unreadable listing cache for %s: fetching again", name)
        if self.offline:
            raise PackageIndexError(
                f"{name} is not in the metadata cache ({self.cache_dir}) for "
                f"{redact_url(base)} and --offline forbids fetching it",
                hint="Run once without --offline to fill the cache.",
            )
        page = base.rstrip("/") + f"/{name}/"
        response = _get(page, ACCEPT)
        if response is None:
            self._cache_write("listing", cache_key, {"missing": True})
            return None
        if response.content_type == JSON_CONTENT_TYPE:
            files = parse_json_listing(json.loads(response.data), response.url)
        else:
            files = parse_html_listing(response.data.decode("utf-8", "replace"), response.url)
        self._cache_write(
            "listing", cache_key, {"files": [f.__dict__ for f in files], "missing": False}
        )
        return files

    def _find_links_files(self, name: str) -> list[DistFile]:
        files: list[DistFile] = []
        for location in self.config.find_links:
            response = _get(location)
            if response is None or response.content_type != "text/html":
                continue
            listed = parse_html_listing(response.data.decode("utf-8", "replace"), response.url)
            files += [f for f in listed if _version_of(f.filename, name) is not None]
        return files

    def releases(self, name: str) -> PackageReleases:
        """Every release of ``name`` on every index, oldest first (files merged by version)."""
        name = canonicalize_name(name)
        memo = self._memory.get(f"releases|{name}")
        if isinstance(memo, PackageReleases):
            return memo
        by_version: dict[Version, list[DistFile]] = {}
        sources: list[str] = []
        failures: list[PackageIndexError] = []
        for base in self.config.urls:
            try:
                files = self._listing(base, name)
            except PackageIndexError as exc:
                # As pip: one index failing does not hide the others' releases.
                log.debug("%s", exc.message)
                failures.append(exc)
                continue
            if files is None:
                continue
            sources.append(redact_url(base))
            for dist in files:
                version = _version_of(dist.filename, name)
                if version is not None:
                    by_version.setdefault(version, []).append(dist)
        for dist in self._find_links_files(name):
            version = _version_of(dist.filename, name)
            if version is not None:
                by_version.setdefault(version, []).append(dist)
        if not by_version and failures:
            raise failures[0]
        if not by_version:
            where = ", ".join(redact_url(u) for u in self.config.urls)
            raise PackageIndexError(
                f"package {name} was not found on {where}",
                hint="Check its name, or add the index that serves it (--extra-index-url).",
            )
        result = PackageReleases(
            name,
            tuple(ReleaseFiles(v, tuple(by_version[v])) for v in sorted(by_version)),
            tuple(sources),
        )
        self._memory[f"releases|{name}"] = result
        return result

    # metadata
    def metadata(self, name: str, release: ReleaseFiles) -> CoreMetadata:
        """The core metadata of ``release``: PEP 658 file, else the smallest wheel, else the sdist."""
        name = canonicalize_name(name)
        if not release.files:
            return CoreMetadata(name, release.version, source="none")
        # PEP 658 files first, then wheels before sdists, smallest first when sizes are known.
        ordered = sorted(
            release.files,
            key=lambda f: (f.metadata_url is None, not f.is_wheel, f.size or 0),
        )
        first = ordered[0]
        cache_key = _key(first.sha256 or first.url)
        cached = self._cache_read("metadata", cache_key, None)
        if cached is not None:
            return CoreMetadata(
                name=name,
                version=release.version,
                requires_dist=_strings(cached.get("requires_dist")),
                requires_python=_optional_str(cached.get("requires_python")),
                classifiers=_strings(cached.get("classifiers")),
                source=str(cached.get("source", "")),
            )
        if self.offline:
            raise PackageIndexError(
                f"the metadata of {name} {release.version} is not in the cache ({self.cache_dir}) "
                "and --offline forbids fetching it",
                hint="Run once without --offline to fill the cache.",
            )
        meta = self._fetch_metadata(release, ordered)
        meta = CoreMetadata(
            name,
            release.version,
            meta.requires_dist,
            meta.requires_python or release.requires_python,
            meta.classifiers,
            meta.source,
        )
        self._cache_write(
            "metadata",
            cache_key,
            {
                "requires_dist": list(meta.requires_dist),
                "requires_python": meta.requires_python,
                "classifiers": list(meta.classifiers),
                "source": meta.source,
            },
        )
        return meta

    # release files
    def download(self, dist: DistFile) -> Path:
        """``dist`` (a wheel or sdist) on disk, fetched once into the cache (``files/``) and
        checked against the sha256 the index gives; ``PackageIndexError`` when it cannot be."""
        name = Path(urllib.parse.unquote(dist.filename)).name or "file"
        path = self.cache_dir / f"v{CACHE_SCHEMA}" / "files" / _key(dist.sha256 or dist.url) / name
        if path.is_file():
            return path
        where = redact_url(dist.url)
        if self.offline:
            raise PackageIndexError(
                f"{name} is not in the cache ({self.cache_dir}) and --offline forbids fetching it",
                hint="Run once without --offline to fill the cache.",
            )
        response = _get(dist.url)
        if response is None:
            raise PackageIndexError(
                f"{where} does not exist", hint="Check the index: it lists a file it cannot serve."
            )
        if dist.sha256 and hashlib.sha256(response.data).hexdigest() != dist.sha256.lower():
            raise PackageIndexError(
                f"{where} does not match the sha256 its index gives",
                hint="Check the index or the proxy in between: the file was changed or cut.",
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, response.data)
        except OSError as exc:
            raise PackageIndexError(
                f"cannot write {name} into the cache {self.cache_dir}: {exc}",
                hint="Make the cache folder writable, or set UPGRADER_CACHE_DIR.",
            ) from None
        return path

    def _fetch_metadata(self, release: ReleaseFiles, ordered: list[DistFile]) -> CoreMetadata:
        for dist in ordered:
            # Some mirrors drop the PEP 658 attribute but still serve the file: try it for wheels.
            candidates = [dist.metadata_url] if dist.metadata_url else []
            if not candidates and dist.is_wheel and dist.url.startswith(("http://", "https://")):
                candidates.append(dist.url + ".metadata")
            for meta_url in candidates:
                try:
                    response = _get(meta_url)
                except PackageIndexError:
                    response = None
                if response is not None and response.data.lstrip().startswith(b"Metadata-Version"):
                    return parse_metadata(response.data.decode("utf-8", "replace"), "pep658")
        wheels = [d for d in ordered if d.is_wheel]
        sdists = [d for d in ordered if not d.is_wheel]
        for dist in [*wheels[:1], *sdists[:1]]:
            response = _get(dist.url)
            if response is None:
                continue
            try:
                text = _metadata_from_archive(dist.filename, response.data)
            except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError):
                text = None
            if text:
                return parse_metadata(text, "wheel" if dist.is_wheel else "sdist")
        return CoreMetadata(
            "", release.version, requires_python=release.requires_python, source="none"
        )
