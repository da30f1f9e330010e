from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "settings_file_charset"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "USE_TZ = True\n\n# Template files are read with this encoding.\n"
            "FILE_CHARSET = 'utf-8'\n\nSTATIC_URL = '/static/'\n",
            "USE_TZ = True\n\n# Template files are read with this encoding.\n\n"
            "STATIC_URL = '/static/'\n",
            id="newsroom-comment-kept",
        ),
        pytest.param('DEBUG = True\nFILE_CHARSET = "UTF8"\n', "DEBUG = True\n", id="utf8-spelling"),
        pytest.param(
            "A = 1; FILE_CHARSET = 'utf_8'  # why\nB = 2\n",
            "A = 1  # why\nB = 2\n",
            id="same-line-as-another-setting",
        ),
    ],
)
def test_transformed(before: str, after: str) -> None:
    ctx = context(django_to="3.1", is_settings=True)
    check_transformed(RULE, before, after, ctx)
    assert ctx.notes == []


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("FILE_CHARSETS = 'utf-8'\n", id="other-name"),
        pytest.param("def f():\n    FILE_CHARSET = 'utf-8'\n", id="function-local"),
    ],
)
def test_look_alikes(source: str) -> None:
    ctx = context(django_to="3.1", is_settings=True)
    check_noop(RULE, source, ctx)
    assert ctx.notes == []


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("'latin-1'", id="other-encoding"),
        pytest.param("os.environ['CHARSET']", id="not-a-literal"),
        pytest.param("'no-such-codec'", id="unknown-codec"),
    ],
)
def test_other_values_are_a_manual_item(value: str) -> None:
    ctx = context(django_to="3.2", is_settings=True, filename="proj/settings.py")
    check_noop(RULE, f"import os\n\nFILE_CHARSET = {value}\n", ctx)
    assert len(ctx.notes) == 1
    assert ctx.notes[0].startswith("proj/settings.py:3: FILE_CHARSET is ignored since Django 3.1")


def test_only_settings_modules() -> None:
    check_noop(RULE, "FILE_CHARSET = 'utf-8'\n", context(django_to="3.1", is_settings=False))


def test_old_target_version() -> None:
    check_noop(RULE, "FILE_CHARSET = 'utf-8'\n", context(django_to="3.0", is_settings=True))
