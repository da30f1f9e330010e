"""Source map comments whose map the project does not ship, when a manifest storage hashes them.

``ManifestStaticFilesStorage`` (and every storage built on it: whitenoise's
``CompressedManifestStaticFilesStorage``, a project's own subclass) rewrites the references it
finds in the collected files to their hashed names, and ``collectstatic`` stops on a reference
whose file is missing (``ValueError``/whitenoise's ``MissingFileError``: "The file '…' could not
be found"). Django 4.0 added JavaScript's ``//# sourceMappingURL=…`` to what it follows, Django
4.1 CSS's ``/*# sourceMappingURL=… */`` (``HashedFilesMixin.patterns``; the 4.0 and 4.1 release
notes, "django.contrib.staticfiles"). A vendored ``.min.js`` naming a ``.map`` nobody copied
(pretalx, FINDINGS F42) then breaks the hop's collectstatic and every test run after it.

:func:`dangling_source_maps` reads the project's static files (``.js``/``.css`` under a folder
named ``static``; the path after it is the file's static name, as ``FileSystemFinder`` and
``AppDirectoriesFinder`` give it) with Django's own two patterns, resolves each relative URL the
way ``HashedFilesMixin.url_converter`` does (``data:``/``http:`` URLs and absolute paths are
left, as Django leaves the ones outside ``STATIC_URL``; the fragment is dropped) and reports
each whose target exists in none of the project's static folders. The scanner asks only when a
settings file names a manifest storage (:func:`names_manifest_storage`). Static files of
installed packages are not read.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urldefrag

JS_ID = "staticfiles-js-source-map"
CSS_ID = "staticfiles-css-source-map"

# Django 4.2's HashedFilesMixin.patterns for source maps, compiled as it compiles them
# (re.IGNORECASE; the (?-i:...) keeps sourceMappingURL's case).
_PATTERNS: dict[str, tuple[str, re.Pattern[str]]] = {
    ".js": (JS_ID, re.compile(r"(?m)^//# (?-i:sourceMappingURL)=(?P<url>.*)$", re.IGNORECASE)),
    ".css": (
        CSS_ID,
        re.compile(r"(?m)^/\*#[ \t](?-i:sourceMappingURL)=(?P<url>.*)[ \t]*\*/$", re.IGNORECASE),
    ),
}
_NEEDLE = b"sourceMappingURL"
STATIC_DIR = "static"


@dataclass(frozen=True)
class DanglingMap:
    """A source map comment at ``file:line`` (relative to the root) naming a missing file."""

    id: str  # JS_ID or CSS_ID
    file: str
    line: int
    url: str  # as written
    target: str  # the static name it resolves to


def names_manifest_storage(value: str) -> bool:
    """Whether a settings string names a manifest storage: a dotted path whose class name has
    "Manifest" in it (``…staticfiles.storage.ManifestStaticFilesStorage``, whitenoise's
    ``CompressedManifestStaticFilesStorage``, a project's ``MyManifestStorage``)."""
    if "." not in value or any(c.isspace() for c in value):
        return False
    name = value.rpartition(".")[2]
    return "Manifest" in name and name.isidentifier()


def _static_name(rel: PurePosixPath) -> tuple[PurePosixPath, str] | None:
    """(the static folder, the file's static name) for a file under a ``static`` folder."""
    parts = rel.parts
    for index, part in enumerate(parts[:-1]):
        if part == STATIC_DIR:
            return PurePosixPath(*parts[: index + 1]), "/".join(parts[index + 1 :])
    return None


def _target(name: str, url: str) -> str | None:
    """The static name ``url`` in the static file ``name`` points at, as Django resolves it;
    None for the URLs Django leaves alone (and absolute paths, whose STATIC_URL is not read)."""
    url = url.strip()
    if re.match(r"^[a-z]+:", url) or url.startswith("/"):
        return None
    path, _fragment = urldefrag(url)
    if not path:
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(path)))
    return None if joined.startswith("../") or joined == ".." else joined


def _references(text: str, suffix: str) -> Iterator[tuple[str, int, str]]:
    deprecation_id, pattern = _PATTERNS[suffix]
    for match in pattern.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        yield deprecation_id, line, match.group("url")


def dangling_source_maps(root: Path, files: Iterable[Path]) -> list[DanglingMap]:
    """Each source map comment in the project's static ``.js``/``.css`` files (``files``: the
    project's files, absolute paths under ``root``) whose target no static folder has."""
    statics: list[tuple[Path, PurePosixPath, str]] = []
    folders: set[PurePosixPath] = set()
    for path in files:
        rel = PurePosixPath(path.relative_to(root).as_posix())
        found = _static_name(rel)
        if found is not None:
            folders.add(found[0])
            if rel.suffix in _PATTERNS:
                statics.append((path, *found))
    dangling: list[DanglingMap] = []
    for path, folder, name in statics:
        try:
            data = path.read_bytes()
        except OSError:
            continue  # the scan's other detectors name unreadable files
        if _NEEDLE not in data:
            continue
        text = data.decode("utf-8", errors="replace")
        for deprecation_id, line, url in _references(text, path.suffix):
            target = _target(name, url)
            if target is None:
                continue
            if any((root / other / target).is_file() for other in folders):
                continue
            dangling.append(
                DanglingMap(deprecation_id, (folder / name).as_posix(), line, url.strip(), target)
            )
    return dangling
