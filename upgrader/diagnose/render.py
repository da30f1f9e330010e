"""A diagnosis as terminal text and as Markdown (``diagnosis.md``); pure functions."""

from __future__ import annotations

from upgrader.diagnose.model import Cause, Diagnosis
from upgrader.findings.catalogue import get


def _tests(tests: tuple[str, ...], limit: int = 5) -> str:
    shown = ", ".join(tests[:limit]) + (
        f" and {len(tests) - limit} more" if len(tests) > limit else ""
    )
    return ("test " if len(tests) == 1 else "tests ") + shown


def cause_line(cause: Cause) -> str:
    """One cause in one sentence: which tests, which change, where the traceback ends."""
    what = " + ".join(c.label for c in cause.changes) or "the hop"
    kind = " (rule-free)" if cause.rule_free else ""
    verb = "fails" if len(cause.tests) == 1 else "fail"
    line = f"{_tests(cause.tests)} {verb} because of {what}{kind}"
    if not cause.isolated:
        line += f" (not narrowed further: {cause.note or 'the budget ran out'})"
    elif cause.note:
        line += f" ({cause.note})"
    frames = dict(cause.frames)
    places = sorted({f"{f.file}:{f.line}" for f in frames.values()})
    if places:
        line += f"; the traceback's last project frame is {', '.join(places[:3])}"
    errors = sorted({f.error for f in frames.values() if f.error})
    if errors:
        line += f" ({errors[0]})"
    if cause.catalogue:
        line += "; catalogue: " + ", ".join(
            f"{i} ({get(i).summary}, {get(i).docs})" for i in cause.catalogue
        )
    return line


def _summary(diagnosis: Diagnosis) -> str:
    ratio = (
        f", {diagnosis.elapsed / diagnosis.reference:.1f}x the hop's test run"
        if diagnosis.reference
        else ""
    )
    spent = "; the budget ran out" if diagnosis.budget_spent else ""
    return (
        f"Django {diagnosis.source} -> {diagnosis.target}: {len(diagnosis.failing)} failing "
        f"test(s), {len(diagnosis.causes)} cause(s) found in {len(diagnosis.trials)} trial(s), "
        f"{diagnosis.elapsed:.1f}s{ratio}{spent}"
    )


def render_text(diagnosis: Diagnosis) -> str:
    lines = [_summary(diagnosis)]
    lines += [f"  {cause_line(cause)}" for cause in diagnosis.causes]
    if diagnosis.unexplained:
        lines.append(
            f"  {_tests(diagnosis.unexplained)}: no trial reproduced the failure (flaky, or caused "
            "by the migrations phase)"
        )
    for item in diagnosis.reverted:
        lines.append(
            f"  reverted {', '.join(item.rules) or 'the rewrite'} in {item.file}"
            + (f" [{item.commit[:10]}]" if item.commit else "")
            + ": now a manual item; `upgrader step --continue` runs the tests again"
        )
    if diagnosis.report_dir:
        lines.append(f"Diagnosis: {diagnosis.report_dir}/diagnosis.md")
    return "\n".join(lines) + "\n"


def render_markdown(diagnosis: Diagnosis) -> str:
    lines = [
        f"# Diagnosis of Django {diagnosis.source} -> {diagnosis.target}",
        "",
        _summary(diagnosis),
        "",
    ]
    for cause in diagnosis.causes:
        lines += [f"- {cause_line(cause)}"]
        for change in cause.changes:
            if change.diff:
                lines += ["", "  ```diff", *(f"  {d}" for d in change.diff.splitlines()), "  ```"]
    if diagnosis.unexplained:
        lines += ["", f"Not reproduced by any trial: {', '.join(diagnosis.unexplained)}"]
    if diagnosis.reverted:
        lines += ["", "## Reverted (manual items now)", ""]
        lines += [
            f"- {', '.join(r.rules) or 'the rewrite'} in {r.file}"
            + (f" (commit {r.commit[:10]})" if r.commit else "")
            + f": broke {', '.join(r.tests)}"
            for r in diagnosis.reverted
        ]
    lines += [
        "",
        "## Trials",
        "",
        "| dependencies | files | tests | result | seconds |",
        "| --- | --- | --- | --- | --- |",
    ]
    for trial in diagnosis.trials:
        result = (
            f"cannot run: {trial.why}"
            if trial.failing is None
            else (f"red: {', '.join(trial.failing)}" if trial.failing else "green")
        )
        lines.append(
            f"| {', '.join(trial.dependencies) or '-'} | {', '.join(trial.files) or '-'} | "
            f"{len(trial.tests)} | {result.replace('|', '/')} | {trial.elapsed:.1f} |"
        )
    return "\n".join(lines) + "\n"
