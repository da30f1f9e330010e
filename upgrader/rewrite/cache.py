"""The content-keyed cache of outcomes (sqlite, in the user cache folder)."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import sqlite3
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from upgrader.rewrite.model import Job, Outcome, RewriteConfig


def default_cache_dir() -> Path:
    """``$UPGRADER_CACHE_DIR``, else ``$XDG_CACHE_HOME/upgrader``, else ``~/.cache/upgrader``."""
    explicit = os.environ.get("UPGRADER_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "upgrader"


@cache
def _code_fingerprint() -> str:
    """Tool versions and our own rule/engine sources: any change invalidates the cache."""
    digest = hashlib.sha256()
    for dist in ("django-upgrade", "pyupgrade", "libcst"):
        try:
            digest.update(f"{dist}=={importlib.metadata.version(dist)};".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{dist}=?;".encode())
    digest.update(f"python{sys.version_info[:2]};".encode())
    import codemods

    engine = sorted(Path(__file__).parent.glob("*.py"))  # this package: the engine's sources
    # The findings' Python detectors: codemods share their hit functions with the plan's items.
    detectors = sorted((Path(__file__).parents[1] / "findings").glob("python_*.py"))
    sources = [*engine, *sorted(Path(codemods.__file__).parent.glob("*.py")), *detectors]
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(config: RewriteConfig) -> str:
    facts: dict[str, Any] = {
        "code": _code_fingerprint(),
        "django": [str(config.django_from), str(config.django_to)],
        "python": str(config.python_to),
        "packages": [[name, str(v)] for name, v in config.packages],
        "rules": list(config.rule_ids),
        "django_upgrade": config.django_upgrade_target,
        "pyupgrade": config.pyupgrade_min,
        "grammar": config.grammar,
        "all_settings": config.all_settings,
        "url_names": config.url_names,
        "signal_classes": config.signal_classes,
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


@dataclass
class Cache:
    """Outcomes by sha256(fingerprint, path, kind, settings flag, content), in one sqlite file.

    A cache that cannot be opened or written is silently not used: it only saves time.
    """

    connection: sqlite3.Connection | None
    fingerprint: str
    _pending: list[tuple[str, bytes]] = field(default_factory=list)

    @classmethod
    def open(cls, directory: Path | None, fingerprint: str) -> Cache:
        folder = directory or default_cache_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(folder / "rewrite.sqlite3", timeout=30)
            connection.execute(
                "CREATE TABLE IF NOT EXISTS outcome (key TEXT PRIMARY KEY, value BLOB NOT NULL)"
            )
        except (OSError, sqlite3.Error):
            return cls(None, fingerprint)
        return cls(connection, fingerprint)

    def key(self, job: Job) -> str:
        # Names are encoded as the file system spells them: a name that is not UTF-8 (b'caf\xe9.py'
        # from an old archive) holds surrogates that a plain ``.encode()`` refuses.
        digest = hashlib.sha256(self.fingerprint.encode())
        digest.update(
            b"\0%s\0%s\0%d\0" % (os.fsencode(job.rel), job.kind.encode(), job.is_settings)
        )
        digest.update(job.data)
        for sibling in job.siblings:
            digest.update(
                b"\0%s\0%s\0%d\0"
                % (os.fsencode(sibling.key), os.fsencode(sibling.rel), sibling.editable)
            )
            digest.update(hashlib.sha256(sibling.data).digest())
        return digest.hexdigest()

    def get(self, key: str) -> Outcome | None:
        if self.connection is None:
            return None
        try:
            row = self.connection.execute(
                "SELECT value FROM outcome WHERE key = ?", (key,)
            ).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        try:
            return Outcome.from_json(row[0])
        except (ValueError, KeyError, TypeError):
            return None

    def put_many(self, items: Iterable[tuple[str, Outcome]]) -> None:
        if self.connection is None:
            return
        rows = [(key, outcome.to_json()) for key, outcome in items]
        try:
            with self.connection:
                self.connection.executemany(
                    "INSERT OR REPLACE INTO outcome (key, value) VALUES (?, ?)", rows
                )
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
