"""Interleaved A/B whole-process medians of the cold stage for two versions of ``codemods/``.

Usage (from the repository root)::

    git archive <commit> codemods | tar -x -C /tmp/a      # version A's rules
    git archive <commit> codemods | tar -x -C /tmp/b      # version B's rules
    .venv/bin/python benchmarks/rewrite/ab.py /tmp/a /tmp/b [--corpus wagtail|django|DIR]
        [--pairs 5] [--jobs 2]

Each round runs, in this order and each in its own process: the cold stage with A's rules, the
cold stage with B's (``compare.py --child``, an empty cache each, the engine of this checkout),
then django-upgrade followed by pyupgrade on a fresh copy of the corpus (their command lines, as
in ``compare.py``). Interleaving puts A, B and the tools under the same load on a shared machine;
the medians of CPU (user + system), wall and peak memory are printed, and the ratio of each
stage's median CPU to the tools'. The files each stage changed are compared between A and B.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare import BIN, Measure, measure, python_files
from corpus import CORPORA, REPO, fetch

COMPARE = Path(__file__).resolve().parent / "compare.py"


def stage(label: str, rules: Path, root: Path, jobs: int, work: Path) -> tuple[Measure, list[str]]:
    """The cold stage with the ``codemods/`` under ``rules`` (first on the path)."""
    cache = Path(tempfile.mkdtemp(dir=work))
    os.environ["PYTHONPATH"] = f"{rules}{os.pathsep}{REPO}"
    try:
        argv = [sys.executable, str(COMPARE), "--child", str(root), str(cache), str(jobs)]
        result, out = measure(label, argv, cwd=work)
    finally:
        del os.environ["PYTHONPATH"]
        shutil.rmtree(cache, ignore_errors=True)
    try:
        changed: list[str] = json.loads(out)["changed"]
    except ValueError:
        raise SystemExit(f"{label}: the stage printed no result (it failed); run {argv}") from None
    return result, changed


def tools(root: Path, rels: list[str], work: Path) -> Measure:
    copy = work / "tools"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy)
    du, _ = measure(
        "django-upgrade", [str(BIN / "django-upgrade"), "--target-version", "5.2", *rels], cwd=copy
    )
    pu, _ = measure("pyupgrade", [str(BIN / "pyupgrade"), "--py38-plus", *rels], cwd=copy)
    shutil.rmtree(copy, ignore_errors=True)
    return Measure("tools", du.cpu + pu.cpu, du.wall + pu.wall, max(du.peak_mib, pu.peak_mib))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path, help="a folder holding version A's codemods/")
    parser.add_argument("b", type=Path, help="a folder holding version B's codemods/")
    parser.add_argument("--corpus", default="wagtail", help="wagtail, django or a folder")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    for folder in (args.a, args.b):
        if not (folder / "codemods" / "__init__.py").is_file():
            parser.error(f"{folder} holds no codemods/__init__.py: extract a codemods/ there")
    root = (fetch(CORPORA[args.corpus]) if args.corpus in CORPORA else Path(args.corpus)).resolve()
    rels = [str(path.relative_to(root)) for path in python_files(root)]
    runs: dict[str, list[Measure]] = {"A": [], "B": [], "tools": []}
    changed: dict[str, set[tuple[str, ...]]] = {"A": set(), "B": set()}
    print(f"corpus {root} ({len(rels)} .py files), load {os.getloadavg()}", file=sys.stderr)
    with tempfile.TemporaryDirectory() as work:
        for _round in range(args.pairs):
            for name, rules in (("A", args.a), ("B", args.b)):
                result, listed = stage(name, rules.resolve(), root, args.jobs, Path(work))
                runs[name].append(result)
                changed[name].add(tuple(listed))
            runs["tools"].append(tools(root, rels, Path(work)))
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    tools_cpu = statistics.median(m.cpu for m in runs["tools"])
    print(f"- corpus: {root.name}, {len(rels)} .py files, {args.pairs} rounds, jobs={args.jobs}")
    print(f"- load average at the end (1/5/15 min): {load}")
    for name, measures in runs.items():
        cpu = statistics.median(m.cpu for m in measures)
        wall = statistics.median(m.wall for m in measures)
        peak = statistics.median(m.peak_mib for m in measures)
        every = ", ".join(f"{m.cpu:.2f}" for m in measures)
        ratio = f", {cpu / tools_cpu:.2f}x the tools' CPU" if name != "tools" else ""
        print(f"- {name}: CPU {cpu:.2f} s, wall {wall:.2f} s, peak {peak:.1f} MiB{ratio} ({every})")
    lists = changed["A"] | changed["B"]
    same = len(lists) == 1
    count = len(next(iter(changed["A"]))) if changed["A"] else 0
    print(f"- files changed: A {count}, the same list in every run of A and B: {same}")
    if not same:
        common = set.intersection(*(set(listed) for listed in lists))
        for name, listings in changed.items():
            for seen in listings:
                odd = sorted(set(seen) - common)
                print(f"  {name}: {len(seen)} files, not in every list: {odd}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
