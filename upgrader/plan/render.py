"""``upgrader plan`` output: rich text, Markdown and JSON renderings of a :class:`Plan`."""

from __future__ import annotations

import json

from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from upgrader.detect.python_version import is_template_path
from upgrader.plan.model import CurrentState, HopPlan, Plan, TestEnvironmentPlan
from upgrader.plan.summary import manual_items_sorted
from upgrader.serialize import to_data

FORMATS = ("text", "markdown", "json")
SOURCES_SHOWN = 4  # evidence entries shown in text and Markdown; the JSON keeps every one


def _sources(sources: tuple[str, ...], empty: str) -> str:
    """The evidence, each entry once, the deciding ones first, at most ``SOURCES_SHOWN``."""
    unique = list(dict.fromkeys(sources))
    if not unique:
        return empty
    shown = "; ".join(unique[:SOURCES_SHOWN])
    more = len(unique) - SOURCES_SHOWN
    return shown + (f"; and {more} more (all in --format json)" if more > 0 else "")


def _where(evidence: str, detail: str) -> str:
    """``tox.ini:12, setenv``: the file and line, then what there says it."""
    return ", ".join(part for part in (evidence, detail) if part)


def environment_lines(environment: TestEnvironmentPlan) -> list[str]:
    """The test environment every stage gets, one line per item, each with where it was found."""
    lines: list[str] = []

    def add(text: str, evidence: str, detail: str) -> None:
        where = _where(evidence, detail)
        lines.append(f"{text}  ({where})" if where else text)

    for var in environment.env:
        add(f"set {var.name}={var.value or ''}", var.evidence, var.detail)
    for var in environment.pass_env:
        add(f"pass through {var.name}", var.evidence, var.detail)
    for item in environment.pre_test:
        add(f"before the tests: {item.value}", item.evidence, item.detail)
    for item in environment.requirements:
        add(f"test requirement: {item.value}", item.evidence, item.detail)
    for item in environment.extras:
        add(f"extra: {item.value}", item.evidence, item.detail)
    if environment.settings is not None:
        item = environment.settings
        add(f"tests' settings: {item.value}", item.evidence, item.detail)
    for item in environment.notes:
        add(f"note: {item.value}", item.evidence, item.detail)
    return lines


def _python_line(current: CurrentState) -> str:
    """``3.8: runtime.txt names Python 3.8``: the version and why (the evidence follows)."""
    python = current.python or "?"
    return f"{python}: {current.python_reason}" if current.python_reason else python


def _source_file(source: str) -> str:
    """``project_template/Dockerfile`` of ``project_template/Dockerfile:1 (Dockerfile: ...)``."""
    where = source.split(" (")[0]
    file, _, line = where.rpartition(":")
    return file if file and line.isdigit() else where


def _python_sources(current: CurrentState) -> tuple[str, ...]:
    """The Python evidence not already named by the reason (``runtime.txt:1 (...) names ...``),
    the project's own files first, templates and vendored code after them."""
    shown = [
        source
        for source in current.python_sources
        if not (current.python_reason and source.split(" (")[0] in current.python_reason)
    ]
    return tuple(sorted(shown, key=lambda source: is_template_path(_source_file(source))))


def _settings_line(current: CurrentState) -> str:
    """The settings module and where it is named; a test script's settings.configure(...)."""
    where = f" ({current.settings_evidence})" if current.settings_evidence else ""
    if current.settings:
        return current.settings + where
    if current.settings_evidence:
        return f"configured in code{where}"
    return "not found"


def render_json(plan: Plan) -> str:
    return json.dumps(to_data(plan), indent=2, sort_keys=False) + "\n"


def _path_line(plan: Plan) -> str:
    if not plan.hops:
        return f"Django {plan.current.django}: already at the target"
    return " → ".join([plan.hops[0].source, *(h.target for h in plan.hops)])


def _hop_title(index: int, hop: HopPlan) -> str:
    lts = "LTS, " if hop.lts else ""
    return (
        f"Hop {index}: Django {hop.source} → {hop.target} "
        f"({lts}security fixes until {hop.end_of_support}) on Python {hop.python}"
    )


def _text_hop(console: Console, index: int, hop: HopPlan) -> None:
    console.print()
    console.print(Text(_hop_title(index, hop), style="bold"))
    console.print(f"  Interpreter: {escape(hop.interpreter or 'none found on this machine')}")
    console.print(f"  Release notes: {hop.release_notes}")
    for note in hop.notes:
        console.print(f"  • {escape(note)}")
    if hop.dependencies or hop.blocked:
        table = Table(title="Dependencies", title_justify="left", show_lines=False)
        for column in ("package", "current", "chosen", "why"):
            table.add_column(column, overflow="fold")
        for dep in hop.dependencies:
            table.add_row(dep.name, dep.current or "-", dep.chosen or "-", escape(dep.reason))
        for blocked in hop.blocked:
            table.add_row(blocked.name, "-", "[red]blocked[/red]", escape(blocked.reason))
        console.print(table)
    if hop.rewrites:
        table = Table(title=f"Automatic rewrites ({hop.automatic_changes})", title_justify="left")
        table.add_column("rule", overflow="fold")
        table.add_column("changes", justify="right")
        table.add_column("files", overflow="fold")
        for rewrite in hop.rewrites:
            shown = ", ".join(rewrite.files[:3]) + (" …" if len(rewrite.files) > 3 else "")
            table.add_row(rewrite.rule, str(rewrite.changes), escape(shown))
        console.print(table)
    else:
        console.print("  Automatic rewrites: none")
    if hop.manual:
        table = Table(title=f"Manual items ({len(hop.manual)})", title_justify="left")
        table.add_column("where", overflow="fold")
        table.add_column("what to do", overflow="fold")
        table.add_column("docs", overflow="fold")
        for item in manual_items_sorted(hop.manual):
            table.add_row(
                f"{escape(item.file)}:{item.line}",
                Group(Text(item.summary, style="bold"), Text(item.suggestion)),
                item.docs,
            )
        console.print(table)
    else:
        console.print("  Manual items: none")


