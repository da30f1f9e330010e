"""Guards around django-upgrade fixers whose rewrite would change behaviour (issues 17 and 19).

Unit tests run the whole rewrite stage on a small project; the ``e2e`` tests then run the
rewritten project under a real Django 5.2 (settings imported, ``django.setup()``, ``ready()``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.rewrite.django_env import django_python, run_django
from tests.test_rewrite import make_hop, make_project, run, write
from upgrader.project import ProjectConfig
from upgrader.rewrite import RewriteResult

HOP_32 = make_hop("2.2", "3.2", "3.8", "3.8")
HOP_52 = make_hop("2.2", "5.2", "3.10", "3.10")

SETTINGS = """\
SECRET_KEY = "x"
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "shop.catalogue",
    "plain",
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
"""

READY = """\

    def ready(self):
        import builtins

        builtins.READY = [*getattr(builtins, "READY", []), type(self).__name__]
"""

# oscar's layout: a base config imported into apps.py, the app's classes built on it.
CATALOGUE_APPS = (
    """\
from django.apps import AppConfig

from shop.base import ShopConfig


class CatalogueOnlyConfig(ShopConfig):
    name = "shop.catalogue"
    label = "catalogue"


class CatalogueConfig(CatalogueOnlyConfig):
    \"\"\"The catalogue.\"\"\"

    verbose_name = "Catalogue"
