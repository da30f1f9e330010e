"""``upgrader plan`` output: rich text, Markdown and JSON renderings of a :class:`Plan`."""

from __future__ import annotations

import json

from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from upgrader.plan import HopPlan, Plan, manual_items_sorted
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
    python_from = _sources(current.python_sources, "not declared")
    console.print(f"Python {current.python or '?'}  ({escape(python_from)})")
    console.print(f"Settings: {current.settings or 'not found'}")
    console.print(f"Tests: {' '.join(current.test_command)} ({current.test_runner})")
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
        f"- **Python now:** {current.python or 'not declared'}"
        + (
            f" ({_md_cell(_sources(current.python_sources, ''))})" if current.python_sources else ""
        ),
        f"- **Tests:** `{' '.join(current.test_command)}`",
        "",
    ]
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
