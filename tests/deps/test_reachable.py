"""A removed import counts only where Django or the project loads the module (F27), and the plan
before any step reads the releases the project runs from their wheels (F28)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.deps.conftest import LocalIndex
from tests.deps.test_removed_api import install
from upgrader.deps.breaking import BaselineRun, hop_run
from upgrader.deps.plan import DependencyPlan, plan_dependencies
from upgrader.deps.reachable import (
    ProjectRoots,
    loaded_modules,
    mapping_refs,
    module_refs,
    project_roots,
)
from upgrader.deps.removed_api import release_removed_imports
from upgrader.detect.requirements import read_declared
from upgrader.hops import Hop
from upgrader.releases import get_release

MODELS = """\
from django.db import models


class CredentialsField(models.Field):
    def from_db_value(self, value, expression, connection, context):
        return value
"""
OAUTH = {
    "oauth2client/__init__.py": "__version__ = '4.1.3'\n",
    "oauth2client/service_account.py": "from oauth2client import client\n",
    "oauth2client/client.py": "import json\n",
    "oauth2client/contrib/__init__.py": "",
    "oauth2client/contrib/django_util/__init__.py": "from django.conf import settings\n",
    "oauth2client/contrib/django_util/models.py": MODELS,
}
DEAD = "oauth2client/contrib/django_util/models.py"


def _refs(files: dict[str, str]) -> dict[str, tuple[str, ...]]:
    return {rel: module_refs(text, rel) for rel, text in files.items()}


def _loaded(files: dict[str, str], roots: ProjectRoots) -> frozenset[str]:
    table = _refs(files)
    return loaded_modules(table, mapping_refs(table), roots)


def test_imports_are_followed_with_their_package_inits_relative_ones_too() -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/sub/__init__.py": "from . import helpers\n",
        "pkg/sub/helpers.py": "from ..util import x\n",
        "pkg/util.py": "",
        "pkg/sub/api.py": "from .helpers import y\n",
        "pkg/unused.py": "from django.utils import six\n",
    }
    loaded = _loaded(files, ProjectRoots(imports=frozenset({"pkg.sub.api"})))
    assert sorted(loaded) == [
        "pkg/__init__.py",
        "pkg/sub/__init__.py",
        "pkg/sub/api.py",
        "pkg/sub/helpers.py",
        "pkg/util.py",
    ]


def test_an_installed_app_loads_its_models_admin_templatetags_and_what_they_name() -> None:
    files = {
        "app/__init__.py": "default_app_config = 'app.config.AppConfig'\n",
        "app/config.py": "",
        "app/models.py": "from app.fields import F\n",
        "app/fields.py": "",
        "app/admin.py": "",
        "app/templatetags/__init__.py": "",
        "app/templatetags/app_tags.py": "",
        "app/migrations/0001_initial.py": "",
        "app/views.py": "",  # only a URLconf the project includes loads it
        "app/management/commands/dump.py": "",
    }
    loaded = _loaded(files, ProjectRoots(apps=("app",)))
    assert sorted(loaded) == [
        "app/__init__.py",
        "app/admin.py",
        "app/config.py",
        "app/fields.py",
        "app/migrations/0001_initial.py",
        "app/models.py",
        "app/templatetags/__init__.py",
        "app/templatetags/app_tags.py",
    ]
    by_config = _loaded(files, ProjectRoots(apps=("app.config.AppConfig",)))
    assert "app/models.py" in by_config and "app/views.py" not in by_config


def test_the_projects_imports_and_dotted_strings_are_its_roots(tmp_path: Path) -> None:
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "gmail.py").write_text(
        "from oauth2client.service_account import ServiceAccountCredentials\nfrom . import local\n"
    )
    (tmp_path / "settings.py").write_text("MIDDLEWARE = ['thing.middleware.M']\n")
    roots = project_roots(tmp_path, ["leaflet"])
    assert roots.apps == ("leaflet",)
    assert {
        "oauth2client.service_account",
        "oauth2client.service_account.ServiceAccountCredentials",
        "thing.middleware.M",
    } <= roots.imports
    assert not any(name.endswith("local") for name in roots.imports)  # the project's own


def _oauth_project(root: Path, apps: str = "") -> None:
    (root / "core").mkdir(parents=True)
    (root / "core" / "gmail.py").write_text("from oauth2client import service_account\n")
    (root / "settings.py").write_text(f"INSTALLED_APPS = ['django.contrib.auth'{apps}]\n")
    (root / "requirements.txt").write_text("Django==2.2.28\noauth2client==4.1.3\n")


def _hop(source: str, target: str, python: str = "3.8") -> Hop:
    low, high = get_release(source), get_release(target)
    assert low is not None and high is not None
    return Hop(low, high, python, python)


def _plan(root: Path, index: LocalIndex, run: BaselineRun | None, **kw: object) -> DependencyPlan:
    return plan_dependencies(
        root,
        read_declared(root),
        _hop("2.2", "3.2"),
        index=index.client(root.parent / "cache", **kw),
        as_of=None,
        baseline={},
        baseline_run=run,
    )


def _row(plan: DependencyPlan, name: str) -> str:
    return next(c.reason for c in plan.choices if c.name == name)


def test_a_hit_in_a_subpackage_nothing_loads_is_a_note_not_a_blocker(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    """F27: djangogirls imports only oauth2client.service_account."""
    local_index.add("Django", "3.2.25", requires_python=">=3.6")
    local_index.add("oauth2client", "4.1.3")
    local_index.build()
    root = tmp_path / "project"
    _oauth_project(root)
    site = root / ".upgrader/cache/tox/django22/lib/python3.8/site-packages"
    install(site, "oauth2client", "4.1.3", OAUTH)
    run = hop_run(root, "2.2", "3.2")
    assert run is not None and run.static_read and run.findings == ()
    assert [f.location for f in run.unloaded] == [f"{DEAD}:5"]
    plan = _plan(root, local_index, run)
    assert plan.blocked == ()
    assert _row(plan, "oauth2client").endswith(
        f"; oauth2client 4.1.3's {DEAD}:5 defines `from_db_value(..., context)`, removed in Django "
        "3.0: the project does not load that module, so it is not a blocker"
    )


def test_the_same_subpackage_in_installed_apps_blocks(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    local_index.add("Django", "3.2.25", requires_python=">=3.6")
    local_index.add("oauth2client", "4.1.3")
    local_index.build()
    root = tmp_path / "project"
    _oauth_project(root, ", 'oauth2client.contrib.django_util'")
    site = root / ".upgrader/cache/tox/django22/lib/python3.8/site-packages"
    install(site, "oauth2client", "4.1.3", OAUTH)
    run = hop_run(root, "2.2", "3.2")
    assert run is not None and [f.location for f in run.findings] == [f"{DEAD}:5"]
    (blocked,) = _plan(root, local_index, run).blocked
    assert blocked.name == "oauth2client"
    assert f"{DEAD}:5 defines `from_db_value(..., context)`" in blocked.reason


FIELDS = "from django.utils.encoding import python_2_unicode_compatible\n"
DATE_EXT = "django-date-extensions"


def _date_project(root: Path) -> None:
    root.mkdir(parents=True)
    (root / "models.py").write_text("from django_date_extensions.fields import Field\n")
    (root / "requirements.txt").write_text(f"Django==2.2.28\n{DATE_EXT}==3.0\n")


def _date_index(local_index: LocalIndex) -> LocalIndex:
    local_index.add("Django", "3.2.25", requires_python=">=3.6")
    for version, text in (("3.0", FIELDS), ("3.1", "")):
        files = (
            ("django_date_extensions/__init__.py", ""),
            ("django_date_extensions/fields.py", text),
        )
        local_index.add(DATE_EXT, version, classifiers=("Framework :: Django",), files=files)
    return local_index.build()


def test_without_a_stage_env_the_plan_reads_the_pinned_release_from_its_wheel(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    """F28: a fresh clone's plan moves the app as step would after the baseline."""
    _date_index(local_index)
    root = tmp_path / "project"
    _date_project(root)
    assert hop_run(root, "2.2", "3.2") is None  # no state, no stage env
    plan = _plan(root, local_index, None)
    assert plan.blocked == ()
    choice = next(c for c in plan.choices if c.name == DATE_EXT)
    assert choice.chosen == "3.1"
    assert (
        f"{DATE_EXT} 3.0 breaks on Django 3.2: its django_date_extensions/fields.py:1 imports "
        "`django.utils.encoding.python_2_unicode_compatible`, removed in Django 3.0"
    ) in choice.reason
    assert choice.reason.endswith(
        f"{DATE_EXT} 3.1: its files no longer import python_2_unicode_compatible"
    )


