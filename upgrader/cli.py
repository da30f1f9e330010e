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

The handlers of the commands are in ``upgrader.commands``; the parser and the error boundary here.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.markup import escape

from upgrader import __version__
from upgrader.commands import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PROBLEM,
    EXIT_USER_ERROR,
    cmd_check,
    cmd_ci,
    cmd_codemods_list,
    cmd_codemods_run,
    cmd_diagnose,
    cmd_plan,
    cmd_report,
    cmd_rewrite,
    cmd_rollback,
    cmd_status,
    cmd_step,
    cmd_verify,
    error_console,
)
from upgrader.commands import step_diagnosis as _step_diagnosis
from upgrader.commands import step_totals as _step_totals
from upgrader.defaults import DIAGNOSE_BUDGET
from upgrader.errors import UpgraderError

__all__ = [
    "DIAGNOSE_BUDGET",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PROBLEM",
    "EXIT_USER_ERROR",
    "_step_diagnosis",
    "_step_totals",
    "build_parser",
    "main",
]


DIAGNOSE_EXIT_CODES = """\
exit codes:
  0  every failing test of the hop was traced to the one change that turns it red
  1  some failing test was not narrowed down to one change (the budget ran out, a trial could
     not run, it fails only with several changes together, or no
     trial reproduced it); the diagnosis says which
  2  no hop needs attention, the hop ran without git, or bad arguments
"""


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
    plan.set_defaults(handler=cmd_plan)

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
    step.set_defaults(handler=cmd_step)

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
    diagnose.set_defaults(handler=cmd_diagnose)

    status = sub.add_parser(
        "status",
        help="where the project stands on its upgrade path",
        description="The hops made, the one under way and the road ahead, from .upgrader/.",
        epilog=STATUS_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _path(status)
    status.set_defaults(handler=cmd_status)

    rollback = sub.add_parser(
        "rollback",
        help="undo the current (or last) hop: back to the pre-hop commit, branch removed",
    )
    _path(rollback)
    rollback.set_defaults(handler=cmd_rollback)

    report = sub.add_parser("report", help="re-render a hop's report from saved state")
    _path(report)
    report.add_argument("--to", help="the hop's target Django (default: the last hop)")
    report.add_argument("--format", default="paths", choices=("paths", "markdown", "json"))
    report.set_defaults(handler=cmd_report)

    verify = sub.add_parser(
        "verify", help="run the project's tests on one Django stage in its tox environment"
    )
    _path(verify)
    verify.add_argument("--stage", help="the Django stage (default: the project's current one)")
    verify.add_argument("--timeout", type=float, default=1800.0, help="test run limit, seconds")
    verify.add_argument("--accept-failing", action="store_true", help="record failures as baseline")
    verify.add_argument("--format", default="text", choices=("text", "json"))
    verify.set_defaults(handler=cmd_verify)

    ci = sub.add_parser("ci", help="write a CI workflow: a matrix job per Django stage of the plan")
    _path(ci)
    ci.add_argument("--provider", default="github", choices=("github", "gitlab"))
    ci.add_argument(
        "--to",
        help="the plan's target: a job per stage up to it (default: lts)",
    )
    ci.add_argument("--stage", action="append", help="add a stage (repeatable)")
    ci.add_argument("--output", help="where to write the workflow")
    ci.set_defaults(handler=cmd_ci)

    rewrite = sub.add_parser(
        "rewrite", help="only the rewrite stage, from the detected Django to --to"
    )
    _path(rewrite)
    rewrite.add_argument("--to", required=True, help="target Django, e.g. 4.2, lts or latest")
    rewrite.add_argument("--from", dest="django_from", metavar="VERSION")
    rewrite.add_argument("--dry-run", action="store_true", help="print the diff, write nothing")
    rewrite.set_defaults(handler=cmd_rewrite)

    codemods = sub.add_parser("codemods", help="list upgrader's rules, or run one on files")
    codemods_sub = codemods.add_subparsers(dest="codemods_command", metavar="ACTION", required=True)
    codemods_list = codemods_sub.add_parser("list", help="every rule by version, with docs links")
    codemods_list.set_defaults(handler=cmd_codemods_list)
    codemods_run = codemods_sub.add_parser("run", help="run one rule on files or folders")
    codemods_run.add_argument("rule")
    codemods_run.add_argument("paths", nargs="+")
    codemods_run.add_argument("--dry-run", action="store_true")
    codemods_run.set_defaults(handler=cmd_codemods_run)

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
    check.set_defaults(handler=cmd_check)
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
    err = error_console()
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
