"""A :class:`~upgrader.report.model.StepReport` as GitHub-flavoured Markdown: the hop's PR description.

Short enough to read in a pull request: the diffs themselves are the PR's own, so files are
listed with their line counts and the rules that changed them (the HTML report has the diffs).
Long lists stop at :data:`LIST_LIMIT` entries (one release's warnings at :data:`WARNINGS_LIMIT`)
and point to the HTML report, which has them all, so the text fits a pull request description
(GitHub takes 65,536 characters).

Text from the project or the tools (file names, messages, logs) is escaped for where it goes:
table cells escape ``|``, inline code picks a fence longer than any backtick run inside, code
blocks a fence no line can close, and ``<`` is written as ``&lt;`` so nothing reads as HTML.
"""

from __future__ import annotations

import re

from upgrader.plan.summary import manual_items_sorted
from upgrader.report.model import (
    DONE,
    MANUAL_OPEN,
    NEEDS_ATTENTION,
    StepReport,
    SystemCheckItem,
    TestSummary,
    WarningItem,
)
from upgrader.report.summary import hop_title, is_link, python_versions, summary_line, tests_change
from upgrader.verify.deprecations import NOT_DJANGO, PROJECT, group_by_release

STATUS_MARK = {DONE: "✅", NEEDS_ATTENTION: "⚠️", MANUAL_OPEN: "⚠️"}
LIST_LIMIT = 50
WARNINGS_LIMIT = 20  # per release: the warnings of all releases share one description


def _limited(items: list[str], limit: int = LIST_LIMIT) -> list[str]:
    """At most ``limit`` list lines, then one saying how many more the HTML report has."""
    if len(items) <= limit:
        return items
    return [*items[:limit], f"- … and {len(items) - limit} more (all of them: report.html)"]


def _text(text: str) -> str:
    """Free text on one line, never read as HTML."""
    return " ".join(text.replace("&", "&amp;").replace("<", "&lt;").split())


def _cell(text: str) -> str:
    return _text(text).replace("|", "\\|")


def _code(text: str) -> str:
    """``text`` as inline code, whatever backticks it holds."""
    text = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if longest else ""  # so a backtick at either end is not read as the fence
    return f"{fence}{pad}{text}{pad}{fence}"


def _code_cell(text: str) -> str:
    return _code(text).replace("|", "\\|")


