"""FINDINGS F76: ``admin-each-context-log-entries``: a test building a render context with
``AdminSite.each_context()`` compares a ``log_entries`` QuerySet from Django 5.0 on
(simple-history's ``test_history_form_view_*``, 5 failures on 5.2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.findings.test_scan import SETTINGS, make_project
from upgrader.findings import get, scan_source
from upgrader.hops import hop_path
from upgrader.plan.stages import hop_findings

ID = "admin-each-context-log-entries"
# django-simple-history's simple_history/tests/tests/test_admin.py (57507748, lines 470-480)
TEST = """\
from unittest.mock import ANY, patch

from django.contrib.admin import AdminSite
from django.test import TestCase


class AdminSiteTest(TestCase):
    def test_history_form_view_without_getting_history(self):
        admin_site = AdminSite()
        context = {"original": poll, "is_popup": False}
        context.update(admin_site.each_context(request))
        mock_render.assert_called_once_with(request, template_name="t.html", context=context)
"""


def hits(source: str, filename: str = "app/tests/test_admin.py") -> list[int]:
    return [f.line for f in scan_source(source, filename) if f.id == ID]


def test_each_context_in_a_test_is_an_item() -> None:
    assert hits(TEST) == [11]
    entry = get(ID)
    assert not entry.automatic and entry.removed_in == "5.0" and "ANY" in entry.suggestion


@pytest.mark.parametrize(
    ("source", "filename"),
    [
        pytest.param(TEST, "app/admin.py", id="not a test file"),
        pytest.param(
            TEST.replace('"is_popup": False}', '"is_popup": False, "log_entries": ANY}'),
            "app/tests/test_admin.py",
            id="upstream's fix (e8cc2b2): log_entries as ANY",
        ),
        pytest.param(
            TEST.replace(
                "        mock_render", '        context["log_entries"] = ANY\n        mock_render'
            ),
            "app/tests/test_admin.py",
            id="log_entries set afterwards",
        ),
    ],
)
def test_no_item(source: str, filename: str) -> None:
    assert hits(source, filename) == []


def test_the_plan_lists_it_on_the_hop_crossing_5_0_only(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "proj/__init__.py": "",
        "proj/settings.py": SETTINGS,
        "app/__init__.py": "",
        "app/tests/__init__.py": "",
        "app/tests/test_admin.py": TEST,
    }
    project = make_project(tmp_path, files)
    ids = {}
    for hop in hop_path(project.django_version, "3.10", to="5.2", via="lts"):
        found, _ = hop_findings(project, hop)
        ids[hop.target.name] = {f.id for f in found.breaking}
    assert [name for name, found in ids.items() if ID in found] == ["5.2"], ids
