"""The handler of each command: run its stage, render the result, return the exit code
(``cli`` parses the arguments, picks the handler and maps errors to exit codes)."""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from upgrader import progress as live_progress

if TYPE_CHECKING:
    from upgrader.files import Skipped
    from upgrader.plan import ManualItem
    from upgrader.rewrite import RewriteResult
    from upgrader.step import HopState

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USER_ERROR = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


def error_console() -> Console:
    # soft_wrap: a long message (a path, a hint to copy) stays one line in CI logs and pipes.
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _stdout() -> Console:
    console = Console(highlight=False, soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # Piped or captured output: wide enough that tables of paths and links stay readable.
        console = Console(highlight=False, soft_wrap=False, width=140)
    return console


def cmd_plan(args: argparse.Namespace) -> int:
    from upgrader.plan import PlanOptions, build_plan, road_blocks
    from upgrader.plan.render import render_json, render_markdown, render_text
    from upgrader.project import detect_project

    err = error_console()
    # Read-only: an unreadable pyproject.toml is a `skipped` line here, an error for the rest.
    project = detect_project(Path(args.path), django_from=args.django_from, strict_config=False)
    options = PlanOptions(
        to=args.to,
        via=args.via,
        rewrites=not args.no_rewrites,
        dependencies=not args.no_dependencies,
        strategy=args.strategy,
        offline=args.offline,
    )
    with live_progress.working(err, "Planning") as working:
        plan = build_plan(project, options, progress=working.set)
    if args.format == "json":
        sys.stdout.write(render_json(plan))
    elif args.format == "markdown":
        sys.stdout.write(render_markdown(plan))
    else:
        render_text(plan, _stdout())
    for skipped in plan.skipped:
        err.print(f"[yellow]skipped[/yellow] {escape(skipped.file)}: {escape(skipped.reason)}")
    blocks = road_blocks(plan)
    for block in blocks:
        err.print(f"[bold red]blocked:[/bold red] {escape(block)}")
    return EXIT_PROBLEM if blocks else EXIT_OK


def cmd_step(args: argparse.Namespace) -> int:
    err = error_console()
    budget = _positive(args.diagnose_budget, "--diagnose-budget")
    with live_progress.reporting(err, "step", "reading the project") as reporter:
        from upgrader.step import Step, StepOptions  # after the spinner starts: ~0.4 s

        options = StepOptions(
            to=args.to,
            via=args.via,
            git=not args.no_git,
            strategy=args.strategy,
            offline=args.offline,
            timeout=args.timeout,
            accept_failing=args.accept_failing,
            resume=args.resume,
            django_from=args.django_from,
            diagnose=not args.no_diagnose,
            diagnose_budget=budget,
        )
        step = Step(Path(args.path), options, reporter=reporter, diagnose=step_diagnosis)
        result = step.run()
    print(result.message)
    if result.hop is not None:
        print(step_totals(step.root, result.hop))
    return result.exit_code


def _positive(seconds: float, flag: str) -> float:
    """``seconds`` when it is a positive number, else a ``UsageError`` naming ``flag``."""
    if not seconds > 0:
        from upgrader.errors import UsageError

        raise UsageError(
            f"{flag} must be a positive number of seconds, not {seconds:g}",
            hint=f"Pass e.g. {flag} 600.",
        )
    return seconds


def step_diagnosis(
    root: Path, *, budget: float, timeout: float, progress: Callable[[str], None]
) -> str:
    """The step's diagnosis of a hop that ends red (``upgrader.step.DiagnoseHop``), as text."""
    from upgrader.diagnose.render import render_text
    from upgrader.diagnose.run import diagnose_hop

    return render_text(diagnose_hop(root, budget=budget, timeout=timeout, progress=progress))


def cmd_diagnose(args: argparse.Namespace) -> int:
    import json

    from upgrader.diagnose.render import render_text
    from upgrader.diagnose.run import diagnose_hop, to_json
    from upgrader.state import HopLock
    from upgrader.step.undo import detect_at_recorded

    _positive(args.budget, "--budget")
    err = error_console()
    with live_progress.working(err, "Reading the hop") as working:
        # A reusable app's files name no Django: it is at the hop state.json records.
        root = detect_at_recorded(Path(args.path), None, strict_config=False).root

        def progress(message: str) -> None:
            err.print(message, markup=False, highlight=False)
            working.set(message)

        with HopLock(root, "diagnose"):
            diagnosis = diagnose_hop(
                root,
                budget=args.budget,
                timeout=args.timeout,
                revert_breaking=args.revert_breaking,
                progress=progress,
            )
    if args.format == "json":
        print(json.dumps(to_json(diagnosis), indent=2))
    else:
        print(render_text(diagnosis), end="")
    explained = {t for cause in diagnosis.causes if cause.isolated for t in cause.tests}
    return EXIT_OK if set(diagnosis.failing) <= explained else EXIT_PROBLEM


def step_totals(root: Path, hop: HopState) -> str:
    """The step's last line, from what it saved: files, rules, open manual items, tests."""
    from upgrader.report import report_totals
    from upgrader.step.report import build_step_report

    return report_totals(build_step_report(root, hop, None), extra_files=hop.migrations)


def cmd_status(args: argparse.Namespace) -> int:
    from upgrader.report import MANUAL_OPEN
    from upgrader.step import NEEDS_ATTENTION, load_state, status_lines
    from upgrader.step.undo import detect_at_recorded

    print("\n".join(status_lines(Path(args.path))))
    state = load_state(detect_at_recorded(Path(args.path), None, strict_config=False).root)
    last = state.current or (state.history[-1] if state.history else None)
    # A hop that is not finished until the developer acts; one under way resumes by itself.
    waiting = last is not None and last.status in (NEEDS_ATTENTION, MANUAL_OPEN)
    return EXIT_PROBLEM if waiting else EXIT_OK


def cmd_rollback(args: argparse.Namespace) -> int:
    from upgrader.step import rollback

    print(rollback(Path(args.path)))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from upgrader.report import load_report, report_dir, write_reports
    from upgrader.step import load_state
    from upgrader.step.undo import detect_at_recorded

    # A reusable app's files name no Django: it is at the hop state.json records.
    root = detect_at_recorded(Path(args.path), None).root
    state = load_state(root)
    hops = [*state.history, *([state.current] if state.current else [])]
    if args.to:
        hops = [h for h in hops if h.target == args.to]
    if not hops:
        from upgrader.errors import StateError

        raise StateError("no hop has a report yet", hint="Run `upgrader step` first.")
    directory = report_dir(root, hops[-1].target)
    report = load_report(directory)
    paths = write_reports(report, directory)
    if args.format == "markdown":
        sys.stdout.write(paths.markdown.read_text("utf-8"))
    elif args.format == "json":
        sys.stdout.write(paths.json.read_text("utf-8"))
    else:
        print(f"{paths.markdown}\n{paths.html}\n{paths.json}")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from upgrader.verify.command import render_json, render_text, run_verify

    with live_progress.working(error_console(), "Reading the project and finding its Python"):
        result = run_verify(
            Path(args.path), args.stage, timeout=args.timeout, accept_failing=args.accept_failing
        )
    sys.stdout.write(render_json(result) if args.format == "json" else render_text(result))
    return result.exit_code


def cmd_ci(args: argparse.Namespace) -> int:
    from upgrader.ci import ci_stages, write_ci
    from upgrader.project import detect_project
    from upgrader.releases import get_release, parse_version

    project = detect_project(Path(args.path))
    extra = []
    for name in args.stage or ():
        release = get_release(parse_version(name))
        if release is None:
            from upgrader.errors import UsageError

            raise UsageError(f"Django {name} is not a stage upgrader knows")
        extra.append(release)
    output = Path(args.output) if args.output else None
    path = write_ci(project, args.provider, ci_stages(project, extra, to=args.to), output=output)
    print(path)
    return EXIT_OK


def cmd_rewrite(args: argparse.Namespace) -> int:
    from upgrader.hops import Hop, hop_path
    from upgrader.plan import scratch_copy
    from upgrader.plan.stages import hop_findings, manual_items
    from upgrader.project import detect_project
    from upgrader.report import totals_line
    from upgrader.rewrite import rewrite_project

    err = error_console()
    project = detect_project(Path(args.path), django_from=args.django_from)
    hops = hop_path(project.django_version, project.python_version, to=args.to, via="lts")
    if not hops:
        err.print(f"Django {project.django_version} is already at {args.to}: nothing to rewrite.")
        return EXIT_OK
    last = hops[-1]
    hop = Hop(hops[0].source, last.target, project.python_version, last.python, last.interpreter)
    what = f"Rewriting for Django {hop.target.name}"
    with live_progress.working(err, what) as working:
        done = lambda done, total: working.line(f"{what}: {done}/{total} files")  # noqa: E731
        if args.dry_run:
            # The rewritten code is what is left to fix by hand: rewrite a scratch copy, as plan does.
            left_out: list[Skipped] = []
            with scratch_copy(project, left_out) as scratch:
                rewritten = rewrite_project(
                    scratch, hop, write=True, progress=done, origin=project.root
                )
                result = _moved(rewritten, scratch.root, project.root)
                working.set("Looking for what is left to fix by hand")
                found, _ = hop_findings(scratch, hop, origin=project.root)
            result = dataclasses.replace(result, failures=(*left_out, *result.failures))
        else:
            result = rewrite_project(project, hop, write=True, progress=done)
            working.set("Looking for what is left to fix by hand")
            found, _ = hop_findings(project, hop)
    manual = manual_items(found.breaking)
    shown = {f.path for f in result.failures}
    result = dataclasses.replace(
        result,
        failures=(*result.failures, *(s for s in project.skipped if s.path not in shown)),
    )
    _show_rewrite(result, dry_run=args.dry_run, root=project.root)
    _show_manual(manual, target=hop.target.name)
    err.print(
        totals_line(
            files=len(result.changes),
            rules=len(result.counts),
            manual=len(manual),
            tests="not run (rewrite only: `upgrader step` runs them)",
            dry_run=args.dry_run,
        ),
        markup=False,
    )
    return EXIT_OK


def _moved(result: RewriteResult, old: Path, new: Path) -> RewriteResult:
    """``result`` of a rewrite of the copy at ``old`` told as if of the project at ``new``."""

    def move(path: Path) -> Path:
        try:
            return new / path.relative_to(old)
        except ValueError:
            return path

    return dataclasses.replace(
        result,
        changes=tuple(dataclasses.replace(c, path=move(c.path)) for c in result.changes),
        failures=tuple(dataclasses.replace(f, path=move(f.path)) for f in result.failures),
        notes=tuple(note.replace(str(old), str(new)) for note in result.notes),
    )


def _show_manual(items: Sequence[ManualItem], *, target: str) -> None:
    """What the rules leave to fix by hand before Django ``target`` (on stderr, like the rest)."""
    from upgrader.plan import manual_items_sorted

    err = error_console()
    for item in manual_items_sorted(items):
        err.print(
            f"manual: {item.file}:{item.line}: {item.summary} ({item.suggestion}) {item.docs}",
            markup=False,
        )
    if items:
        err.print(f"{len(items)} manual item(s) left for Django {target}.", markup=False)


def _shown(path: Path, root: Path | None) -> Path:
    """``path`` relative to ``root`` when it is inside it."""
    if root is not None and path.is_relative_to(root):
        return path.relative_to(root)
    return path


def _show_rewrite(result: RewriteResult, *, dry_run: bool, root: Path | None) -> None:
    """The diff on stdout for a dry run; what changed, what was skipped, notes on stderr."""
    if dry_run:
        sys.stdout.write(result.diff)
    err = error_console()
    verb = "would rewrite" if dry_run else "rewrote"
    for change in result.changes:
        rules = ", ".join(dict.fromkeys(h.rule for h in change.rules))
        shown = _shown(change.path, root)
        err.print(f"{verb} {escape(str(shown))} ({escape(rules)})")
    for failure in result.failures:
        shown = _shown(failure.path, root)
        err.print(f"[yellow]skipped[/yellow] {escape(str(shown))}: {escape(failure.reason)}")
    for note in result.notes:
        err.print(f"note: {escape(note)}")


def cmd_codemods_list(args: argparse.Namespace) -> int:
    from upgrader.rewrite import list_rules

    table = Table(title="upgrader codemods", title_justify="left")
    table.add_column("id", no_wrap=True)
    for column in ("applies from", "kind", "summary", "docs"):
        table.add_column(column, overflow="fold")
    for rule in list_rules():
        subject = {"django": "Django", "python": "Python"}.get(rule.scope, rule.package or "")
        table.add_row(rule.id, f"{subject} {rule.version}", rule.kind, rule.summary, rule.docs)
    _stdout().print(table)
    return EXIT_OK


def cmd_codemods_run(args: argparse.Namespace) -> int:
    from upgrader.rewrite import run_rule_on_paths

    result = run_rule_on_paths(args.rule, [Path(p) for p in args.paths], dry_run=args.dry_run)
    _show_rewrite(result, dry_run=args.dry_run, root=None)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from upgrader.check import render_findings, run_check

    if args.python is not None:
        _python_version(args.python)
    with live_progress.working(error_console(), "Checking for removed APIs"):
        run = run_check(
            [Path(p) for p in args.paths],
            target=args.target,
            python=args.python,
            django_from=args.django_from,
        )
    for line in render_findings(run):
        print(line)
    err = error_console()
    for project, _target, result in run.projects:
        files = {s.path for s in result.skipped}
        for skipped in (*result.skipped, *(s for s in project.skipped if s.path not in files)):
            shown = _shown(skipped.path, project.root)
            err.print(f"[yellow]skipped[/yellow] {escape(str(shown))}: {escape(skipped.reason)}")
    if run.breaking:
        targets = ", ".join(dict.fromkeys(str(target) for _p, target, _r in run.projects))
        err.print(f"{run.breaking} use(s) of APIs that Django {targets} removed.")
        return EXIT_PROBLEM
    return EXIT_OK


_PYTHON_VERSION = re.compile(r"[0-9]+\.[0-9]+(\.[0-9]+)?")


def _python_version(value: str) -> str:
    """``--python`` as given when it is a Python version (``3.12``, ``3.12.4``), else a
    ``UsageError`` naming it."""
    if not _PYTHON_VERSION.fullmatch(value):
        from upgrader.errors import UsageError

        raise UsageError(f"--python {value!r} is not a Python version", hint="Write it like 3.12.")
    return value
