"""`rewrite` and `step` end with one line to read at a glance: files, rules, manual items, tests.

The rewrite command's manual items are what its rewrites leave (the same judgement as the plan's,
``plan.stages.hop_findings``), so a user can set them against the plan's.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.report.helpers import sample_report
from upgrader.cli import _step_totals, main
from upgrader.report import report_totals, totals_line, versus_baseline
from upgrader.step import HopState


def test_totals_line_counts_with_plurals() -> None:
    assert totals_line(files=1, rules=2, manual=0, tests="not run") == (
        "Totals: 1 file changed, 2 rules fired, 0 manual items open; tests not run"
    )
    assert totals_line(files=3, rules=1, manual=1, tests="x", dry_run=True).startswith(
        "Totals: 3 files would change, 1 rule fired, 1 manual item open;"
    )


def test_report_totals_count_every_file_the_hop_changed() -> None:
    report = sample_report()  # 3 rewritten files, requirements.txt, 3 rules, 2+ manual items
    line = report_totals(report, extra_files=("polls/migrations/0002_auto.py",))
    assert line == (
        f"Totals: 5 files changed, 3 rules fired, {len(report.manual)} manual items open; "
        "tests 43 passed (baseline: 42 passed, 1 skipped)"
    )
    assert versus_baseline(report.tests_before, None) == "not run"
    assert "(baseline: none)" in versus_baseline(None, report.tests_after)


def _project(root: Path) -> None:
    files = {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_cfg.settings')\n",
        "requirements.txt": "Django==4.2.16\n",
        ".python-version": "3.10\n",
        "site_cfg/__init__.py": "",
        "site_cfg/settings.py": "SECRET_KEY = 'x'\nUSE_TZ = True\n"
        "DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'\n",
        "shop/__init__.py": "",
        # automatic: django-upgrade's utils_timezone; manual: a Sitemap without protocol (5.0)
        "shop/views.py": "from django.contrib.sitemaps import Sitemap\n"
        "from django.utils.timezone import utc\n\n"
        "class Pages(Sitemap):\n    pass\n\n\n"
        "UTC = utc\n",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry-run", "write"])
def test_rewrite_ends_with_totals_and_lists_what_is_left(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], dry_run: bool
) -> None:
    root = tmp_path / "proj"
    _project(root)
    before = (root / "shop" / "views.py").read_text()
    argv = ["rewrite", str(root), "--to", "5.2", *(["--dry-run"] if dry_run else [])]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    verb = "would change" if dry_run else "changed"
    assert lines[-1].startswith(f"Totals: 1 file {verb}, ")
    assert lines[-1].endswith(
        "1 manual item open; tests not run (rewrite only: `upgrader step` runs them)"
    )
    assert any(line.startswith("manual: shop/views.py:4: Sitemaps") for line in lines), err
    after = (root / "shop" / "views.py").read_text()
    if dry_run:
        assert after == before and "+UTC = dt.timezone.utc" in out
    else:
        assert "utc" not in after.replace("timezone.utc", "")
    # The plan lists the same manual item for the hop that needs it.
    assert main(["plan", str(root), "--to", "5.2", "--no-dependencies", "--format", "json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    planned = [(m["file"], m["line"], m["id"]) for h in plan["hops"] for m in h["manual"]]
    assert planned == [("shop/views.py", 4, "sitemap-protocol-https")]


def test_step_totals_come_from_the_saved_hop(tmp_path: Path) -> None:
    report = sample_report()
    hop = HopState(
        source="2.2",
        target="3.2",
        python_from="3.8",
        python="3.10",
        git=True,
        branch="upgrade/django-3.2",
        base_commit="0123456789ab",
        base_branch="main",
        started="2026-01-01T00:00:00Z",
        dependency_files=("requirements.txt",),
        rewrites=report.rewrites,
        files=report.files,
        manual=report.manual[:1],
        migrations=("polls/migrations/0002_auto.py",),
        tests_before=None,
        tests_after={"green": False, "error": "tox failed", "failures": []},
    )
    assert _step_totals(tmp_path, hop) == (
        "Totals: 5 files changed, 3 rules fired, 1 manual item open; tests not run"
    )
