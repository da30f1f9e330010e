"""Logout links become POST forms only where the URL routes to LogoutView (issue 19 item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rewrite.django_env import django_python, run_django
from tests.test_rewrite import make_hop, make_project, run, write
from upgrader.project import Project
from upgrader.urlconf import logout_url_names

HOP_52 = make_hop("2.2", "5.2", "3.10", "3.10")

SETTINGS = """\
SECRET_KEY = "x"
ALLOWED_HOSTS = ["testserver"]
ROOT_URLCONF = "mysite.urls"
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "accounts",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.request",
            ]
        },
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
"""

ROOT_URLS = """\
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import urls as accounts_urls
from accounts.views import signout

urlpatterns = [
    path("admin/", admin.site.urls),
    path("logout/", signout, name="logout"),
    path("auth/logout/", auth_views.LogoutView.as_view(), name="auth_logout"),
    path("accounts/", include(accounts_urls)),
    path("builtin/", include(("django.contrib.auth.urls", "builtin"))),
]
"""

ACCOUNTS_URLS = """\
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("logout/", views.ShopLogoutView.as_view(), name="logout"),
    path("bye/", views.signout, name="bye"),
]
"""

ACCOUNTS_VIEWS = """\
from django.contrib.auth import logout
from django.contrib.auth.views import LogoutView as BaseLogoutView
from django.shortcuts import redirect


def signout(request):
    logout(request)
    return redirect("/")


class ShopLogoutView(BaseLogoutView):
    pass
"""

TEMPLATE = """\
<a href="{% url 'logout' %}">own view</a>
<a href="{% url 'auth_logout' %}">auth</a>
<a href="{% url 'accounts:logout' %}">subclass</a>
<a href="{% url 'accounts:bye' %}" class="logout">own view too</a>
<a href="{% url 'admin:logout' %}">admin</a>
<a href="{% url 'builtin:logout' %}">builtin</a>
"""


def logout_project(root: Path) -> Project:
    write(root, "mysite/__init__.py", "")
    write(root, "mysite/settings.py", SETTINGS)
    write(root, "mysite/urls.py", ROOT_URLS)
    write(root, "accounts/__init__.py", "")
    write(root, "accounts/urls.py", ACCOUNTS_URLS)
    write(root, "accounts/views.py", ACCOUNTS_VIEWS)
    write(root, "accounts/templates/nav.html", TEMPLATE)
    return make_project(root, settings="mysite/settings.py")


def test_url_names_that_route_to_logout_view(tmp_path: Path) -> None:
    project = logout_project(tmp_path / "p")
    names = logout_url_names(project)
    assert names is not None
    assert {name for name, is_logout in names.items() if is_logout} == {
        "auth_logout",
        "accounts:logout",
        "admin:logout",
        "builtin:logout",
    }
    assert names["logout"] is False
    assert names["accounts:bye"] is False
    assert names["builtin:login"] is False


def test_without_a_urlconf_nothing_is_known(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write(root, "mysite/settings.py", 'SECRET_KEY = "x"\n')
    assert logout_url_names(make_project(root, settings="mysite/settings.py")) is None


def test_only_links_to_logout_view_become_forms(tmp_path: Path) -> None:
    root = tmp_path / "p"
    project = logout_project(root)
    result = run(root, tmp_path, hop=HOP_52, project=project)
    text = (root / "accounts/templates/nav.html").read_text()
    lines = text.splitlines()
    assert lines[0] == "<a href=\"{% url 'logout' %}\">own view</a>"
    assert lines[3] == '<a href="{% url \'accounts:bye\' %}" class="logout">own view too</a>'
    for line in (lines[1], lines[2], lines[4], lines[5]):
        assert line.startswith('<form method="post"'), line
    assert not [n for n in result.notes if "nav.html:1:" in n or "nav.html:4:" in n]


def test_a_changed_urlconf_is_not_answered_from_the_cache(tmp_path: Path) -> None:
    root = tmp_path / "p"
    project = logout_project(root)
    first = run(root, tmp_path, hop=HOP_52, project=project, write_files=False)
    (root / "accounts/views.py").write_text(ACCOUNTS_VIEWS.replace("(BaseLogoutView)", "(object)"))
    second = run(root, tmp_path, hop=HOP_52, project=project, write_files=False)
    assert first.diff.count('method="post"') == 4
    assert second.diff.count('method="post"') == 3


@pytest.mark.e2e
def test_rewritten_logout_links_work_under_django_52(tmp_path: Path) -> None:
    python = django_python("5.2")
    root = tmp_path / "p"
    project = logout_project(root)
    run(root, tmp_path, hop=HOP_52, project=project)
    done = run_django(
        python,
        root,
        "mysite.settings",
        """
        from django.core.management import call_command
        from django.contrib.auth.models import User
        from django.template.loader import render_to_string
        from django.test import Client
        from django.test.utils import setup_test_environment
        setup_test_environment()
        call_command("migrate", verbosity=0)
        User.objects.create_user("u", password="p")
        client = Client()
        html = render_to_string("nav.html")
        # The project's own view still answers GET; LogoutView refuses it, takes the form's POST.
        assert client.login(username="u", password="p")
        assert client.get("/logout/").status_code == 302
        assert client.get("/auth/logout/").status_code == 405
        assert client.login(username="u", password="p")
        assert client.post("/accounts/logout/").status_code in (200, 302)
        assert 'action="/accounts/logout/"' in html, html
        assert '<a href="/logout/">' in html, html
        print("ok")
        """,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
