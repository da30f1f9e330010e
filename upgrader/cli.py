"""Command line: parse arguments, call one stage, render its result, map errors to exit codes.

Exit codes (documented in the README and in each command's --help):
  0  success
  1  the command ran and found a problem it was asked to check: `check` found removed APIs,
     `verify` failing tests, `plan` a hop blocked by packages (or missing from the index),
     `step` a hop that needs attention (tests red, `makemigrations --check` not clean, manual
     items open), `status` a last hop that needs attention or has manual items open
  2  a problem the user can fix: bad arguments, not a Django project, unreadable input
  3  an unexpected internal error (a crash log is written and its path printed)
  130 interrupted (Ctrl-C)
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from upgrader import __version__
from upgrader import progress as live_progress
from upgrader.errors import UpgraderError

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
DIAGNOSE_BUDGET = 900.0  # seconds; = step.DIAGNOSE_BUDGET = diagnose.DEFAULT_BUDGET (tested)


def _stderr() -> Console:
    # soft_wrap: a long message (a path, a hint to copy) stays one line in CI logs and pipes.
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _stdout() -> Console:
    console = Console(highlight=False, soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # Piped or captured output: wide enough that tables of paths and links stay readable.
        console = Console(highlight=False, soft_wrap=False, width=140)
    return console


def _cmd_plan(args: argparse.Namespace) -> int:
    from upgrader.plan import PlanOptions, build_plan, road_blocks
    from upgrader.plan.render import render_json, render_markdown, render_text
    from upgrader.project import detect_project

    err = _stderr()
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


def _cmd_step(args: argparse.Namespace) -> int:
    err = _stderr()
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
        step = Step(Path(args.path), options, reporter=reporter, diagnose=_step_diagnosis)
        result = step.run()
    print(result.message)
    if result.hop is not None:
        print(_step_totals(step.root, result.hop))
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


def _step_diagnosis(
    root: Path, *, budget: float, timeout: float, progress: Callable[[str], None]
) -> str:
    """The step's diagnosis of a hop that ends red (``upgrader.step.DiagnoseHop``), as text."""
    from upgrader.diagnose.render import render_text
    from upgrader.diagnose.run import diagnose_hop

    return render_text(diagnose_hop(root, budget=budget, timeout=timeout, progress=progress))


def _cmd_diagnose(args: argparse.Namespace) -> int:
    import json

    from upgrader.diagnose.render import render_text
    from upgrader.diagnose.run import diagnose_hop, to_json
    from upgrader.project import detect_project
    from upgrader.state import HopLock

    _positive(args.budget, "--budget")
    err = _stderr()
    with live_progress.working(err, "Reading the hop") as working:
        root = detect_project(Path(args.path), strict_config=False).root

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


DIAGNOSE_EXIT_CODES = """\
exit codes:
  0  every failing test of the hop was traced to the one change that turns it red
  1  some failing test was not narrowed down to one change (the budget ran out, a trial could
     not run, it fails only with several changes together, or no
     trial reproduced it); the diagnosis says which
  2  no hop needs attention, the hop ran without git, or bad arguments
"""


def _step_totals(root: Path, hop: HopState) -> str:
    """The step's last line, from what it saved: files, rules, open manual items, tests."""
    from upgrader.report import report_totals
    from upgrader.step.report import build_step_report

    return report_totals(build_step_report(root, hop, None), extra_files=hop.migrations)


def _cmd_status(args: argparse.Namespace) -> int:
    from upgrader.project import detect_project
    from upgrader.report import MANUAL_OPEN
    from upgrader.step import NEEDS_ATTENTION, load_state, status_lines

    print("\n".join(status_lines(Path(args.path))))
    state = load_state(detect_project(Path(args.path), strict_config=False).root)
    last = state.current or (state.history[-1] if state.history else None)
    # A hop that is not finished until the developer acts; one under way resumes by itself.
    waiting = last is not None and last.status in (NEEDS_ATTENTION, MANUAL_OPEN)
    return EXIT_PROBLEM if waiting else EXIT_OK


STEP_EXIT_CODES = """\
exit codes:
  0  the hop is done: tests green (or no worse than the recorded baseline), no manual items open
  1  the hop needs attention: tests red, `makemigrations --check` not clean, or manual items
     open (the report says which); fix them, then `upgrader step --continue`
  2  refused, nothing kept: not a Django project, a dirty tree, bad arguments or configuration
  3  internal error (a crash log is written); 130 interrupted (run `upgrader step` to resume)
"""

STATUS_EXIT_CODES = """\
exit codes:
  0  no hop yet, the last hop is done, or a hop is under way (`upgrader step` resumes it)
  1  the last hop needs attention (tests red, migrations not clean) or has manual items open
  2  not a Django project, or the saved state cannot be read
"""


def _cmd_rollback(args: argparse.Namespace) -> int:
    from upgrader.step import rollback

    print(rollback(Path(args.path)))
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from upgrader.project import detect_project
    from upgrader.report import load_report, report_dir, write_reports
    from upgrader.step import load_state

    root = detect_project(Path(args.path)).root
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


