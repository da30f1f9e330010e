from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "settings_use_l10n"


@pytest.mark.parametrize(
    ("before", "after", "note"),
    [
        pytest.param(
            "USE_I18N = True\n\nUSE_L10N = False\n\nUSE_TZ = True\n",
            "USE_I18N = True\n\nUSE_TZ = True\n",
            "always formats numbers and dates with the active locale",
            id="False removed with the behaviour note",
        ),
        pytest.param(
            "USE_I18N = True\n# Format dates ourselves\nUSE_L10N = True\nUSE_TZ = True\n",
            "USE_I18N = True\n# Format dates ourselves\nUSE_TZ = True\n",
            "USE_L10N = True removed",
            id="True django-upgrade missed, comment above kept",
        ),
        pytest.param(
            "A = 1; USE_L10N = False  # trailing\n",
            "A = 1  # trailing\n",
            "USE_L10N = False removed",
            id="one statement of a semicolon line",
        ),
    ],
)
def test_transformed(before: str, after: str, note: str) -> None:
    ctx = context(django_to="5.0", is_settings=True, filename="site/settings.py")
    check_transformed(RULE, before, after, ctx)
    assert any(note in n for n in ctx.notes)
    assert ctx.notes[0].startswith("site/settings.py:")


def test_computed_value_is_a_note() -> None:
    ctx = context(django_to="5.0", is_settings=True)
    check_noop(RULE, "USE_L10N = env.bool('L10N')\n", ctx)
    assert any("computed value" in n for n in ctx.notes)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("class Foo:\n    USE_L10N = False\n", id="class attribute"),
        pytest.param("settings.USE_L10N = False\n", id="attribute assignment"),
        pytest.param("if X:\n    USE_L10N = False\n", id="nested block left alone"),
    ],
)
def test_look_alikes(source: str) -> None:
    check_noop(RULE, source, context(django_to="5.0", is_settings=True))


def test_old_target_version() -> None:
    check_noop(RULE, "USE_L10N = False\n", context(django_to="4.2", is_settings=True))


def test_not_settings() -> None:
    check_noop(RULE, "USE_L10N = False\n", context(django_to="5.0"))
