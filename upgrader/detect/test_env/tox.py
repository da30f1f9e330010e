"""The project's ``tox.ini`` ``[testenv]``: variables set and passed, set-up commands, deps (a
Django factor's lines for that stage only) and extras."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from upgrader.detect.model import Evidence
from upgrader.detect.sources import line_of
from upgrader.detect.test_env.found import (
    NAME,
    SETUP_COMMAND,
    TEST_COMMAND,
    Found,
    Item,
)

_FACTOR = re.compile(r"^[\w.!{},-]+:\s")  # tox's "django22: Django<3" / "py37,py38: x"


def _tox_value(found: Found, value: str, evidence: Evidence) -> str | None:
    """A tox value with ``{toxinidir}`` made ours; None (with a note) for other substitutions."""
    value = re.sub(r"\{(toxinidir|tox_root)\}", "{tox_root}{/}..", value)
    leftover = re.sub(r"\{tox_root\}|\{/\}", "", value)
    if "{" in leftover:
        found.note(
            f"{value.strip()!r} uses a tox substitution upgrader cannot carry: left out", evidence
        )
        return None
    return value


def _lines(value: str) -> Iterator[tuple[int, str]]:
    """(offset, line) of a multi-line ini value, comments and blanks left out, ``\\`` joined."""
    pending = ""
    start = 0
    for offset, raw in enumerate(value.splitlines()):
        line = raw.strip()
        if not pending:
            start = offset
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        yield start, pending + line
        pending = ""
    if pending:
        yield start, pending.strip()


def _option(parser: Any, section: str, *names: str) -> tuple[str, str] | None:
    for name in names:
        if parser.has_option(section, name):
            return name, str(parser.get(section, name))
    return None


def from_tox_ini(found: Found) -> None:
    path = found.reader.root / "tox.ini"
    parser = found.reader.ini(path)
    text = found.reader.text(path) or ""
    if parser is None or not parser.has_section("testenv"):
        return

    def where(key: str, line: str) -> Evidence:
        number = line_of(text, re.escape(line.split()[0])) if line.split() else None
        return found.evidence(path, number or line_of(text, rf"^{re.escape(key)}\s*="), key)

    def conditional(line: str, key: str) -> bool:
        if _FACTOR.match(line):
            found.note(f"{line!r} applies to some tox envs only: left out", where(key, line))
            return True
        return False

    if option := _option(parser, "testenv", "setenv", "set_env"):
        key, value = option
        for _offset, line in _lines(value):
            if conditional(line, key):
                continue
            name, sep, item = line.partition("=")
            name = name.strip()
            if not sep or not NAME.fullmatch(name):
                if line.startswith("file|"):
                    found.note(f"{line!r}: an env file is not read: left out", where(key, line))
                continue
            carried = _tox_value(found, item.strip(), where(key, line))
            if carried is not None:
                found.set(name, carried, where(key, name))
    if option := _option(parser, "testenv", "passenv", "pass_env"):
        key, value = option
        for _offset, line in _lines(value):
            for name in re.split(r"[\s,]+", line):
                if name and not conditional(line, key):
                    found.passes(name, where(key, name))
    if option := _option(parser, "testenv", "commands_pre"):
        key, value = option
        for _offset, line in _lines(value):
            if not conditional(line, key):
                carried = _tox_value(found, line, where(key, line))
                if carried is not None:
                    found.command(carried, where(key, line))
    if option := _option(parser, "testenv", "commands"):
        key, value = option
        for _offset, line in _lines(value):
            if TEST_COMMAND.search(line):
                break
            if SETUP_COMMAND.search(line) and not conditional(line, key):
                carried = _tox_value(found, line, where(key, line))
                if carried is not None:
                    found.command(carried, where(key, line))
    if option := _option(parser, "testenv", "deps"):
        key, value = option
        for _offset, line in _lines(value):
            factor = _FACTOR_LINE.match(line)
            if factor is not None:
                series = _factor_series(factor["condition"])
                if series:
                    evidence = where(key, line)
                    shown = ", ".join(series)
                    stages = "stage" if len(series) == 1 else "stages"
                    detail = f"{key}, {factor['condition']}: the Django {shown} {stages}"
                    evidence = Evidence(evidence.file, evidence.line, detail)
                    _tox_dep(found, factor["rest"].strip(), evidence, series)
                    continue
            if conditional(line, key):
                continue
            _tox_dep(found, line, where(key, line))
    if option := _option(parser, "testenv", "extras"):
        key, value = option
        names = [n for _o, line in _lines(value) for n in re.split(r"[\s,]+", line) if n]
        if found.extras is None:
            found.extras = [Item(n, where(key, n)) for n in names if not _FACTOR.match(n + " ")]


_FACTOR_LINE = re.compile(r"^(?P<condition>[\w.!{},-]+):\s+(?P<rest>.+)$")
# A tox factor naming a Django series: django22, dj22, django111 (1.11), django2.2.
_DJANGO_FACTOR = re.compile(
    r"^(?:django|dj)(?:(?P<major>\d)(?P<minor>\d{1,2})|(?P<dotted>\d+\.\d+))$"
)
_PYTHON_FACTOR = re.compile(r"^(py\d*|pypy\d*)$")


def _braces(text: str) -> list[str]:
    """tox's brace expansion of one factor expression: ``py37-django{22,30}`` -> two."""
    match = re.search(r"\{([^{}]*)\}", text)
    if match is None:
        return [text]
    head, tail = text[: match.start()], text[match.end() :]
    return [x for part in match[1].split(",") for x in _braces(head + part.strip() + tail)]


def _factor_series(condition: str) -> tuple[str, ...]:
    """The Django series a tox factor condition selects (``django{22,30}`` -> 2.2, 3.0); () when
    it names none or depends on more than Django and Python factors (``postgres``, ``!dj22``)."""
    alternatives = re.split(r",(?![^{]*\})", condition)
    series: dict[str, None] = {}
    for alternative in alternatives:
        for expanded in _braces(alternative):
            found: str | None = None
            for factor in expanded.split("-"):
                django = _DJANGO_FACTOR.match(factor)
                if django and found is None:
                    found = django["dotted"] or f"{django['major']}.{int(django['minor'])}"
                elif not _PYTHON_FACTOR.match(factor):
                    return ()  # a negation or another factor: what it selects is unknown here
            if found is None:
                return ()
            series[found] = None
    return tuple(series)


def _tox_dep(found: Found, line: str, evidence: Evidence, series: tuple[str, ...] = ()) -> None:
    """One ``deps`` line of the project's tox.ini: files relative to it, Django left to the stage
    (``series``: the Django series of its factor, when it is a factor line)."""
    include = re.match(r"^-(r|c)\s*(?P<file>\S+)$|^--requirement[=\s]+(?P<long>\S+)$", line)
    if include:
        name = include["file"] or include["long"]
        carried = _tox_value(found, name, evidence)
        if carried is None:
            return
        if not carried.startswith("{tox_root}"):
            carried = "{tox_root}{/}..{/}" + "{/}".join(Path(carried).parts)
        flag = "-c" if line.startswith("-c") else "-r"
        found.requirement(f"{flag} {carried}", evidence, series)
        return
    if line.startswith(("-", ".")) or "{" in line:
        found.note(f"{line!r} is not a requirement upgrader installs: left out", evidence)
        return
    try:
        requirement = Requirement(line)
    except InvalidRequirement:
        found.note(f"{line!r} is not a requirement upgrader can read: left out", evidence)
        return
    if canonicalize_name(requirement.name) == "django":
        return  # the stage decides Django
    found.requirement(line, evidence, series)
