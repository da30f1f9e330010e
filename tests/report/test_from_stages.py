"""A report built from the real stages' outputs: the converters fit what the stages return."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from packaging.version import Version

import upgrader.report as report_module
from tests.report.helpers import parse
from upgrader.hops import Hop
from upgrader.plan.stages import rewrite_counts
from upgrader.project import Project, TestRunner
from upgrader.releases import get_release
from upgrader.report import StepReport, file_diffs, warning_items, write_reports
from upgrader.report.html import render_html
from upgrader.report.markdown import render_markdown
from upgrader.rewrite import rewrite_project
from upgrader.verify.deprecations import parse_warnings
from upgrader.verify.model import TestRun

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "upgrader/schema/report-1.schema.json").read_text()
)

VIEWS = (
    "from django.utils.translation import ugettext as _\n"
    "\n"
    "\n"
    "def view(request):\n"
    "    if request.is_ajax():\n"
    "        return _('x')\n"
    "\n"
    "\n"
    "class Mixin(object):\n"
    "    pass\n"
)


def _project(root: Path) -> Project:
    (root / "app").mkdir(parents=True)
    (root / "app" / "views.py").write_text(VIEWS, encoding="utf-8")
    (root / "app" / "plain.py").write_text("x = 1\n", encoding="utf-8")
    return Project(
        root=root,
        manage_py=None,
        settings_module=None,
        settings_file=None,
        django_version=Version("2.2"),
        django_requirements=(),
        python_version="3.8",
        python_declarations=(),
        test_runner=TestRunner("django", ("python", "manage.py", "test")),
    )


def test_report_from_a_real_rewrite_and_a_real_warning_log(tmp_path: Path) -> None:
    root = (tmp_path / "site").resolve()
    project = _project(root)
    source, target = get_release("2.2"), get_release("3.2")
    assert source is not None and target is not None
    result = rewrite_project(
        project, Hop(source, target, "3.8", "3.8"), write=False, jobs=1, cache_dir=tmp_path / "c"
    )
    assert result.changes, "the rewrite stage changed nothing: the fixture no longer exercises it"

    log = root / ".upgrader" / "logs" / "django32.log"
    log.parent.mkdir(parents=True)
    log_text = (
        f"{root}/app/views.py:6: RemovedInDjango40Warning: ugettext() is deprecated.\n"
        "/venv/lib/python3.8/site-packages/rest_framework/x.py:3: DeprecationWarning: old\n"
        "Ran 3 tests\nOK\n"
    )
    log.write_text(log_text, encoding="utf-8")
    run = TestRun(
        stage="3.2", env="django32", python="3.8.18", runner="django",
        command=("python", "manage.py", "test"), passed=3, failed=0, errors=0, skipped=0,
        failures=(), error_ids=(), warnings=parse_warnings(log_text, root), duration=0.5,
        elapsed=4.0, log=log, exit_code=0,
    )  # fmt: skip

    files = file_diffs(result, root)
    report = StepReport(
        tool="test",
        project=str(root),
        source="2.2",
        target="3.2",
        python_from="3.8",
        python="3.8",
        branch="upgrade/django-3.2",
        base_commit="abcdef0",
        started="2026-11-21T10:00:00+00:00",
        finished="2026-11-21T10:01:00+00:00",
        status=report_module.DONE,
        rewrites=rewrite_counts(project, result),
        files=files,
        tests_after=report_module.test_summary(run, root=root),
        warnings=warning_items(run),
    )

    paths = write_reports(report, report_module.report_dir(root, "3.2"))
    jsonschema.validate(json.loads(paths.json.read_text(encoding="utf-8")), SCHEMA)

    assert [f.path for f in files] == ["app/views.py"]
    (views,) = files
    assert views.added == views.removed > 0
    assert views.diff.startswith("--- a/app/views.py\n+++ b/app/views.py\n")
    assert report.tests_after is not None
    assert report.tests_after.log == ".upgrader/logs/django32.log"
    assert [(w.file, w.origin, w.removed_in) for w in report.warnings] == [
        ("app/views.py", "project", "4.0"),
        ("rest_framework/x.py", "third-party", None),
    ]

    markdown = render_markdown(report)
    assert f"- `app/views.py` (+{views.added} -{views.removed}): " in markdown
    for rewrite in report.rewrites:
        assert f"`{rewrite.rule}`" in markdown
    document = parse(render_html(report))
    (details,) = document.by_id("files").iter("details")
    rows = [tr.attrs["class"] for tr in details.iter("tr")]
    assert rows.count("add") == views.added and rows.count("del") == views.removed