def test_without_a_stage_env_a_release_that_cannot_be_fetched_says_so(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    _date_index(local_index)
    root = tmp_path / "project"
    _date_project(root)
    _plan(root, local_index, None)  # the first plan read (and cached) 3.0's wheel
    for wheel in (local_index.root / "files").glob("django_date_extensions-3.0-*.whl"):
        wheel.unlink()
    cache = root.parent / "cache"
    for stored in cache.rglob("django_date_extensions-3.0-*.whl"):
        stored.unlink()
    plan = _plan(root, local_index, None)
    row = _row(plan, DATE_EXT)
    assert "; removed imports not checked: " in row
    assert "django_date_extensions-3.0-" in row
    assert next(c.chosen for c in plan.choices if c.name == DATE_EXT) == "3.0"


def test_a_release_read_with_the_projects_roots_keeps_unloaded_hits_apart(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    local_index.add("oauth2client", "4.1.3", files=tuple(OAUTH.items()))
    client = local_index.build().client(tmp_path / "cache")
    release = client.releases("oauth2client").get("4.1.3")
    assert release is not None
    everything = release_removed_imports(client, release, "3.2")
    assert [f.location for f in everything.findings] == [f"{DEAD}:5"]
    roots = ProjectRoots(imports=frozenset({"oauth2client.service_account"}))
    scan = release_removed_imports(client, release, "3.2", roots)
    assert scan.findings == () and scan.clean
    assert [f.location for f in scan.unloaded] == [f"{DEAD}:5"]


def test_a_read_archive_is_stored_beside_it_and_a_stale_store_is_read_again(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    from upgrader.deps import removed_api

    files = {**OAUTH, "oauth2client/tests.py": FIELDS}  # an app's tests module: never loaded
    local_index.add("oauth2client", "4.1.3", files=tuple(files.items()))
    client = local_index.build().client(tmp_path / "cache")
    release = client.releases("oauth2client").get("4.1.3")
    assert release is not None
    first = release_removed_imports(client, release, "3.2")
    assert [f.location for f in first.findings] == [f"{DEAD}:5"]
    (store,) = (tmp_path / "cache").rglob("*.scan.json")
    data = json.loads(store.read_text())
    assert data["reader"] == removed_api._reader_key()
    removed_api._archive_hits.cache_clear()
    data["modules"] = [m for m in data["modules"] if m[0] != DEAD]  # what the store says wins
    store.write_text(json.dumps(data))
    assert release_removed_imports(client, release, "3.2").findings == ()
    removed_api._archive_hits.cache_clear()
    store.write_text(json.dumps({**data, "reader": "an older upgrader"}))
    assert release_removed_imports(client, release, "3.2").findings == first.findings


def test_with_nothing_known_of_what_the_project_loads_every_module_counts(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    local_index.add("oauth2client", "4.1.3", files=tuple(OAUTH.items()))
    client = local_index.build().client(tmp_path / "cache")
    release = client.releases("oauth2client").get("4.1.3")
    assert release is not None and not ProjectRoots().known
    scan = release_removed_imports(client, release, "3.2", ProjectRoots())
    assert [f.location for f in scan.findings] == [f"{DEAD}:5"] and scan.unloaded == ()
    root = tmp_path / "project"
    root.mkdir()
    (root / "requirements.txt").write_text("oauth2client==4.1.3\n")  # no code, no settings
    install(
        root / ".upgrader/cache/tox/django22/lib/python3.8/site-packages",
        "oauth2client",
        "4.1.3",
        OAUTH,
    )
    run = hop_run(root, "2.2", "3.2")
    assert run is not None and [f.location for f in run.findings] == [f"{DEAD}:5"]


def test_a_candidate_clean_only_where_the_project_loads_it_says_where_it_still_imports(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    from upgrader.deps.choose import Target, choose_versions
    from upgrader.deps.removed_api import removed_imports

    old = {"pkg/__init__.py": "", "pkg/models.py": FIELDS}
    new = {"pkg/__init__.py": "", "pkg/models.py": "", "pkg/contrib/legacy.py": FIELDS}
    local_index.add("Django", "3.2.25", requires_python=">=3.6")
    for version, files in (("1.0", old), ("2.0", new)):
        local_index.add(
            "pkg", version, classifiers=("Framework :: Django",), files=tuple(files.items())
        )
    client = local_index.build().client(tmp_path / "cache")
    site = tmp_path / "site"
    install(site, "pkg", "1.0", old)
    (finding,) = removed_imports(site, "2.2", "3.2")
    from tests.deps.helpers import declared
    from upgrader.deps.breaking import BreakingWarning

    result = choose_versions(
        [declared("Django==2.2.28"), declared("pkg==1.0")],
        Target("3.2", "3.8"),
        client,
        breaking={"pkg": BreakingWarning("pkg", finding, "1.0")},
        roots=ProjectRoots(apps=("pkg",)),
    )
    (choice,) = [c for c in result.choices if c.name == "pkg"]
    assert choice.chosen == "2.0"
    assert choice.reason.endswith(
        "pkg 2.0: its files no longer import python_2_unicode_compatible where the project loads "
        "them (pkg/contrib/legacy.py:1 still does)"
    )
