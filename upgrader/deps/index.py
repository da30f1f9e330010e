"""Package-index metadata: the releases of a package and the core metadata of each.

Listings come from the PEP 691 JSON simple API (``application/vnd.pypi.simple.v1+json``), with the
PEP 503 HTML page as fallback (PEP 592 ``data-yanked``, PEP 658/714 ``data-core-metadata``).
Core metadata (``Requires-Dist``, ``Requires-Python``, classifiers) comes from the PEP 658
``.metadata`` file, else from the smallest wheel or sdist of the release.

Which indexes to ask is ``index_config`` (pip's configuration, URLs redacted); what a listing or
a metadata file says is ``listing`` (parsing only); this module fetches, caches and answers.

Everything fetched is cached on disk (``UPGRADER_CACHE_DIR``, else ``$XDG_CACHE_HOME/upgrader``,
else ``~/.cache/upgrader``): listings for ``LISTING_TTL`` seconds, metadata and the release files
``download`` fetches (``files/``) for good (a released file never changes). ``offline=True`` reads the cache only. Credentials in index URLs are never
shown: every URL in a message goes through ``redact_url``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import netrc
import os
import tarfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from packaging.utils import (
    canonicalize_name,
)
from packaging.version import Version

from upgrader.deps.index_config import (
    PYPI_SIMPLE,
    IndexConfig,
    PackageIndexError,
    index_config,
    reachable,
    redact_text,
    redact_url,
)
from upgrader.deps.listing import (
    SDIST_SUFFIXES,
    CoreMetadata,
    DistFile,
    PackageReleases,
    ReleaseFiles,
    group_releases,
    metadata_from_archive,
    optional_str,
    parse_html_listing,
    parse_json_listing,
    parse_metadata,
    parse_timestamp,
    version_of,
)
from upgrader.files import write_atomic

log = logging.getLogger(__name__)

# Re-exported: importers take the index's configuration and listings from here.
__all__ = [
    "PYPI_SIMPLE",
    "SDIST_SUFFIXES",
    "CoreMetadata",
    "DistFile",
    "IndexConfig",
    "PackageIndex",
    "PackageIndexError",
    "PackageReleases",
    "ReleaseFiles",
    "default_cache_dir",
    "group_releases",
    "index_config",
    "parse_html_listing",
    "parse_json_listing",
    "parse_metadata",
    "parse_timestamp",
    "reachable",
    "redact_text",
    "redact_url",
]


JSON_CONTENT_TYPE = "application/vnd.pypi.simple.v1+json"
ACCEPT = f"{JSON_CONTENT_TYPE}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"
LISTING_TTL = 3600.0
HTTP_TIMEOUT = 30.0
HTTP_ATTEMPTS = 2  # one retry for connection errors and 5xx answers
CACHE_SCHEMA = 1


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
            files += [f for f in listed if version_of(f.filename, name) is not None]
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
                version = version_of(dist.filename, name)
                if version is not None:
                    by_version.setdefault(version, []).append(dist)
        for dist in self._find_links_files(name):
            version = version_of(dist.filename, name)
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
                requires_python=optional_str(cached.get("requires_python")),
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
                text = metadata_from_archive(dist.filename, response.data)
            except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError):
                text = None
            if text:
                return parse_metadata(text, "wheel" if dist.is_wheel else "sdist")
        return CoreMetadata(
            "", release.version, requires_python=release.requires_python, source="none"
        )
