"""Which package indexes to ask, and how to name them safely.

The indexes are pip's: ``--index-url``/``--extra-index-url`` lines in the project's requirement
files, then ``PIP_INDEX_URL``/``PIP_EXTRA_INDEX_URL``, then ``pip config list``. Indexes that
cannot be reached (``file://`` folders that do not exist) are dropped with a debug note.
Credentials in index URLs are never shown: every URL in a message goes through ``redact_url``.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from upgrader.errors import UpgraderError

log = logging.getLogger(__name__)


log = logging.getLogger(__name__)
PYPI_SIMPLE = "https://pypi.org/simple/"


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
