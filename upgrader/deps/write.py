"""Write chosen versions back into the project's own files, changing as little as possible.

Each declaration (``upgrader.detect.requirements.DeclaredRequirement``) knows its file and line;
only the version part of that line changes. Comments, order, markers, extras, ``--hash``
continuation lines, ``-e``/URL lines, index options and the rest of the file stay byte for byte
(encoding, BOM and line endings included):

- ``requirements*.txt``/``.in``, PEP 621 ``pyproject.toml``, ``setup.cfg``, ``setup.py``: the
  PEP 440 specifier after the package name. An exact pin (``==``) moves to the chosen version;
  a range is left alone when it admits the chosen version (a pip-tools ``.in`` keeps its
  ranges), otherwise its bounds move to the chosen version's series.
- Poetry (``^``, ``~``, bare versions) and Pipfile: the quoted constraint on the package's line.
- A hashed pin that changes keeps its old ``--hash`` lines, which no longer match: the result
  says so and names the command that regenerates them.
- Lock files (``poetry.lock``, ``Pipfile.lock``, ``uv.lock``) and pip-compiled ``.txt`` files are
  regenerated with the project's tool. pipenv and Poetry, when not installed, run through uv
  (``uv tool run --from pipenv pipenv lock``; Poetry at the version the lock's header names),
  with a temporary virtualenv folder so no environment of the user's is touched, and pipenv
  with the hop's Python (``--python``). A lock that could not be regenerated is returned as
  stale (``WriteResult.stale_locks``) with the command to run.
- A package the curated table renames gets its name and version replaced on the same line.
- A companion package (``Addition``: crispy-bootstrap4 beside django-crispy-forms 2.0, from
  ``upgrader.deps.upgrade_steps``) gets a new line right after the line of the package it goes
  with, written the same way (quotes, indentation, pin or range, marker).

This module plans the writes (``plan_writes``); the types are in ``write_model``, the editing of
one line in ``write_lines``, writing and regenerating in ``write_apply`` (``apply_writes``).
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Mapping, Sequence
from pathlib import Path

from upgrader.deps.model import Choice, ReplacementChoice
from upgrader.deps.write_apply import apply_writes
from upgrader.deps.write_lines import (
    PEP508_KINDS,
    TABLE_KINDS,
    edit_line,
    has_hashes,
    needs_change,
    updated_specifier,
)
from upgrader.deps.write_model import (
    Addition,
    FileEdit,
    LineChange,
    Regeneration,
    WritePlan,
    WriteResult,
    unified_diff,
)
from upgrader.detect.django_version import LOCK_COMMANDS
from upgrader.detect.requirements import DeclaredRequirement
from upgrader.files import SourceText, read_text

__all__ = [
    "PEP508_KINDS",
    "TABLE_KINDS",
    "Addition",
    "FileEdit",
    "LineChange",
    "Regeneration",
    "WritePlan",
    "WriteResult",
    "apply_writes",
    "compile_command",
    "plan_writes",
    "unified_diff",
    "updated_specifier",
]

_COMPILED = re.compile(r"^#\s+(?P<cmd>(?:pip-compile|uv pip compile)\b.*)$", re.MULTILINE)


def compile_command(text: str) -> tuple[str, ...] | None:
    """The command recorded in a pip-compile / uv pip compile header, or None."""
    match = _COMPILED.search(text[:2000])
    if match is None:
        return None
    try:
        return tuple(shlex.split(match["cmd"]))
    except ValueError:
        return None


def _keep_index_lines(command: tuple[str, ...], text: str) -> tuple[str, ...]:
    """pip-compile options so a regenerated file gains no index lines it did not have.

    pip-compile writes the machine's index configuration into its output by default; a file
    without such lines must stay without them (uv never writes them unless asked).
    """
    if command[0] != "pip-compile":
        return ()
    extra = []
    if not re.search(r"^\s*(--index-url|-i|--extra-index-url)\b", text, re.MULTILINE):
        extra.append("--no-emit-index-url")
    if not re.search(r"^\s*(--find-links|-f)\b", text, re.MULTILINE):
        extra.append("--no-emit-find-links")
    return tuple(o for o in extra if o not in command)


def plan_writes(
    root: Path,
    declared: Sequence[DeclaredRequirement],
    choices: Sequence[Choice],
    replacements: Sequence[ReplacementChoice] = (),
    additions: Sequence[Addition] = (),
) -> WritePlan:
    """The edits that write ``choices`` (and renames, and ``additions``) into the project's
    files; writes nothing."""
    chosen = {c.name: c.chosen for c in choices}
    pending = {a.name: a for a in additions}
    renamed = {
        r.name: r for r in replacements if r.action == "rename" and r.replacement and r.chosen
    }
    by_file: dict[str, list[DeclaredRequirement]] = {}
    notes: list[str] = []
    commands: list[Regeneration] = []
    changed_names: set[str] = set()
    besides = {a.beside for a in additions}
    for decl in declared:
        if decl.name in chosen or decl.name in renamed or decl.name in besides:
            by_file.setdefault(decl.evidence.file, []).append(decl)
    edits: list[FileEdit] = []
    for rel, decls in sorted(by_file.items()):
        path = Path(os.path.normpath(root / rel))  # ``../setup.py``: the repository's top
        lock_decls = [d for d in decls if d.is_lock]
        if lock_decls:
            continue  # handled below, once per lock file
        source = read_text(path)
        if not isinstance(source, SourceText):
            notes.append(f"{rel}: {source.reason}")
            continue
        lines = source.text.splitlines(keepends=True)
        changes: list[LineChange] = []
        for decl in decls:
            if decl.kind not in PEP508_KINDS | TABLE_KINDS:
                continue
            rename = renamed.get(decl.name)
            version = rename.chosen if rename and rename.chosen else chosen.get(decl.name)
            if version is None:
                continue
            line = decl.evidence.line or 0
            old = lines[line - 1] if 0 < line <= len(lines) else ""
            body, ending = old.rstrip("\r\n"), old[len(old.rstrip("\r\n")) :]
            new = edit_line(body, decl, version, rename.replacement if rename else None)
            if new is None:
                if rename or needs_change(decl.specifier, version):
                    target = f"{rename.replacement} {version}" if rename else version
                    notes.append(
                        f"{rel}: could not find where {decl.name} ({decl.raw!r}) is written; "
                        f"change it to {target} by hand"
                    )
                continue
            index = line - 1
            lines[index] = new + ending
            changes.append(
                LineChange(
                    rel,
                    line,
                    body,
                    new,
                    decl.name,
                    version,
                    rename.replacement if rename else None,
                )
            )
            changed_names.add(decl.name)
            if decl.kind in ("requirements", "constraints") and has_hashes(lines, index):
                notes.append(
                    f"{rel}:{line}: the --hash values of {decl.name} are stale now; "
                    "regenerate them (e.g. `pip-compile --generate-hashes`)"
                )
        changes += _add_beside(rel, lines, decls, pending, notes)
        if not changes:
            continue
        new_text = "".join(lines)
        edits.append(FileEdit(path, source, new_text, tuple(changes)))
        recorded = compile_command(source.text)
        if recorded is not None:
            upgrades = [f"--upgrade-package={c.written_name}=={c.version}" for c in changes]
            extra = _keep_index_lines(recorded, source.text)
            commands.append(
                Regeneration(
                    (*recorded, *upgrades, *extra),
                    path.parent,
                    shlex.join(recorded) if extra else None,
                )
            )
    commands += _lock_regenerations(root, declared, chosen, renamed, changed_names)
    return WritePlan(tuple(edits), tuple(commands), tuple(notes))


_TRAILING_COMMENT = re.compile(r"\s+#[^\"']*$")


def _add_beside(
    rel: str,
    lines: list[str],
    decls: Sequence[DeclaredRequirement],
    pending: dict[str, Addition],
    notes: list[str],
) -> list[LineChange]:
    """Insert each pending addition after the line of the package it goes beside (once per
    project: an addition written is removed from ``pending``); bottom up, so earlier line
    numbers stay true."""
    places: list[tuple[int, Addition, DeclaredRequirement]] = []
    for addition in list(pending.values()):
        decl = next(
            (
                d
                for d in decls
                if d.name == addition.beside
                and d.kind in PEP508_KINDS | TABLE_KINDS
                and 0 < (d.evidence.line or 0) <= len(lines)
            ),
            None,
        )
        if decl is None:
            continue
        del pending[addition.name]
        places.append((decl.evidence.line or 0, addition, decl))
    changes: list[LineChange] = []
    for line, addition, decl in sorted(places, key=lambda p: p[0], reverse=True):
        old = lines[line - 1]
        body, ending = old.rstrip("\r\n"), old[len(old.rstrip("\r\n")) :] or "\n"
        new = None
        if "--hash" not in body and not body.endswith("\\"):
            bare = _TRAILING_COMMENT.sub("", body)
            new = edit_line(bare, decl, addition.version, addition.name)
        if new is None:
            notes.append(
                f"{rel}:{line}: add {addition.name}=={addition.version} beside {decl.name} "
                f"by hand{f' ({addition.reason})' if addition.reason else ''}"
            )
            continue
        lines.insert(line, new + ending)
        changes.append(LineChange(rel, line + 1, "", new, addition.name, addition.version))
    return sorted(changes, key=lambda c: c.line)


def _lock_regenerations(
    root: Path,
    declared: Sequence[DeclaredRequirement],
    chosen: Mapping[str, str],
    renamed: Mapping[str, ReplacementChoice],
    changed_names: set[str],
) -> list[Regeneration]:
    """One command per lock file that no longer matches the choices.

    A lock is stale when a declaration it covers changed, or when it pins a version other than
    the chosen one (a range like ``Django>=2.2`` admits the new version, so the declaration
    stays as it is but the lock must move). uv takes exact ``--upgrade-package`` pins; Poetry
    updates the named packages in its lock only; pipenv re-locks.
    """
    stale: dict[str, list[str]] = {}
    for decl in declared:
        if not decl.is_lock:
            continue
        moved = decl.name in renamed or (
            decl.name in chosen and decl.specifier != f"=={chosen[decl.name]}"
        )
        if moved or decl.name in changed_names:
            stale.setdefault(decl.evidence.file, []).append(decl.name)
    regenerations = []
    for rel, names in sorted(stale.items()):
        kind = next(d.kind for d in declared if d.evidence.file == rel)
        argv = LOCK_COMMANDS[kind]
        if kind == "uv.lock":
            argv = (*argv, *(f"--upgrade-package={n}=={chosen[n]}" for n in names if n in chosen))
        elif kind == "poetry.lock" and not any(n in renamed for n in names):
            argv = ("poetry", "update", "--lock", *names)
        lock = Path(os.path.normpath(root / rel))
        regenerations.append(Regeneration(argv, lock.parent, lock=lock))
    return regenerations
