"""Command line: parse arguments, call one stage, render its result, map errors to exit codes.

Exit codes (documented in the README):
  0  success
  1  the command ran and found a problem it was asked to check (reserved for check/verify)
  2  a problem the user can fix: bad arguments, not a Django project, unreadable input
  3  an unexpected internal error (a crash log is written and its path printed)
  130 interrupted (Ctrl-C)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from upgrader import __version__
from upgrader.errors import UpgraderError

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USER_ERROR = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


def _stdout() -> Console:
    console = Console(highlight=False, soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # Piped or captured output: wide enough that tables of paths and links stay readable.
        console = Console(highlight=False, soft_wrap=False, width=140)
    return console


def _cmd_plan(args: argparse.Namespace) -> int:
    from upgrader.plan import PlanOptions, build_plan
    from upgrader.project import detect_project
    from upgrader.render.plan import render_json, render_markdown, render_text

    err = _stderr()
    project = detect_project(Path(args.path), django_from=args.django_from)
    options = PlanOptions(
        to=args.to,
        via=args.via,
        rewrites=not args.no_rewrites,
        dependencies=not args.no_dependencies,
        strategy=args.strategy,
        offline=args.offline,
    )
    show_progress = err.is_terminal and args.format == "text"
    with err.status("Planning…", spinner="dots") if show_progress else _nullcontext() as status:

        def progress(message: str) -> None:
            if status is not None:
                status.update(message)

        plan = build_plan(project, options, progress=progress)
    if args.format == "json":
        sys.stdout.write(render_json(plan))
    elif args.format == "markdown":
        sys.stdout.write(render_markdown(plan))
    else:
        render_text(plan, _stdout())
    for skipped in plan.skipped:
        err.print(f"[yellow]skipped[/yellow] {escape(skipped.file)}: {escape(skipped.reason)}")
    return EXIT_OK


class _nullcontext:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


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
    plan.add_argument("path", nargs="?", default=".", help="the project (default: .)")
    plan.add_argument(
        "--to",
        default="lts",
        help="target: lts (newest LTS, default), latest, or a version like 4.2",
    )
    plan.add_argument(
        "--via",
        default="lts",
        choices=("lts", "each"),
        help="lts: LTS to LTS (default); each: every feature release, as Django's guide recommends",
    )
    plan.add_argument(
        "--from",
        dest="django_from",
        metavar="VERSION",
        help="the project's current Django, when its requirements don't pin it",
    )
    plan.add_argument("--format", default="text", choices=("text", "markdown", "json"))
    plan.add_argument("--strategy", default="minimal", choices=("minimal", "latest"))
    plan.add_argument("--offline", action="store_true", help="use cached index metadata only")
    plan.add_argument("--no-rewrites", action="store_true", help="skip counting automatic rewrites")
    plan.add_argument(
        "--no-dependencies", action="store_true", help="skip choosing dependency versions"
    )
    plan.set_defaults(handler=_cmd_plan)
    return parser


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
    except Exception as exc:
        log = _crash_log(exc)
        err.print(
            f"[bold red]internal error:[/bold red] {escape(f'{type(exc).__name__}: {exc}')}\n"
            f"A crash log was written to {escape(str(log))}; please attach it to a bug report.",
            highlight=False,
        )
        return EXIT_INTERNAL
