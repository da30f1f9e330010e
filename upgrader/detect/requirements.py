"""Every dependency a project declares or locks, read statically from every format it may use.

``read_declared(root)`` returns a ``DeclaredSet``: one ``DeclaredRequirement`` per declaration of
any package (not only Django), each with the file and line it came from, plus the files it had
to skip. Detection uses it to find the current Django; the dependency stage reuses it.

Sources, and the ``kind`` each declaration gets:

- ``requirements``/``constraints``: ``requirements*.txt``, ``requirements*.in`` and
  ``requirements/*.txt|.in`` with their ``-r``/``-c`` includes (paths relative to the including
  file; a file reached through ``-c`` holds constraints; a loop is read once and the ``-r``
  line closing it named in ``skipped``). Comments, ``\\`` continuations, markers, extras and
  per-requirement options (``--hash``) are handled; global options (``--index-url``,
  ``--find-links``, ...) are ignored for now.
- ``editable``/``url``: ``-e`` lines, bare URLs or paths, ``name @ url`` and Poetry/Pipfile
  ``git``/``path``/``url`` tables, in any of the formats: no specifier, ``url`` says where
  (``name`` is ``""`` when nothing names the package, e.g. ``-e .``).
- ``pep621``: ``[project] dependencies`` and ``optional-dependencies`` (the group in
  ``evidence.detail``); ``pep735``: ``[dependency-groups]``.
- ``poetry``: ``[tool.poetry.dependencies]``, groups and ``dev-dependencies``; Poetry's ``^``,
  ``~``, ``X.Y.*`` and bare versions are converted to PEP 440 (``raw`` keeps the original).
- ``setup.py``: ``install_requires``/``extras_require`` of the ``setup(...)`` call, read with
  ``ast`` (literal lists, or a module-level name bound to one); never run.
- ``setup.cfg``: ``[options] install_requires`` and ``[options.extras_require]``.

``read_tests_require(root)`` reads ``tests_require`` (``setup.py``, ``setup.cfg``) apart: test
requirements of the test environment (``upgrader.detect.test_env``), not dependencies.
- ``pipfile``: ``Pipfile`` ``[packages]`` and ``[dev-packages]``.
- ``poetry.lock``, ``pipfile.lock``, ``uv.lock``: exact versions (``==X.Y.Z``).

A project in a subfolder of its own repository (``src/manage.py``, django-oscar's
``sandbox/``; ``sources.enclosing_repository`` says when) also has the files at the repository's
top read, after its own; their evidence is relative to the project (``../requirements.txt``).
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from upgrader.detect.model import Evidence
from upgrader.detect.sources import (
    ProjectReader,
    enclosing_repository,
    line_of,
    module_bindings,
)
from upgrader.files import Skipped

LOCK_KINDS = frozenset({"poetry.lock", "pipfile.lock", "uv.lock"})
DIRECT_KINDS = frozenset({"editable", "url"})


@dataclass(frozen=True)
class DeclaredRequirement:
    """One declaration of one package, e.g. ``Django>=2.1,<2.3`` on line 3 of requirements.txt."""

    name: str  # canonical (``canonicalize_name``); "" for an unnamed URL or path
    specifier: str  # PEP 440, "" when none (unpinned, URL, editable)
    extras: tuple[str, ...]
    marker: str | None
    evidence: Evidence
    kind: str  # see the module docstring
    raw: str  # the declaration as written
    url: str | None = None  # for ``editable``/``url``: the URL or path

    @property
    def is_lock(self) -> bool:
        return self.kind in LOCK_KINDS


@dataclass(frozen=True)
class DeclaredSet:
    """All the declarations found in a project, in file order."""

    requirements: tuple[DeclaredRequirement, ...]
    files: tuple[Path, ...]  # every file that declared or locked something, or was read for it
    skipped: tuple[Skipped, ...] = ()  # the declaration files that could not be (fully) used
    root: Path | None = None  # the project's root: what ``skipped`` is shown relative to

    def named(self, name: str) -> tuple[DeclaredRequirement, ...]:
        wanted = canonicalize_name(name)
        return tuple(r for r in self.requirements if r.name == wanted)


class _Collector:
    """Builds ``DeclaredRequirement``s for one reader, remembering which files contributed."""

    def __init__(self, reader: ProjectReader) -> None:
        self.reader = reader
        self.found: list[DeclaredRequirement] = []
        self.files: list[Path] = []
        self.consulted: set[Path] = set()  # every file read (or tried) for declarations

    def used(self, path: Path) -> None:
        if path not in self.files:
            self.files.append(path)

    def evidence(self, path: Path, line: int | None, detail: str = "") -> Evidence:
        return Evidence(self.reader.rel(path), line, detail)

    def add_pep508(
        self, raw: str, path: Path, line: int | None, kind: str, detail: str = ""
    ) -> None:
        """A PEP 508 string; an unparsable one is reported and left out."""
        try:
            req = Requirement(raw)
        except InvalidRequirement as exc:
            where = f"line {line}: " if line else ""
            self.reader.skip(
                path,
                f"{where}{raw!r} is not a valid requirement ({exc}): fix it; "
                "the rest of the file was read",
            )
            return
        self.found.append(
            DeclaredRequirement(
                name=canonicalize_name(req.name),
                specifier="" if req.url else str(req.specifier),
                extras=tuple(sorted(req.extras)),
                marker=str(req.marker) if req.marker else None,
                evidence=self.evidence(path, line, detail),
                kind="url" if req.url else kind,
                raw=raw,
                url=req.url,
            )
        )

    def add(
        self,
        name: str,
        specifier: str,
        path: Path,
        line: int | None,
        kind: str,
        raw: str,
        *,
        extras: Iterable[str] = (),
        marker: str | None = None,
        url: str | None = None,
        detail: str = "",
    ) -> None:
        """A declaration already split into parts (TOML tables, lock entries)."""
        try:
            specifier = str(SpecifierSet(specifier))  # one spelling whatever the format
        except InvalidSpecifier as exc:
            where = f"line {line}: " if line else ""
            self.reader.skip(path, f"{where}{raw!r} has an invalid version specifier ({exc})")
            return
        self.found.append(
            DeclaredRequirement(
                name=canonicalize_name(name) if name else "",
                specifier=specifier,
                extras=tuple(sorted(extras)),
                marker=marker or None,
                evidence=self.evidence(path, line, detail),
                kind=kind,
                raw=raw,
                url=url,
            )
        )


# --- requirements files -------------------------------------------------------------------------

_COMMENT = re.compile(r"(^|\s+)#.*$")
_INCLUDE = re.compile(r"^(-r|--requirements?|-c|--constraints?)(?:\s*=\s*|\s+|(?=[^-\s]))(\S+)")
_EDITABLE = re.compile(r"^(-e|--editable)(?:\s*=\s*|\s+)(\S+)")
_LINE_OPTION = re.compile(r"\s+--?[A-Za-z]")  # --hash, --config-settings, ... after a requirement
_URL_OR_PATH = re.compile(r"^([A-Za-z][\w+.-]*://|\.{1,2}(/|$)|/|[A-Za-z]:[\\/])")
_EGG = re.compile(r"#(?:.*&)?egg=([A-Za-z0-9][\w.-]*)")
_DIRECT_REFERENCE = re.compile(r"^[A-Za-z0-9][\w.-]*\s*(\[[^\]]*\])?\s*@")  # name @ url
_ARCHIVE = re.compile(r"(?:^|/)([A-Za-z0-9][\w.]*?)-\d[^/]*\.(?:whl|zip|tar\.gz|tar\.bz2|tgz)$")


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first physical line number, joined line without comment) for each non-blank line."""
    start: int | None = None
    parts: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if start is None:
            start = number
        if line.endswith("\\") and not _COMMENT.search(line):
            parts.append(line[:-1])
            continue
        parts.append(line)
        joined = _COMMENT.sub("", " ".join(parts)).strip()
        if joined:
            yield start, joined
        start, parts = None, []
    if parts:
        joined = _COMMENT.sub("", " ".join(parts)).strip()
        if joined and start is not None:
            yield start, joined


