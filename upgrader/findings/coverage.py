"""How much of Django 3.0-6.1's code-level changes the catalogue covers: the source of
``docs/coverage.md`` (``scripts/coverage.py`` writes it; a test fails when it is stale).

An item belongs to the release whose notes make the project's code change: the release that
removes (or changes) it, or, for deprecations removed after 6.1, the release that deprecates
it. *Detected* means a detector reports it at file:line (``Deprecation.kinds``); *fixed* means
a rewrite (django-upgrade or one of our codemods) changes it; the rest are manual items with a
suggested change. An item no detector can point at says why (``Deprecation.undetected``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from packaging.version import Version

from upgrader.findings.catalogue import Deprecation, all_deprecations

FIRST = Version("3.0")
LAST = Version("6.1")


def release_of(entry: Deprecation) -> Version | None:
    """The release (3.0-6.1) whose notes make code change for ``entry``; None outside."""
    if entry.scope != "django":
        return None
    if FIRST <= entry.removed_version <= LAST:
        return entry.removed_version
    if entry.removed_version > LAST and FIRST <= entry.deprecated_version <= LAST:
        return entry.deprecated_version
    return None


@dataclass(frozen=True)
class Row:
    release: str
    items: int
    detected: int
    fixed: int
    manual: int

    @staticmethod
    def of(release: str, entries: Iterable[Deprecation]) -> Row:
        chosen = list(entries)
        return Row(
            release,
            len(chosen),
            sum(1 for e in chosen if e.kinds),
            sum(1 for e in chosen if e.automatic),
            sum(1 for e in chosen if not e.automatic and e.suggestion),
        )


def by_release() -> dict[Version, list[Deprecation]]:
    grouped: dict[Version, list[Deprecation]] = {}
    for entry in all_deprecations():
        release = release_of(entry)
        if release is not None:
            grouped.setdefault(release, []).append(entry)
    return dict(sorted(grouped.items()))


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def _fix(entry: Deprecation) -> str:
    if entry.fix.kind == "manual":
        return "manual"
    return f"{entry.fix.kind} `{entry.fix.ref}`"


def render() -> str:
    """The Markdown of ``docs/coverage.md``."""
    groups = by_release()
    rows = [Row.of(str(release), entries) for release, entries in groups.items()]
    total = Row.of("total", [e for entries in groups.values() for e in entries])
    lines = [
        "# Deprecation coverage, Django 3.0-6.1",
        "",
        "Generated from `upgrader/findings/catalogue.py` by `scripts/coverage.py`; do not edit",
        "(`tests/findings/test_coverage.py` fails when this file is stale).",
        "",
        "An item is a code-level entry of a release's notes (features removed, features",
        "deprecated, backwards-incompatible changes that reach user code), counted under the",
        "release that makes the code change (the removal, or the deprecation when the removal",
        "comes after 6.1). *Detected*: the scanner reports it at file:line. *Fixed*: a rewrite",
        "(django-upgrade or our codemod) changes it on the hop. *Manual*: a plan item with the",
        "suggested change.",
        "",
        f"**{total.items} items: {total.detected} detected "
        f"({_percent(total.detected, total.items)}), {total.fixed} fixed automatically "
        f"({_percent(total.fixed, total.items)}), {total.manual} manual with a suggestion.**",
        "The issue's goal is 95% detected and 75% fixed.",
        "",
        "| release | items | detected | fixed | manual |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for row in [*rows, total]:
        name = f"**{row.release}**" if row is total else row.release
        lines.append(
            f"| {name} | {row.items} | {row.detected} ({_percent(row.detected, row.items)}) "
            f"| {row.fixed} ({_percent(row.fixed, row.items)}) | {row.manual} |"
        )
    lines += ["", "## Not detected statically", ""]
    lines.append(
        "What the scanner cannot point at, and how `upgrader verify` shows it at run time "
        "(the test run's failures and the deprecation warnings it captures):"
    )
    lines.append("")
    for release, entries in groups.items():
        for entry in entries:
            if not entry.kinds:
                reason = entry.undetected or (
                    f"the rewrite ({_fix(entry)}) finds and changes it; no separate finding"
                )
                lines.append(f"- {release} `{entry.id}`: {reason}")
    for release, entries in groups.items():
        lines += [
            "",
            f"## {release}",
            "",
            "| id | change | detected | fix | source |",
            "| --- | --- | --- | --- | --- |",
        ]
        for entry in entries:
            detected = ", ".join(entry.kinds) if entry.kinds else "no"
            summary = entry.summary.replace("|", "\\|")
            lines.append(
                f"| `{entry.id}` | {summary} | {detected} | {_fix(entry)} | [notes]({entry.docs}) |"
            )
    return "\n".join(lines) + "\n"
