"""settings_x_frame_options: X_FRAME_OPTIONS = 'SAMEORIGIN' pinned where its default changed in 3.0 and it
is unset."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "settings_x_frame_options"
SOURCE = "MIDDLEWARE = [\n    'django.middleware.clickjacking.XFrameOptionsMiddleware',\n]\n"
COMMENT = "# Django 3.0 changed the default to 'DENY'; SAMEORIGIN keeps framing your own pages.\n"


def test_unset_is_pinned_and_noted() -> None:
    ctx = context(django_from="2.2", django_to="3.0", is_settings=True)
    check_transformed(
        RULE, SOURCE, SOURCE + "\n" + COMMENT + "X_FRAME_OPTIONS = 'SAMEORIGIN'\n", ctx
    )
    assert any(note.startswith("app/module.py: X_FRAME_OPTIONS pinned") for note in ctx.notes)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(SOURCE + "X_FRAME_OPTIONS = 'x'\n", id="set"),
        pytest.param(SOURCE + "if DEBUG:\n    X_FRAME_OPTIONS = None\n", id="set in a block"),
        pytest.param("MIDDLEWARE = []\n", id="nothing reads it"),
        pytest.param(
            "MIDDLEWARE = [\n    # 'django.middleware.clickjacking.XFrameOptionsMiddleware',\n]\n",
            id="only in a comment",
        ),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_from="2.2", django_to="3.0", is_settings=True))


def test_star_import_gets_a_note_not_a_line() -> None:
    ctx = context(django_from="2.2", django_to="5.2", is_settings=True)
    check_noop(RULE, "from .base import *\n" + SOURCE, ctx)
    assert any("may come from a star import" in note for note in ctx.notes)


def test_version_gate_and_settings_only() -> None:
    check_noop(RULE, SOURCE, context(django_from="2.2", django_to="2.2", is_settings=True))
    check_noop(RULE, SOURCE, context(django_from="3.0", django_to="5.2", is_settings=True))
    check_noop(RULE, SOURCE, context(django_from="2.2", django_to="5.2"))
