"""One declaration's line moved to a chosen version, changing only its version part: the PEP 440
specifier after the name (``updated_specifier``), or the quoted constraint of a Poetry or Pipfile
table (``^``, ``~``, bare versions), and the name when the package is renamed."""

from __future__ import annotations

import re
from collections.abc import Sequence

from packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from upgrader.detect.requirements import DeclaredRequirement

PEP508_KINDS = frozenset(
    {"requirements", "constraints", "pep621", "pep735", "setup.py", "setup.cfg"}
)
TABLE_KINDS = frozenset({"poetry", "pipfile"})


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
            # ``<2.3.0`` bounds a series (2.2), not a patch: its depth ignores trailing zeros,
            # and the new bound keeps the written length (``<3.3.0``, never ``<3.2.26``).
            bound = Version(item.version.rstrip(".*")).release
            significant = len(bound) - next(
                i for i, n in enumerate(reversed(bound)) if n or i == len(bound) - 1
            )
            upper = _next(version, significant).split(".")
            parts.append("<" + ".".join(upper + ["0"] * (depth - len(upper))))
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


def edit_line(line: str, decl: DeclaredRequirement, chosen: str, rename: str | None) -> str | None:
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


def needs_change(specifier: str, chosen: str) -> bool:
    try:
        excluded = bool(specifier) and not SpecifierSet(specifier).contains(
            Version(chosen), prereleases=True
        )
    except (InvalidSpecifier, InvalidVersion):
        return False
    # ``==4.8.*`` admitting 4.8.2 is the project's own series: nothing to write.
    pinned = specifier.startswith("==") and "*" not in specifier
    return excluded or (pinned and specifier != f"=={chosen}")


def has_hashes(lines: Sequence[str], index: int) -> bool:
    """Whether the logical requirement line starting at ``index`` carries ``--hash`` options."""
    while index < len(lines):
        if "--hash" in lines[index]:
            return True
        if not lines[index].rstrip("\r\n").endswith("\\"):
            return False
        index += 1
    return False
