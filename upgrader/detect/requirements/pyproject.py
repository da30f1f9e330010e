"""``pyproject.toml``: PEP 621 ``[project]``, PEP 735 ``[dependency-groups]`` and Poetry's tables
(its constraints converted to PEP 440: ``poetry_to_pep440``); the TOML key helpers the Pipfile
reader shares."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from upgrader.detect.requirements.declared import Collector
from upgrader.detect.sources import line_of


def string_list(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _line_of_string(text: str, raw: str) -> int | None:
    return line_of(text, r"""["']""" + re.escape(raw) + r"""["']""")


def _read_pep621(collector: Collector, path: Path, data: dict[str, Any], text: str) -> None:
    project = data.get("project")
    if isinstance(project, dict):
        for raw in string_list(project.get("dependencies")):
            collector.add_pep508(raw, path, _line_of_string(text, raw), "pep621")
        optional = project.get("optional-dependencies")
        if isinstance(optional, dict):
            for group, items in optional.items():
                for raw in string_list(items):
                    line = _line_of_string(text, raw)
                    collector.add_pep508(
                        raw, path, line, "pep621", f"optional-dependencies: {group}"
                    )
    groups = data.get("dependency-groups")
    if isinstance(groups, dict):
        for group, items in groups.items():
            for raw in string_list(items):
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


def source_line(text: str, line: int | None) -> str | None:
    """Line ``line`` of ``text``, stripped: the ``raw`` of a declaration in a TOML table."""
    lines = text.splitlines()
    return lines[line - 1].strip() if line and line <= len(lines) else None


def key_line(text: str, header: str, key: str) -> int | None:
    """The line of ``key = ...`` in the TOML table ``[header]`` (anywhere when not found there)."""
    pattern = rf"""^\s*["']?{re.escape(key)}["']?\s*="""
    start = line_of(text, rf"^\s*\[\s*{re.escape(header)}\s*\]")
    return (line_of(text, pattern, start=start) if start else None) or line_of(text, pattern)


def _read_poetry_table(
    collector: Collector, path: Path, table: object, text: str, header: str, detail: str
) -> None:
    if not isinstance(table, dict):
        return
    for name, value in table.items():
        if name.lower() == "python":
            continue  # the project's Python range: read by the Python finder
        line = key_line(text, header, name)
        raw = source_line(text, line)
        items = value if isinstance(value, list) else [value]  # multiple-constraint form
        for item in items:
            _add_poetry_item(collector, path, name, item, line, raw or f"{name} = {item!r}", detail)


def _add_poetry_item(
    collector: Collector,
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
    extras = string_list(table.get("extras"))
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


def _read_poetry(collector: Collector, path: Path, data: dict[str, Any], text: str) -> None:
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


def read_pyproject(collector: Collector, root: Path) -> None:
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
