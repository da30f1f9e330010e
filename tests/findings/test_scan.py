"""scan_project on small project trees: which files get which detector, and bad input."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from packaging.version import Version

from upgrader.findings import ScanError, scan_project, scan_source, settings_paths
from upgrader.project import Project, ProjectConfig, TestRunner


def make_project(
    root: Path,
    files: dict[str, str | bytes],
    *,
    settings: str | None = "proj/settings.py",
    exclude: tuple[str, ...] = (),
    template_dirs: tuple[str, ...] = (),
) -> Project:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return Project(
        root=root,
        manage_py=root / "manage.py",
        settings_module="proj.settings",
        settings_file=root / settings if settings else None,
        django_version=Version("2.2.28"),
        django_requirements=(),
        python_version="3.8",
        python_declarations=(),
        test_runner=TestRunner("django", ("python", "manage.py", "test")),
        config=ProjectConfig(exclude=exclude),
        template_dirs=tuple(root / d for d in template_dirs),
    )


SETTINGS = "USE_L10N = True\nDEFAULT_AUTO_FIELD = 'django.db.models.AutoField'\nUSE_TZ = False\n"


def locations(project: Project) -> set[tuple[str, int, str]]:
    return {(f.file, f.line, f.id) for f in scan_project(project).findings}


def test_each_kind_of_file_gets_its_detector(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "manage.py": "import os\n",
            "proj/__init__.py": "",
            "proj/settings.py": SETTINGS,
            "proj/urls.py": "from django.conf.urls import url\n",
            "shop/views.py": "def v(request):\n    return request.is_ajax()\n",
            "shop/templates/shop/base.html": "{% load staticfiles %}\n",
            "requirements.txt": "Django==2.2.28  # {% load staticfiles %}\n",
            "shop/other.py": "USE_L10N = True\n",  # not settings: no settings finding
        },
    )
    assert locations(project) == {
        ("proj/settings.py", 1, "use-l10n"),
        ("proj/urls.py", 1, "conf-urls-url"),
        ("shop/views.py", 2, "is-ajax"),
        ("shop/templates/shop/base.html", 1, "staticfiles-template-library"),
    }


def test_template_dirs_from_settings_are_scanned(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "proj/settings.py": SETTINGS.replace("USE_L10N = True\n", ""),
            "ui/page.html": "{{ x|length_is:2 }}",
        },
        template_dirs=("ui",),
    )
    assert locations(project) == {("ui/page.html", 1, "length-is")}


def test_absent_settings_are_judged_over_the_settings_package(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "proj/__init__.py": "",
            "proj/settings/__init__.py": "from .base import *\n",
            "proj/settings/base.py": "USE_TZ = True\n",
            "proj/settings/production.py": "from .base import *\nDEBUG = False\n",
        },
        settings="proj/settings/__init__.py",
    )
    assert locations(project) == {("proj/settings/__init__.py", 1, "default-auto-field-unset")}
    assert [p.name for p in settings_paths(project)] == ["__init__.py", "base.py", "production.py"]


def test_sibling_settings_modules_are_settings(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "proj/settings.py": SETTINGS.replace("USE_L10N = True\n", ""),
            "proj/test_settings.py": "from .settings import *\nSTATICFILES_STORAGE = 'x.S'\n",
            "proj/views.py": "STATICFILES_STORAGE = 'not a setting'\n",
        },
    )
    assert locations(project) == {("proj/test_settings.py", 2, "storages-settings")}


def test_unresolvable_star_import_suppresses_absence_findings(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"proj/settings.py": "from company_defaults import *\n"})
    assert locations(project) == set()


def test_no_settings_module_means_no_settings_findings(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"app.py": "USE_L10N = True\n"}, settings=None)
    assert locations(project) == set()


def test_bad_files_are_skipped_with_a_reason_and_the_scan_goes_on(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "proj/settings.py": SETTINGS,
            "legacy/py2.py": "import django\nprint 'hello'\n",
            "legacy/latin.py": b"import django\nname = '\xe9'\n",
            "legacy/nul.py": b"import django\x00\n",
            "shop/templates/bad.html": b"{% load staticfiles %}\xff\xfe",
            "shop/views.py": "from django.shortcuts import render_to_response\n",
        },
    )
    result = scan_project(project)
    reasons = {
        path.relative_to(tmp_path).as_posix(): reason
        for path, reason in ((s.path, s.reason) for s in result.skipped)
    }
    assert set(reasons) == {
        "legacy/py2.py",
        "legacy/latin.py",
        "legacy/nul.py",
        "shop/templates/bad.html",
    }
    assert "syntax error at line 2" in reasons["legacy/py2.py"]
    assert "exclude" in reasons["legacy/py2.py"]
    assert "UTF-8" in reasons["legacy/latin.py"]
    assert ("shop/views.py", 1, "render-to-response") in {
        (f.file, f.line, f.id) for f in result.findings
    }


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_is_skipped(tmp_path: Path) -> None:
    project = make_project(
        tmp_path, {"proj/settings.py": SETTINGS, "shop/locked.py": "import django\n"}
    )
    locked = tmp_path / "shop/locked.py"
    locked.chmod(0)
    try:
        result = scan_project(project)
    finally:
        locked.chmod(0o644)
    assert [s.path for s in result.skipped] == [locked.resolve()]
    assert "permissions" in result.skipped[0].reason


def test_excluded_files_are_not_scanned(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {"proj/settings.py": SETTINGS, "vendor/old.py": "from django.utils import six\n"},
        exclude=("vendor/*",),
    )
    assert {f.file for f in scan_project(project).findings} == {"proj/settings.py"}


def test_progress_reports_every_file(tmp_path: Path) -> None:
    project = make_project(
        tmp_path, {"proj/settings.py": SETTINGS, "a.py": "x = 1\n", "b/templates/t.html": "hi"}
    )
    calls: list[tuple[int, int]] = []
    result = scan_project(project, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert result.files_scanned == 3


def test_findings_are_sorted_and_grouped(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "proj/settings.py": SETTINGS,
            "b.py": "from django.utils import six\nfrom django.utils.six import text_type\n",
            "a.py": "from django.utils import six\n",
        },
    )
    result = scan_project(project)
    assert [f.file for f in result.findings] == sorted(f.file for f in result.findings)
    assert len(result.by_id()["utils-six"]) == 3


def test_scan_source_raises_a_user_error_for_bad_python() -> None:
    with pytest.raises(ScanError, match="syntax error at line 1") as info:
        scan_source("def (:\n", "app/broken.py")
    assert info.value.hint


def test_project_code_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    boom = f"open({str(marker)!r}, 'w').close()\nraise SystemExit('imported!')\n"
    project = make_project(
        tmp_path,
        {
            "proj/settings.py": boom + "USE_L10N = True\n",
            "shop/views.py": boom + "from django.conf.urls import url\n",
        },
    )
    assert {f.id for f in scan_project(project).findings} >= {"use-l10n", "conf-urls-url"}
    assert not marker.exists()


def test_symlink_leaving_the_project_is_skipped(tmp_path: Path) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text("from django.utils import six\n")
    root = tmp_path / "project"
    project = make_project(root, {"proj/settings.py": SETTINGS})
    (root / "linked.py").symlink_to(outside)
    result = scan_project(project)
    assert {f.file for f in result.findings} == {"proj/settings.py"}
    assert [s.path.name for s in result.skipped] == ["linked.py"]
    assert "outside the project" in result.skipped[0].reason


def test_finding_str_is_file_line_col() -> None:
    [finding] = scan_source("import pytz\n", "app/tz.py")
    assert str(finding) == "app/tz.py:1:1: pytz imports `pytz`"


def _deep_expression(terms: int) -> str:
    return "from django.conf.urls import url\nX = " + " + ".join(["1"] * terms) + "\n"


@pytest.mark.parametrize(
    "terms",
    [
        pytest.param(1_000, id="parses-but-too-deep-to-walk"),
        pytest.param(100_000, id="too-deep-to-parse"),
    ],
)
def test_deeply_nested_module_is_skipped_naming_it(tmp_path: Path, terms: int) -> None:
    project = make_project(
        tmp_path,
        {
            "proj/settings.py": SETTINGS,
            "proj/local_settings.py": _deep_expression(terms),  # a settings file too
            "gen/table.py": _deep_expression(terms),
            "shop/views.py": "from django.shortcuts import render_to_response\n",
        },
    )
    result = scan_project(project)
    reasons = {s.path.relative_to(tmp_path).as_posix(): s.reason for s in result.skipped}
    assert set(reasons) == {"gen/table.py", "proj/local_settings.py"}
    assert "nested too deeply" in reasons["gen/table.py"]
    assert "exclude" in reasons["gen/table.py"]
    assert ("shop/views.py", 1, "render-to-response") in {
        (f.file, f.line, f.id) for f in result.findings
    }
    with pytest.raises(ScanError, match="nested too deeply"):
        scan_source(_deep_expression(terms), "gen/table.py")


def test_symlink_loops_in_the_tree_and_among_settings_are_skipped(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"proj/settings.py": SETTINGS})
    (tmp_path / "proj" / "a.py").symlink_to("b.py")
    (tmp_path / "proj" / "b.py").symlink_to("a.py")
    (tmp_path / "proj" / "local_settings.py").symlink_to("local_settings.py")
    result = scan_project(project)
    assert {s.path.name for s in result.skipped} == {"a.py", "b.py", "local_settings.py"}
    assert all("symlink loop" in s.reason for s in result.skipped)
    assert [p.name for p in settings_paths(project)] == ["settings.py"]


def test_logout_links_follow_the_urlconf(tmp_path: Path) -> None:
    """Plan and walk agree: only names the URLconf routes to LogoutView (or cannot place)."""
    project = make_project(
        tmp_path,
        {
            "proj/__init__.py": "",
            "proj/settings.py": SETTINGS + "ROOT_URLCONF = 'proj.urls'\n",
            "proj/urls.py": (
                "from django.contrib.auth.views import LogoutView\n"
                "from django.urls import include, path\n"
                "urlpatterns = [\n"
                "    path('out/', LogoutView.as_view(), name='logout'),\n"
                "    path('c/', include('customer.urls')),\n"
                "]\n"
            ),
            "customer/__init__.py": "",
            "customer/urls.py": (
                "from django.urls import path\n"
                "from django.views.generic import RedirectView\n"
                "app_name = 'customer'\n"
                "urlpatterns = [path('bye/', RedirectView.as_view(url='/'), name='logout')]\n"
            ),
            "shop/templates/base.html": (
                "<a href=\"{% url 'logout' %}\">x</a>\n"
                "<a href=\"{% url 'customer:logout' %}\">y</a>\n"
                "<a href=\"{% url 'other:logout' %}\">z</a>\n"
            ),
        },
    )
    found = {(f.file, f.line) for f in scan_project(project).findings if f.id == "logout-get"}
    assert found == {("shop/templates/base.html", 1), ("shop/templates/base.html", 3)}
