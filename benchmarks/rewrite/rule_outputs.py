"""Dump what every Python rule of ours does to every file of a corpus, to compare two checkouts.

Usage (from the repository root)::

    .venv/bin/python benchmarks/rewrite/rule_outputs.py [--corpus wagtail|django|DIR] OUT.json
    .venv/bin/python benchmarks/rewrite/rule_outputs.py --compare BEFORE.json AFTER.json

For each ``.py`` file and each Python rule the 2.2 -> 5.2 hop applies, the rule runs (as the
engine would: only when its needles let the file through) on the file's original text; recorded
are the SHA-256 of its output, its notes and the type of any exception, plus the CPU seconds it
took. The stage itself (``rewrite_project``, one process, dry run) is dumped too: every change's
rule hits and diff, the notes and the failures. ``--compare`` prints every difference and exits
1 when there is one; times are printed per rule, never compared.

To dump another version's rules, put its ``codemods/`` first on the path and the repository
second, from outside the repository (else Python finds this checkout's ``codemods/`` first):
``git archive COMMIT codemods | tar -x -C /tmp/before``, then, from ``/tmp``,
``PYTHONPATH=/tmp/before:REPO REPO/.venv/bin/python REPO/benchmarks/rewrite/rule_outputs.py
before.json``. Compare versions holding the same rule modules: a rule added in between is a
difference.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import CORPORA, fetch, make_project, stage_hop


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def rule_runs(root: Path) -> tuple[dict[str, object], dict[str, list[float]]]:
    """``file -> rule -> [output digest or "same", notes, exception]`` and ``rule -> [files, s]``."""
    from codemods import get_rule
    from upgrader.files import project_files
    from upgrader.rewrite import hop_config

    hop = stage_hop("3.8", "3.10")
    config = hop_config(root, hop, {})
    rules = [r for r in (get_rule(i) for i in config.rule_ids) if r.kind == "python"]
    runs: dict[str, object] = {}
    costs: dict[str, list[float]] = {rule.id: [0, 0.0] for rule in rules}
    for path in project_files(root, suffixes=(".py",)):
        data = path.read_bytes()
        try:
            source = data.decode()
        except UnicodeDecodeError:
            continue
        rel = path.relative_to(root).as_posix()
        per_file: dict[str, object] = {}
        for rule in rules:
            if not rule.may_match(data):
                continue
            context = config.context(rel, False)
            start = time.process_time()
            try:
                output = rule.transform(source, context)
                error = None
            except Exception as exc:  # recorded and compared
                output, error = source, type(exc).__name__
            costs[rule.id][0] += 1
            costs[rule.id][1] += time.process_time() - start
            changed = "same" if output == source else _digest(output)
            if changed != "same" or context.notes or error:
                per_file[rule.id] = [changed, list(context.notes), error]
        if per_file:
            runs[rel] = per_file
    return runs, costs


def stage_run(root: Path) -> dict[str, object]:
    from upgrader.rewrite import rewrite_project

    with tempfile.TemporaryDirectory() as cache:
        result = rewrite_project(
            make_project(root, "3.8"),
            stage_hop("3.8", "3.10"),
            write=False,
            jobs=1,
            cache_dir=Path(cache),
        )
    return {
        "changes": {
            change.path.relative_to(root).as_posix(): {
                "rules": [[hit.rule, list(hit.lines)] for hit in change.rules],
                "diff": _digest(change.diff),
            }
            for change in result.changes
        },
        "notes": list(result.notes),
        "failures": [str(failure) for failure in result.failures],
    }


def compare(before_path: Path, after_path: Path) -> int:
    before = json.loads(before_path.read_text())
    after = json.loads(after_path.read_text())
    differences = 0
    for part in ("rules", "stage"):
        old, new = before[part], after[part]
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                differences += 1
                print(f"{part} {key}:\n  before: {old.get(key)}\n  after:  {new.get(key)}")
    print(f"{differences} differences")
    print(f"{'rule':<36} {'files before':>12} {'s before':>9} {'files after':>12} {'s after':>9}")
    costs_old, costs_new = before["costs"], after["costs"]
    for rule_id in sorted(costs_old, key=lambda r: -costs_old[r][1]):
        (n_old, s_old), (n_new, s_new) = costs_old[rule_id], costs_new.get(rule_id, [0, 0.0])
        print(f"{rule_id:<36} {n_old:>12} {s_old:>9.2f} {n_new:>12} {s_new:>9.2f}")
    total_old = sum(s for _n, s in costs_old.values())
    total_new = sum(s for _n, s in costs_new.values())
    print(f"{'total':<36} {'':>12} {total_old:>9.2f} {'':>12} {total_new:>9.2f}")
    return 1 if differences else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="wagtail", help="wagtail, django or a folder")
    parser.add_argument("--no-stage", action="store_true", help="dump the rules only")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    parser.add_argument("out", nargs="?", type=Path)
    args = parser.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    if args.out is None:
        parser.error("OUT.json is required without --compare")
    root = (fetch(CORPORA[args.corpus]) if args.corpus in CORPORA else Path(args.corpus)).resolve()
    runs, costs = rule_runs(root)
    stage = {} if args.no_stage else stage_run(root)
    args.out.write_text(json.dumps({"rules": runs, "costs": costs, "stage": stage}, indent=1))
    total = sum(seconds for _count, seconds in costs.values())
    print(f"{root}: {len(runs)} files with rule output or notes; rules {total:.2f} s CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
