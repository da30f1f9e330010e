from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "settings_default_auto_field"
SETTINGS = context(django_from="2.2", django_to="3.2", is_settings=True)
COMMENT = "# The primary key type of models without one; AutoField keeps the current schema.\n"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            'DEBUG = True\nSECRET_KEY = "x"  # keep me\n',
            'DEBUG = True\nSECRET_KEY = "x"  # keep me\n\n'
            + COMMENT
            + 'DEFAULT_AUTO_FIELD = "django.db.models.AutoField"\n',
            id="unset: pinned at the end, double quotes",
        ),
        pytest.param(
            "INSTALLED_APPS = ['a', 'b']\n",
            "INSTALLED_APPS = ['a', 'b']\n\n"
            + COMMENT
            + "DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'\n",
            id="file that uses single quotes",
        ),
        pytest.param(
            "DEBUG = True\r\nX = 1\r\n",
            "DEBUG = True\r\nX = 1\r\n\r\n"
            + COMMENT.replace("\n", "\r\n")
            + 'DEFAULT_AUTO_FIELD = "django.db.models.AutoField"\r\n',
            id="CRLF kept",
        ),
    ],
)
def test_transformed(before: str, after: str) -> None:
    check_transformed(RULE, before, after, SETTINGS)
    assert any("DEFAULT_AUTO_FIELD pinned" in note for note in SETTINGS.notes)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param('DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"\n', id="already set"),
        pytest.param("if PROD:\n    DEFAULT_AUTO_FIELD = F\n", id="set inside an if block"),
        pytest.param("DEFAULT_AUTO_FIELD: str = 'x'\n", id="annotated assignment"),
        pytest.param("from .base import DEFAULT_AUTO_FIELD\n", id="imported"),
    ],
)
def test_noop_when_set(source: str) -> None:
    check_noop(RULE, source, SETTINGS)


def test_star_import_is_a_note_not_a_change() -> None:
    ctx = context(django_to="3.2", is_settings=True, filename="conf/prod.py")
    check_noop(RULE, "from .base import *\nDEBUG = False\n", ctx)
    assert ctx.notes and "star import" in ctx.notes[0] and ctx.notes[0].startswith("conf/prod.py")


def test_old_target_version() -> None:
    check_noop(RULE, "DEBUG = True\n", context(django_to="3.1", is_settings=True))


def test_not_a_settings_module() -> None:
    check_noop(RULE, "DEBUG = True\n", context(django_to="3.2", is_settings=False))


def test_project_already_past_the_default_flip() -> None:
    check_noop(
        RULE, "DEBUG = True\n", context(django_from="6.0", django_to="6.1", is_settings=True)
    )
