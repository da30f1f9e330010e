"""The rewrite stage's data: what it is given (:class:`RewriteConfig`, one :class:`Job` per file
with its :class:`Sibling` files) and what it gives back (:class:`Outcome` per file,
:class:`RewriteResult` for the project). Frozen dataclasses only, their methods reading their
own fields (workers receive and return them pickled)."""

from __future__ import annotations

import base64
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from packaging.version import Version

from codemods import RuleContext
from upgrader.files import Skipped

FileKind = Literal["python", "template"]


@dataclass(frozen=True)
class Sibling:
    """Another project file a guard reads: what it is to the file being rewritten (``key``:
    ``apps``, ``init``, ``star:<module as imported>``), its path relative to the root, its
    bytes, and whether the rewrite stage may change it (one of its files, not excluded or
    generated)."""

    key: str
    rel: str
    data: bytes
    editable: bool = True

    @property
    def text(self) -> str | None:
        try:
            return self.data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None


@dataclass(frozen=True)
class RuleHit:
    """One rule (or tool fixer) that changed a file, and the 1-based lines it changed.

    Lines are numbered as in the file before the stage ran, mapped back through earlier stages
    to the original file; a pure insertion is reported at the line it follows (at least 1).
    """

    rule: str
    lines: tuple[int, ...]


@dataclass(frozen=True)
class FileChange:
    """A file the stage changed (or would change, in a dry run) and who changed what."""

    path: Path
    rules: tuple[RuleHit, ...]
    diff: str  # unified diff, ``a/<relative path>`` -> ``b/<relative path>``


@dataclass(frozen=True)
class RewriteResult:
    """What the rewrite stage did (``written``) or would do (a dry run) to a project."""

    changes: tuple[FileChange, ...]
    failures: tuple[Skipped, ...]
    notes: tuple[str, ...]
    files_checked: int
    cache_hits: int = 0
    written: bool = False

    @property
    def counts(self) -> dict[str, int]:
        """Rule id -> number of files it changed, sorted by rule id."""
        counter = Counter(hit.rule for change in self.changes for hit in change.rules)
        return dict(sorted(counter.items()))

    @property
    def line_counts(self) -> dict[str, int]:
        """Rule id -> number of lines it changed over all files, sorted by rule id."""
        counter: Counter[str] = Counter()
        for change in self.changes:
            for hit in change.rules:
                counter[hit.rule] += len(hit.lines)
        return dict(sorted(counter.items()))

    @property
    def diff(self) -> str:
        return "".join(change.diff for change in self.changes)


@dataclass(frozen=True)
class RewriteConfig:
    """Everything a worker needs about the hop (picklable; the same for every file).

    Built by :func:`hop_config` (or by :func:`run_rule_on_paths` for one rule).
    """

    root: Path
    django_from: Version
    django_to: Version
    python_to: Version
    packages: tuple[tuple[str, Version], ...]
    rule_ids: tuple[str, ...]  # our rules to run (already filtered by the hop)
    django_upgrade_target: tuple[int, int] | None  # None: do not run django-upgrade
    pyupgrade_min: tuple[int, int] | None  # None: do not run pyupgrade
    grammar: tuple[int, int] | None  # ast feature_version for parse checks
    all_settings: bool = False  # treat every Python file as settings (``codemods run``)
    # URL name -> routes to LogoutView, from the project's URLconf (None: not read).
    url_names: tuple[tuple[str, bool], ...] | None = None
    # The project's Signal subclasses -> defines ``__init__`` (None: not read).
    signal_classes: tuple[tuple[str, bool], ...] | None = None

    def context(self, rel: str, is_settings: bool) -> RuleContext:
        return RuleContext(
            django_from=self.django_from,
            django_to=self.django_to,
            python_to=self.python_to,
            packages=dict(self.packages),
            filename=rel,
            is_settings=is_settings,
            url_names=None if self.url_names is None else dict(self.url_names),
            signal_classes=None if self.signal_classes is None else dict(self.signal_classes),
        )


@dataclass(frozen=True)
class Job:
    path: Path  # resolved
    rel: str  # relative to the root, posix
    kind: FileKind
    is_settings: bool
    data: bytes
    # Other files' original bytes that a guard of a wrapped fixer decides on (in the cache key).
    siblings: tuple[Sibling, ...] = ()

    def sibling(self, key: str) -> Sibling | None:
        return next((s for s in self.siblings if s.key == key), None)


@dataclass(frozen=True)
class Outcome:
    new: bytes | None  # None: unchanged
    hits: tuple[RuleHit, ...] = ()
    notes: tuple[str, ...] = ()
    failures: tuple[str, ...] = ()  # reasons (the file may still have changed by other stages)
    diff: str = ""
    # New files that belong with this change: (path relative to the root, text, rule).
    created: tuple[tuple[str, str, str], ...] = ()
    # False: not stored in the cache (a file over the CPU budget may fit on another run).
    cacheable: bool = True

    def to_json(self) -> bytes:
        payload = {
            "new": None if self.new is None else base64.b64encode(self.new).decode("ascii"),
            "hits": [[hit.rule, list(hit.lines)] for hit in self.hits],
            "notes": list(self.notes),
            "failures": list(self.failures),
            "diff": self.diff,
            "created": [list(item) for item in self.created],
        }
        return json.dumps(payload, separators=(",", ":")).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Outcome:
        payload = json.loads(raw)
        new = payload["new"]
        return cls(
            new=None if new is None else base64.b64decode(new),
            hits=tuple(RuleHit(rule, tuple(lines)) for rule, lines in payload["hits"]),
            notes=tuple(payload["notes"]),
            failures=tuple(payload["failures"]),
            diff=payload["diff"],
            created=tuple((rel, text, rule) for rel, text, rule in payload.get("created", [])),
        )
