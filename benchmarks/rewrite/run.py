"""Time the rewrite stage against django-upgrade alone and pyupgrade alone on one large corpus.

Usage (from the repository root)::

    .venv/bin/python benchmarks/rewrite/run.py [--corpus DIR] [--jobs N]

Without ``--corpus`` the script downloads Django 5.2's source distribution from the configured
package index (``pip download --no-deps --no-binary :all: "Django>=5.2,<5.3"``: about 2,900
Python files, Django itself and its test suite) once, into ``~/.cache/upgrader/benchmark-corpus/``
(``$UPGRADER_CACHE_DIR`` / ``$XDG_CACHE_HOME`` move it).

Measured, all on the same files and in one run, nothing written to disk:

- django-upgrade alone: ``apply_fixers`` with ``--target-version 5.2``, one process;
- pyupgrade alone: its plugin and token passes with ``--py310-plus``, one process;
- our stage, cold: ``rewrite_project`` for a 2.2 -> 5.2 hop on Python 3.10 (django-upgrade, every
  rule of ours, pyupgrade), ``--jobs`` processes, empty cache;
- our stage, warm: the same again (every file answered by the cache);
- our stage, cold, one process (for reference).

Targets (issue 4): cold <= 0.6 x (django-upgrade + pyupgrade); warm >= 10 x faster than cold.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import CORPORA, fetch, make_project, stage_hop

from upgrader.files import project_files
from upgrader.hops import Hop
from upgrader.rewrite import RewriteResult, rewrite_project


def timed(label: str, action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - start
    print(f"  {label:<44} {elapsed:8.2f} s", file=sys.stderr)
    return elapsed, result


def django_upgrade_alone(files: list[Path], root: Path) -> int:
    from django_upgrade.data import Settings
    from django_upgrade.main import apply_fixers

    settings = Settings(target_version=(5, 2))
    changed = 0
    for path in files:
        try:
            text = path.read_bytes().decode()
        except UnicodeDecodeError:
            continue
        if apply_fixers(text, settings, str(path.relative_to(root))) != text:
            changed += 1
    return changed


def pyupgrade_alone(files: list[Path]) -> int:
    from pyupgrade._data import Settings
    from pyupgrade._main import _fix_plugins, _fix_tokens

    settings = Settings(min_version=(3, 10))
    changed = 0
    for path in files:
        try:
            text = path.read_bytes().decode()
        except UnicodeDecodeError:
            continue
        if _fix_tokens(_fix_plugins(text, settings=settings)) != text:
            changed += 1
    return changed


def rule_costs(files: list[Path], root: Path, hop: Hop) -> list[tuple[str, int, float]]:
    """Per Python rule of ours: files its needles let through, and CPU seconds spent on them."""
    from codemods import get_rule
    from upgrader.rewrite import hop_config

    config = hop_config(root, hop, {})
    rules = [get_rule(rule_id) for rule_id in config.rule_ids]
    costs = {rule.id: [0, 0.0] for rule in rules if rule.kind == "python"}
    for path in files:
        data = path.read_bytes()
        rel = path.relative_to(root).as_posix()
        for rule in rules:
            if rule.id in costs and rule.may_match(data):
                start = time.process_time()
                # A failing rule is the engine's business (reported there), not the benchmark's.
                with contextlib.suppress(Exception):
                    rule.transform(data.decode(), config.context(rel, False))
                costs[rule.id][0] += 1
                costs[rule.id][1] += time.process_time() - start
    ordered = sorted(costs.items(), key=lambda item: -item[1][1])
    return [(rule_id, int(count), float(seconds)) for rule_id, (count, seconds) in ordered]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, help="a folder of Python files (default: Django 5.2)"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only", help="a sub-folder of the corpus to time (e.g. django/db)")
    parser.add_argument(
        "--rule-costs", action="store_true", help="also print CPU seconds per rule of ours"
    )
    parser.add_argument(
        "--exclude-rule",
        action="append",
        default=[],
        metavar="RULE",
        help="leave one of our rules out of the stage (repeatable), to see what it costs",
    )
    args = parser.parse_args(argv)
    if args.exclude_rule:
        import upgrader.rewrite as engine

        every_rule = engine.all_rules  # type: ignore[attr-defined]
        excluded = frozenset(args.exclude_rule)
        # The engine takes its rules from all_rules(); worker processes are forked after this.
        engine.all_rules = lambda: tuple(  # type: ignore[attr-defined]
            r for r in every_rule() if r.id not in excluded
        )
        print(f"rules left out: {', '.join(sorted(excluded))}", file=sys.stderr)

    root = (args.corpus or fetch(CORPORA["django"])).resolve()
    if args.only:
        root = root / args.only
    files = project_files(root, suffixes=(".py",))
    hop = stage_hop("3.10", "3.10")
    project = make_project(root, "3.10")
    print(f"corpus: {root} ({len(files)} .py files)", file=sys.stderr)

    du, du_changed = timed(
        "django-upgrade alone (1 process)", lambda: django_upgrade_alone(files, root)
    )
    pu, pu_changed = timed("pyupgrade alone (1 process)", lambda: pyupgrade_alone(files))
    with tempfile.TemporaryDirectory() as cache:
        cold, result = timed(
            f"our stage, cold ({args.jobs} processes)",
            lambda: rewrite_project(
                project, hop, write=False, jobs=args.jobs, cache_dir=Path(cache)
            ),
        )
        warm, warm_result = timed(
            f"our stage, warm ({args.jobs} processes)",
            lambda: rewrite_project(
                project, hop, write=False, jobs=args.jobs, cache_dir=Path(cache)
            ),
        )
    with tempfile.TemporaryDirectory() as cache:
        single, _ = timed(
            "our stage, cold (1 process)",
            lambda: rewrite_project(project, hop, write=False, jobs=1, cache_dir=Path(cache)),
        )
    assert isinstance(result, RewriteResult) and isinstance(warm_result, RewriteResult)
    assert (warm_result.changes, warm_result.notes, warm_result.failures) == (
        result.changes,
        result.notes,
        result.failures,
    ), "the cache changed the result"
    assert warm_result.cache_hits == warm_result.files_checked
    changes = result.changes
    print()
    averages = os.getloadavg()
    load = " / ".join(f"{x:.1f}" for x in averages)
    print(
        f"- machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    busy = " (above the CPU count: other work ran)" if averages[0] > (os.cpu_count() or 1) else ""
    print(f"- load average at the end (1/5/15 min): {load}{busy}")
    print(f"- corpus: {root.name}, {len(files)} .py files")
    print(f"- django-upgrade alone: {du:.2f} s ({du_changed} files changed)")
    print(f"- pyupgrade alone: {pu:.2f} s ({pu_changed} files changed)")
    print(f"- our stage cold, {args.jobs} processes: {cold:.2f} s ({len(changes)} files changed)")
    print(f"- our stage warm, {args.jobs} processes: {warm:.2f} s")
    print(f"- our stage cold, 1 process: {single:.2f} s")
    print(f"- cold / (django-upgrade + pyupgrade) = {cold / (du + pu):.2f} (target <= 0.6)")
    print(f"- cold / warm = {cold / warm:.1f}x (target >= 10x)")
    if args.rule_costs:
        print("- CPU seconds per Python rule of ours (one process, files its needles let through):")
        for rule_id, count, seconds in rule_costs(files, root, hop):
            print(f"  - {rule_id}: {seconds:.2f} s on {count} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