def _block(text: str, info: str = "text") -> list[str]:
    """A fenced code block whose fence no line of ``text`` can close."""
    longest = max((len(run) for run in re.findall(r"^\s*(`{3,})", text, re.MULTILINE)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{info}", *text.splitlines(), fence]


def _link(label: str, url: str) -> str:
    if not is_link(url):
        return label
    return f"[{label}](<{url.replace('>', '%3E').replace(' ', '%20')}>)"


def _header(report: StepReport) -> list[str]:
    mark = STATUS_MARK.get(report.shown_status, "")
    lines = [
        f"# {hop_title(report)}: {report.shown_status} {mark}".rstrip(),
        "",
        f"**{_text(summary_line(report))}**",
        "",
    ]
    if report.branch:
        base = f" from {_code(report.base_commit[:12])}" if report.base_commit else ""
        lines.append(f"- **Branch:** {_code(report.branch)}{base}")
    lines.append(f"- **Python:** {python_versions(report)}")
    if report.release_notes:
        lines.append(
            f"- **Release notes:** {_link(f'Django {report.target}', report.release_notes)}"
        )
    lines.append(f"- **Project:** {_code(report.project)}")
    lines.append(f"- **Run:** {report.started} → {report.finished}, upgrader {report.tool}")
    if report.needs_attention:
        lines += [
            "",
            "> [!WARNING]",
            "> The tests fail after this hop. Fix them on this branch, then run "
            "`upgrader step --continue` to verify again; the next hop waits until they pass.",
        ]
    elif report.shown_status == MANUAL_OPEN:
        lines += [
            "",
            "> [!WARNING]",
            f"> {len(report.manual)} manual item(s) are open (listed below): the hop is not "
            "complete. Fix them on this branch, then `upgrader step --continue` checks again.",
        ]
    return lines


def _dependencies(report: StepReport) -> list[str]:
    lines = ["", "## Dependencies", ""]
    if not (report.dependencies or report.blocked):
        lines.append("No dependency changes.")
    else:
        lines += ["| package | before | after | why |", "|---|---|---|---|"]
        lines += [
            f"| {_cell(d.name)} | {_cell(d.current or '-')} | {_cell(d.chosen or '-')} "
            f"| {_cell(d.reason)} |"
            for d in report.dependencies
        ]
        for b in report.blocked:
            why = b.reason + (f" (newest: {b.newest})" if b.newest else "")
            lines.append(f"| {_cell(b.name)} | - | **blocked** | {_cell(why)} |")
    if report.dependency_files:
        lines += ["", "Files changed: " + ", ".join(_code(f) for f in report.dependency_files)]
    return lines


def _rewrites(report: StepReport) -> list[str]:
    lines = ["", f"## Automatic rewrites ({report.automatic_changes} changes)", ""]
    if not report.rewrites:
        return [*lines, "None."]
    lines += ["| rule | changes | files |", "|---|---:|---|"]
    for r in report.rewrites:
        rule = _link(_code_cell(r.rule), r.docs) if r.docs else _code_cell(r.rule)
        files = ", ".join(_code_cell(f) for f in r.files)
        lines.append(f"| {rule} | {r.changes} | {files} |")
    return lines


def _files(report: StepReport) -> list[str]:
    added = sum(f.added for f in report.files)
    removed = sum(f.removed for f in report.files)
    lines = ["", f"## Files changed ({len(report.files)}, +{added} -{removed})", ""]
    if not report.files:
        lines.append("None.")
    listed = []
    for f in report.files:
        rules = ", ".join(_code(rule) for rule in f.rules)
        listed.append(
            f"- {_code(f.path)} (+{f.added} -{f.removed})" + (f": {rules}" if rules else "")
        )
    lines += _limited(listed)
    if report.skipped:
        lines += ["", "Not rewritten:", ""]
        lines += [f"- {_code(s.file)}: {_text(s.reason)}" for s in report.skipped]
    return lines


def _duration(tests: TestSummary) -> str:
    return "-" if tests.duration is None else f"{tests.duration:.1f} s"


def _tests(report: StepReport) -> list[str]:
    lines = ["", "## Tests", "", f"{tests_change(report)}", ""]
    runs = [("before", report.tests_before), ("after", report.tests_after)]
    lines += ["| run | Django | Python | result | duration |", "|---|---|---|---|---:|"]
    for label, tests in runs:
        if tests is None:
            lines.append(f"| {label} | - | - | not run | - |")
            continue
        mark = "✅" if tests.green else "❌"
        lines.append(
            f"| {label} | {_cell(tests.stage)} | {_cell(tests.python)} "
            f"| {mark} {_cell(tests.outcome)} | {_duration(tests)} |"
        )
    for label, tests in runs:
        if tests is None or tests.green:
            continue
        lines += ["", f"### Failing {label} the hop ({len(tests.failures)})", ""]
        accepted = set(tests.accepted)
        lines += _limited(
            [
                f"- {_code(test)}" + (" (accepted in the baseline)" if test in accepted else "")
                for test in tests.failures
            ]
        )
        lines += [
            "",
            f"Command: {_code(' '.join(tests.command))}  ",
            f"Full log: {_code(tests.log)}",
        ]
        if tests.log_excerpt:
            lines += ["", "<details><summary>Last lines of the log</summary>", ""]
            lines += _block(tests.log_excerpt)
            lines += ["", "</details>"]
    return lines


def _warning(w: WarningItem) -> str:
    times = f" ({w.count} times)" if w.count > 1 else ""
    origin = "" if w.origin == PROJECT else f" _{_text(w.origin)}_"
    known = f" (known to the plan: {_code(w.catalogue_id)})" if w.catalogue_id else ""
    line = f"{_code(f'{w.file}:{w.line}')} {_code(w.category)}: {_text(w.message)}"
    return f"- {line}{times}{origin}{known}"


def _warnings(report: StepReport) -> list[str]:
    lines = ["", f"## Remaining deprecation warnings ({len(report.warnings)})", ""]
    if not report.warnings:
        return [*lines, "None."]
    for release, items in group_by_release(report.warnings).items():
        heading = "Other deprecations" if release == NOT_DJANGO else f"Removed in Django {release}"
        lines += [f"### {heading} ({len(items)})", ""]
        lines += _limited([_warning(w) for w in items], WARNINGS_LIMIT)
        lines.append("")
    return lines[:-1]


def _system_check(c: SystemCheckItem) -> str:
    ident = f" ({_code(c.check_id)})" if c.check_id else ""
    hint = f" Hint: {_text(c.hint)}" if c.hint else ""
    new = " _new on this hop_" if c.new else ""
    return f"- **{c.level}** {_code(c.obj)}: {_text(c.message)}{ident}{hint}{new}"


def _system_checks(report: StepReport) -> list[str]:
    """Django's system check messages after the hop; no section when the run ran no checks."""
    if report.system_checks is None:
        return []
    lines = ["", f"## System check messages ({len(report.system_checks)})", ""]
    if not report.system_checks:
        return [*lines, "None."]
    return lines + _limited([_system_check(c) for c in report.system_checks], LIST_LIMIT)


def _manual(report: StepReport) -> list[str]:
    lines = ["", f"## Manual items ({len(report.manual)})", ""]
    if not report.manual:
        lines.append("None.")
    for m in manual_items_sorted(report.manual):
        docs = f" ({_link('docs', m.docs)})" if is_link(m.docs) else ""
        lines.append(
            f"- [ ] {_code(f'{m.file}:{m.line}')} **{_text(m.summary)}**: "
            f"{_text(m.suggestion)}{docs}"
        )
    if report.reviewed:
        title = f"### Reviewed as not applying ({len(report.reviewed)})"
        lines += ["", title, "", f"Named in {_code('[tool.upgrader] reviewed')}.", ""]
        lines += [
            f"- [x] {_code(f'{m.file}:{m.line}')} {_code(m.id)}: {_text(m.summary)}"
            for m in manual_items_sorted(report.reviewed)
        ]
    return lines


def _notes(report: StepReport) -> list[str]:
    if not report.notes:
        return []
    return ["", "## Notes", "", *(f"- {_text(note)}" for note in report.notes)]


def _commits(report: StepReport) -> list[str]:
    if not report.commits:
        return []
    lines = ["", "## Commits", ""]
    lines += [
        f"{i}. {_code(c.sha[:12])} {_text(c.phase)}: {_text(c.message.splitlines()[0] if c.message else '')}"
        for i, c in enumerate(report.commits, 1)
    ]
    return lines


def render_markdown(report: StepReport) -> str:
    """The report as GitHub-flavoured Markdown (ends with a newline)."""
    lines = [
        *_header(report),
        *_dependencies(report),
        *_rewrites(report),
        *_files(report),
        *_tests(report),
        *_warnings(report),
        *_system_checks(report),
        *_manual(report),
        *_notes(report),
        *_commits(report),
        "",
        f"<sub>Written by upgrader {_text(report.tool)}.</sub>",
    ]
    return "\n".join(lines) + "\n"
