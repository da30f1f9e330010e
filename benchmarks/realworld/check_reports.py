"""Check that every hop report of a walked project is true (issue 20): its dependency table is
the stage environment's installed set, and its commit list is the hop branch's commits.

Usage (from the repository root, on a project a walk left, e.g. ``/tmp/walk/locallibrary``):

    .venv/bin/python benchmarks/realworld/check_reports.py PROJECT_DIR [--json]

For each hop in ``PROJECT_DIR/.upgrader/state.json`` (the finished ones and the one under way)
it reads the hop's ``report.json`` as the tip of its branch ``upgrade/django-X.Y`` has it, and

- **dependencies**: the stage environment ``.upgrader/cache/tox/djangoNN`` is read with
  ``uv pip freeze``; each table row whose package the environment has must show the installed
  version as ``chosen``; a row naming a release the environment does not have is a mismatch; so
  is a package the branch's requirement files declare (``upgrader.detect.requirements``, read
  from a ``git archive`` of the branch tip) that the table does not list, when the environment
  has it;
- **commits**: the report lists every commit of ``base_commit..R^``, where R is the commit that
  last wrote the report on the branch (a report cannot name its own commit); commits after R on
  the branch are named as not in the report (``upgrader status`` calls them unverified);
- **agreement**: the rendered ``report.md`` names the same versions as ``report.json``.

Prints one line per mismatch, then a summary; exit 1 when any mismatch was found. A stage
environment that is gone (a later walk deleted it) is said so and its table is not checked.
A stage environment is shared by the hop that targets it and the baseline of the next hop; the
check reads it as it is at the end of the walk.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from upgrader.detect.requirements import read_declared  # noqa: E402
from upgrader.releases import get_release  # noqa: E402
from upgrader.verify.toxconfig import env_name  # noqa: E402


@dataclass
class HopCheck:
    target: str
    branch: str
    rows: int = 0
    installed: int = 0
    commits: int = 0
    mismatches: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def git(root: Path, *args: str, check: bool = True) -> str:
    result = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout


def freeze(env: Path) -> dict[str, str] | None:
    """Canonical name -> version installed in the environment ``env`` (path installs left out);
    None when there is no environment."""
    python = env / "bin" / "python"
    if not python.exists():
        return None
    uv = shutil.which("uv") or str(REPO / ".venv" / "bin" / "uv")
    out = subprocess.run(
        [uv, "pip", "freeze", "--python", str(python)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found: dict[str, str] = {}
    for line in out.splitlines():
        name, sep, version = line.strip().partition("==")
        if sep and " @ " not in line and not line.startswith("-e"):
            found[canonicalize_name(name)] = version.strip()
    return found


def declared_names(top: Path, sha: str, rel: str) -> set[str]:
    """The packages the project declares at commit ``sha`` (its folder ``rel`` in the repo),
    read from a ``git archive`` of that commit: the walked repository is only read."""
    with tempfile.TemporaryDirectory(prefix="check-reports-") as tmp:
        tree = Path(tmp)
        archive = subprocess.run(
            ["git", "-C", str(top), "archive", "--format=tar", sha], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        subprocess.run(["git", "init", "-q", str(tree)], check=True)  # read_declared looks for it
        declared = read_declared(tree / rel if rel else tree)
        return {r.name for r in declared.requirements if r.name}


def check_hop(root: Path, hop: dict[str, Any], top: Path) -> HopCheck:
    target, branch = hop["to"], hop.get("branch") or ""
    result = HopCheck(target, branch)
    rel = root.resolve().relative_to(top.resolve()).as_posix()
    rel = "" if rel == "." else rel
    report_path = f"{rel + '/' if rel else ''}.upgrader/reports/django-{target}/report.json"
    if not branch or not git(root, "rev-parse", "--verify", "-q", branch, check=False).strip():
        result.notes.append(f"no branch {branch!r}: not checked")
        return result
    text = git(top, "show", f"{branch}:{report_path}", check=False)
    if not text and hop.get("status") == "in-progress":
        result.notes.append("the hop is under way: no report yet")
        return result
    if not text:
        result.mismatches.append(f"{branch} has no {report_path}")
        return result
    report = json.loads(text)
    rows = report["dependencies"]
    result.rows = len(rows)

    # -- dependencies against the stage env
    release = get_release(target)
    assert release is not None, target
    env = root / ".upgrader" / "cache" / "tox" / env_name(release)
    installed = freeze(env)
    if installed is None:
        result.notes.append(f"no stage environment {env}: dependency table not checked")
    else:
        result.installed = len(installed)
        listed = set()
        for row in rows:
            name = canonicalize_name(row["name"])
            listed.add(name)
            have, chosen = installed.get(name), row["chosen"]
            if have is None and chosen is not None:
                result.mismatches.append(
                    f"{target}: {row['name']} {chosen} in the table, not installed in {env.name}"
                )
            elif have is not None and chosen != have:
                result.mismatches.append(
                    f"{target}: {row['name']} {row['current']} -> {chosen} in the table, "
                    f"{have} installed in {env.name}"
                )
        declared = declared_names(top, branch, rel)
        for name in sorted(declared - listed):
            if name in installed:
                result.mismatches.append(
                    f"{target}: {name} is declared and installed ({installed[name]}) but not "
                    "in the table"
                )

    # -- commits against the branch
    last_report = git(top, "log", "-1", "--format=%H", branch, "--", report_path).strip()
    base = report["base_commit"]
    expected = git(top, "rev-list", "--reverse", f"{base}..{last_report}^").split()
    listed_shas = [c["sha"] for c in report["commits"]]
    result.commits = len(listed_shas)
    for sha in expected:
        if sha not in listed_shas:
            subject = git(top, "log", "-1", "--format=%s", sha).strip()
            result.mismatches.append(f"{target}: commit {sha[:10]} {subject!r} not in the report")
    for sha in listed_shas:
        if sha not in expected:
            result.mismatches.append(
                f"{target}: the report lists {sha[:10]}, not on {branch} before the report"
            )
    if listed_shas != [s for s in expected if s in listed_shas]:
        result.mismatches.append(f"{target}: the report's commits are not in the branch's order")
    after = git(top, "rev-list", f"{last_report}..{branch}").split()
    if after:
        result.notes.append(f"{len(after)} commit(s) on {branch} after its report (unverified)")

    # -- report.md says what report.json says
    markdown = git(top, "show", f"{branch}:{report_path[: -len('json')]}md", check=False)
    for row in rows:
        if row["chosen"] and f"{row['chosen']}" not in markdown:
            result.mismatches.append(
                f"{target}: report.md does not show {row['name']} {row['chosen']}"
            )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--json", action="store_true", help="print the checks as JSON")
    args = parser.parse_args()
    root: Path = args.project.resolve()
    state = json.loads((root / ".upgrader" / "state.json").read_text())
    hops = [*state.get("history", []), *([state["current"]] if state.get("current") else [])]
    top = Path(git(root, "rev-parse", "--show-toplevel").strip())
    checks = [check_hop(root, hop, top) for hop in hops]
    if args.json:
        print(json.dumps([c.__dict__ for c in checks], indent=1))
    for c in checks:
        print(
            f"{c.target} ({c.branch}): {c.rows} table row(s), {c.installed} installed, "
            f"{c.commits} commit(s) listed: {len(c.mismatches)} mismatch(es)"
        )
        for line in (*c.mismatches, *(f"note: {n}" for n in c.notes)):
            print(f"  {line}")
    bad = sum(len(c.mismatches) for c in checks)
    print(f"{len(checks)} hop(s), {bad} mismatch(es)")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
