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
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
import shutil
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from upgrader import interpreters
from upgrader.deps.model import Choice, ReplacementChoice
from upgrader.deps.resolve import Runner, find_uv, subprocess_runner
from upgrader.detect.django_version import LOCK_COMMANDS
from upgrader.detect.requirements import DeclaredRequirement
from upgrader.files import SourceText, read_text, write_atomic

PEP508_KINDS = frozenset(
    {"requirements", "constraints", "pep621", "pep735", "setup.py", "setup.cfg"}
)
TABLE_KINDS = frozenset({"poetry", "pipfile"})
_COMPILED = re.compile(r"^#\s+(?P<cmd>(?:pip-compile|uv pip compile)\b.*)$", re.MULTILINE)


@dataclass(frozen=True)
class LineChange:
    """One edited line: where, what it was, what it became, and why."""

    file: str
    line: int
    before: str
    after: str
    package: str  # the package as declared
    version: str  # the version written
    renamed_to: str | None = None

    @property
    def written_name(self) -> str:
        return self.renamed_to or self.package


@dataclass(frozen=True)
class Addition:
    """A requirement to add beside the declaration of ``beside`` (a canonical name)."""

    name: str
    version: str
    beside: str
    reason: str = ""


@dataclass(frozen=True)
class FileEdit:
    path: Path
    source: SourceText
    new_text: str
    changes: tuple[LineChange, ...]


@dataclass(frozen=True)
class Regeneration:
    """A command that regenerates a compiled or lock file with the project's own tool."""

    argv: tuple[str, ...]  # as the user would type it ("pip-compile ...", "poetry lock")
    cwd: Path
    header: str | None = None  # pip-compile: the command its header keeps showing
    lock: Path | None = None  # the lock file it regenerates (None: a pip-compiled file)

    @property
    def shown(self) -> str:
        return shlex.join(self.argv)


@dataclass(frozen=True)
class WritePlan:
    """What writing the chosen versions back would do; ``apply_writes`` carries it out."""

    edits: tuple[FileEdit, ...]
    commands: tuple[Regeneration, ...]  # lock/compile regenerations, in order
    notes: tuple[str, ...]


def unified_diff(plan: WritePlan, root: Path) -> str:
    """The edits as one unified diff, paths relative to ``root`` (for --dry-run and reports)."""
    chunks: list[str] = []
    for edit in plan.edits:
        # ``../requirements.txt`` for a project in a subfolder of its repository.
        rel = Path(os.path.relpath(edit.path, root)).as_posix()
        chunks.extend(
            difflib.unified_diff(
                edit.source.text.splitlines(keepends=True),
                edit.new_text.splitlines(keepends=True),
                f"a/{rel}",
                f"b/{rel}",
            )
        )
    return "".join(chunks)


@dataclass(frozen=True)
class WriteResult:
    changed: tuple[Path, ...]
    ran: tuple[str, ...]  # commands run
    to_run: tuple[str, ...]  # commands the user must run (tool not installed or failed)
    notes: tuple[str, ...]
    constraints: Path | None = None  # the stage's constraints file, when one was written
    stale_locks: tuple[Path, ...] = ()  # lock files left behind the declarations (see to_run)


# --- specifiers --------------------------------------------------------------------------------


def _truncate(version: Version, parts: int) -> str:
    release = list(version.release) + [0] * max(0, parts - len(version.release))
    return ".".join(str(n) for n in release[: max(parts, 1)])


def _next(version: Version, parts: int) -> str:
    release = list(version.release) + [0] * max(0, parts - len(version.release))
    head = release[: max(parts, 1)]
    head[-1] += 1
    return ".".join(str(n) for n in head)


