"""inline_has_add_permission_obj: inlines' has_add_permission() takes obj (2.1 -> 3.0)."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "inline_has_add_permission_obj"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "class BookInline(admin.TabularInline):\n"
            "    def has_add_permission(self, request):\n"
            "        return super().has_add_permission(request) and request.user.is_staff\n",
            "class BookInline(admin.TabularInline):\n"
            "    def has_add_permission(self, request, obj=None):\n"
            "        return super().has_add_permission(request, obj) and request.user.is_staff\n",
            id="with super call",
        ),
        pytest.param(
            "class I(StackedInline):\n    def has_add_permission(self, request):\n"
            "        return False\n",
            "class I(StackedInline):\n    def has_add_permission(self, request, obj=None):\n"
            "        return False\n",
            id="plain",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_from="2.2", django_to="3.0"))


@pytest.mark.parametrize(
    "source",
    [
        "class A(admin.ModelAdmin):\n    def has_add_permission(self, request):\n        return 1\n",
        "class I(admin.TabularInline):\n    def has_add_permission(self, request, obj):\n"
        "        return 1\n",
        "class I(admin.TabularInline):\n    def has_add_permission(self, *args):\n        return 1\n",
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_to="3.0"))


def test_version_gate() -> None:
    source = (
        "class I(TabularInline):\n    def has_add_permission(self, request):\n        return 1\n"
    )
    check_noop(RULE, source, context(django_from="2.1", django_to="2.2"))
    check_transformed(
        RULE,
        source,
        "class I(TabularInline):\n    def has_add_permission(self, request, obj=None):\n"
        "        return 1\n",
        context(django_from="2.2", django_to="3.0"),
    )