"""
    + READY
)
SHOP_BASE = "from django.apps import AppConfig\n\n\nclass ShopConfig(AppConfig):\n    pass\n"
PLAIN_APPS = (
    'from django.apps import AppConfig\n\n\nclass PlainConfig(AppConfig):\n    name = "plain"\n'
    + READY
)


def app_project(root: Path) -> None:
    write(root, "mysite/__init__.py", "")
    write(root, "mysite/settings.py", SETTINGS)
    write(root, "shop/__init__.py", "")
    write(root, "shop/base.py", SHOP_BASE)
    write(
        root,
        "shop/catalogue/__init__.py",
        'default_app_config = "shop.catalogue.apps.CatalogueConfig"\n',
    )
    write(root, "shop/catalogue/apps.py", CATALOGUE_APPS)
    write(root, "plain/__init__.py", "default_app_config = 'plain.apps.PlainConfig'\n")
    write(root, "plain/apps.py", PLAIN_APPS)


def rewritten(result: RewriteResult, root: Path) -> dict[str, list[str]]:
    return {
        change.path.relative_to(root).as_posix(): [hit.rule for hit in change.rules]
        for change in result.changes
    }


# --------------------------------------------------------------------------- default_app_config


def test_several_app_configs_get_default_true_on_the_named_one(tmp_path: Path) -> None:
    root = tmp_path / "p"
    app_project(root)
    result = run(root, tmp_path, hop=HOP_32)
    changed = rewritten(result, root)
    assert changed["shop/catalogue/__init__.py"] == ["django-upgrade:default_app_config"]
    assert changed["shop/catalogue/apps.py"] == ["django-upgrade:default_app_config"]
    apps = (root / "shop/catalogue/apps.py").read_text()
    assert '    """The catalogue."""\n    default = True\n\n    verbose_name' in apps
    assert apps.count("default = True") == 1
    assert (root / "shop/catalogue/__init__.py").read_text() == ""
    assert any("CatalogueConfig marked default = True" in note for note in result.notes)
    # The only class of plain/apps.py: removal keeps behaviour, nothing else changes.
    assert (root / "plain/__init__.py").read_text() == ""
    assert (root / "plain/apps.py").read_text() == PLAIN_APPS
    again = run(root, tmp_path, hop=HOP_32)
    assert again.changes == ()


@pytest.mark.parametrize(
    ("init", "apps", "reason"),
    [
        pytest.param(
            'default_app_config = "shop.catalogue.config.CatalogueConfig"\n',
            PLAIN_APPS,
            "which is not in catalogue/apps.py",
            id="class-in-another-module",
        ),
        pytest.param(
            'default_app_config = "shop.catalogue.apps.CatalogueConfig"\n',
            "from django.apps import AppConfig\n\n\n"
            "class CatalogueConfig(AppConfig):\n    name = 'shop.catalogue'\n\n\n"
            "class Extended(CatalogueConfig):\n    pass\n",
            "Extended would also be a default AppConfig",
            id="subclass-would-inherit-default",
        ),
        pytest.param(
            'default_app_config = "shop.catalogue.apps.CatalogueConfig"\n',
            "from django.apps import AppConfig\n\n\n"
            "class Other(AppConfig):\n    name = 'shop.catalogue'\n    default = True\n\n\n"
            "class CatalogueConfig(AppConfig):\n    name = 'shop.catalogue'\n",
            "Other would also be a default AppConfig",
            id="another-class-is-default",
        ),
    ],
)
def test_default_app_config_is_kept_as_a_manual_item(
    tmp_path: Path, init: str, apps: str | None, reason: str
) -> None:
    root = tmp_path / "p"
    write(root, "site/settings.py", SETTINGS)
    write(root, "shop/__init__.py", "")
    write(root, "shop/catalogue/__init__.py", init)
    if apps is not None:
        write(root, "shop/catalogue/apps.py", apps)
    result = run(root, tmp_path, hop=HOP_32)
    assert (root / "shop/catalogue/__init__.py").read_text() == init
    if apps is not None:
        assert (root / "shop/catalogue/apps.py").read_text() == apps
    [note] = [n for n in result.notes if "default_app_config" in n]
    assert note.startswith("shop/catalogue/__init__.py:")
    assert reason in note


INIT_CONFIG = (
    "from django.apps import AppConfig\n\n"
    'default_app_config = "shop.catalogue.CatalogueConfig"\n\n\n'
    'class CatalogueConfig(AppConfig):\n    name = "shop.catalogue"\n    label = "catalogue"\n'
    + READY
)


def test_an_app_config_in_init_gets_an_apps_py_that_imports_it(tmp_path: Path) -> None:
    # issue 17: ten apps whose AppConfig lives in __init__.py lost ready() on Django 3.2+.
    root = tmp_path / "p"
    write(root, "mysite/settings.py", SETTINGS)
    write(root, "shop/__init__.py", "")
    init = write(root, "shop/catalogue/__init__.py", INIT_CONFIG)
    dry = run(root, tmp_path, hop=HOP_32, write_files=False)
    assert not (root / "shop/catalogue/apps.py").exists()
    assert "--- /dev/null\n+++ b/shop/catalogue/apps.py\n" in dry.diff
    result = run(root, tmp_path, hop=HOP_32)
    apps = (root / "shop/catalogue/apps.py").read_text()
    assert "from . import CatalogueConfig\n" in apps
    assert "default_app_config" not in init.read_text()
    assert rewritten(result, root)["shop/catalogue/apps.py"] == [
        "django-upgrade:default_app_config"
    ]
    assert any("apps.py added beside it" in note for note in result.notes)
    assert run(root, tmp_path, hop=HOP_32).changes == ()


def test_an_apps_package_is_not_shadowed(tmp_path: Path) -> None:
    # django-oscar: oscar/__init__.py names oscar.config.Shop, and oscar/apps/ is a package.
    root = tmp_path / "p"
    write(root, "mysite/settings.py", SETTINGS)
    write(root, "shop/__init__.py", INIT_CONFIG.replace("shop.catalogue", "shop"))
    write(root, "shop/apps/__init__.py", "")
    result = run(root, tmp_path, hop=HOP_32)
    assert "default_app_config" in (root / "shop/__init__.py").read_text()
    assert not (root / "shop/apps.py").exists()
    assert any("shop/__init__.py:3: default_app_config names" in n for n in result.notes)


def test_excluded_apps_py_is_not_edited_so_the_line_stays(tmp_path: Path) -> None:
    root = tmp_path / "p"
    app_project(root)
    project = make_project(root, config=ProjectConfig(exclude=("shop/catalogue/apps.py",)))
    result = run(root, tmp_path, hop=HOP_32, project=project)
    assert "default_app_config" in (root / "shop/catalogue/__init__.py").read_text()
    assert "default = True" not in (root / "shop/catalogue/apps.py").read_text()
    assert any("add default = True to CatalogueConfig" in n for n in result.notes)


def test_below_django_32_nothing_is_guarded(tmp_path: Path) -> None:
    root = tmp_path / "p"
    app_project(root)
    result = run(root, tmp_path, hop=make_hop("2.2", "3.1", "3.8", "3.8"))
    assert result.changes == ()
    assert not [n for n in result.notes if "default_app_config" in n]


def test_a_changed_apps_py_is_not_answered_from_the_cache(tmp_path: Path) -> None:
    root = tmp_path / "p"
    app_project(root)
    (root / "shop/catalogue/apps.py").write_text(
        "from django.apps import AppConfig\n\n\n"
        "class CatalogueConfig(AppConfig):\n    name = 'shop.catalogue'\n"
    )
    first = run(root, tmp_path, hop=HOP_32, write_files=False)
    assert [n for n in first.notes if "default_app_config" in n] == []
    (root / "shop/catalogue/apps.py").write_text(CATALOGUE_APPS)
    second = run(root, tmp_path, hop=HOP_32, write_files=False)
    assert "shop/catalogue/apps.py" in rewritten(second, root)


# --------------------------------------------------------------------------- settings_storages

LOCAL_SETTINGS_LAYOUT = """\
SECRET_KEY = "x"
STATICFILES_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"

