"""Time to create and run one stage's tox environment: plain tox (virtualenv + pip) vs tox-uv.

Usage (from the repository root, with the dev venv):

    .venv/bin/python benchmarks/verify/run.py [--project sample_projects/shop] [--python 3.9]
        [--stage 2.2] [--repeat 3]

Three situations per runner, each through ``upgrader.verify.verify_stage`` (so the figures
include what upgrader adds: writing .upgrader/tox.ini, the log, parsing):

- cold: no environment and empty package caches (``UV_CACHE_DIR`` / ``PIP_CACHE_DIR`` point at
  a new folder), so every package is downloaded from the index;
- fresh env: no environment, package caches already filled (a new stage on a developer machine);
- warm: the environment exists (re-running a stage).

The project is copied to ``benchmarks/.work/`` first, with its requirements (plus
``setuptools<81``, see ``_lock_stage``) as the stage's locked set. Prints a Markdown table (median of
``--repeat`` runs; cold runs once per repeat as well). Python 3.9 by default: the virtualenv
that current tox brings no longer creates Python 3.8 environments, and the comparison needs
both runners on one interpreter.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO))

from upgrader.interpreters import find  # noqa: E402
from upgrader.project import detect_project  # noqa: E402
from upgrader.releases import get_release  # noqa: E402
from upgrader.verify.run import ToxInvocation, verify_stage  # noqa: E402

RUNNERS = {"tox-uv": "uv-venv-runner", "plain tox": "virtualenv"}


# tox's closing line: "django22: OK (13.94=setup[4.65]+cmd[9.29] seconds)".
_TOX_TIMES = re.compile(
    r"OK \((?P<total>[\d.]+)=setup\[(?P<setup>[\d.]+)\]\+cmd\[(?P<cmd>[\d.]+)\]"
)


def _one(
    project_dir: Path, stage: str, python: str, runner: str, caches: Path | None
) -> tuple[float, float, float]:
    """Wall time of verify_stage, and tox's own setup (env + install) and command times."""
    release = get_release(stage)
    interpreter = find(python)
    if release is None or interpreter is None:
        raise SystemExit(f"need Django {stage} in the table and Python {python} on this machine")
    env = dict(os.environ)
    if caches is not None:
        env["UV_CACHE_DIR"] = str(caches / "uv")
        env["PIP_CACHE_DIR"] = str(caches / "pip")
    started = time.perf_counter()
    run = verify_stage(
        detect_project(project_dir),
        release,
        python=interpreter,
        tox=ToxInvocation(runner=runner),
        env=env,
    )
    took = time.perf_counter() - started
    if not run.green:
        raise SystemExit(f"the suite is not green ({run.log}); the benchmark needs a green one")
    times = _TOX_TIMES.search(run.log.read_text("utf-8"))
    if times is None:
        raise SystemExit(f"no tox timing line in {run.log}")
    return took, float(times["setup"]), float(times["cmd"])


def _lock_stage(project_dir: Path, stage: str) -> None:
    """The stage's dependency set as the dependency stage would write it: the project's pins.

    Plus ``setuptools<81``: pytest-django 3.x imports pkg_resources, which setuptools 81
    removed, and a fresh environment on Python 3.9 is seeded with a newer setuptools.
    """
    pins = (project_dir / "requirements.txt").read_text("utf-8")
    locked = project_dir / ".upgrader" / "constraints" / f"django-{stage}.txt"
    locked.parent.mkdir(parents=True, exist_ok=True)
    locked.write_text(pins + "setuptools<81\n", "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=REPO / "sample_projects" / "shop")
    parser.add_argument("--python", default="3.9")
    parser.add_argument("--stage", default="2.2")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    work = REPO / "benchmarks" / ".work" / "verify"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    rows: list[tuple[str, str, list[tuple[float, float, float]]]] = []
    for label, runner in RUNNERS.items():
        project_dir = work / label.replace(" ", "-") / args.project.name
        shutil.copytree(args.project, project_dir)
        _lock_stage(project_dir, args.stage)
        envs = project_dir / ".upgrader" / "cache" / "tox"
        timings: dict[str, list[tuple[float, float, float]]] = {
            "cold": [],
            "fresh env": [],
            "warm": [],
        }
        for _ in range(args.repeat):
            shutil.rmtree(envs, ignore_errors=True)
            with tempfile.TemporaryDirectory(prefix="bench-caches-") as caches:
                timings["cold"].append(
                    _one(project_dir, args.stage, args.python, runner, Path(caches))
                )
            shutil.rmtree(envs, ignore_errors=True)
            timings["fresh env"].append(_one(project_dir, args.stage, args.python, runner, None))
            timings["warm"].append(_one(project_dir, args.stage, args.python, runner, None))
        rows += [(label, situation, values) for situation, values in timings.items()]
    print(
        f"Project `{args.project.name}`, Django {args.stage} on Python {args.python}, "
        f"{args.repeat} runs each; {platform.platform()}, {os.cpu_count()} CPUs; "
        f"load average at the end {os.getloadavg()[0]:.1f}\n"
    )
    print(
        "| runner | situation | env setup, median (min-max) s | tests, median s | total, median s |"
    )
    print("| --- | --- | ---: | ---: | ---: |")
    for label, situation, values in rows:
        setups = [setup for _total, setup, _cmd in values]
        print(
            f"| {label} | {situation} | {statistics.median(setups):.1f} "
            f"({min(setups):.1f}-{max(setups):.1f}) "
            f"| {statistics.median(cmd for _t, _s, cmd in values):.1f} "
            f"| {statistics.median(total for total, _s, _c in values):.1f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
