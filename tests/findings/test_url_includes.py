"""Logout links whose URL name comes from an included third-party URLconf (F21): unverified
while the URLconf cannot be read, resolved from a stage environment's site-packages when it can."""

from __future__ import annotations

from pathlib import Path

from tests.findings.test_scan import SETTINGS, make_project
from upgrader.detect.model import Project
from upgrader.findings import scan_project
from upgrader.findings.url_includes import Include, stage_site_packages, url_names

SITE = ".upgrader/cache/tox/django52/lib/python3.12/site-packages"

PROJECT = {
    "proj/__init__.py": "",
    "proj/settings.py": SETTINGS + "ROOT_URLCONF = 'proj.urls'\n",
    "proj/urls.py": (
        "from django.urls import include, path\n"
        "import djlogout.urls\n"
        "urlpatterns = [\n"
        "    path('accounts/', include('ownauth.urls')),\n"
        "    path('x/', include((djlogout.urls, 'dj'))),\n"
        "]\n"
    ),
    "shop/templates/base.html": (
        "<a href=\"{% url 'account_logout' %}\">own view</a>\n"
        "<a href=\"{% url 'dj:logout' %}\">Django's view</a>\n"
        "<a href=\"{% url 'account_login' %}\">not a logout</a>\n"
    ),
}
# allauth's layout: its own LogoutView (GET shows a confirmation page), made a view by name.
OWN_AUTH = {
    f"{SITE}/ownauth/__init__.py": "",
    f"{SITE}/ownauth/urls.py": (
        "from django.urls import include, path\n"
        "urlpatterns = [path('', include('ownauth.account.urls'))]\n"
    ),
    f"{SITE}/ownauth/account/__init__.py": "",
    f"{SITE}/ownauth/account/urls.py": (
        "from django.urls import path\n"
        "from . import views\n"
        "urlpatterns = [\n"
        "    path('logout/', views.logout, name='account_logout'),\n"
        "    path('login/', views.login, name='account_login'),\n"
        "]\n"
    ),
    f"{SITE}/ownauth/account/views.py": (
        "from django.views.generic.base import TemplateView\n"
        "class LogoutView(TemplateView):\n"
        "    pass\n"
        "logout = LogoutView.as_view()\n"
        "login = TemplateView.as_view()\n"
    ),
}
# A package whose logout view is Django's LogoutView under another name.
DJ_LOGOUT = {
    f"{SITE}/djlogout/__init__.py": "",
    f"{SITE}/djlogout/views.py": (
        "from django.contrib.auth import views as auth_views\n"
        "class Bye(auth_views.LogoutView):\n"
        "    pass\n"
        "bye = Bye.as_view()\n"
    ),
    f"{SITE}/djlogout/urls.py": (
        "from django.urls import path\n"
        "from djlogout.views import bye\n"
        "urlpatterns = [path('bye/', bye, name='logout')]\n"
    ),
}


def logout_items(project: Project) -> dict[int, str]:
    return {
        f.line: f.message
        for f in scan_project(project).findings
        if f.id == "logout-get" and f.file == "shop/templates/base.html"
    }


def test_names_from_unread_third_party_urlconfs_are_unverified(tmp_path: Path) -> None:
    items = logout_items(make_project(tmp_path, PROJECT))
    assert sorted(items) == [1, 2]
    assert items[1] == (
        "logout link <a href=\"{% url 'account_logout' %}\"> uses GET (unverified: "
        "`account_logout` may come from ownauth.urls (included at proj/urls.py:4): check the "
        "view accepts GET)"
    )
    assert "`dj:logout` may come from djlogout.urls (included at proj/urls.py:5):" in items[2]
    assert "ownauth" not in items[2]  # the namespace tells which include


def test_a_stage_env_resolves_the_names_and_their_views(tmp_path: Path) -> None:
    project = make_project(tmp_path, {**PROJECT, **OWN_AUTH, **DJ_LOGOUT})
    items = logout_items(project)
    # ownauth's own LogoutView answers GET: no item; djlogout's is Django's: the item stays.
    assert items == {2: "logout link <a href=\"{% url 'dj:logout' %}\"> uses GET"}
    names = url_names(project)
    assert names is not None and names.unread == ()
    assert names.get("account_logout") is False and names.get("dj:logout") is True


def test_without_the_package_in_the_env_the_include_stays_unread(tmp_path: Path) -> None:
    project = make_project(tmp_path, {**PROJECT, **DJ_LOGOUT})
    names = url_names(project)
    assert names is not None
    assert names.unread == (Include("ownauth.urls", "proj/urls.py:4", ""),)
    assert names.sources("account_logout") == names.unread
    assert names.sources("dj:logout") == names.unread  # an unnamespaced include may hold it
    assert sorted(logout_items(project)) == [1, 2]


def test_the_newest_stage_env_is_read(tmp_path: Path) -> None:
    for env in ("django32", "django52", "django6", "tools"):
        (tmp_path / f".upgrader/cache/tox/{env}/lib/python3.12/site-packages").mkdir(parents=True)
    assert stage_site_packages(tmp_path) == (
        tmp_path / ".upgrader/cache/tox/django52/lib/python3.12/site-packages"
    )
    assert stage_site_packages(tmp_path / "nowhere") is None


def test_an_include_the_env_cannot_read_is_named_where_the_package_writes_it(
    tmp_path: Path,
) -> None:
    """The stage env lives inside the project (.upgrader/cache/tox): a package's own include
    of a module missing from the env is named from site-packages, not from the project root."""
    nested = {
        **OWN_AUTH,
        f"{SITE}/ownauth/urls.py": (
            "from django.urls import include, path\n"
            "urlpatterns = [\n"
            "    path('', include('ownauth.account.urls')),\n"
            "    path('social/', include('ownauth.social.urls')),\n"
            "]\n"
        ),
    }
    project = make_project(tmp_path, {**PROJECT, **nested, **DJ_LOGOUT})
    names = url_names(project)
    assert names is not None
    assert names.unread == (Include("ownauth.social.urls", "ownauth/urls.py:4", ""),)
    assert names.get("account_logout") is False  # read, so no item
    assert sorted(logout_items(project)) == [2]
