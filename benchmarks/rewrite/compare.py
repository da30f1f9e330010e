"""Whole-process CPU, wall and peak memory of the rewrite stage against the tools it wraps.

Usage (from the repository root)::

    .venv/bin/python benchmarks/rewrite/compare.py [--corpus wagtail|django|DIR] [--jobs N]
        [--no-scaling]

Corpora, downloaded once by the script from the configured package index into
``~/.cache/upgrader/benchmark-corpus/`` (``$UPGRADER_CACHE_DIR`` / ``$XDG_CACHE_HOME`` move it;
outside the repository, never committed):

- ``wagtail`` (default): wagtail 2.9's source distribution (a 2020 release of a large Django
  code base, with its tests: old code, much to rewrite for a 2.2 -> 5.2 hop);
- ``django``: Django 5.2's source distribution (Django and its test suite: little to rewrite).

Every measurement is its own process (``os.wait4`` gives its CPU, user + system, and peak
resident memory; the peak of a process pool is its largest process), on the same files, each
tool run as its users run it:

- django-upgrade ``--target-version 5.2`` then pyupgrade ``--py38-plus`` (their command lines,
  one process each, on a copy of the corpus they rewrite in place);
- ruff ``check --select UP,DJ --fix`` (on another copy), as a speed reference only: it is not
  the same work;
- our stage: ``rewrite_project`` for a 2.2 -> 5.2 hop from Python 3.8 to 3.10 (django-upgrade,
  every rule of ours, pyupgrade ``--py38-plus``; nothing written), cold (empty cache), warm (the
  same cache again), with ``--jobs`` processes and with one;
- a scaling run: the cold stage on 25, 50 and 100% of the files (every 4th / 2nd file).

Goals (issue 11): cold CPU <= 0.6 x django-upgrade + pyupgrade; warm >= 20x faster than cold;
CPU/wall >= 1.7 on 2 idle cores; peak memory <= 2 x the two tools'. The machine's load average is
printed before and after: on a shared machine wall times (and CPU/wall) say little.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import CORPORA, fetch, make_project, stage_hop

BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Measure:
    label: str
    cpu: float  # user + system seconds, the process and its children
    wall: float
    peak_mib: float  # the largest resident set of the process or one of its children
    changed: int | None = None  # files changed, where the measure tells

    def row(self) -> str:
        ratio = self.cpu / self.wall if self.wall else 0.0
        changed = "" if self.changed is None else str(self.changed)
        return (
            f"| {self.label:<44} | {self.cpu:8.2f} | {self.wall:8.2f} | {ratio:4.2f} "
            f"| {self.peak_mib:7.1f} | {changed:>7} |"
        )


def measure(label: str, argv: list[str], *, cwd: Path | None = None) -> tuple[Measure, str]:
    """Run ``argv`` as a child process; its CPU, wall, peak memory and standard output.

    The peak comes from ``/usr/bin/time`` where there is one: a child's own ``ru_maxrss`` counts
    the copy of this (larger) process it was forked from before it ran ``argv``.
    """
    timer = Path("/usr/bin/time")
    with tempfile.TemporaryFile() as out, tempfile.NamedTemporaryFile("r") as peak:
        wrapped = [str(timer), "-q", "-f", "%M", "-o", peak.name, *argv] if timer.exists() else argv
        start = time.perf_counter()
        process = subprocess.Popen(wrapped, stdout=out, stderr=subprocess.DEVNULL, cwd=cwd)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode(errors="replace")
        reported = peak.read().split()
    peak_kib = int(reported[-1]) if reported and reported[-1].isdigit() else usage.ru_maxrss
    cpu = usage.ru_utime + usage.ru_stime
    result = Measure(label, cpu, wall, peak_kib / 1024)
    print(f"  {label:<44} {cpu:7.2f} s CPU {wall:7.2f} s wall", file=sys.stderr)
    return result, text


def python_files(root: Path) -> list[Path]:
    from upgrader.files import project_files

    return project_files(root, suffixes=(".py",))


def stage_child(root: Path, cache: Path, jobs: int) -> None:
    """In the child process: the stage over ``root``; prints what it changed as JSON."""
    from upgrader.rewrite import rewrite_project

    project = make_project(root, "3.8")
    hop = stage_hop("3.8", "3.10")
    result = rewrite_project(project, hop, write=False, jobs=jobs, cache_dir=cache)
    changed = sorted(change.path.relative_to(root).as_posix() for change in result.changes)
    json.dump(
        {"changed": changed, "counts": result.counts, "cache_hits": result.cache_hits},
        sys.stdout,
    )


def stage(label: str, root: Path, cache: Path, jobs: int) -> tuple[Measure, dict[str, object]]:
    argv = [sys.executable, __file__, "--child", str(root), str(cache), str(jobs)]
    result, out = measure(label, argv)
    payload = json.loads(out)
    changed = payload["changed"]
    assert isinstance(changed, list)
    return Measure(result.label, result.cpu, result.wall, result.peak_mib, len(changed)), payload


def tools(root: Path, files: list[Path], work: Path) -> list[Measure]:
    """django-upgrade then pyupgrade on a copy; ruff UP/DJ on another copy."""
    copy = work / "tools"
    shutil.copytree(root, copy)
    rels = [str(path.relative_to(root)) for path in files]
    before = {rel: (copy / rel).read_bytes() for rel in rels}
    du, _ = measure(
        "django-upgrade --target-version 5.2",
        [str(BIN / "django-upgrade"), "--target-version", "5.2", *rels],
        cwd=copy,
    )
    pu, _ = measure(
        "pyupgrade --py38-plus", [str(BIN / "pyupgrade"), "--py38-plus", *rels], cwd=copy
    )
    changed = sum((copy / rel).read_bytes() != data for rel, data in before.items())
    both = Measure(
        "django-upgrade then pyupgrade",
        du.cpu + pu.cpu,
        du.wall + pu.wall,
        max(du.peak_mib, pu.peak_mib),
        changed,
    )
    measures = [du, pu, both]
    ruff = shutil.which("ruff", path=str(BIN)) or shutil.which("ruff")
    if ruff is not None:
        other = work / "ruff"
        shutil.copytree(root, other)
        argv = [ruff, "check", "--isolated", "--no-cache", "--select", "UP,DJ"]
        argv += ["--target-version", "py38", "--fix", "--exit-zero", "--quiet", *rels]
        measures.append(measure("ruff check --select UP,DJ --fix (reference)", argv, cwd=other)[0])
    return measures


def subset(root: Path, files: list[Path], step: int, work: Path) -> Path:
    """Every ``step``-th Python file of ``root`` (and nothing else), copied under ``work``."""
    target = work / f"subset-{step}"
    for path in files[::step]:
        dest = target / path.relative_to(root)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="wagtail", help="wagtail, django or a folder")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-scaling", action="store_true", help="skip the 25/50/100%% run")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        stage_child(Path(args.child[0]), Path(args.child[1]), int(args.child[2]))
        return 0
    root = (fetch(CORPORA[args.corpus]) if args.corpus in CORPORA else Path(args.corpus)).resolve()
    files = python_files(root)
    load_before = os.getloadavg()
    print(f"corpus: {root} ({len(files)} .py files)", file=sys.stderr)
    rows: list[Measure] = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        rows += tools(root, files, work)
        cold, cold_out = stage(
            f"our stage, cold, {args.jobs} processes", root, work / "c1", args.jobs
        )
        warm, warm_out = stage(
            f"our stage, warm, {args.jobs} processes", root, work / "c1", args.jobs
        )
        single, single_out = stage("our stage, cold, 1 process", root, work / "c2", 1)
        rows += [cold, warm, single]
        assert warm_out["changed"] == cold_out["changed"] == single_out["changed"]
        assert warm_out["counts"] == cold_out["counts"] == single_out["counts"]
        scaling: list[Measure] = []
        if not args.no_scaling:
            for step, share in ((4, 25), (2, 50)):
                part = subset(root, files, step, work)
                scaling.append(
                    stage(
                        f"cold, {args.jobs} processes, {share}% of the files",
                        part,
                        work / f"s{step}",
                        args.jobs,
                    )[0]
                )
            scaling.append(
                Measure(
                    f"cold, {args.jobs} processes, 100% of the files",
                    cold.cpu,
                    cold.wall,
                    cold.peak_mib,
                    cold.changed,
                )
            )
    load_after = os.getloadavg()
    both = rows[2]
    print()
    print(
        f"- machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(
        "- load average (1/5/15 min) before: "
        + " / ".join(f"{x:.1f}" for x in load_before)
        + ", after: "
        + " / ".join(f"{x:.1f}" for x in load_after)
    )
    print(f"- corpus: {root.name}, {len(files)} .py files")
    print()
    print(f"| {'measure':<44} | CPU s    | wall s   | CPU/wall | peak MiB | changed |")
    print(f"|{'-' * 46}|---------:|---------:|-----:|--------:|--------:|")
    for row in [*rows, *scaling]:
        print(row.row())
    print()
    print(
        f"- cold CPU / (django-upgrade + pyupgrade CPU) = {cold.cpu / both.cpu:.2f} (goal <= 0.6)"
    )
    print(f"- cold, 1 process, CPU / tools' CPU = {single.cpu / both.cpu:.2f}")
    print(
        f"- cold / warm: {cold.wall / warm.wall:.1f}x wall, {cold.cpu / warm.cpu:.1f}x CPU (goal >= 20x)"
    )
    print(
        f"- cold CPU/wall with {args.jobs} processes: {cold.cpu / cold.wall:.2f} (goal >= 1.7 on 2 idle cores)"
    )
    print(f"- peak memory / the tools' peak = {cold.peak_mib / both.peak_mib:.2f} (goal <= 2)")
    print(
        f"- files changed: ours {cold.changed}, django-upgrade then pyupgrade {both.changed} "
        "(ours keeps %-formatting and mock, guards some fixers and adds its own rules)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