def render_text(plan: Plan, console: Console) -> None:
    current = plan.current
    console.print(Text(f"upgrader plan: {plan.project}", style="bold"))
    django_from = _sources(current.django_sources, "--from")
    console.print(f"Django {current.django}  ({escape(django_from)})")
    python_from = _sources(
        _python_sources(current), "" if current.python_reason else "not declared"
    )
    also = f"  (also {python_from})" if current.python_reason else f"  ({python_from})"
    console.print(f"Python {escape(_python_line(current))}{escape(also) if python_from else ''}")
    console.print(f"Settings: {escape(_settings_line(current))}")
    console.print(f"Tests: {escape(' '.join(current.test_command))} ({current.test_runner})")
    environment = environment_lines(plan.test_environment)
    if environment:
        console.print("Test environment (every stage):")
        for line in environment:
            console.print(f"  {escape(line)}")
    else:
        console.print("Test environment: nothing to set")
    console.print(Text(f"Path: {_path_line(plan)}  (--via {plan.via})", style="bold"))
    for note in plan.notes:
        console.print(f"• {escape(note)}")
    for index, hop in enumerate(plan.hops, 1):
        _text_hop(console, index, hop)
    if plan.skipped:
        console.print()
        console.print(Text(f"Skipped files ({len(plan.skipped)})", style="bold yellow"))
        for skipped in plan.skipped:
            console.print(f"  {escape(skipped.file)}: {escape(skipped.reason)}")


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(plan: Plan) -> str:
    current = plan.current
    lines = [
        f"# Django upgrade plan: {_path_line(plan)}",
        "",
        f"- **Project:** `{plan.project}`",
        f"- **Django now:** {current.django} "
        f"({_md_cell(_sources(current.django_sources, '--from'))})",
        "- **Python now:** "
        + _md_cell(_python_line(current) if current.python else "not declared")
        + (
            f" ({'also ' if current.python_reason else ''}"
            f"{_md_cell(_sources(_python_sources(current), ''))})"
            if _python_sources(current)
            else ""
        ),
        f"- **Settings:** {_md_cell(_settings_line(current))}",
        f"- **Tests:** `{' '.join(current.test_command)}`",
    ]
    environment = environment_lines(plan.test_environment)
    if environment:
        lines.append("- **Test environment (every stage):**")
        lines += [f"  - {_md_cell(line)}" for line in environment]
    else:
        lines.append("- **Test environment:** nothing to set")
    lines.append("")
    lines += [f"> {note}" for note in plan.notes]
    for index, hop in enumerate(plan.hops, 1):
        lines += ["", f"## {_hop_title(index, hop)}", ""]
        lines.append(f"Release notes: <{hop.release_notes}>  ")
        lines.append(f"Interpreter: `{hop.interpreter or 'none found on this machine'}`")
        lines += [""] + [f"- {note}" for note in hop.notes]
        if hop.dependencies or hop.blocked:
            lines += [
                "",
                "### Dependencies",
                "",
                "| package | current | chosen | why |",
                "|---|---|---|---|",
            ]
            lines += [
                f"| {d.name} | {d.current or '-'} | {d.chosen or '-'} | {_md_cell(d.reason)} |"
                for d in hop.dependencies
            ]
            lines += [f"| {b.name} | - | **blocked** | {_md_cell(b.reason)} |" for b in hop.blocked]
        lines += ["", f"### Automatic rewrites ({hop.automatic_changes})", ""]
        if hop.rewrites:
            lines += ["| rule | changes | files |", "|---|---:|---|"]
            lines += [
                f"| `{r.rule}` | {r.changes} | {_md_cell(', '.join(r.files))} |"
                for r in hop.rewrites
            ]
        else:
            lines.append("None.")
        lines += ["", f"### Manual items ({len(hop.manual)})", ""]
        if hop.manual:
            lines += [
                f"- [ ] `{m.file}:{m.line}` **{_md_cell(m.summary)}**: {_md_cell(m.suggestion)} "
                f"([docs]({m.docs}))"
                for m in manual_items_sorted(hop.manual)
            ]
        else:
            lines.append("None.")
    if plan.skipped:
        lines += ["", "## Skipped files", ""]
        lines += [f"- `{s.file}`: {_md_cell(s.reason)}" for s in plan.skipped]
    return "\n".join(lines) + "\n"
