"""The ``.upgrader/`` folder in a project: saved state, the hop lock, logs.

- ``state.json``: schema-versioned JSON (``STATE_SCHEMA``), written atomically; a file that
  cannot be read gives a clear error instead of silently starting over.
- ``lock``: held while a hop runs, holding the owner's pid and host, so a second
  ``upgrader step`` is refused, and a lock left by a dead process is taken over. The owner is
  written to a temporary file first and hard-linked into place, so the lock appears whole or not
  at all: no reader ever sees an empty lock and calls it stale.
- ``README.md`` says what the folder is; ``.gitignore`` keeps state, lock and logs out of commits
  (they must survive switching branches and resetting a hop).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from upgrader.errors import StateError
from upgrader.files import write_atomic
from upgrader.serialize import from_data, to_data

STATE_DIR = ".upgrader"
STATE_SCHEMA = 1
T = TypeVar("T")

README = """\
# .upgrader

This folder belongs to [upgrader](https://pypi.org/project/upgrader/), the Django upgrade
assistant. It is safe to delete when no upgrade is in progress.

- `state.json`: where the project stands on its upgrade path (schema-versioned JSON; not committed).
- `lock`: present while `upgrader step` runs (not committed).
- `logs/`: full logs of test runs and tool runs (not committed).
- `tox.ini`, `constraints/`: the per-stage test environments and dependency sets (committed on
  each hop's branch, so CI can run every stage).
- `reports/django-X.Y/`: each hop's report (report.md, report.html, report.json), committed on
  the hop's branch.
- `backups/`: copies of the files a hop without git touches (not committed).
"""

GITIGNORE = """\
# Written by upgrader: run-time state, not project history. This file and the README are
# committed with a hop's first phase (git add -f) and ignored until then, so a tree where no
# hop is under way (e.g. after a rollback) stays clean.
.gitignore
README.md
state.json
lock
logs/
cache/
backups/
*.tmp
"""


def state_dir(root: Path) -> Path:
    return root / STATE_DIR


def ensure_state_dir(root: Path) -> Path:
    """Create ``.upgrader/`` with its README and .gitignore (idempotent)."""
    directory = state_dir(root)
    directory.mkdir(exist_ok=True)
    for name, text in (("README.md", README), (".gitignore", GITIGNORE)):
        path = directory / name
        if not path.exists():
            write_atomic(path, text.encode())
    return directory


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def write_json(path: Path, document: Any, *, schema: int) -> None:
    data = {"schema": schema, **to_data(document)}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, (json.dumps(data, indent=2, sort_keys=False) + "\n").encode())


def read_json(path: Path, cls: type[T], *, schema: int) -> T:
    """Load a document written by :func:`write_json`; corrupt or foreign files are a StateError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        why = "nested too deeply to read" if isinstance(exc, RecursionError) else str(exc)
        raise StateError(
            f"{path} is not readable upgrader state ({why})",
            hint="Restore it from a backup, or delete it to start the upgrade state afresh "
            "(nothing in the project itself is lost: every finished hop is a git commit).",
            path=path,
        ) from None
    if not isinstance(data, dict) or data.get("schema") != schema:
        found = data.get("schema") if isinstance(data, dict) else None
        raise StateError(
            f"{path} has schema {found!r}; this upgrader reads schema {schema}",
            hint="Use the upgrader version that wrote it, or delete the file to start afresh.",
            path=path,
        )
    body = {k: v for k, v in data.items() if k != "schema"}
    try:
        return from_data(cls, body)
    except ValueError as exc:
        raise StateError(
            f"{path} is damaged: {exc}",
            hint="Delete it to start the upgrade state afresh.",
            path=path,
        ) from None


@dataclass(frozen=True)
class LockInfo:
    pid: int
    host: str
    started: str
    command: str = ""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class HopLock:
    """``with HopLock(root, "step"):`` holds ``.upgrader/lock`` for the duration."""

    root: Path
    command: str = ""
    took_over: LockInfo | None = field(default=None, init=False)

    @property
    def path(self) -> Path:
        return state_dir(self.root) / "lock"

    @staticmethod
    def _read_file(path: Path) -> LockInfo | None:
        """The owner in ``path``; None when the file is unreadable. FileNotFoundError passes."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return from_data(LockInfo, data)
        except FileNotFoundError:
            raise
        except (OSError, ValueError):
            return None

    def _read(self) -> LockInfo | None:
        try:
            return self._read_file(self.path)
        except FileNotFoundError:
            return None

    def _refuse(self, holder: LockInfo) -> StateError:
        return StateError(
            f"another upgrader run holds {self.path} "
            f"(pid {holder.pid} on {holder.host}, since {holder.started}: {holder.command})",
            hint="Wait for it to finish. If it is gone (e.g. another machine crashed), "
            f"delete {self.path} and run again.",
            path=self.path,
        )

    def _create(self, payload: bytes) -> bool:
        """Make the lock, whole, in one atomic step; False when a lock is already there."""
        fd, tmp = tempfile.mkstemp(prefix=".lock.", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(tmp, self.path)
            except FileExistsError:
                return False
            except OSError:  # no hard links on this file system: O_EXCL, content in one write
                try:
                    out = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                except FileExistsError:
                    return False
                try:
                    os.write(out, payload)
                finally:
                    os.close(out)
            return True
        finally:
            Path(tmp).unlink(missing_ok=True)

    def _put_aside_stale(self, holder: LockInfo | None) -> None:
        """Move a stale lock out of the way, atomically; if what was moved turns out to be
        another run's fresh lock (it took the stale one over first), put it back and refuse."""
        aside = self.path.with_name(f".lock.{os.getpid()}.stale.tmp")
        try:
            os.replace(self.path, aside)
        except FileNotFoundError:
            return  # released or put aside by someone else meanwhile: try again
        try:
            moved = self._read_file(aside)
        except FileNotFoundError:
            moved = None
        try:
            if moved != holder and moved is not None:
                with contextlib.suppress(FileExistsError):
                    os.link(aside, self.path)
                raise self._refuse(moved) from None
        finally:
            aside.unlink(missing_ok=True)

    def acquire(self) -> None:
        ensure_state_dir(self.root)
        info = LockInfo(os.getpid(), socket.gethostname(), now(), self.command)
        payload = json.dumps(to_data(info)).encode()
        for _attempt in range(5):
            if self._create(payload):
                return
            try:
                holder = self._read_file(self.path)
            except FileNotFoundError:
                continue  # released between our attempt and the read: try again
            if holder is not None and (
                holder.host != socket.gethostname() or _pid_alive(holder.pid)
            ):
                raise self._refuse(holder)
            # Stale: its process is dead (or the file is not a lock we can read). Take it over.
            self.took_over = holder
            self._put_aside_stale(holder)
        raise StateError(f"could not take {self.path}", hint="Delete it and run again.")

    def release(self) -> None:
        holder = self._read()
        if holder is None or holder.pid == os.getpid():
            self.path.unlink(missing_ok=True)

    def __enter__(self) -> HopLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
