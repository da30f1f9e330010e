"""upgrader.urlconf's public reader: ``logout_url_names(reader=...)``, the ``unread_include``
hook, and a module-level ``logout = X.as_view()`` followed in the project's own views."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.findings.test_scan import SETTINGS, make_project
from upgrader.urlconf import UrlconfReader, UrlModule, logout_url_names

FILES = {
    "proj/__init__.py": "",
    "proj/settings.py": SETTINGS + "ROOT_URLCONF = 'proj.urls'\n",
    "proj/urls.py": (
        "from django.urls import include, path\n"
        "from proj import views\n"
        "urlpatterns = [\n"
        "    path('out/', views.logout, name='out'),\n"
        "    path('hi/', views.hello, name='hi'),\n"
        "    path('pkg/', include('somepkg.urls', namespace='pkg')),\n"
        "]\n"
    ),
    "proj/views.py": (
        "from django.contrib.auth.views import LogoutView\n"
        "from django.views.generic import TemplateView\n"
        "logout = LogoutView.as_view(next_page='/')\n"
        "hello = TemplateView.as_view()\n"
    ),
}


class Recording(UrlconfReader):
    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.unread: list[tuple[str, str, int]] = []

    def unread_include(self, module: UrlModule, call: ast.Call, dotted: str, prefix: str) -> None:
        self.unread.append((dotted, prefix, call.lineno))


def test_a_reader_given_records_the_includes_it_cannot_read(tmp_path: Path) -> None:
    project = make_project(tmp_path, FILES)
    reader = Recording(tmp_path.resolve())
    names = logout_url_names(project, reader=reader)
    assert names == {"out": True, "hi": False}  # views.logout is LogoutView.as_view()
    assert reader.unread == [("somepkg.urls", "pkg:", 6)]
    assert logout_url_names(project) == names  # the default reader answers the same
