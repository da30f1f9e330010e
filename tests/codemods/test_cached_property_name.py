"""cached_property_name: the ignored name argument is dropped (4.1 deprecation, 5.0 removal)."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "cached_property_name"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from django.utils.functional import cached_property\n"
            "class A:\n    x = cached_property(_x, name='x')\n",
            "from django.utils.functional import cached_property\n"
            "class A:\n    x = cached_property(_x)\n",
            id="keyword",
        ),
        pytest.param(
            "from django.utils import functional\n"
            "class A:\n    x = functional.cached_property(_x, 'x')\n",
            "from django.utils import functional\nclass A:\n    x = functional.cached_property(_x)\n",
            id="positional",
        ),
        pytest.param(
            "from django.utils.functional import cached_property as cp\n"
            "class A:\n    x = cp(_x, name='x')\n",
            "from django.utils.functional import cached_property as cp\nclass A:\n    x = cp(_x)\n",
            id="aliased-import-passes-the-ast-pre-check",
        ),
        pytest.param(
            "import django.utils.functional\n"
            "x = django.utils.functional.cached_property(_x, 'x')\n",
            "import django.utils.functional\nx = django.utils.functional.cached_property(_x)\n",
            id="module-attribute",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_from="4.0", django_to="5.0"))


@pytest.mark.parametrize(
    "source",
    [
        "from django.utils.functional import cached_property\nx = cached_property(f)\n",
        "from functools import cached_property\nx = cached_property(f)\n",
        pytest.param(
            "from functools import cached_property\nx = cached_property(f, 'x')\n",
            id="not-django-with-two-arguments",
        ),
        "from django.utils.functional import cached_property\nx = cached_property(*a)\n",
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_to="5.0"))


def test_version_gate() -> None:
    source = "from django.utils.functional import cached_property\nx = cached_property(f, 'x')\n"
    check_noop(RULE, source, context(django_from="3.2", django_to="4.0"))
    check_transformed(
        RULE,
        source,
        "from django.utils.functional import cached_property\nx = cached_property(f)\n",
        context(django_from="3.2", django_to="4.1"),
    )