def updated_specifier(spec: str, chosen: str) -> str | None:
    """The specifier to write so that ``chosen`` is admitted, or None to leave ``spec`` alone.

    ``==2.2.28`` -> ``==4.2.2``; ``>=2.2,<2.3`` -> ``>=4.2,<4.3``; ``~=2.2`` -> ``~=4.2``;
    a range that already admits ``chosen`` (``>=3.9``) is kept.
    """
    version = Version(chosen)
    try:
        # In the declaration's own order (a SpecifierSet does not keep it).
        specifiers = [Specifier(part.strip()) for part in spec.split(",") if part.strip()]
    except InvalidSpecifier:
        return None
    if not specifiers:
        return None
    if len(specifiers) == 1 and specifiers[0].operator in ("==", "===") and "*" not in spec:
        return None if specifiers[0].version == chosen else f"=={chosen}"
    if SpecifierSet(spec).contains(version, prereleases=True):
        return None
    parts: list[str] = []
    for item in specifiers:
        depth = len(item.version.rstrip(".*").split("."))
        if item.operator == "!=" and Version(item.version.rstrip(".*")) < version:
            continue
        if item.operator in (">=", ">"):
            # The range moves as a whole: its floor follows to the chosen series.
            parts.append(f">={_truncate(version, depth)}")
        elif item.contains(version, prereleases=True):
            parts.append(str(item))
        elif item.operator in ("<", "<="):
            parts.append(f"<{_next(version, depth)}")
        elif item.operator == "~=":
            parts.append(f"~={_truncate(version, depth)}")
        elif item.operator == "==" and item.version.endswith(".*"):
            parts.append(f"=={_truncate(version, depth)}.*")
        elif item.operator == "!=":
            continue  # an exclusion the chosen version hits; older ones fall below the floor
        else:
            parts.append(f"=={chosen}")
    result = ",".join(parts)
    return result if SpecifierSet(result).contains(version, prereleases=True) else f"=={chosen}"


def _poetry_constraint(old: str, chosen: str, pep440: str) -> str | None:
    text = old.strip()
    if text in ("", "*"):
        return None
    try:
        if pep440 and SpecifierSet(pep440).contains(Version(chosen), prereleases=True):
            return None
    except (InvalidSpecifier, InvalidVersion):
        return None
    version = Version(chosen)
    for prefix in ("^", "~"):
        if text.startswith(prefix) and not text.startswith("~="):
            depth = len(text[1:].strip().split("."))
            return f"{prefix}{_truncate(version, depth)}"
    if re.fullmatch(r"\d[\w.]*", text):
        return chosen
    return updated_specifier(text, chosen)


# --- line editing ------------------------------------------------------------------------------


def _name_pattern(name: str) -> str:
    return r"[-_.]+".join(re.escape(part) for part in re.split(r"[-_.]+", name))


_CLAUSE = r"(?:===|==|!=|~=|>=|<=|<|>)\s*[^;#\s\"'\\,]+"


def _pep508_span(line: str, name: str) -> re.Match[str] | None:
    pattern = (
        rf"(?<![\w.-])(?P<name>{_name_pattern(name)})(?![\w.-])\s*(?P<extras>\[[^\]]*\])?\s*"
        rf"(?P<spec>{_CLAUSE}(?:\s*,\s*{_CLAUSE})*)?"
    )
    return re.search(pattern, line, re.IGNORECASE)


_TABLE_VALUE = re.compile(r"(?P<lead>\bversion\s*=\s*)(?P<q>[\"'])(?P<value>[^\"']*)(?P=q)")


def _table_span(line: str, name: str) -> tuple[int, int, str] | None:
    """Where the quoted constraint of ``name = "..."`` / ``name = {version = "..."}`` is."""
    match = _TABLE_VALUE.search(line)
    if match is None:
        match = re.match(
            rf"""^\s*["']?{_name_pattern(name)}["']?\s*=\s*(?P<q>["'])(?P<value>[^"']*)(?P=q)""",
            line,
            re.IGNORECASE,
        )
    if match is None:
        return None
    return match.start("value"), match.end("value"), match["value"]


def _edit_line(line: str, decl: DeclaredRequirement, chosen: str, rename: str | None) -> str | None:
    """``line`` with ``decl`` moved to ``chosen`` (and renamed), or None when nothing changes."""
    if decl.kind in TABLE_KINDS:
        span = _table_span(line, decl.name)
        if span is None:
            return None
        start, end, old = span
        new = _poetry_constraint(old, chosen, decl.specifier)
        if decl.kind == "pipfile" and new is not None and new == chosen:
            new = f"=={chosen}"
        if rename:
            new = new or (f"^{chosen}" if decl.kind == "poetry" else f"=={chosen}")
        edited = line if new is None else line[:start] + new + line[end:]
        if rename:
            key = re.match(rf"""^(\s*["']?)({_name_pattern(decl.name)})""", edited, re.IGNORECASE)
            if key is None:
                return None
            edited = edited[: key.start(2)] + rename + edited[key.end(2) :]
        return edited if edited != line else None
    match = _pep508_span(line, decl.name)
    if match is None:
        return None
    spec = match["spec"] or ""
    new_spec = updated_specifier(spec.replace(" ", ""), chosen) if spec else None
    if rename:
        pinned = spec.startswith("==")
        new_spec = f"=={chosen}" if pinned or not spec else f">={chosen}"
        start, end = match.start("name"), match.end("spec") if spec else match.end()
        replacement = rename + new_spec
        return line[:start] + replacement + line[end:]
    if new_spec is None:
        return None
    return line[: match.start("spec")] + new_spec + line[match.end("spec") :]


