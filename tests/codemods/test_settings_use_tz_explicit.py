from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "settings_use_tz_explicit"
COMMENT = "# Django 5.0 changed the default to True; False keeps naive datetimes as before.\n"


def test_unset_becomes_explicit_false() -> None:
    ctx = context(django_from="4.2", django_to="5.0", is_settings=True)
    check_transformed(
        RULE,
        "# Internationalization\nTIME_ZONE = 'UTC'\n",
        "# Internationalization\nTIME_ZONE = 'UTC'\n\n" + COMMENT + "USE_TZ = False\n",
        ctx,
    )
    assert any("USE_TZ = False made explicit" in note for note in ctx.notes)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("USE_TZ = True\n", id="set to True"),
        pytest.param("USE_TZ = env.bool('USE_TZ')\n", id="computed"),
        pytest.param("try:\n    USE_TZ = x\nexcept E:\n    pass\n", id="set inside try"),
        pytest.param("def f():\n    global USE_TZ\n    USE_TZ = True\n", id="set through global"),
        pytest.param("X = 1\nfrom .base import *\n", id="may come from a star import"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_from="4.2", django_to="5.0", is_settings=True))


def test_look_alike_in_a_class_does_not_count_as_set() -> None:
    ctx = context(django_from="4.2", django_to="5.2", is_settings=True)
    result_needs_setting = "class Conf:\n    USE_TZ = True\n"
    check_transformed(
        RULE,
        result_needs_setting,
        result_needs_setting + "\n" + COMMENT + "USE_TZ = False\n",
        ctx,
    )


def test_old_target_version() -> None:
    check_noop(RULE, "X = 1\n", context(django_from="3.2", django_to="4.2", is_settings=True))


def test_already_on_five() -> None:
    check_noop(RULE, "X = 1\n", context(django_from="5.0", django_to="5.2", is_settings=True))


def test_not_settings() -> None:
    check_noop(RULE, "X = 1\n", context(django_from="4.2", django_to="5.2"))
