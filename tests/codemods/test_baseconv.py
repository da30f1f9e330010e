from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "baseconv"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from django.utils.baseconv import base62\n\n"
            "token = base62.encode(user.pk)  # short id\n"
            "pk = base62.decode(token)\n",
            "from django.core.signing import b62_decode, b62_encode\n\n"
            "token = b62_encode(user.pk)  # short id\n"
            "pk = b62_decode(token)\n",
            id="from import",
        ),
        pytest.param(
            "from django.utils import baseconv as bc\n\nx = bc.base62.encode(1)\n",
            "from django.core.signing import b62_encode\n\nx = b62_encode(1)\n",
            id="module alias",
        ),
        pytest.param(
            "from django.core import signing\n"
            "from django.utils.baseconv import base62\n\n"
            "x = base62.encode(signing.b62_decode(y))\n",
            "from django.core import signing\n"
            "from django.core.signing import b62_encode\n\n"
            "x = b62_encode(signing.b62_decode(y))\n",
            id="nested with existing signing use",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_to="4.0"))


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from baseconv import base62\n\nx = base62.encode(1)\n", id="python-baseconv package"
        ),
        pytest.param(
            "from django.utils.baseconv import base62\n\nx = base62.encode(a, b)\n",
            id="unexpected arguments",
        ),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_to="4.0"))


def test_not_before_4_0() -> None:
    source = "from django.utils.baseconv import base62\n\nx = base62.encode(1)\n"
    check_noop(RULE, source, context(django_to="3.2"))


def test_other_converters_are_notes() -> None:
    ctx = context(filename="app/ids.py")
    source = (
        "from django.utils import baseconv\n"
        "from django.utils.baseconv import base36\n\n"
        "a = base36.encode(3)\n"
        "b = baseconv.BaseConverter('ab').decode(x)\n"
    )
    check_noop(RULE, source, ctx)
    assert [note.split(" was removed")[0] for note in ctx.notes] == [
        "app/ids.py:4: django.utils.baseconv.base36.encode",
        "app/ids.py:5: django.utils.baseconv.BaseConverter.decode",
    ]