def _cmd_verify(args: argparse.Namespace) -> int:
    from upgrader.verify.command import render_json, render_text, run_verify

    with live_progress.working(_stderr(), "Reading the project and finding its Python"):
        result = run_verify(
            Path(args.path), args.stage, timeout=args.timeout, accept_failing=args.accept_failing
        )
    sys.stdout.write(render_json(result) if args.format == "json" else render_text(result))
    return result.exit_code


def _cmd_ci(args: argparse.Namespace) -> int:
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


def _cmd_rewrite(args: argparse.Namespace) -> int:
    from upgrader.hops import Hop, hop_path
    from upgrader.plan import scratch_copy
    from upgrader.plan.stages import hop_findings, manual_items
    from upgrader.project import detect_project
    from upgrader.report import totals_line
    from upgrader.rewrite import rewrite_project

    err = _stderr()
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

    err = _stderr()
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
    err = _stderr()
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


def _cmd_codemods_list(args: argparse.Namespace) -> int:
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


def _cmd_codemods_run(args: argparse.Namespace) -> int:
    from upgrader.rewrite import run_rule_on_paths

    result = run_rule_on_paths(args.rule, [Path(p) for p in args.paths], dry_run=args.dry_run)
    _show_rewrite(result, dry_run=args.dry_run, root=None)
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from upgrader.check import render_findings, run_check

    if args.python is not None:
        _python_version(args.python)
    with live_progress.working(_stderr(), "Checking for removed APIs"):
        run = run_check(
            [Path(p) for p in args.paths],
            target=args.target,
            python=args.python,
            django_from=args.django_from,
        )
    for line in render_findings(run):
        print(line)
    err = _stderr()
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="upgrader",
        description="Walk a Django project to a supported Django, one tested hop at a time.",
    )
    parser.add_argument("--version", action="version", version=f"upgrader {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    plan = sub.add_parser(
        "plan",
        help="show the hop path, Python per hop, dependency changes, rewrites and manual items",
        description="Read-only and static: never imports or runs the project's code.",
    )
    _path(plan)
    _target_options(plan)
    plan.add_argument("--format", default="text", choices=("text", "markdown", "json"))
    plan.add_argument("--strategy", default="minimal", choices=("minimal", "latest"))
    plan.add_argument("--offline", action="store_true", help="use cached index metadata only")
    plan.add_argument("--no-rewrites", action="store_true", help="skip counting automatic rewrites")
    plan.add_argument(
        "--no-dependencies", action="store_true", help="skip choosing dependency versions"
    )
    plan.set_defaults(handler=_cmd_plan)

    step = sub.add_parser(
        "step",
        help="make the next hop: dependencies, rewrites, tests, report; one commit per phase",
        description="One hop as a transaction on branch upgrade/django-X.Y; resumable after a "
        "crash or Ctrl-C (run it again); `rollback` undoes it.",
        epilog=STEP_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _path(step)
    _target_options(step)
    step.add_argument("--no-git", action="store_true", help="keep file backups instead of commits")
    step.add_argument("--strategy", default="minimal", choices=("minimal", "latest"))
    step.add_argument("--offline", action="store_true", help="use cached index metadata only")
    step.add_argument("--timeout", type=float, default=1800.0, help="test run limit, seconds")
    step.add_argument(
        "--accept-failing",
        action="store_true",
        help="record tests failing before the first hop as the baseline instead of stopping",
    )
    step.add_argument(
        "--no-diagnose",
        action="store_true",
        help="when the hop ends with new failing tests, do not look for the change behind each",
    )
    _budget(step, "--diagnose-budget")
    step.add_argument(
        "--continue",
        dest="resume",
        action="store_true",
        help="after fixing a hop whose tests failed: commit the fixes and verify again",
    )
    step.set_defaults(handler=_cmd_step)

    diagnose = sub.add_parser(
        "diagnose",
        help="for a hop whose tests fail: which package bump or rule broke which test",
        description="Bisects the hop's changes (dependencies alone, then package by package, then "
        "the rewrite file by file) re-running only the failing tests in the stage's environment, "
        "in a temporary git worktree; writes diagnosis.json and diagnosis.md beside the report.",
        epilog=DIAGNOSE_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _path(diagnose)
    _budget(diagnose, "--budget")
    diagnose.add_argument(
        "--timeout", type=float, default=1800.0, help="one trial's limit, seconds"
    )
    diagnose.add_argument(
        "--revert-breaking",
        action="store_true",
        help="revert each rewrite found to break tests (a commit per file) and list it as a manual item",
    )
    diagnose.add_argument("--format", choices=("text", "json"), default="text")
    diagnose.set_defaults(handler=_cmd_diagnose)

    status = sub.add_parser(
        "status",
        help="where the project stands on its upgrade path",
        description="The hops made, the one under way and the road ahead, from .upgrader/.",
        epilog=STATUS_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _path(status)
    status.set_defaults(handler=_cmd_status)

    rollback = sub.add_parser(
        "rollback",
        help="undo the current (or last) hop: back to the pre-hop commit, branch removed",
    )
    _path(rollback)
    rollback.set_defaults(handler=_cmd_rollback)

    report = sub.add_parser("report", help="re-render a hop's report from saved state")
    _path(report)
    report.add_argument("--to", help="the hop's target Django (default: the last hop)")
    report.add_argument("--format", default="paths", choices=("paths", "markdown", "json"))
    report.set_defaults(handler=_cmd_report)

    verify = sub.add_parser(
        "verify", help="run the project's tests on one Django stage in its tox environment"
    )
    _path(verify)
    verify.add_argument("--stage", help="the Django stage (default: the project's current one)")
    verify.add_argument("--timeout", type=float, default=1800.0, help="test run limit, seconds")
    verify.add_argument("--accept-failing", action="store_true", help="record failures as baseline")
    verify.add_argument("--format", default="text", choices=("text", "json"))
    verify.set_defaults(handler=_cmd_verify)

    ci = sub.add_parser("ci", help="write a CI workflow: a matrix job per Django stage of the plan")
    _path(ci)
    ci.add_argument("--provider", default="github", choices=("github", "gitlab"))
    ci.add_argument(
        "--to",
        help="the plan's target: a job per stage up to it (default: lts)",
    )
    ci.add_argument("--stage", action="append", help="add a stage (repeatable)")
    ci.add_argument("--output", help="where to write the workflow")
    ci.set_defaults(handler=_cmd_ci)

    rewrite = sub.add_parser(
        "rewrite", help="only the rewrite stage, from the detected Django to --to"
    )
    _path(rewrite)
    rewrite.add_argument("--to", required=True, help="target Django, e.g. 4.2, lts or latest")
    rewrite.add_argument("--from", dest="django_from", metavar="VERSION")
    rewrite.add_argument("--dry-run", action="store_true", help="print the diff, write nothing")
    rewrite.set_defaults(handler=_cmd_rewrite)

    codemods = sub.add_parser("codemods", help="list upgrader's rules, or run one on files")
    codemods_sub = codemods.add_subparsers(dest="codemods_command", metavar="ACTION", required=True)
    codemods_list = codemods_sub.add_parser("list", help="every rule by version, with docs links")
    codemods_list.set_defaults(handler=_cmd_codemods_list)
    codemods_run = codemods_sub.add_parser("run", help="run one rule on files or folders")
    codemods_run.add_argument("rule")
    codemods_run.add_argument("paths", nargs="+")
    codemods_run.add_argument("--dry-run", action="store_true")
    codemods_run.set_defaults(handler=_cmd_codemods_run)

    check = sub.add_parser(
        "check", help="exit 1 when the code uses what Django --target removed (pre-commit hook)"
    )
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files to check (pre-commit passes them), or the project folder (default: .)",
    )
    check.add_argument(
        "--target",
        help="the Django to check against: X.Y, lts or latest (default: the newest LTS)",
    )
    check.add_argument("--python", help="the Python the code will run on (for Python removals)")
    check.add_argument("--from", dest="django_from", metavar="VERSION")
    check.set_defaults(handler=_cmd_check)
    return parser


def _budget(parser: argparse.ArgumentParser, flag: str) -> None:
    text = "time for all the diagnosis's trials (default %(default)g)"
    parser.add_argument(flag, type=float, default=DIAGNOSE_BUDGET, metavar="SECONDS", help=text)


def _path(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default=".", help="the project (default: .)")


def _target_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--to",
        default="lts",
        help="target: lts (newest LTS, default), latest, or a version like 4.2",
    )
    parser.add_argument(
        "--via",
        default="lts",
        choices=("lts", "each"),
        help="lts: LTS to LTS (default); each: every feature release, as Django's guide recommends",
    )
    parser.add_argument(
        "--from",
        dest="django_from",
        metavar="VERSION",
        help="the project's current Django, when its requirements don't pin it",
    )


def _crash_log(exc: BaseException) -> Path:
    directory = Path(os.environ.get("UPGRADER_LOG_DIR", tempfile.gettempdir()))
    directory.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix="upgrader-crash-", suffix=".log", dir=directory)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"upgrader {__version__}\nargv: {sys.argv!r}\n\n")
        handle.write("".join(traceback.format_exception(exc)))
    return Path(name)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    err = _stderr()
    try:
        return handler(args)
    except UpgraderError as exc:
        where = f" ({exc.path})" if exc.path and str(exc.path) not in exc.message else ""
        err.print(f"[bold red]error:[/bold red] {escape(exc.message + where)}", highlight=False)
        if exc.hint:
            err.print(f"[yellow]hint:[/yellow] {escape(exc.hint)}", highlight=False)
        return exc.exit_code
    except KeyboardInterrupt:
        err.print("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`upgrader plan | head`): stop quietly, as a filter should.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PROBLEM
    except Exception as exc:
        log = _crash_log(exc)
        err.print(
            f"[bold red]internal error:[/bold red] {escape(f'{type(exc).__name__}: {exc}')}\n"
            f"A crash log was written to {escape(str(log))}; please attach it to a bug report.",
            highlight=False,
        )
        return EXIT_INTERNAL
