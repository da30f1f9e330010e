"""A kept Django app whose installed files import a name the hop's target removed (F7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.deps.conftest import LocalIndex
from upgrader.deps.breaking import BaselineRun, hop_run, is_breaking
from upgrader.deps.plan import plan_dependencies
from upgrader.deps.removed_api import REMOVED_IMPORT, removed_imports
from upgrader.detect.requirements import read_declared
from upgrader.hops import Hop
from upgrader.plan import PlanOptions, build_plan
from upgrader.project import detect_project
from upgrader.releases import get_release
from upgrader.stage_envs import site_packages
from upgrader.verify.deprecations import THIRD_PARTY

FIELDS = """\
import datetime

from django.db import models
from django.utils.encoding import python_2_unicode_compatible
from django.utils import six
from django.utils.six.moves import range


@python_2_unicode_compatible
class ApproximateDate(object):
    pass


class ApproximateDateField(models.CharField):
    def from_db_value(self, value, expression, connection, context):
        return value


class LenientField(models.CharField):
    def from_db_value(self, value, expression, connection, context=None):
        return value
"""
SHIMS = """\
import django

try:
    from django.utils.six import text_type
except ImportError:
    text_type = str

if django.VERSION < (3, 0):
    from django.utils.encoding import python_2_unicode_compatible

try:  # django-allauth 0.47's adapter.py: the new name first, the removed one as the fallback
    from django.utils.http import url_has_allowed_host_and_scheme
except ImportError:
    from django.utils.http import is_safe_url as url_has_allowed_host_and_scheme
