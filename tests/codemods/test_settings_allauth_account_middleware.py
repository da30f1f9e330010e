"""settings_allauth_account_middleware: AccountMiddleware added to MIDDLEWARE on django-allauth
0.56.0+ (djangox's 5.2 hop, F18)."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "settings_allauth_account_middleware"
APPS = "INSTALLED_APPS = [\n    'allauth',\n    'allauth.account',\n]\n"
NEW = "allauth.account.middleware.AccountMiddleware"


def _ctx(allauth: str = "65.7.0", is_settings: bool = True):  # type: ignore[no-untyped-def]
    return context(packages={"django-allauth": allauth}, is_settings=is_settings)


def test_added_at_the_end_in_the_lists_layout_and_noted() -> None:
    before = APPS + (
        "MIDDLEWARE = [\n"
        "    'django.contrib.auth.middleware.AuthenticationMiddleware',  # who\n"
        "    'django.contrib.messages.middleware.MessageMiddleware',\n"
        "]\n"
    )
    after = before.replace("MessageMiddleware',\n", f"MessageMiddleware',\n    '{NEW}',\n")
    ctx = _ctx()
    check_transformed(RULE, before, after, ctx)
    assert ctx.notes == [
        f"app/module.py: added '{NEW}' to MIDDLEWARE (django-allauth 0.56.0 refuses to start "
        "without it) (see https://docs.allauth.org/en/latest/release-notes/recent.html)"
    ]


@pytest.mark.parametrize(
    ("middleware", "expected"),
    [
        pytest.param(
            'MIDDLEWARE = ("a.B", "c.D")\n', f'MIDDLEWARE = ("a.B", "c.D", "{NEW}")\n', id="inline"
        ),
        pytest.param(
            "MIDDLEWARE = (\n    'a.B',\n    'c.D'\n)\n",
            f"MIDDLEWARE = (\n    'a.B',\n    'c.D',\n    '{NEW}'\n)\n",
            id="no trailing comma",
        ),
        pytest.param(
            "MIDDLEWARE = [\n    'a.B',\n    'c.D']\n",
            f"MIDDLEWARE = [\n    'a.B',\n    'c.D', '{NEW}']\n",
            id="bracket on the last line",
        ),
        pytest.param(
            "MIDDLEWARE = [\r\n\t'a.B',\r\n]\r\n",
            f"MIDDLEWARE = [\r\n\t'a.B',\r\n\t'{NEW}',\r\n]\r\n",
            id="tabs and CRLF",
        ),
    ],
)
def test_layouts(middleware: str, expected: str) -> None:
    check_transformed(RULE, APPS + middleware, APPS + expected, _ctx())


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(APPS + f"MIDDLEWARE = ['a.B', '{NEW}']\n", id="there"),
        pytest.param(APPS + f"MIDDLEWARE = ['a.B']\nMIDDLEWARE += ['{NEW}']\n", id="added later"),
        pytest.param("INSTALLED_APPS = ['allauth']\nMIDDLEWARE = ['a.B']\n", id="no account"),
        pytest.param(APPS, id="no MIDDLEWARE here"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, _ctx())


def test_not_before_056_nor_outside_settings() -> None:
    source = APPS + "MIDDLEWARE = ['a.B']\n"
    check_noop(RULE, source, _ctx(allauth="0.55.2"))
    check_noop(RULE, source, _ctx(is_settings=False))


def test_a_list_it_cannot_edit_is_a_note() -> None:
    ctx = _ctx()
    source = APPS + "MIDDLEWARE = BASE + ['a.B']\n"
    check_noop(RULE, source, ctx)
    assert ctx.notes and ctx.notes[0].startswith(
        f"app/module.py: add '{NEW}' to MIDDLEWARE by hand"
    )