try:
    from .local_settings import *
except ImportError:
    pass
"""


def storages_of(path: Path) -> object:
    namespace: dict[str, object] = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)  # a settings-only module
    return namespace["STORAGES"]


def test_a_star_import_after_the_setting_gets_the_whole_dict(tmp_path: Path) -> None:
    root = tmp_path / "p"
    path = write(root, "site/settings.py", LOCAL_SETTINGS_LAYOUT.replace("from .", "from "))
    result = run(root, tmp_path, hop=HOP_52)
    text = path.read_text()
    assert "**STORAGES" not in text
    assert storages_of(path) == {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    assert any("STORAGES written whole" in note for note in result.notes)
    assert "django-upgrade:settings_storages" in rewritten(result, root)["site/settings.py"]


def test_only_default_file_storage_gets_staticfiles_default_last(tmp_path: Path) -> None:
    root = tmp_path / "p"
    path = write(
        root,
        "site/settings.py",
        'DEFAULT_FILE_STORAGE = "storages.backends.s3boto3.S3Boto3Storage"\n'
        "try:\n    from local_settings import *\nexcept ImportError:\n    pass\n",
    )
    run(root, tmp_path, hop=HOP_52)
    text = path.read_text()
    assert text.index('"default"') < text.index('"staticfiles"')
    assert storages_of(path) == {
        "default": {"BACKEND": "storages.backends.s3boto3.S3Boto3Storage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_a_star_import_before_the_setting_keeps_the_spread(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write(root, "site/__init__.py", "")
    write(root, "site/base_settings.py", 'DEFAULT_FILE_STORAGE = "x.Storage"\n')
    path = write(
        root,
        "site/settings.py",
        'from .base_settings import *\n\nSTATICFILES_STORAGE = "y.Storage"\n',
    )
    result = run(root, tmp_path, hop=HOP_52)
    assert "    **STORAGES,\n" in path.read_text()
    assert not any("STORAGES written whole" in note for note in result.notes)
    # The base module became STORAGES itself, so the spread finds it.
    base = root / "site/base_settings.py"
    namespace: dict[str, object] = {}
    exec(compile(base.read_text() + path.read_text().split("\n", 1)[1], "s", "exec"), namespace)
    assert namespace["STORAGES"] == {
        "default": {"BACKEND": "x.Storage"},
        "staticfiles": {"BACKEND": "y.Storage"},
    }


def test_a_star_import_before_of_a_module_without_storages_gets_the_whole_dict(
    tmp_path: Path,
) -> None:
    root = tmp_path / "p"
    write(root, "site/__init__.py", "")
    write(root, "site/base_settings.py", 'SECRET_KEY = "x"\n')
    path = write(
        root,
        "site/settings.py",
        'from .base_settings import *\n\nSTATICFILES_STORAGE = "y.Storage"\n',
    )
    run(root, tmp_path, hop=HOP_52)
    assert "**STORAGES" not in path.read_text()
    ast.parse(path.read_text())


# --------------------------------------------------------------------------- under Django 5.2


@pytest.mark.e2e
def test_rewritten_apps_and_settings_run_under_django_52(tmp_path: Path) -> None:
    python = django_python("5.2")
    root = tmp_path / "p"
    app_project(root)
    write(
        root,
        "inits/__init__.py",
        INIT_CONFIG.replace("shop.catalogue", "inits")
        .replace("CatalogueConfig", "InitsConfig")
        .replace('"catalogue"', '"inits"'),
    )
    project = make_project(root, settings="mysite/settings.py")
    settings = root / "mysite/settings.py"
    settings.write_text(
        SETTINGS.replace('"plain",', '"plain",\n    "inits",')
        + LOCAL_SETTINGS_LAYOUT.split("\n", 1)[1]
    )
    check = "import builtins; print(getattr(builtins, 'READY', []))"
    before = run_django(python, root, "mysite.settings", check)
    # Before the rewrite, Django 5.2 ignores default_app_config: the plain AppConfig for the
    # catalogue, so its ready() does not run.
    assert before.returncode == 0, before.stderr
    assert "CatalogueConfig" not in before.stdout
    run(root, tmp_path, hop=HOP_52, project=project)
    assert "**STORAGES" not in settings.read_text()
    after = run_django(
        python,
        root,
        "mysite.settings",
        """
        import builtins
        from django.conf import settings
        from django.apps import apps
        assert sorted(builtins.READY) == ["CatalogueConfig", "InitsConfig", "PlainConfig"], (
            builtins.READY
        )
        assert type(apps.get_app_config("catalogue")).__name__ == "CatalogueConfig"
        backend = settings.STORAGES["staticfiles"]["BACKEND"]
        assert backend.endswith("ManifestStaticFilesStorage"), backend
        print("ok")
        """,
    )
    assert after.returncode == 0, after.stderr
    assert after.stdout.strip() == "ok"


def test_djangos_own_imported_names_are_not_app_configs(tmp_path: Path) -> None:
    # wagtail 2.9's api/v2/apps.py: only its own class is an AppConfig; removal keeps behaviour.
    root = tmp_path / "p"
    apps = (
        "from django.apps import AppConfig, apps\n"
        "from django.core.exceptions import ImproperlyConfigured\n\n\n"
        "class ApiConfig(AppConfig):\n    name = 'api'\n"
    )
    write(root, "mysite/settings.py", SETTINGS)
    write(root, "api/__init__.py", "default_app_config = 'api.apps.ApiConfig'\n")
    write(root, "api/apps.py", apps)
    result = run(root, tmp_path, hop=HOP_32)
    assert (root / "api/__init__.py").read_text() == ""
    assert (root / "api/apps.py").read_text() == apps
    assert not [n for n in result.notes if "default_app_config" in n]


# --------------------------------------------------------------------------- settings defaults


@pytest.mark.parametrize(
    ("setting", "hop", "kept"),
    [
        pytest.param("USE_L10N = True", make_hop("3.2", "4.2", "3.8", "3.8"), True, id="l10n-4.2"),
        pytest.param("USE_L10N = True", HOP_52, False, id="l10n-5.2-ignored-setting"),
    ],
)
def test_a_new_default_after_a_star_import_is_kept(
    tmp_path: Path, setting: str, hop: object, kept: bool
) -> None:
    # base sets the old value; this file's line overrides it: removing the line would let
    # the star-imported value win.
    root = tmp_path / "p"
    write(root, "mysite/__init__.py", "")
    write(root, "mysite/base_settings.py", 'SECRET_KEY = "x"\nUSE_L10N = False\n')
    path = write(root, "mysite/settings.py", f"from .base_settings import *\n\n{setting}\n")
    run(root, tmp_path, hop=hop, project=make_project(root, settings="mysite/settings.py"))
    assert (setting in path.read_text()) is kept


def test_a_new_default_without_a_star_import_before_is_removed(tmp_path: Path) -> None:
    root = tmp_path / "p"
    path = write(root, "mysite/settings.py", 'SECRET_KEY = "x"\nUSE_L10N = True\n')
    run(root, tmp_path, hop=make_hop("3.2", "4.2", "3.8", "3.8"))
    assert "USE_L10N" not in path.read_text()


# --------------------------------------------------------------------------- fixer notes


def test_an_int_converter_is_a_manual_item(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write(root, "mysite/settings.py", SETTINGS)
    path = write(
        root,
        "shop/urls.py",
        "from django.conf.urls import url\n\nfrom . import views\n\n"
        "urlpatterns = [\n"
        "    url(r'^item/(?P<pk>[0-9]+)/$', views.item),\n"
        "    url(r'^about/$', views.about),\n"
        "]\n",
    )
    result = run(root, tmp_path, hop=HOP_32)
    assert "path('item/<int:pk>/', views.item)" in path.read_text()
    [note] = [n for n in result.notes if "<int:" in n]
    assert note.startswith("shop/urls.py:6: url() made path() with an <int:...> converter")


def test_format_html_escaping_is_a_manual_item(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write(root, "mysite/settings.py", SETTINGS)
    write(
        root,
        "shop/html.py",
        "from django.utils.html import format_html\n\n\n"
        "def link(url, text):\n"
        "    return format_html('<a href=\"{}\">{}</a>'.format(url, text))\n",
    )
    result = run(root, tmp_path, hop=HOP_52)
    assert any("format_html() now gets its values as arguments" in n for n in result.notes)


def test_default_true_is_indented_as_the_class_body(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write(root, "mysite/settings.py", SETTINGS)
    write(root, "tabs/__init__.py", "default_app_config = 'tabs.apps.TabsConfig'\n")
    path = write(
        root,
        "tabs/apps.py",
        "from django.apps import AppConfig\nfrom base import BaseConfig\n\n\n"
        "class TabsConfig(BaseConfig):\n\t# the app\n\tname = 'tabs'\n",
    )
    run(root, tmp_path, hop=HOP_32)
    assert path.read_text().endswith("\t# the app\n\tdefault = True\n\tname = 'tabs'\n")