def _needs_change(specifier: str, chosen: str) -> bool:
    try:
        excluded = bool(specifier) and not SpecifierSet(specifier).contains(
            Version(chosen), prereleases=True
        )
    except (InvalidSpecifier, InvalidVersion):
        return False
    return excluded or (specifier.startswith("==") and specifier != f"=={chosen}")


def _has_hashes(lines: Sequence[str], index: int) -> bool:
    """Whether the logical requirement line starting at ``index`` carries ``--hash`` options."""
    while index < len(lines):
        if "--hash" in lines[index]:
            return True
        if not lines[index].rstrip("\r\n").endswith("\\"):
            return False
        index += 1
    return False


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
            new = _edit_line(body, decl, version, rename.replacement if rename else None)
            if new is None:
                if rename or _needs_change(decl.specifier, version):
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
            if decl.kind in ("requirements", "constraints") and _has_hashes(lines, index):
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
            new = _edit_line(bare, decl, addition.version, addition.name)
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


def _tool_argv(command: tuple[str, ...], python: str | None) -> list[str] | None:
    """How to run a recorded command here: pip-tools under ``python``, uv, or the tool on PATH."""
    if command[0] == "pip-compile":
        return [python or sys.executable, "-m", "piptools", "compile", *command[1:]]
    if command[0] == "uv":
        uv = find_uv()
        return [uv, *command[1:]] if uv else None
    found = shutil.which(command[0])
    return [found, *command[1:]] if found else None


_POETRY_HEADER = re.compile(r"@generated by Poetry (?P<version>\d[\w.]*)")


def _uv_from(tool: str, lock: Path | None) -> str:
    """What ``uv tool run --from`` installs for ``tool``: Poetry at the version that wrote the
    lock (its header says so; a newer Poetry may write a lock format the project's cannot read)."""
    if tool == "poetry" and lock is not None:
        source = read_text(lock)
        if isinstance(source, SourceText):
            match = _POETRY_HEADER.search(source.text[:500])
            if match:
                return f"poetry=={match['version']}"
    return tool


def _lock_argv(command: Regeneration, python: str | None) -> list[str] | None:
    """How to run a lock tool here: on PATH, else pipenv/Poetry through uv; pipenv with
    ``--python`` (the hop's interpreter). None when neither the tool nor uv is here."""
    tool, args = command.argv[0], command.argv[1:]
    found = shutil.which(tool)
    if found:
        argv = [found, *args]
    else:
        uv = find_uv()
        if uv is None:
            return None
        argv = [uv, "tool", "run", "--from", _uv_from(tool, command.lock), tool, *args]
    if tool == "pipenv" and python:
        interpreter = interpreters.find(python)
        argv += ["--python", str(interpreter.path) if interpreter else python]
    return argv


def _tool_env(tool: str, workdir: Path) -> dict[str, str]:
    """The environment a lock tool runs in: its virtualenvs in ``workdir`` (thrown away), never
    the project's ``.venv``, the user's environments, nor the one upgrader runs in."""
    env = dict(os.environ)
    if tool == "pipenv":
        for name in ("VIRTUAL_ENV", "PIPENV_ACTIVE", "PIPENV_PIPFILE"):
            env.pop(name, None)
        env.update(
            PIPENV_VENV_IN_PROJECT="0",
            PIPENV_IGNORE_VIRTUALENVS="1",
            WORKON_HOME=str(workdir),
            PIPENV_NOSPIN="1",
            # Never build a missing Python unattended: the lock fails and says so instead.
            PIPENV_DONT_USE_PYENV="1",
            PIPENV_DONT_USE_ASDF="1",
        )
    elif tool == "poetry":
        env.pop("VIRTUAL_ENV", None)
        env.update(
            POETRY_VIRTUALENVS_IN_PROJECT="false",
            POETRY_VIRTUALENVS_PATH=str(workdir),
            POETRY_NO_INTERACTION="1",
        )
    return env


