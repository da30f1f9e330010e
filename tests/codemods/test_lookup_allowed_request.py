"""lookup_allowed_request: ModelAdmin.lookup_allowed() takes request (5.0 -> 6.0)."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "lookup_allowed_request"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "class BookAdmin(admin.ModelAdmin):\n"
            "    def lookup_allowed(self, lookup, value):\n"
            "        if lookup == 'x':\n            return True\n"
            "        return super().lookup_allowed(lookup, value)\n",
            "class BookAdmin(admin.ModelAdmin):\n"
            "    def lookup_allowed(self, lookup, value, request=None):\n"
            "        if lookup == 'x':\n            return True\n"
            "        return super().lookup_allowed(lookup, value, request)\n",
            id="with super call",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_from="4.2", django_to="5.0"))


@pytest.mark.parametrize(
    "source",
    [
        "class A(admin.ModelAdmin):\n    def lookup_allowed(self, lookup, value, request):\n"
        "        return True\n",
        "class A(admin.ModelAdmin):\n    def lookup_allowed(self, *args, **kwargs):\n"
        "        return True\n",
        "class Helper:\n    def lookup_allowed(self, lookup, value):\n        return True\n",
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_to="6.0"))


def test_version_gate() -> None:
    """Before 5.0 Django's own lookup_allowed() takes no request: super() cannot pass it."""
    source = (
        "class A(ModelAdmin):\n    def lookup_allowed(self, lookup, value):\n        return 1\n"
    )
    check_noop(RULE, source, context(django_from="3.2", django_to="4.2"))
    check_transformed(
        RULE,
        source,
        "class A(ModelAdmin):\n    def lookup_allowed(self, lookup, value, request=None):\n"
        "        return 1\n",
        context(django_from="4.2", django_to="5.0"),
    )
