"""A :class:`~upgrader.report.model.StepReport` as one self-contained HTML page.

Everything is in the file: inline CSS, no scripts, fonts, images or external links other than
the docs the report points to; a Content-Security-Policy forbids anything else, so the page
works offline and a hostile file name or diff cannot make it run code. Every text from the
project or the tools is escaped (:func:`html.escape`); links are made only from http(s) URLs.

Each changed file is a ``<details>`` element holding its diff as a table (old and new line
numbers, then the line), highlighted with Pygments for the file's language
(:mod:`upgrader.report.html_diff`). Past ``OPEN_DIFFS_LIMIT`` files the diffs start closed and
an index comes first: the folders with their counts, then every file with its size and rules,
linked to its diff (``#file-N``), in a box that scrolls (printing shows it whole). Light and
dark schemes follow the reader's setting; print always uses the light one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from pathlib import PurePosixPath

from upgrader.plan.summary import manual_items_sorted
from upgrader.report.html_diff import diff_table, token_styles
from upgrader.report.model import (
    MANUAL_OPEN,
    FileDiff,
    StepReport,
    SystemCheckItem,
    TestSummary,
    WarningItem,
)
from upgrader.report.summary import hop_title, is_link, python_versions, summary_line, tests_change
from upgrader.verify.deprecations import NOT_DJANGO, PROJECT, group_by_release

# Up to this many changed files, their diffs start open (still collapsible); more start closed.
OPEN_DIFFS_LIMIT = 10

_PAGE_CSS = """
:root {
  color-scheme: light dark;
  --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa; --border: #d1d9e0;
  --link: #0969da; --add-bg: #dafbe1; --add-num: #aceebb; --del-bg: #ffebe9; --del-num: #ffcecb;
  --hunk-bg: #ddf4ff; --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700;
}
@media screen and (prefers-color-scheme: dark) {
  :root {
    --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #151b23; --border: #3d444d;
    --link: #4493f8; --add-bg: rgba(46,160,67,.18); --add-num: rgba(46,160,67,.35);
    --del-bg: rgba(248,81,73,.18); --del-num: rgba(248,81,73,.35);
    --hunk-bg: rgba(56,139,253,.18); --ok: #3fb950; --bad: #f85149; --warn: #d29922;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--fg); line-height: 1.5;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
main { max-width: 1100px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 1.7em; margin: 0 0 .3em; display: flex; gap: .5em; align-items: center;
     flex-wrap: wrap; }
h2 { font-size: 1.3em; margin: 2em 0 .6em; padding-bottom: .3em;
     border-bottom: 1px solid var(--border); }
h3 { font-size: 1.05em; margin: 1.4em 0 .5em; }
a { color: var(--link); }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
                   font-size: 13px; }
code { background: var(--panel); padding: .1em .35em; border-radius: 4px;
       overflow-wrap: anywhere; }
.summary { font-size: 1.1em; margin: .2em 0 1em; }
nav.contents { margin: 1em 0 0; padding: .5em .8em; background: var(--panel);
               border-radius: 6px; }
.muted { color: var(--muted); }
.badge { display: inline-block; font-size: .6em; font-weight: 600; padding: .2em .7em;
         border-radius: 2em; color: #fff; vertical-align: middle; }
.badge.done { background: var(--ok); }
.badge.needs-attention { background: var(--bad); }
.badge.manual-items-open { background: var(--warn); }
.ok { color: var(--ok); font-weight: 600; }
.bad { color: var(--bad); font-weight: 600; }
.warn { color: var(--warn); font-weight: 600; }
.callout { border-left: 4px solid var(--bad); background: var(--panel); padding: .6em 1em;
           margin: 1em 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table.data { border-collapse: collapse; width: 100%; margin: .5em 0; }
table.data th, table.data td { border: 1px solid var(--border); padding: .35em .6em;
                               text-align: left; vertical-align: top; }
table.data th { background: var(--panel); }
table.data td.n { text-align: right; font-variant-numeric: tabular-nums; }
ul.items, ol.items { padding-left: 1.4em; }
ul.items li, ol.items li { margin: .3em 0; }
ul.tasks { list-style: none; padding-left: .2em; }
ul.tasks li::before { content: "\\2610\\00a0"; color: var(--muted); }
details.file { border: 1px solid var(--border); border-radius: 6px; margin: .6em 0;
               overflow: hidden; }
details.file > summary { cursor: pointer; padding: .45em .8em; background: var(--panel);
                         display: flex; gap: .8em; align-items: baseline; flex-wrap: wrap; }
details.file[open] > summary { border-bottom: 1px solid var(--border); }
.plus { color: var(--ok); font-weight: 600; }
.minus { color: var(--bad); font-weight: 600; }
.rules { color: var(--muted); font-size: .9em; }
.scroll { overflow-x: auto; }
ul.folders { columns: 3 18em; padding-left: 1.4em; margin: .3em 0; }
div.index-table { max-height: 28em; overflow-y: auto; border: 1px solid var(--border);
                  border-radius: 6px; }
div.index-table table.data { margin: 0; }
div.index-table th { position: sticky; top: 0; }
table.diff { border-collapse: collapse; width: 100%; }
table.diff td { padding: 0 .6em; white-space: pre; vertical-align: top; line-height: 1.45;
                font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
                font-size: 12.5px; }
table.diff td.num { text-align: right; color: var(--muted); user-select: none; width: 1%;
                    min-width: 3.5em; }
table.diff tr.add td { background: var(--add-bg); }
table.diff tr.add td.num { background: var(--add-num); }
table.diff tr.del td { background: var(--del-bg); }
table.diff tr.del td.num { background: var(--del-num); }
table.diff tr.hunk td, table.diff tr.meta td { background: var(--hunk-bg); color: var(--muted); }
pre.log { background: var(--panel); border: 1px solid var(--border); border-radius: 6px;
          padding: .8em; overflow-x: auto; white-space: pre; }
footer { margin-top: 3em; color: var(--muted); font-size: .9em; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  details.file { break-inside: avoid-page; }
  details::details-content { content-visibility: visible; display: contents; }
  table.diff td { white-space: pre-wrap; }
  a { color: inherit; }
  nav.contents { display: none; }
  div.index-table { max-height: none; overflow: visible; }
}
"""


def _css() -> str:
    dark = token_styles("github-dark")
    return (
        _PAGE_CSS
        + token_styles("default")
        + f"\n@media screen and (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
    )


def _link(label: str, url: str) -> str:
    """``label`` (already HTML) as a link to ``url`` when it is http(s), else as it is."""
    if not is_link(url):
        return label
    return f'<a href="{escape(url, quote=True)}">{label}</a>'


def _code(text: str) -> str:
    return f"<code>{escape(text)}</code>"


def _section(ident: str, title: str, body: Iterable[str]) -> list[str]:
    return [f'<section id="{ident}">', f"<h2>{escape(title)}</h2>", *body, "</section>"]


def _none() -> list[str]:
    return ['<p class="muted">None.</p>']


def _header(report: StepReport) -> list[str]:
    status = escape(report.shown_status)
    facts: list[tuple[str, str]] = [("Python", escape(python_versions(report)))]
    if report.branch:
        base = f" from {_code(report.base_commit[:12])}" if report.base_commit else ""
        facts.append(("Branch", _code(report.branch) + base))
    else:
        facts.append(("Branch", '<span class="muted">none (--no-git)</span>'))
    facts.append(("Tests", escape(tests_change(report))))
    if report.release_notes:
        label = escape(f"Django {report.target} release notes")
        facts.append(("Release notes", _link(label, report.release_notes)))
    facts += [
        ("Project", _code(report.project)),
        ("Run", escape(f"{report.started} → {report.finished}")),
    ]
    lines = [
        '<header id="summary">',
        f'<h1>{escape(hop_title(report))} <span class="badge {status}">{status}</span></h1>',
        f'<p class="summary">{escape(summary_line(report))}</p>',
    ]
    if report.needs_attention:
        lines.append(
            '<p class="callout">The tests fail after this hop. Fix them on this branch, then run '
            "<code>upgrader step --continue</code> to verify again; the next hop waits until "
            "they pass.</p>"
        )
    elif report.shown_status == MANUAL_OPEN:
        lines.append(
            f'<p class="callout">{len(report.manual)} manual item(s) are open (listed below): '
            "the hop is not complete. Fix them on this branch, then "
            "<code>upgrader step --continue</code> checks again.</p>"
        )
    lines.append('<dl class="facts">')
    lines += [f"<dt>{name}</dt><dd>{value}</dd>" for name, value in facts]
    lines += ["</dl>", *_contents(report), "</header>"]
    return lines


def _contents(report: StepReport) -> list[str]:
    """Links to the sections, with their counts: where a reviewer jumps first."""
    entries = [
        ("dependencies", "Dependencies", len(report.dependencies) + len(report.blocked)),
        ("rewrites", "Rewrites", report.automatic_changes),
        ("files", "Files", len(report.files)),
        ("tests", "Tests", None),
        ("warnings", "Warnings", len(report.warnings)),
    ]
    if report.system_checks is not None:
        entries.append(("checks", "System checks", len(report.system_checks)))
    entries += [
        ("manual", "Manual items", len(report.manual)),
    ]
    if report.notes:
        entries.append(("notes", "Notes", len(report.notes)))
    if report.commits:
        entries.append(("commits", "Commits", len(report.commits)))
    links = [
        f'<a href="#{ident}">{label}</a>' + ("" if count is None else f" ({count})")
        for ident, label, count in entries
    ]
    return ['<nav class="contents">' + " · ".join(links) + "</nav>"]


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: set[int]) -> list[str]:
    """A data table; cells are HTML already, headers are plain text."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = [
        "<tr>"
        + "".join(
            f'<td class="n">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    ]
    return ['<table class="data">', f"<thead><tr>{head}</tr></thead>", "<tbody>", *body,
            "</tbody></table>"]  # fmt: skip


def _dependencies(report: StepReport) -> list[str]:
    body: list[str] = []
    if report.dependencies or report.blocked:
        rows = [
            (_code(d.name), escape(d.current or "-"), escape(d.chosen or "-"), escape(d.reason))
            for d in report.dependencies
        ]
        rows += [
            (
                _code(b.name),
                "-",
                '<span class="bad">blocked</span>',
                escape(b.reason + (f" (newest: {b.newest})" if b.newest else "")),
            )
            for b in report.blocked
        ]
        body += _table(("package", "before", "after", "why"), rows, set())
    else:
        body.append('<p class="muted">No dependency changes.</p>')
    if report.dependency_files:
        body.append("<p>Files changed: " + ", ".join(map(_code, report.dependency_files)) + "</p>")
    return _section("dependencies", "Dependencies", body)


def _rewrites(report: StepReport) -> list[str]:
    title = f"Automatic rewrites ({report.automatic_changes} changes)"
    if not report.rewrites:
        return _section("rewrites", title, _none())
    rows = [
        (_link(_code(r.rule), r.docs), str(r.changes), ", ".join(map(_code, r.files)))
        for r in report.rewrites
    ]
    return _section("rewrites", title, _table(("rule", "changes", "files"), rows, {1}))


def _file(file: FileDiff, number: int, *, open_: bool) -> list[str]:
    rules = ", ".join(escape(rule) for rule in file.rules)
    ident = f' id="file-{number}"'
    return [
        f'<details class="file"{ident} open>' if open_ else f'<details class="file"{ident}>',
        f"<summary><code>{escape(file.path)}</code>"
        f'<span class="plus">+{file.added}</span><span class="minus">-{file.removed}</span>'
        f'<span class="rules">{rules}</span></summary>',
        diff_table(file),
        "</details>",
    ]


def _folder(path: str) -> str:
    parent = PurePosixPath(path).parent
    return "./" if str(parent) == "." else f"{parent}/"


def _file_index(files: Sequence[FileDiff]) -> list[str]:
    """For a hop that changes many files (their diffs start closed): the folders with their
    counts, then every file with its size (+added -removed) and rules, each linked to its diff."""
    folders: dict[str, list[FileDiff]] = {}
    for file in files:
        folders.setdefault(_folder(file.path), []).append(file)
    lines = ['<div class="index">']
    if len(folders) > 1:
        items = [
            f"<li>{_code(name)} {len(group)} file{'s' if len(group) > 1 else ''} "
            f'<span class="plus">+{sum(f.added for f in group)}</span> '
            f'<span class="minus">-{sum(f.removed for f in group)}</span></li>'
            for name, group in sorted(folders.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ]
        lines += ["<h3>By folder</h3>", '<ul class="folders">', *items, "</ul>"]
    rows = [
        (
            f'<a href="#file-{number}">{_code(file.path)}</a>',
            f'<span class="plus">+{file.added}</span>',
            f'<span class="minus">-{file.removed}</span>',
            escape(", ".join(file.rules)),
        )
        for number, file in enumerate(files, start=1)
    ]
    lines.append(f"<h3>Every file ({len(files)}; each diff below starts closed)</h3>")
    lines += ['<div class="index-table">']
    lines += _table(("file", "added", "removed", "rules"), rows, {1, 2})
    lines += ["</div>", "</div>"]
    return lines


def _files(report: StepReport) -> list[str]:
    added = sum(f.added for f in report.files)
    removed = sum(f.removed for f in report.files)
    title = f"Files changed ({len(report.files)}, +{added} -{removed})"
    body: list[str] = []
    many = len(report.files) > OPEN_DIFFS_LIMIT
    if many:
        body += _file_index(report.files)
    for number, file in enumerate(report.files, start=1):
        body += _file(file, number, open_=not many)
    if not report.files:
        body += _none()
    if report.skipped:
        body.append("<h3>Not rewritten</h3>")
        body.append('<ul class="items">')
        body += [f"<li>{_code(s.file)}: {escape(s.reason)}</li>" for s in report.skipped]
        body.append("</ul>")
    return _section("files", title, body)


def _run_row(label: str, tests: TestSummary | None) -> tuple[str, ...]:
    if tests is None:
        return (label, "-", "-", '<span class="muted">not run</span>', "-")
    css = "ok" if tests.green else "bad"
    duration = "-" if tests.duration is None else f"{tests.duration:.1f} s"
    result = f'<span class="{css}">{escape(tests.outcome)}</span>'
    return (label, escape(tests.stage), escape(tests.python), result, duration)


def _failing(label: str, tests: TestSummary) -> list[str]:
    accepted = set(tests.accepted)
    lines = [
        f"<h3>Failing {label} the hop ({len(tests.failures)})</h3>",
        '<ul class="items">',
        *(
            f"<li>{_code(test)}"
            + (' <span class="muted">(accepted in the baseline)</span>' if test in accepted else "")
            + "</li>"
            for test in tests.failures
        ),
        "</ul>",
        f"<p>Command: {_code(' '.join(tests.command))}<br>Full log: {_code(tests.log)}</p>",
    ]
    if tests.log_excerpt:
        lines += [
            '<details class="file log" open><summary>Last lines of the log</summary>',
            f'<pre class="log">{escape(tests.log_excerpt)}</pre>',
            "</details>",
        ]
    return lines


def _tests(report: StepReport) -> list[str]:
    runs = (("before", report.tests_before), ("after", report.tests_after))
    body = _table(
        ("run", "Django", "Python", "result", "duration"),
        [_run_row(label, tests) for label, tests in runs],
        {4},
    )
    for label, tests in runs:
        if tests is not None and not tests.green:
            body += _failing(label, tests)
    return _section("tests", "Tests", body)


def _warning_row(w: WarningItem) -> tuple[str, ...]:
    origin = (
        escape(w.origin)
        if w.origin == PROJECT
        else f'<span class="muted">{escape(w.origin)}</span>'
    )
    message = escape(w.message)
    if w.catalogue_id:
        message += f' <span class="muted">(known to the plan: {_code(w.catalogue_id)})</span>'
    return (_code(f"{w.file}:{w.line}"), _code(w.category), message, str(w.count), origin)


def _warnings(report: StepReport) -> list[str]:
    title = f"Remaining deprecation warnings ({len(report.warnings)})"
    if not report.warnings:
        return _section("warnings", title, _none())
    body: list[str] = []
    for release, items in group_by_release(report.warnings).items():
        heading = "Other deprecations" if release == NOT_DJANGO else f"Removed in Django {release}"
        body.append(f"<h3>{escape(heading)} ({len(items)})</h3>")
        body += _table(
            ("where", "category", "message", "count", "origin"),
            [_warning_row(w) for w in items],
            {3},
        )
    return _section("warnings", title, body)


def _system_check_row(c: SystemCheckItem) -> tuple[str, ...]:
    new = ' <span class="muted">(new on this hop)</span>' if c.new else ""
    return (
        escape(c.level),
        _code(c.obj),
        _code(c.check_id) if c.check_id else "",
        escape(c.message) + new,
        escape(c.hint or ""),
    )


def _system_checks(report: StepReport) -> list[str]:
    """Django's system check messages after the hop; no section when the run ran no checks."""
    if report.system_checks is None:
        return []
    title = f"System check messages ({len(report.system_checks)})"
    if not report.system_checks:
        return _section("checks", title, _none())
    rows = [_system_check_row(c) for c in report.system_checks]
    return _section(
        "checks", title, _table(("level", "object", "id", "message", "hint"), rows, set())
    )


def _manual(report: StepReport) -> list[str]:
    title = f"Manual items ({len(report.manual)})"
    body = _none() if not report.manual else ['<ul class="items tasks">']
    for m in manual_items_sorted(report.manual):
        docs = f" ({_link('docs', m.docs)})" if is_link(m.docs) else ""
        body.append(
            f"<li>{_code(f'{m.file}:{m.line}')} <strong>{escape(m.summary)}</strong>: "
            f"{escape(m.suggestion)}{docs}</li>"
        )
    if report.manual:
        body.append("</ul>")
    if report.reviewed:
        body += [
            f"<h3>Reviewed as not applying ({len(report.reviewed)})</h3>",
            f"<p>Named in {_code('[tool.upgrader] reviewed')}.</p>",
            '<ul class="items">',
            *(
                f"<li>{_code(f'{m.file}:{m.line}')} {_code(m.id)}: {escape(m.summary)}</li>"
                for m in manual_items_sorted(report.reviewed)
            ),
            "</ul>",
        ]
    return _section("manual", title, body)


def _notes(report: StepReport) -> list[str]:
    if not report.notes:
        return []
    items = [f"<li>{escape(note)}</li>" for note in report.notes]
    return _section("notes", "Notes", ['<ul class="items">', *items, "</ul>"])


def _commits(report: StepReport) -> list[str]:
    if not report.commits:
        return []
    rows = [
        (_code(c.sha[:12]), escape(c.phase), escape(c.message.partition("\n")[0]))
        for c in report.commits
    ]
    return _section("commits", "Commits", _table(("commit", "phase", "message"), rows, set()))


def render_html(report: StepReport) -> str:
    """The report as one self-contained HTML document."""
    title = f"{hop_title(report)}: {report.shown_status} · upgrader report"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="generator" content="upgrader">',
        f"<title>{escape(title)}</title>",
        f"<style>{_css()}</style>",
        "</head>",
        "<body>",
        "<main>",
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
        f"<footer>Written by upgrader {escape(report.tool)}.</footer>",
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"