"""

LOADS = "from django_date_extensions.fields import ApproximateDateField\n"


def install(site: Path, name: str, version: str, files: dict[str, str]) -> None:
    """A package as an installer leaves it: its files and a ``*.dist-info`` with a RECORD."""
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    for rel, text in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text)
    record = [f"{rel},sha256=x,{len(text)}" for rel in files]
    (info / "RECORD").write_text("\n".join([*record, f"{info.name}/METADATA,,"]) + "\n")


def dead_app(root: Path, env: str = "django22") -> Path:
    site = root / f".upgrader/cache/tox/{env}/lib/python3.8/site-packages"
    install(
        site,
        "django-date-extensions",
        "3.0",
        {
            "django_date_extensions/__init__.py": "",
            "django_date_extensions/fields.py": FIELDS,
            "django_date_extensions/compat.py": SHIMS,
            "django_date_extensions/tests/test_fields.py": FIELDS,  # its tests: never imported
            "django_date_extensions/py2.py": "print 'python 2'\nfrom django.utils import six\n",
        },
    )
    install(site, "Django", "2.2.28", {"django/utils/six.py": "from django.utils import six\n"})
    return site


def test_imports_of_names_the_target_removed_are_found_with_file_line(tmp_path: Path) -> None:
    site = dead_app(tmp_path)
    assert site_packages(tmp_path, "django22") == site
    found = removed_imports(site, "2.2", "3.2")
    assert [(f.location, f.catalogue_id, f.removed_in) for f in found] == [
        ("django_date_extensions/fields.py:4", "python-2-unicode-compatible", "3.0"),
        ("django_date_extensions/fields.py:5", "utils-six", "3.0"),
        ("django_date_extensions/fields.py:6", "utils-six", "3.0"),
        ("django_date_extensions/fields.py:15", "from-db-value-context", "3.0"),
    ]
    assert found[2].message == "imports from `django.utils.six.moves`"
    assert found[3].message == "defines `from_db_value(..., context)`"
    first = found[0]
    assert (first.category, first.origin) == (REMOVED_IMPORT, THIRD_PARTY)
    assert first.message == "imports `django.utils.encoding.python_2_unicode_compatible`"


def test_only_removals_after_the_source_and_up_to_the_target_count(tmp_path: Path) -> None:
    site = dead_app(tmp_path)
    assert removed_imports(site, "2.2", "2.2") == ()  # not removed yet
    assert removed_imports(site, "3.0", "4.2") == ()  # already gone on the source: not imported
    assert removed_imports(site, "2.2", "3.2", packages=["django-other"]) == ()
    assert site_packages(tmp_path, "django32") is None


def test_the_plan_blocks_the_hop_on_a_kept_app_at_its_newest_release(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    local_index.add("Django", "3.2.25", requires_python=">=3.6")
    local_index.add("django-date-extensions", "3.0", classifiers=("Framework :: Django",))
    local_index.build()
    root = tmp_path / "project"
    root.mkdir()
    (root / "requirements.txt").write_text("Django==2.2.28\ndjango-date-extensions==3.0\n")
    (root / "models.py").write_text(LOADS)  # the project loads fields.py
    dead_app(root)
    run = hop_run(root, "2.2", "3.2")
    assert isinstance(run, BaselineRun) and (run.stage, run.env) == ("2.2", "django22")
    assert [f.location for f in run.findings] == [
        "django_date_extensions/fields.py:4",
        "django_date_extensions/fields.py:5",
        "django_date_extensions/fields.py:6",
        "django_date_extensions/fields.py:15",
    ]
    source, target = get_release("2.2"), get_release("3.2")
    assert source is not None and target is not None
    plan = plan_dependencies(
        root,
        read_declared(root),
        Hop(source, target, "3.8", "3.8"),
        index=local_index.client(tmp_path / "cache"),
        as_of=None,
        baseline={},
        installed_apps=(),
        resolve=False,
        baseline_run=run,
    )
    (blocked,) = plan.blocked
    assert blocked.name == "django-date-extensions"
    assert blocked.reason.startswith(
        "django-date-extensions 3.0 (its newest release) breaks on Django 3.2: its "
        "django_date_extensions/fields.py:4 imports "
        "`django.utils.encoding.python_2_unicode_compatible`, removed in Django 3.0. Replace it"
    )
    assert is_breaking(blocked.reason)
    # Mapped to a fixed fork for the stage environments: no longer the hop's blocker.
    mapped = hop_run(root, "2.2", "3.2", replaced=["django-date-extensions"])
    assert mapped is not None and mapped.findings == ()


def test_without_the_source_stage_env_another_env_counts_by_version(tmp_path: Path) -> None:
    dead_app(tmp_path, env="django32")
    (tmp_path / "models.py").write_text(LOADS)
    run = hop_run(tmp_path, "2.2", "3.2")
    assert run is not None and (run.stage, run.env) == ("", "django32")
    assert len(run.findings) == 4
    assert hop_run(tmp_path / "nothing", "2.2", "3.2") is None


def test_plan_lists_the_dead_app_as_the_hops_blocker_from_the_projects_own_env(
    local_index: LocalIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan works on a scratch copy without .upgrader/: it reads the project's own env."""
    monkeypatch.setenv("UPGRADER_CACHE_DIR", str(tmp_path / "cache"))
    local_index.add("Django", "3.2.25", requires_python=">=3.6")
    local_index.add("django-date-extensions", "3.0", classifiers=("Framework :: Django",))
    local_index.build()
    root = tmp_path / "site"
    (root / "site").mkdir(parents=True)
    (root / "manage.py").write_text(
        "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n"
    )
    (root / "site" / "__init__.py").write_text("")
    (root / "site" / "models.py").write_text(LOADS)
    (root / "site" / "settings.py").write_text(
        "INSTALLED_APPS = ['django.contrib.auth', 'django_date_extensions']\n"
    )
    (root / "requirements.txt").write_text(
        f"--index-url {local_index.url}\nDjango==2.2.28\ndjango-date-extensions==3.0\n"
    )
    (root / ".python-version").write_text("3.8\n")
    dead_app(root)
    plan = build_plan(
        detect_project(root),
        PlanOptions(to="3.2", rewrites=False),
        find_interpreter=lambda python: None,
    )
    (hop,) = plan.hops
    (blocked,) = hop.blocked
    assert blocked.name == "django-date-extensions"
    assert "django_date_extensions/fields.py:4 imports" in blocked.reason
    assert "removed in Django 3.0" in blocked.reason
