"""Cold and warm resolution of the shop sample's hops with uv vs pip-compile.

Usage: .venv/bin/python benchmarks/resolve/run.py [--rounds N] [--project PATH] [--json OUT]

For every hop (2.2 -> 3.2 -> 4.2 -> 5.2) the dependency choice is made once (upgrader's own
index cache warm), then the same ``requirements.in`` is resolved by each tool:

- cold: a fresh, empty cache folder for the tool (uv's cache, pip's HTTP cache and pip-tools'
  dependency cache all point into it), so every index page and metadata file is fetched;
- warm: the same folder again, ``N`` times (the median is reported).

Also timed: upgrader's choice step (index metadata) with an empty cache and a warm one.
The pip-compile interpreters (one per hop Python, made once in upgrader's cache) are set up
before any timing. Figures depend on the network and the machine: README.md records one run.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from upgrader import interpreters  # noqa: E402
from upgrader.deps.choose import Target  # noqa: E402
from upgrader.deps.index import PackageIndex, index_config  # noqa: E402
from upgrader.deps.plan import DependencyPlan, plan_dependencies, requirement_files  # noqa: E402
from upgrader.deps.resolve import (  # noqa: E402
    Resolver,
    find_resolver,
    find_uv,
    resolve_dependencies,
)
from upgrader.detect.requirements import read_declared  # noqa: E402
from upgrader.hops import hop_path  # noqa: E402
from upgrader.project import detect_project  # noqa: E402


def _time(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="warm runs per tool and hop")
    parser.add_argument("--project", type=Path, default=ROOT / "sample_projects" / "shop")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here too")
    args = parser.parse_args()

    project = detect_project(args.project)
    declared = read_declared(args.project)
    hops = hop_path(
        project.django_version, project.python_version, to="5.2", find_interpreter=interpreters.find
    )
    config = index_config([args.project / p for p in requirement_files(declared)])
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="upgrader-bench-") as tmp:
        scratch = Path(tmp)
        # upgrader's own choice step: cold (empty metadata cache), then warm.
        plans: list[DependencyPlan] = []
        choose_times: list[tuple[float, float]] = []
        previous: DependencyPlan | None = None
        for hop in hops:
            cold_index = PackageIndex(config, cache_dir=scratch / "meta")
            start = time.perf_counter()
            plan = plan_dependencies(
                args.project, declared, hop, index=cold_index, config=config, previous=previous
            )
            cold = time.perf_counter() - start
            warm_index = PackageIndex(config, cache_dir=scratch / "meta")
            start = time.perf_counter()
            plan_dependencies(
                args.project, declared, hop, index=warm_index, config=config, previous=previous
            )
            warm = time.perf_counter() - start
            choose_times.append((cold, warm))
            plans.append(plan)
            previous = plan
        for hop, plan, (choose_cold, choose_warm) in zip(hops, plans, choose_times, strict=True):
            target = Target(hop.target.name, hop.python)
            extra = [f"{r.replacement}=={r.chosen}" for r in plan.replacements if r.chosen]
            tools: list[Resolver] = []
            uv = find_uv()
            if uv:
                tools.append(Resolver("uv", (uv, "pip", "compile")))
            tools.append(find_resolver(target, prefer="pip-compile"))
            for resolver in tools:
                cache = scratch / f"{resolver.tool}-{hop.target.name}"

                def run(
                    resolver: Resolver = resolver,
                    cache: Path = cache,
                    plan: DependencyPlan = plan,
                    target: Target = target,
                    extra: list[str] = extra,
                ) -> None:
                    resolve_dependencies(
                        plan.choices,
                        target,
                        index=config,
                        resolver=resolver,
                        extra=extra,
                        cache_dir=cache,
                    )

                cold = _time(run)
                warm = statistics.median(_time(run) for _ in range(args.rounds))
                rows.append(
                    {
                        "hop": hop.name,
                        "python": hop.python,
                        "tool": resolver.tool,
                        "cold_s": round(cold, 2),
                        "warm_s": round(warm, 2),
                        "choose_cold_s": round(choose_cold, 2),
                        "choose_warm_s": round(choose_warm, 2),
                        "note": resolver.note,
                    }
                )
                print(
                    f"{hop.name:12} py{hop.python:5} {resolver.tool:12} cold {cold:6.2f}s  warm {warm:6.2f}s",
                    file=sys.stderr,
                )
    print("| hop | Python | tool | cold (s) | warm (s, median) |")
    print("| --- | --- | --- | ---: | ---: |")
    for row in rows:
        print(
            f"| {row['hop']} | {row['python']} | {row['tool']} | {row['cold_s']} | {row['warm_s']} |"
        )
    print()
    print("| hop | choice, cold metadata cache (s) | choice, warm (s) |")
    print("| --- | ---: | ---: |")
    for row in rows[:: len(rows) // len(hops)]:
        print(f"| {row['hop']} | {row['choose_cold_s']} | {row['choose_warm_s']} |")
    print(f"\nmachine: {platform.machine()}, {platform.python_version()}, rounds={args.rounds}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