def _poetry_major(
    prefix: Sequence[str], runner: Runner, cwd: Path, env: Mapping[str, str]
) -> int | None:
    result = runner([*prefix, "--version"], cwd=cwd, env=env, timeout=300)
    match = re.search(r"(\d+)\.\d+", result.stdout)
    return int(match.group(1)) if result.returncode == 0 and match else None


def _shown(command: Regeneration, argv: Sequence[str]) -> str:
    """What ran: the command as its user types it, or the uv command that ran the tool (uv by
    name: its path is this machine's)."""
    if len(argv) > 2 and list(argv[1:3]) == ["tool", "run"]:
        return shlex.join(["uv", *argv[1:]])
    return command.shown


def _run_lock(command: Regeneration, argv: list[str], runner: Runner) -> tuple[bool, str]:
    """Run a lock tool in a throw-away virtualenv folder: whether it worked, and what ran (or
    the last line of its error)."""
    tool = command.argv[0]
    with tempfile.TemporaryDirectory(prefix="upgrader-lock-") as workdir:
        env = _tool_env(tool, Path(workdir))
        if command.argv == ("poetry", "lock"):
            prefix = argv[: len(argv) - 1]
            if _poetry_major(prefix, runner, command.cwd, env) == 1:
                argv.append("--no-update")  # Poetry 1.x re-resolves everything without it
        result = runner(argv, cwd=command.cwd, env=env, timeout=900)
    if result.returncode == 0:
        return True, _shown(command, argv)
    last = (result.stderr or result.stdout).strip().splitlines()[-1:] or [""]
    return False, f"`{_shown(command, argv)}` failed: {last[0]}"


def apply_writes(
    plan: WritePlan,
    *,
    regenerate: bool = True,
    runner: Runner = subprocess_runner,
    pip_compile_python: str | None = None,
    lock_python: str | None = None,
) -> WriteResult:
    """Write every edit atomically, then regenerate compiled/lock files when the tool is here.

    ``pip_compile_python``: the interpreter to run a recorded pip-compile under (the hop's, so
    markers are evaluated for its Python; see ``resolve.pip_compile_python``); ours by default.
    ``lock_python``: the hop's Python ("3.10"), which pipenv locks for (``--python``).
    """
    for edit in plan.edits:
        write_atomic(edit.path, edit.source.encode(edit.new_text))
    ran: list[str] = []
    to_run: list[str] = []
    stale: list[Path] = []
    notes = list(plan.notes)
    for command in plan.commands:
        shown, cwd = command.shown, command.cwd
        if command.lock is not None and command.argv[0] != "uv":
            argv = _lock_argv(command, lock_python) if regenerate else None
        else:
            argv = _tool_argv(command.argv, pip_compile_python) if regenerate else None
        if argv is None:
            to_run.append(f"(cd {cwd} && {shown})")
            if command.lock is not None:
                stale.append(command.lock)
                if regenerate:
                    notes.append(
                        f"{command.lock.name} is stale: {command.argv[0]} is not installed and "
                        f"uv is not there to run it; run `(cd {cwd} && {shown})`"
                    )
            continue
        if command.lock is not None:
            worked, what = _run_lock(command, argv, runner)
            if worked:
                ran.append(what)
            else:
                to_run.append(f"(cd {cwd} && {shown})")
                stale.append(command.lock)
                notes.append(f"{command.lock.name} is stale: {what}; run `(cd {cwd} && {shown})`")
            continue
        env = dict(os.environ)
        if command.header:
            # pip-tools shows this in the file's header instead of the options we added.
            env["CUSTOM_COMPILE_COMMAND"] = command.header
        result = runner(argv, cwd=cwd, env=env, timeout=900)
        if result.returncode == 0:
            ran.append(shown)
        else:
            to_run.append(f"(cd {cwd} && {shown})")
            last = (result.stderr or result.stdout).strip().splitlines()[-1:] or [""]
            notes.append(f"`{shown}` failed: {last[0]}")
    return WriteResult(
        tuple(e.path for e in plan.edits),
        tuple(ran),
        tuple(to_run),
        tuple(notes),
        stale_locks=tuple(stale),
    )