@dataclass(frozen=True)
class _Include:
    line: int
    target: Path
    constraint: bool


@dataclass(frozen=True)
class _ReqLine:
    line: int
    text: str
    editable: bool


def _parse_requirements_file(
    reader: ProjectReader, path: Path
) -> tuple[list[_ReqLine], list[_Include]] | None:
    text = reader.text(path)
    if text is None:
        return None
    entries: list[_ReqLine] = []
    includes: list[_Include] = []
    for number, line in _logical_lines(text):
        if match := _INCLUDE.match(line):
            option, value = match.groups()
            if "://" in value:
                reader.skip(path, f"line {number}: remote include {value} is not followed")
                continue
            constraint = option.startswith(("-c", "--constraint"))
            includes.append(_Include(number, path.parent / value, constraint))
        elif match := _EDITABLE.match(line):
            entries.append(_ReqLine(number, match.group(2), editable=True))
        elif line.startswith("-"):
            continue  # --index-url, --find-links, --pre, ...: global options, not requirements
        else:
            option = _LINE_OPTION.search(line)
            entries.append(_ReqLine(number, line[: option.start()] if option else line, False))
    return entries, includes


def _requirement_file_roots(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, pattern in ((root, "requirements*"), (root / "requirements", "*")):
        for suffix in (".txt", ".in"):
            found.extend(p for p in sorted(folder.glob(pattern + suffix)) if p.is_file())
    return list(dict.fromkeys(found))


def _read_requirements_files(collector: _Collector, tops: Iterable[Path]) -> None:
    reader = collector.reader
    parsed: dict[Path, tuple[list[_ReqLine], list[_Include]] | None] = {}
    mode: dict[Path, str] = {}
    seen: set[tuple[Path, str]] = set()
    queue: list[tuple[Path, str, Path | None, int]] = [(p, "requirements", None, 0) for p in tops]
    while queue:
        path, kind, parent, parent_line = queue.pop(0)
        # Lexically normalised, not resolved: a symlink leaving the tree must stay visible.
        path = Path(os.path.normpath(path.absolute()))
        if (path, kind) in seen:
            continue  # a cycle, or a file included twice
        seen.add((path, kind))
        if path not in parsed:
            collector.consulted.add(path)
            if parent is not None and not path.exists():
                reader.skip(
                    path,
                    f"included from {reader.rel(parent)}:{parent_line} but does not exist: "
                    "fix the -r/-c line",
                )
            elif parent is not None and not path.is_file():
                reader.skip(
                    path,
                    f"included from {reader.rel(parent)}:{parent_line} but is not a regular "
                    "file (a folder or a named pipe): fix the -r/-c line",
                )
            parsed[path] = _parse_requirements_file(reader, path)
        content = parsed[path]
        if content is None:
            continue
        if mode.get(path) != "constraints":
            mode[path] = kind
        for include in content[1]:
            child = "constraints" if include.constraint or kind == "constraints" else kind
            queue.append((include.target, child, path, include.line))
    _report_include_loops(reader, tops, parsed)
    for path, kind in mode.items():
        content = parsed[path]
        assert content is not None
        collector.used(path)
        for entry in content[0]:
            _add_requirement_line(collector, path, entry, kind)


def _report_include_loops(
    reader: ProjectReader,
    tops: Iterable[Path],
    parsed: dict[Path, tuple[list[_ReqLine], list[_Include]] | None],
) -> None:
    """Name each ``-r``/``-c`` line that leads back to a file including it (upgrader reads each
    file once), on the file holding the line: a depth-first walk, without recursion."""

    def norm(path: Path) -> Path:
        return Path(os.path.normpath(path.absolute()))

    done: set[Path] = set()
    for top in map(norm, tops):
        if top in done:
            continue
        done.add(top)
        chain: list[Path] = [top]
        stack: list[Iterator[_Include]] = [iter((parsed.get(top) or ([], []))[1])]
        while stack:
            include = next(stack[-1], None)
            if include is None:
                stack.pop()
                chain.pop()
                continue
            path, target = chain[-1], norm(include.target)
            if target in chain:
                option = "-c" if include.constraint else "-r"
                value = Path(os.path.relpath(target, path.parent)).as_posix()
                if target == path:
                    how = "this file itself"
                else:
                    loop = [*chain[chain.index(target) :], target]
                    how = f"{reader.rel(target)} ({' -> '.join(reader.rel(p) for p in loop)})"
                reader.skip(
                    path,
                    f"line {include.line}: {option} {value} leads back to {how}, an include "
                    "loop: not followed (remove one of its -r/-c lines)",
                )
            elif target not in done:
                done.add(target)
                chain.append(target)
                stack.append(iter((parsed.get(target) or ([], []))[1]))


def _add_requirement_line(collector: _Collector, path: Path, entry: _ReqLine, kind: str) -> None:
    text = entry.text
    location = text.split("#")[0].split(";")[0].strip()
    archive = None if _DIRECT_REFERENCE.match(text) else _ARCHIVE.search(location)
    if entry.editable or _URL_OR_PATH.match(text) or archive:
        egg = _EGG.search(text)
        name = egg.group(1) if egg else archive.group(1) if archive else ""
        direct = "editable" if entry.editable else "url"
        collector.add(name, "", path, entry.line, direct, text, url=location)
        return
    collector.add_pep508(text, path, entry.line, kind)


# --- pyproject.toml: PEP 621, PEP 735, Poetry ---------------------------------------------------


def _string_list(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _line_of_string(text: str, raw: str) -> int | None:
    return line_of(text, r"""["']""" + re.escape(raw) + r"""["']""")


def _read_pep621(collector: _Collector, path: Path, data: dict[str, Any], text: str) -> None:
    project = data.get("project")
    if isinstance(project, dict):
        for raw in _string_list(project.get("dependencies")):
            collector.add_pep508(raw, path, _line_of_string(text, raw), "pep621")
        optional = project.get("optional-dependencies")
        if isinstance(optional, dict):
            for group, items in optional.items():
                for raw in _string_list(items):
                    line = _line_of_string(text, raw)
                    collector.add_pep508(
                        raw, path, line, "pep621", f"optional-dependencies: {group}"
                    )
    groups = data.get("dependency-groups")
    if isinstance(groups, dict):
        for group, items in groups.items():
            for raw in _string_list(items):
                line = _line_of_string(text, raw)
                collector.add_pep508(raw, path, line, "pep735", f"dependency-groups: {group}")


_POETRY_PART = re.compile(r"^(\^|~(?!=)|===|==|!=|<=|>=|~=|<|>|=)?(\S+)$")


def _bump(release: list[int], index: int) -> str:
    upper = [*release[:index], release[index] + 1]
    return ".".join(map(str, upper + [0] * max(0, len(release) - len(upper))))


def poetry_to_pep440(constraint: str) -> str | None:
    """Poetry's constraint syntax as a PEP 440 specifier, or None when it has no equivalent.

    ``^2.2`` -> ``>=2.2,<3.0``, ``~2.2`` -> ``>=2.2,<2.3``, ``2.2.*`` -> ``==2.2.*``,
    ``2.2.28`` -> ``==2.2.28``, ``*`` -> ``""``; ``||`` (either of two ranges) gives None.
    """
    text = constraint.strip()
    if "||" in text:
        return None
    if text in ("", "*"):
        return ""
    text = re.sub(r"([\^~<>=!]=?)\s+", r"\1", text)  # ">= 2.1" -> ">=2.1"
    specs: list[str] = []
    for part in (p.strip() for p in re.split(r",|\s+(?=[\^~<>=!\d])", text)):
        if not part or part == "*":
            continue
        match = _POETRY_PART.match(part)
        if match is None:
            return None
        op, version = match.groups()
        if op in ("^", "~"):
            try:
                release = [int(n) for n in version.split(".")]
            except ValueError:
                return None
            if op == "^":
                index = next((i for i, n in enumerate(release) if n), len(release) - 1)
            else:
                index = min(1, len(release) - 1)
            specs += [f">={version}", f"<{_bump(release, index)}"]
        elif op in (None, "="):
            specs.append(f"=={version}")
        else:
            specs.append(f"{op}{version}")
    result = ",".join(specs)
    try:
        SpecifierSet(result)
    except InvalidSpecifier:
        return None
    return result


def _source_line(text: str, line: int | None) -> str | None:
    """Line ``line`` of ``text``, stripped: the ``raw`` of a declaration in a TOML table."""
    lines = text.splitlines()
    return lines[line - 1].strip() if line and line <= len(lines) else None


def _key_line(text: str, header: str, key: str) -> int | None:
    """The line of ``key = ...`` in the TOML table ``[header]`` (anywhere when not found there)."""
    pattern = rf"""^\s*["']?{re.escape(key)}["']?\s*="""
    start = line_of(text, rf"^\s*\[\s*{re.escape(header)}\s*\]")
    return (line_of(text, pattern, start=start) if start else None) or line_of(text, pattern)


def _read_poetry_table(
    collector: _Collector, path: Path, table: object, text: str, header: str, detail: str
) -> None:
    if not isinstance(table, dict):
        return
    for name, value in table.items():
        if name.lower() == "python":
            continue  # the project's Python range: read by the Python finder
        line = _key_line(text, header, name)
        raw = _source_line(text, line)
        items = value if isinstance(value, list) else [value]  # multiple-constraint form
        for item in items:
            _add_poetry_item(collector, path, name, item, line, raw or f"{name} = {item!r}", detail)


def _add_poetry_item(
    collector: _Collector,
    path: Path,
    name: str,
    item: object,
    line: int | None,
    raw: str,
    detail: str,
) -> None:
    if isinstance(item, str):
        table: dict[str, Any] = {"version": item}
    elif isinstance(item, dict):
        table = item
    else:
        return
    extras = _string_list(table.get("extras"))
    marker = table.get("markers") if isinstance(table.get("markers"), str) else None
    for key in ("git", "url", "path"):
        if isinstance(table.get(key), str):
            kind = "editable" if table.get("develop") else "url"
            collector.add(name, "", path, line, kind, raw, extras=extras, url=table[key])
            return
    version = table.get("version", "*")
    specifier = poetry_to_pep440(version) if isinstance(version, str) else None
    if specifier is None:
        collector.reader.skip(
            path,
            f"{name} = {version!r} has no PEP 440 equivalent upgrader knows: "
            "pass --from for Django, or simplify the constraint",
        )
        return
    collector.add(
        name, specifier, path, line, "poetry", raw, extras=extras, marker=marker, detail=detail
    )


def _read_poetry(collector: _Collector, path: Path, data: dict[str, Any], text: str) -> None:
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if not isinstance(poetry, dict):
        return
    for key in ("dependencies", "dev-dependencies"):
        header = f"tool.poetry.{key}"
        detail = "" if key == "dependencies" else key
        _read_poetry_table(collector, path, poetry.get(key), text, header, detail)
    groups = poetry.get("group")
    if isinstance(groups, dict):
        for group, table in groups.items():
            if isinstance(table, dict):
                deps = table.get("dependencies")
                header = f"tool.poetry.group.{group}.dependencies"
                _read_poetry_table(collector, path, deps, text, header, f"group: {group}")


def _read_pyproject(collector: _Collector, root: Path) -> None:
    path = root / "pyproject.toml"
    collector.consulted.add(path)
    data = collector.reader.toml(path)
    text = collector.reader.text(path)
    if data is None or text is None:
        return
    before = len(collector.found)
    _read_pep621(collector, path, data, text)
    _read_poetry(collector, path, data, text)
    if len(collector.found) > before:
        collector.used(path)


# --- setup.py and setup.cfg ---------------------------------------------------------------------


def _is_setup_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "setup") or (
        isinstance(func, ast.Attribute) and func.attr == "setup"
    )


def _literal_strings(
    node: ast.expr | None, bindings: dict[str, ast.expr], depth: int = 0
) -> list[ast.Constant]:
    """The string constants ``node`` stands for: a literal, a list or tuple of them, a
    module-level name bound to one (``install_requires = [...]``, an item such as
    ``sorl_thumbnail_version``), or ``base + [...]``; anything computed is left out."""
    if depth > 8:  # a name bound to itself through others
        return []
    if isinstance(node, ast.Name) and node.id in bindings:
        return _literal_strings(bindings[node.id], bindings, depth + 1)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [c for e in node.elts for c in _literal_strings(e, bindings, depth + 1)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [
            *_literal_strings(node.left, bindings, depth + 1),
            *_literal_strings(node.right, bindings, depth + 1),
        ]
    return []


def _read_setup_py(collector: _Collector, root: Path) -> None:
    path = root / "setup.py"
    collector.consulted.add(path)
    tree = collector.reader.python(path)
    if tree is None:
        return
    bindings = module_bindings(tree)
    for call in (n for n in ast.walk(tree) if _is_setup_call(n)):
        assert isinstance(call, ast.Call)
        collector.used(path)
        for keyword in call.keywords:
            if keyword.arg == "install_requires":
                groups: list[tuple[str, ast.expr | None]] = [("", keyword.value)]
            elif keyword.arg == "extras_require":
                value = keyword.value
                if isinstance(value, ast.Name):
                    value = bindings.get(value.id, value)
                if not isinstance(value, ast.Dict):
                    continue
                groups = [
                    (f"extras_require: {k.value}", v)
                    for k, v in zip(value.keys, value.values, strict=True)
                    if isinstance(k, ast.Constant) and isinstance(k.value, str)
                ]
            else:
                continue
            for detail, node in groups:
                for constant in _literal_strings(node, bindings):
                    for offset, raw in enumerate(str(constant.value).splitlines()):
                        raw = raw.split("#")[0].strip()
                        if raw:
                            line = constant.lineno + offset
                            collector.add_pep508(raw, path, line, "setup.py", detail)


def read_tests_require(
    root: Path, *, reader: ProjectReader | None = None
) -> tuple[DeclaredRequirement, ...]:
    """What ``setup.py`` ``tests_require`` (or ``setup.cfg`` ``[options] tests_require``) names:
    a reusable app's test requirements, kind ``tests_require``; not part of ``read_declared``
    (they are no dependency of the package, and their Django line is the stage's to choose)."""
    reader = reader if reader is not None else ProjectReader(root)
    collector = _Collector(reader)
    path = reader.root / "setup.py"
    tree = reader.python(path) if path.is_file() else None
    if tree is not None:
        bindings = module_bindings(tree)
        for call in (n for n in ast.walk(tree) if _is_setup_call(n)):
            assert isinstance(call, ast.Call)
            for keyword in call.keywords:
                if keyword.arg != "tests_require":
                    continue
                for constant in _literal_strings(keyword.value, bindings):
                    for offset, raw in enumerate(str(constant.value).splitlines()):
                        raw = raw.split("#")[0].strip()
                        if raw:
                            line = constant.lineno + offset
                            collector.add_pep508(raw, path, line, "tests_require", "tests_require")
    cfg = reader.root / "setup.cfg"
    parser = reader.ini(cfg) if cfg.is_file() else None
    text = reader.text(cfg) if parser is not None else None
    if parser is not None and text is not None and parser.has_option("options", "tests_require"):
        for item in parser.get("options", "tests_require").splitlines():
            raw = item.split(" #")[0].strip()
            if raw and not raw.startswith("#"):
                collector.add_pep508(
                    raw, cfg, line_of(text, re.escape(raw)), "tests_require", "tests_require"
                )
    return tuple(collector.found)


def _read_setup_cfg(collector: _Collector, root: Path) -> None:
    path = root / "setup.cfg"
    collector.consulted.add(path)
    parser = collector.reader.ini(path)
    text = collector.reader.text(path)
    if parser is None or text is None:
        return
    sections: list[tuple[str, str, str]] = []
    if parser.has_option("options", "install_requires"):
        sections.append(("", "options", "install_requires"))
    if parser.has_section("options.extras_require"):
        for extra in parser.options("options.extras_require"):
            sections.append((f"extras_require: {extra}", "options.extras_require", extra))
    for detail, section, option in sections:
        collector.used(path)
        value = parser.get(section, option)
        if value.strip().startswith("file:"):
            files = [root / f.strip() for f in value.strip()[5:].split(",") if f.strip()]
            _read_requirements_files(collector, files)
            continue
        for item in value.splitlines():
            raw = item.split(" #")[0].strip()
            if raw and not raw.startswith("#"):
                line = line_of(text, re.escape(raw))
                collector.add_pep508(raw, path, line, "setup.cfg", detail)


# --- Pipfile and lock files ---------------------------------------------------------------------


def _read_pipfile(collector: _Collector, root: Path) -> None:
    path = root / "Pipfile"
    collector.consulted.add(path)
    data = collector.reader.toml(path)
    text = collector.reader.text(path)
    if data is None or text is None:
        return
    collector.used(path)
    for section, detail in (("packages", ""), ("dev-packages", "dev-packages")):
        table = data.get(section)
        if not isinstance(table, dict):
            continue
        for name, value in table.items():
            line = _key_line(text, section, name)
            raw = _source_line(text, line) or f"{name} = {value!r}"
            spec_table: dict[str, Any] = value if isinstance(value, dict) else {"version": value}
            extras = _string_list(spec_table.get("extras"))
            marker = spec_table.get("markers")
            marker = marker if isinstance(marker, str) else None
            direct = next((spec_table[k] for k in ("git", "path", "file") if k in spec_table), None)
            if isinstance(direct, str):
                kind = "editable" if spec_table.get("editable") else "url"
                collector.add(name, "", path, line, kind, raw, extras=extras, url=direct)
                continue
            version = spec_table.get("version", "*")
            specifier = "" if version in ("*", "") or not isinstance(version, str) else version
            collector.add(
                name,
                specifier,
                path,
                line,
                "pipfile",
                raw,
                extras=extras,
                marker=marker,
                detail=detail,
            )


def _read_pipfile_lock(collector: _Collector, root: Path) -> None:
    path = root / "Pipfile.lock"
    collector.consulted.add(path)
    data = collector.reader.json(path)
    text = collector.reader.text(path)
    if not isinstance(data, dict) or text is None:
        return
    collector.used(path)
    for section in ("default", "develop"):
        table = data.get(section)
        if not isinstance(table, dict):
            continue
        for name, value in table.items():
            if not isinstance(value, dict):
                continue
            line = line_of(text, rf'^\s*"{re.escape(name)}"\s*:')
            detail = "develop" if section == "develop" else ""
            version = value.get("version")
            if isinstance(version, str):
                raw = f"{name}{version}"
                collector.add(name, version, path, line, "pipfile.lock", raw, detail=detail)


def _read_toml_lock(collector: _Collector, root: Path, filename: str, kind: str) -> None:
    path = root / filename
    collector.consulted.add(path)
    data = collector.reader.toml(path)
    text = collector.reader.text(path)
    if data is None or text is None:
        return
    collector.used(path)
    packages = data.get("package")
    for package in packages if isinstance(packages, list) else []:
        if not isinstance(package, dict):
            continue
        name, version = package.get("name"), package.get("version")
        source = package.get("source")
        if isinstance(source, dict) and {"editable", "virtual"} & set(source):
            continue  # the project itself, not a locked dependency
        if isinstance(name, str) and isinstance(version, str):
            line = line_of(text, rf'^name\s*=\s*"{re.escape(name)}"\s*$')
            collector.add(name, f"=={version}", path, line, kind, f"{name}=={version}")


def read_declared(root: Path, *, reader: ProjectReader | None = None) -> DeclaredSet:
    """Every requirement the project at ``root`` declares or locks (read, never executed)."""
    reader = reader if reader is not None else ProjectReader(root)
    root = reader.root
    collector = _Collector(reader)
    top = enclosing_repository(root)
    folders = [root] if top is None else [root, top]
    # One pass over every requirements file, so a file both include is read once.
    _read_requirements_files(collector, [p for f in folders for p in _requirement_file_roots(f)])
    for folder in folders:
        _read_pyproject(collector, folder)
        _read_setup_py(collector, folder)
        _read_setup_cfg(collector, folder)
        _read_pipfile(collector, folder)
        _read_toml_lock(collector, folder, "poetry.lock", "poetry.lock")
        _read_pipfile_lock(collector, folder)
        _read_toml_lock(collector, folder, "uv.lock", "uv.lock")
    skipped = tuple(s for s in reader.skipped if s.path in collector.consulted)
    return DeclaredSet(tuple(collector.found), tuple(collector.files), skipped, root)
