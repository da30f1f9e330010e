"""What an index says about a package: its release files (PEP 691 JSON or the PEP 503 HTML
page, PEP 592 yanks, PEP 658/714 core metadata) and a release's core metadata, parsed."""

from __future__ import annotations

import email.parser
import html.parser
import io
import logging
import re
import tarfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

log = logging.getLogger(__name__)
SDIST_SUFFIXES = (".tar.gz", ".zip", ".tar.bz2", ".tgz")


def optional_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


log = logging.getLogger(__name__)


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


def version_of(filename: str, name: str) -> Version | None:
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
                upload_time=optional_str(item.get("upload-time")),
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


def metadata_from_archive(filename: str, data: bytes) -> str | None:
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
        version = version_of(dist.filename, name)
        if version is not None:
            by_version.setdefault(version, []).append(dist)
    return tuple(ReleaseFiles(v, tuple(by_version[v])) for v in sorted(by_version))
