"""signer_keyword_args: positional Signer arguments become keywords (Django 4.2 -> 5.1)."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "signer_keyword_args"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from django.core.signing import Signer\ns = Signer('secret', ':', 'salt')\n",
            "from django.core.signing import Signer\ns = Signer(key='secret', sep=':', salt='salt')\n",
            id="three positional",
        ),
        pytest.param(
            "from django.core import signing\n"
            "s = signing.TimestampSigner(\n    KEY,\n    salt='x',\n)\n",
            "from django.core import signing\n"
            "s = signing.TimestampSigner(\n    key=KEY,\n    salt='x',\n)\n",
            id="module alias, layout kept",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_from="4.2", django_to="5.1"))


@pytest.mark.parametrize(
    "source",
    [
        "from django.core.signing import Signer\ns = Signer(key='k', salt='s')\n",
        "from django.core.signing import Signer\ns = Signer(*args)\n",
        "from django.core.signing import Signer\ns = Signer('k', key='again')\n",
        "from itsdangerous import Signer\ns = Signer('secret')\n",
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_to="5.1"))


def test_version_gate() -> None:
    source = "from django.core.signing import Signer\ns = Signer('k')\n"
    check_noop(RULE, source, context(django_from="3.2", django_to="4.1"))
    check_transformed(
        RULE,
        source,
        "from django.core.signing import Signer\ns = Signer(key='k')\n",
        context(django_from="3.2", django_to="4.2"),
    )
