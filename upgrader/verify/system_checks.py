"""Django's system check messages read from a test run's log (FINDINGS F85).

Django's test runner runs the system checks before the tests and prints what they found, in the
form of ``manage.py check`` (``django.core.management.base.BaseCommand.check``)::

    System check identified some issues:

    WARNINGS:
    ?: settings.ACCOUNT_AUTHENTICATION_METHOD is deprecated, use: settings.ACCOUNT_LOGIN_METHODS = {'email'}
    accounts.User: (models.W042) Auto-created primary key used when not defining a primary key type.
    \tHINT: Configure the DEFAULT_AUTO_FIELD setting or the AccountsConfig.default_auto_field attribute.

    System check identified 2 issues (0 silenced).

or, with nothing to say, ``System check identified no issues (0 silenced).`` A message is
``<object>: (<id>) <message>`` (the id is optional: a third-party app's checks may give none) with
an optional tab-indented ``HINT:`` line. That is where installed apps say a setting is deprecated
(django-allauth 65 names four of djangox's settings this way), which the run's Python warnings
never show, so the report lists them beside the deprecation warnings.

:func:`parse_system_checks` returns ``None`` when the log shows no system check output at all
(pytest-django runs no checks): "not run", which is not "no issues".
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass

# Django's group headers, most serious first, and the level each one holds.
_GROUPS = {
    "CRITICALS": "critical",
    "ERRORS": "error",
    "WARNINGS": "warning",
    "INFOS": "info",
    "DEBUGS": "debug",
}
_HEADINGS = {f"{name}:": level for name, level in _GROUPS.items()}  # "WARNINGS:" -> "warning"
_HEADER = "System check identified some issues:"
_FOOTER = re.compile(r"System check identified (?:no issues|[0-9]+ issues?) \([0-9]+ silenced\)\.")
# ``style.ERROR``/``style.WARNING`` colour the messages on a terminal: strip the escapes.
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_MESSAGE = re.compile(r"^(?P<obj>[^\s].*?): (?:\((?P<id>[\w.-]+)\) )?(?P<message>.*)$")
_HINT = "\tHINT: "


@dataclass(frozen=True)
class SystemCheck:
    """One distinct system check message of a run."""

    level: str  # "critical" | "error" | "warning" | "info" | "debug"
    obj: str  # what it is about, as Django prints it ("?" for none, "accounts.User")
    check_id: str | None  # "models.W042"; None when the check gave no id
    message: str
    hint: str | None = None

    @property
    def key(self) -> tuple[str, str, str | None, str]:
        """What makes two messages the same one (the hint may name a release-specific fix)."""
        return (self.level, self.obj, self.check_id, self.message)

    def to_json(self) -> dict[str, object]:
        return {
            "level": self.level,
            "obj": self.obj,
            "check_id": self.check_id,
            "message": self.message,
            "hint": self.hint,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> SystemCheck:
        check_id, hint = data.get("check_id"), data.get("hint")
        return cls(
            level=str(data["level"]),
            obj=str(data["obj"]),
            check_id=None if check_id is None else str(check_id),
            message=str(data["message"]),
            hint=None if hint is None else str(hint),
        )


def parse_system_checks(text: str) -> tuple[SystemCheck, ...] | None:
    """The system check messages the log shows, de-duplicated in their order; ``None`` when the
    log has no system check output (the checks did not run)."""
    lines = _ANSI.sub("", text).splitlines()
    ran = False
    found: dict[tuple[str, str, str | None, str], SystemCheck] = {}
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        if _FOOTER.search(line):
            ran = True
        if line.endswith(_HEADER):
            ran = True
            index = _read_block(lines, index + 1, found)
            continue
        index += 1
    return tuple(found.values()) if ran else None


def _read_block(
    lines: list[str], index: int, found: dict[tuple[str, str, str | None, str], SystemCheck]
) -> int:
    """Read the groups after a header into ``found``; the index of the first line after them."""
    level: str | None = None
    current: SystemCheck | None = None

    def keep() -> None:
        if current is not None:
            found.setdefault(current.key, current)

    while index < len(lines):
        raw = lines[index].rstrip("\r")
        stripped = raw.strip()
        if stripped in _HEADINGS:
            keep()
            current, level = None, _HEADINGS[stripped]
        elif _FOOTER.search(stripped):
            break
        elif not stripped:
            keep()
            current = None
            if level is not None and not _continues(lines, index + 1):
                break
        elif raw.startswith(_HINT) and current is not None:
            current = dataclasses.replace(current, hint=raw[len(_HINT) :])
        elif raw.startswith(("\t", " ")) and current is not None:
            # A message or hint over several lines: the rest is indented.
            if current.hint is not None:
                current = dataclasses.replace(current, hint=f"{current.hint} {stripped}")
            else:
                current = dataclasses.replace(current, message=f"{current.message} {stripped}")
        elif level is not None and (match := _MESSAGE.match(raw)):
            keep()
            current = SystemCheck(level, match["obj"], match["id"], match["message"].strip())
        elif level is not None:
            break  # not a check message: the block ended without its footer
        index += 1
    keep()
    return index


def _continues(lines: list[str], index: int) -> bool:
    """Whether the block goes on after a blank line: another group or the footer follows."""
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines):
        return False
    line = lines[index].strip()
    return line in _HEADINGS or bool(_FOOTER.search(line))


def new_since(
    after: tuple[SystemCheck, ...], before: tuple[SystemCheck, ...] | None
) -> frozenset[tuple[str, str, str | None, str]]:
    """The keys of ``after``'s messages the run before did not show (none when it ran no checks)."""
    if before is None:
        return frozenset()
    seen = {check.key for check in before}
    return frozenset(check.key for check in after if check.key not in seen)
