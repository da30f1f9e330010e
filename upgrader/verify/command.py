"""``upgrader verify [PATH] [--stage X.Y]``: run one stage by hand, judge it, render it.

``run_verify`` does the work and returns a ``VerifyResult`` (the run, the baseline it was judged
against, the failures it adds); ``render_text`` / ``render_json`` turn that into output; the CLI
prints one and returns ``result.exit_code`` (0 green or nothing new failing, 1 otherwise).

``render_json`` prints a document with ``schema: 1`` that ``upgrader/schema/verify-1.schema.json``
describes (the same ``run`` object is kept beside each log).

Files written, all in ``.upgrader/``: ``tox.ini``, ``logs/<env>-<time>.log`` with
``logs/<env>-<time>.json`` (the ``TestRun`` beside its log), and ``baseline.json`` with
``--accept-failing`` (committed with the hop, so a reviewer sees which failures were accepted).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from upgrader import __version__
from upgrader.errors import StateError, UsageError, VerifyError
from upgrader.files import write_text_atomic
from upgrader.interpreters import Interpreter
from upgrader.project import Project, detect_project
from upgrader.releases import Release, get_release, parse_version
from upgrader.state import ensure_state_dir
from upgrader.verify.baseline import Baseline, fixed_since, new_failures, passes
from upgrader.verify.deprecations import PROJECT, group_by_release
from upgrader.verify.run import DEFAULT_TIMEOUT, TestRun, ToxInvocation, verify_stage

BASELINE_FILE = "baseline.json"
# The version of the document ``render_json`` prints (upgrader/schema/verify-1.schema.json).
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class VerifyResult:
    """A stage's run judged against the baseline (None when no failure was ever accepted)."""

    run: TestRun
    baseline: Baseline | None
    new_failures: tuple[str, ...]
    fixed: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Green, or failing only where the baseline accepts it (``baseline.passes``)."""
        return passes(self.run, self.baseline)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def to_json(self) -> dict[str, object]:
        """The document ``verify --format json`` prints (``upgrader/schema/verify-1.schema.json``)."""
        return {
            "schema": SCHEMA_VERSION,
            "tool": __version__,
            "run": self.run.to_json(),
            "baseline": self.baseline.to_json() if self.baseline else None,
            "new_failures": list(self.new_failures),
            "fixed": list(self.fixed),
            "ok": self.ok,
        }


def baseline_path(root: Path) -> Path:
    return root / ".upgrader" / BASELINE_FILE


def load_baseline(root: Path) -> Baseline | None:
    path = baseline_path(root)
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise StateError(
            f"{path} is not a readable baseline ({exc})",
            hint="Delete it and run `upgrader verify --accept-failing` to record it again.",
            path=path,
        ) from None
    if not isinstance(data, dict):
        raise StateError(f"{path} is not a readable baseline", path=path)
    return Baseline.from_json(data)


def save_baseline(root: Path, baseline: Baseline) -> Path:
    path = baseline_path(root)
    write_text_atomic(path, json.dumps(baseline.to_json(), indent=2) + "\n")
    return path


def stage_release(project: Project, stage: str | None) -> Release:
    """The release ``--stage`` names, or the project's current Django without it."""
    version = parse_version(stage) if stage else project.django_version
    release = get_release(version)
    if release is None:
        raise UsageError(
            f"Django {version} is not a stage upgrader knows",
            hint="Pass --stage with a feature release such as 2.2, 4.2 or 5.2.",
        )
    return release


def run_verify(
    path: Path,
    stage: str | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    accept_failing: bool = False,
    python: Interpreter | None = None,
    tox: ToxInvocation | None = None,
) -> VerifyResult:
    """Run ``stage`` (default: the project's current Django) and judge it against the baseline.

    With ``accept_failing`` the run's failing tests become the baseline (``.upgrader/baseline.json``).
    ``python`` and ``tox`` are passed to ``verify_stage`` (an interpreter; how tox is started).
    """
    project = detect_project(path)
    release = stage_release(project, stage)
    root = project.root
    ensure_state_dir(root)
    run = verify_stage(project, release, timeout=timeout, python=python, tox=tox)
    write_text_atomic(run.log.with_suffix(".json"), json.dumps(run.to_json(), indent=2) + "\n")
    baseline = load_baseline(root)
    if accept_failing:
        if not run.failing and not run.green:
            raise VerifyError(
                f"Django {release.name}: the tests failed without a failing test id to accept "
                f"(log: {run.log})",
                hint="Read the end of the log; --accept-failing records failing tests only.",
                path=run.log,
            )
        baseline = Baseline.from_run(run)
        save_baseline(root, baseline)
    fixed = fixed_since(baseline, run) if baseline else ()
    return VerifyResult(run, baseline, new_failures(baseline, run), fixed)


def _counts(run: TestRun) -> str:
    parts = [f"{run.passed} passed", f"{run.failed} failed", f"{run.errors} errors"]
    parts.append(f"{run.skipped} skipped")
    took = f" in {run.duration:g}s" if run.duration is not None else ""
    return ", ".join(parts) + took


def render_text(result: VerifyResult, *, limit: int = 20) -> str:
    """The human report: counts, failing tests, deprecation warnings by release, the log.

    At most ``limit`` warnings are listed per release (project code first).
    """
    run = result.run
    verdict = "green" if run.green else ("accepted failures only" if result.ok else "FAILING")
    lines = [
        f"Django {run.stage} on Python {run.python} ({run.runner}, tox env {run.env}): {verdict}",
        f"  {_counts(run)}; environment and run took {run.elapsed:.1f}s",
    ]
    if run.total == 0:
        lines.append("  no tests ran: check the test command and the test discovery settings")
    if run.failing:
        lines.append("Failing tests:")
        accepted = result.baseline.failing if result.baseline else frozenset()
        for test in run.failing:
            lines.append(f"  {test}" + ("  (accepted in the baseline)" if test in accepted else ""))
    if result.fixed:
        lines.append("Accepted failures that pass now:")
        lines += [f"  {test}" for test in result.fixed]
    if run.warnings:
        project_count = sum(1 for w in run.warnings if w.origin == PROJECT)
        lines.append(
            f"Deprecation warnings: {len(run.warnings)} distinct "
            f"({project_count} in the project, {len(run.warnings) - project_count} in third-party code)"
        )
        for release, findings in group_by_release(run.warnings).items():
            title = (
                f"removed in Django {release}"
                if release[0].isdigit()
                else "not tied to a Django release"
            )
            lines.append(f"  {title}:")
            for finding in findings[:limit]:
                lines.append(
                    f"    [{finding.origin}] {finding.location}: {finding.category}: {finding.message}"
                )
            if len(findings) > limit:
                lines.append(
                    f"    ... and {len(findings) - limit} more (all of them: --format json)"
                )
    else:
        lines.append("Deprecation warnings: none")
    lines.append(f"Log: {run.log}")
    return "\n".join(lines) + "\n"


def render_json(result: VerifyResult) -> str:
    return json.dumps(result.to_json(), indent=2) + "\n"
