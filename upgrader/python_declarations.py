"""Move a project's own Python declarations along when a hop changes its Python.

When a hop runs the project on a newer Python (Django 5.2 needs 3.10, 6.x needs 3.12), the files
that say which Python the project runs must say so too, or the next hop (and the team's
tooling) still reads the old one. Each declaration found by detection is edited in place, the
version token only, keeping the file's own convention and precision:

- ``.python-version``, ``runtime.txt``, ``Dockerfile`` ``FROM python:X.Y``, Pipfile
  ``[requires]`` and ``[tool.upgrader] python``: a feature version stays a feature version
  (``python-3.8`` -> ``python-3.10``); a patch release becomes the newest patch release of the
  new version from ``upgrader.python_releases`` (never the local interpreter's), and a note says
  which, and from which table.
- ``requires-python``: the lower bound is raised, never lowered.
- CI files (GitHub workflows, ``.travis.yml``, ``.gitlab-ci.yml``, CircleCI): the Pythons the
  hop's Django no longer supports are taken out of each list, and the hop's Python is put in
  their place when the list does not name it yet; a single value (``python-version: "3.8"``,
  ``image: python:3.8``) becomes the hop's Python. A note lists each file's change.
- ``tox.ini`` matrices are left alone with a note: their factors select dependencies elsewhere in
  the file, so renaming ``py38`` alone would break them.

Declarations in template or vendored folders (a library's ``project_template/Dockerfile``, a
cookiecutter's ``{{ cookiecutter.slug }}/.python-version``: ``is_template_path``) are not the
project's Python and are never edited.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from upgrader.detect.python_version import is_template
from upgrader.files import SourceText, read_text, write_atomic
from upgrader.project import Project, PythonDeclaration
from upgrader.python_releases import AS_OF, SOURCE, latest_patch


@dataclass(frozen=True)
class PythonUpdate:
    changed: tuple[str, ...]  # files, relative to the project root
    notes: tuple[str, ...]


Editor = Callable[[str, str, str | None, list[str]], str]  # (line, feature, full, notes) -> line


def _feature_or_patch(old: str, feature: str, full: str | None, notes: list[str]) -> str:
    """Keep the declaration's precision: "3.8" -> "3.10", "3.8.18" -> the newest 3.10.x known.

    ``full`` (a patch release the caller knows) is used only for a feature version the table
    does not list yet."""
    if old.count(".") < 2:
        return feature
    patch = latest_patch(feature) or (full if full and full.startswith(feature + ".") else None)
    if patch is None:
        notes.append(
            f"no patch release of Python {feature} is known to upgrader: wrote {feature}; "
            "put the patch release you deploy there"
        )
        return feature
    source = f"the newest {feature} patch release in upgrader's table ({SOURCE}, {AS_OF})"
    if latest_patch(feature) is None:
        source = f"the patch release of the interpreter that ran the hop ({full})"
    notes.append(f"{old} -> {patch}: {source}; check that your platform offers it")
    return patch


def _python_version_line(line: str, feature: str, full: str | None, notes: list[str]) -> str:
    return re.sub(
        r"\d+\.\d+(\.\d+)?",
        lambda m: _feature_or_patch(m.group(0), feature, full, notes),
        line,
        count=1,
    )


def _runtime_line(line: str, feature: str, full: str | None, notes: list[str]) -> str:
    return re.sub(
        r"(python-)(\d+\.\d+(?:\.\d+)?)",
        lambda m: m.group(1) + _feature_or_patch(m.group(2), feature, full, notes),
        line,
        count=1,
    )


def _dockerfile_line(line: str, feature: str, full: str | None, notes: list[str]) -> str:
    return re.sub(
        r"(\bpython:)(\d+\.\d+(?:\.\d+)?)",
        lambda m: m.group(1) + _feature_or_patch(m.group(2), feature, full, notes),
        line,
        count=1,
    )


def _requires_python_line(line: str, feature: str, full: str | None, notes: list[str]) -> str:
    def raise_bound(match: re.Match[str]) -> str:
        try:
            if Version(match.group(2)) >= Version(feature):
                return match.group(0)
        except InvalidVersion:
            return match.group(0)
        return match.group(1) + feature

    return re.sub(r"(>=\s*)(\d+(?:\.\d+)*)", raise_bound, line, count=1)


def _quoted_line(line: str, feature: str, full: str | None, notes: list[str]) -> str:
    """``python = "3.8"`` ([tool.upgrader]) or ``python_full_version = "3.8.10"`` (Pipfile)."""
    return re.sub(
        r"""(["'])(\d+\.\d+(?:\.\d+)?)\1""",
        lambda m: f"{m.group(1)}{_feature_or_patch(m.group(2), feature, full, notes)}{m.group(1)}",
        line,
        count=1,
    )


EDITORS: dict[str, Editor] = {
    ".python-version": _python_version_line,
    "runtime.txt": _runtime_line,
    "Dockerfile": _dockerfile_line,
    "requires-python": _requires_python_line,
    "config": _quoted_line,
    "Pipfile": _quoted_line,
}


def _lines(path: Path) -> tuple[SourceText, list[str]] | None:
    source = read_text(path)
    if not isinstance(source, SourceText):
        return None
    return source, source.text.splitlines(keepends=True)


def _edit(
    root: Path, declaration: PythonDeclaration, feature: str, full: str | None
) -> tuple[bool, list[str]]:
    editor = EDITORS.get(declaration.kind)
    line_number = declaration.evidence.line
    if editor is None or line_number is None:
        return False, []
    path = root / declaration.evidence.file
    read = _lines(path)
    if read is None:
        return False, []
    source, lines = read
    if not 0 < line_number <= len(lines):
        return False, []
    old = lines[line_number - 1]
    said: list[str] = []
    new = editor(old, feature, full, said)
    if new == old:
        return False, []
    notes = [f"{declaration.evidence}: {note}" for note in said]
    lines[line_number - 1] = new
    write_atomic(path, source.encode("".join(lines)))
    return True, notes


# --- CI files ----------------------------------------------------------------------------------

_ITEM = re.compile(r"""^(\s*-\s*)(["']?)(\d+\.\d+)(\2)(\s*(?:#.*)?)$""")
_NUMBER = re.compile(r"""(["']?)(?<![\w.])(\d+\.\d+)(?![\d.])\1""")
_FLOW = re.compile(r"\[([^\[\]]*)\]")


def _keeps(version: str, python: str, old: str | None, supported: Sequence[str] | None) -> bool:
    """Whether a CI entry stays: the target supports it (or, unknown, it is on the hop's side)."""
    if supported is not None:
        return version in supported
    try:
        moving_down = old is not None and Version(old) > Version(python)
        return (
            (Version(version) <= Version(python))
            if moving_down
            else (Version(version) >= Version(python))
        )
    except InvalidVersion:
        return True


def _edit_ci_file(
    path: Path,
    line_numbers: Sequence[int],
    python: str,
    keeps: Callable[[str], bool],
) -> tuple[bool, list[tuple[list[str], list[str]]]]:
    """Edit the lines of one CI file that name Pythons; (changed, [(before, after)] per list)."""
    read = _lines(path)
    if read is None:
        return False, []
    source, lines = read
    wanted = sorted({n for n in line_numbers if 0 < n <= len(lines)})
    changes: list[tuple[list[str], list[str]]] = []
    drop: set[int] = set()
    # Block lists: runs of "- 3.8" lines, one version each.
    runs: list[list[int]] = []
    for number in wanted:
        if _ITEM.match(lines[number - 1].rstrip("\r\n")):
            if runs and all(not lines[n - 1].strip() for n in range(runs[-1][-1] + 1, number)):
                runs[-1].append(number)
            else:
                runs.append([number])
    in_runs = {n for run in runs for n in run}
    for run in runs:
        matches = [(n, _ITEM.match(lines[n - 1].rstrip("\r\n"))) for n in run]
        versions = [m.group(3) for _n, m in matches if m]
        kept = [v for v in versions if keeps(v)]
        if kept == versions:
            continue
        removed = [n for (n, m) in matches if m and not keeps(m.group(3))]
        after = list(kept)
        if python not in kept:
            n = removed[-1]
            m = _ITEM.match(lines[n - 1].rstrip("\r\n"))
            assert m is not None
            ending = lines[n - 1][len(lines[n - 1].rstrip("\r\n")) :]
            lines[n - 1] = f"{m.group(1)}{m.group(2)}{python}{m.group(4)}{m.group(5)}{ending}"
            removed = removed[:-1]
            after.append(python)
        drop.update(removed)
        changes.append((versions, sorted(after, key=Version)))
    # Values on the key's own line: a flow list or one version (python-version: "3.8").
    for number in wanted:
        if number in in_runs:
            continue
        line = lines[number - 1]
        flow = _FLOW.search(line)
        if flow is not None:
            items = [item.strip() for item in flow.group(1).split(",") if item.strip()]
            parsed = [(item, _NUMBER.fullmatch(item)) for item in items]
            entries = [(item, m.group(1), m.group(2)) for item, m in parsed if m]
            if not entries or len(entries) != len(items):
                continue
            versions = [version for _item, _quote, version in entries]
            kept_items = [item for item, _quote, version in entries if keeps(version)]
            if len(kept_items) == len(items):
                continue
            quote = entries[0][1]
            kept = [v for v in versions if keeps(v)]
            if python not in kept:
                kept_items.append(f"{quote}{python}{quote}")
                kept.append(python)
            lines[number - 1] = line[: flow.start(1)] + ", ".join(kept_items) + line[flow.end(1) :]
            changes.append((versions, sorted(kept, key=Version)))
            continue
        found = list(_NUMBER.finditer(line))
        versions = [m.group(2) for m in found]
        if len(found) != 1 or keeps(versions[0]):
            continue
        match = found[0]
        lines[number - 1] = line[: match.start(2)] + python + line[match.end(2) :]
        changes.append((versions, [python]))
    if not changes:
        return False, []
    kept_lines = [line for index, line in enumerate(lines, start=1) if index not in drop]
    write_atomic(path, source.encode("".join(kept_lines)))
    return True, changes


def _own(project: Project) -> list[PythonDeclaration]:
    """The project's own declarations: none from template or vendored folders."""
    return [d for d in project.python_declarations if not is_template(d)]


def _update_ci(
    project: Project,
    python: str,
    supported: Sequence[str] | None,
    changed: list[str],
    notes: list[str],
) -> None:
    by_file: dict[str, list[PythonDeclaration]] = {}
    for declaration in _own(project):
        if declaration.kind == "ci" and declaration.evidence.line is not None:
            by_file.setdefault(declaration.evidence.file, []).append(declaration)
    why = f" (Django supports {', '.join(supported)})" if supported else ""
    for rel, declarations in by_file.items():
        lines = [d.evidence.line for d in declarations if d.evidence.line is not None]
        edited, changes = _edit_ci_file(
            project.root / rel,
            lines,
            python,
            lambda v: _keeps(v, python, project.python_version, supported),
        )
        if edited:
            if rel not in changed:
                changed.append(rel)
            done = "; ".join(f"{', '.join(b)} -> {', '.join(a)}" for b, a in changes)
            notes.append(f"{rel}: CI Pythons {done}{why}.")
            continue
        still = sorted({d.version for d in declarations}, key=Version)
        if any(not _keeps(v, python, project.python_version, supported) for v in still):
            notes.append(
                f"{rel} still runs Python {', '.join(still)}: upgrader could not edit it "
                f"(not a plain list or value); run CI on Python {python} there."
            )


def update_python_declarations(
    project: Project,
    python: str,
    full: str | None = None,
    *,
    supported: Sequence[str] | None = None,
) -> PythonUpdate:
    """Point every declaration of the project's Python at ``python`` ("3.10").

    ``supported``: the Pythons the hop's Django supports; CI entries outside it are dropped. When
    not given, the entries on the far side of ``python`` from the project's old Python are (the
    hop moved because the old one is no longer supported). ``full``: a patch release to write
    for a feature version upgrader's patch table does not know yet.
    """
    changed: list[str] = []
    notes: list[str] = []
    left: dict[tuple[str, str], list[str]] = {}
    for declaration in _own(project):
        if declaration.version == python or declaration.kind == "ci":
            continue
        if declaration.kind in EDITORS:
            edited, edit_notes = _edit(project.root, declaration, python, full)
            if edited and declaration.evidence.file not in changed:
                changed.append(declaration.evidence.file)
            notes += edit_notes
        else:
            versions = left.setdefault((declaration.evidence.file, declaration.kind), [])
            if declaration.version not in versions:
                versions.append(declaration.version)
    for (rel, kind), versions in left.items():
        named = ", ".join(sorted(versions, key=Version))
        if kind == "classifiers":
            notes.append(
                f"{rel} (classifiers) still says Python {named}: left alone (the Pythons a "
                "package claims are the maintainers' call); add 'Programming Language :: "
                f"Python :: {python}' once it is tested there."
            )
            continue
        notes.append(
            f"{rel} ({kind}) still says Python {named}: left alone (its factors select "
            f"dependencies elsewhere in the file); add {python} there."
        )
    _update_ci(project, python, supported, changed, notes)
    return PythonUpdate(tuple(changed), tuple(notes))


def update_ci_pythons(project: Project, python: str, supported: Sequence[str]) -> PythonUpdate:
    """Only the CI files: drop the Pythons the hop's Django does not support (``supported``),
    putting ``python`` in their place. For a hop that keeps the project's Python: its CI must
    still stop running Pythons the new Django cannot install on (Django 3.2 and Python 3.5)."""
    changed: list[str] = []
    notes: list[str] = []
    _update_ci(project, python, supported, changed, notes)
    return PythonUpdate(tuple(changed), tuple(notes))
