"""The logout-link rewrite reads third-party URLconfs like the logout-get check (F21): a name a
stage env's package routes to Django's LogoutView becomes a POST form like a project one, one
routed to the package's own view stays, and the plan's scratch copy reads the project's env."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.findings.test_scan import make_project
from tests.findings.test_url_includes import DJ_LOGOUT, OWN_AUTH, PROJECT
from tests.test_rewrite import make_hop
from upgrader.findings import scan_project
from upgrader.findings.url_includes import url_names
from upgrader.plan import PlanOptions, scratch_copy
from upgrader.plan.stages import DefaultStages
from upgrader.rewrite import rewrite_project

HOP_52 = make_hop("2.2", "5.2", "3.10", "3.10")
TEMPLATE = "shop/templates/base.html"


def test_a_third_party_name_routed_to_logout_view_becomes_a_post_form(tmp_path: Path) -> None:
    root = tmp_path / "p"
    project = make_project(root, {**PROJECT, **OWN_AUTH, **DJ_LOGOUT})
    rewrite_project(project, HOP_52, write=True, jobs=1, cache_dir=tmp_path / "cache")
    lines = (root / TEMPLATE).read_text().splitlines()
    assert lines[0] == "<a href=\"{% url 'account_logout' %}\">own view</a>"  # GET still works
    assert lines[1] == (
        '<form method="post" action="{% url \'dj:logout\' %}">{% csrf_token %}'
        '<button type="submit">Django\'s view</button></form>'
    )
    assert [f for f in scan_project(project).findings if f.id == "logout-get"] == []


def test_without_the_env_the_third_party_name_is_left_to_the_user(tmp_path: Path) -> None:
    root = tmp_path / "p"
    project = make_project(root, PROJECT)
    result = rewrite_project(project, HOP_52, write=True, jobs=1, cache_dir=tmp_path / "cache")
    assert 'method="post"' not in (root / TEMPLATE).read_text()
    assert any("base.html:2: logout link to {% url 'dj:logout' %}" in n for n in result.notes)


def test_a_copy_without_the_env_reads_the_origin_s(tmp_path: Path) -> None:
    """The plan's scratch copy has no .upgrader/: given the project's own root, the rewrite and
    the logout-get check read its stage env, as the step does in the project itself."""
    origin = tmp_path / "p"
    make_project(origin, {**PROJECT, **OWN_AUTH, **DJ_LOGOUT})
    copy = tmp_path / "copy"
    shutil.copytree(origin, copy, ignore=shutil.ignore_patterns(".upgrader"))
    project = make_project(copy, {})
    alone = url_names(project)
    assert alone is not None and alone.get("dj:logout") is None  # unread: no env in the copy
    assert len([f for f in scan_project(project).findings if f.id == "logout-get"]) == 2
    names = url_names(project, origin=origin)
    assert names is not None and names.get("dj:logout") is True
    assert names.get("account_logout") is False
    cache = tmp_path / "cache"
    rewrite_project(project, HOP_52, write=True, jobs=1, cache_dir=cache, origin=origin)
    assert (copy / TEMPLATE).read_text() == (origin / TEMPLATE).read_text().replace(
        "<a href=\"{% url 'dj:logout' %}\">Django's view</a>",
        '<form method="post" action="{% url \'dj:logout\' %}">{% csrf_token %}'
        '<button type="submit">Django\'s view</button></form>',
    )
    assert [f for f in scan_project(project, origin=origin).findings if f.id == "logout-get"] == []


def test_the_plan_s_scratch_copy_reads_the_project_s_stage_env(tmp_path: Path) -> None:
    """What plan lists is what step meets: DefaultStages given the project's root (build_plan's
    ``origin``) rewrites the package's LogoutView link and lists no logout-get item."""
    root = tmp_path / "p"
    project = make_project(root, {**PROJECT, **OWN_AUTH, **DJ_LOGOUT})
    options = PlanOptions(dependencies=False)
    with scratch_copy(project) as scratch:
        alone = DefaultStages(as_of=None).analyse(scratch, HOP_52, options)
    with scratch_copy(project) as scratch:
        found = DefaultStages(as_of=None, origin=root).analyse(scratch, HOP_52, options)
    assert [(m.id, m.file, m.line) for m in alone.manual if m.id == "logout-get"] == [
        ("logout-get", TEMPLATE, 1),
        ("logout-get", TEMPLATE, 2),
    ]
    assert [m for m in found.manual if m.id == "logout-get"] == []
    assert ("template_logout_link", 1) in [(r.rule, r.changes) for r in found.rewrites]
