"""debug_safe_settings: the 3.1 functions become SafeExceptionReporterFilter methods."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context, run_rule

RULE = "debug_safe_settings"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from django.views.debug import get_safe_settings\n\nSAFE = get_safe_settings()\n",
            "from django.views.debug import SafeExceptionReporterFilter\n\n"
            "SAFE = SafeExceptionReporterFilter().get_safe_settings()\n",
            id="get_safe_settings",
        ),
        pytest.param(
            "from django.views import debug\nv = debug.cleanse_setting('API_KEY', key)\n",
            "from django.views.debug import SafeExceptionReporterFilter\n"
            "v = SafeExceptionReporterFilter().cleanse_setting('API_KEY', key)\n",
            id="cleanse_setting through the module",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_from="3.0", django_to="3.2"))


@pytest.mark.parametrize(
    "source",
    [
        "from django.views.debug import SafeExceptionReporterFilter\n"
        "s = SafeExceptionReporterFilter().get_safe_settings()\n",
        "from myapp.debug import get_safe_settings\ns = get_safe_settings()\n",
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_to="3.2"))


def test_base_class_is_a_manual_item() -> None:
    ctx = context(django_from="3.0", django_to="3.2")
    source = "from django.views.debug import ExceptionReporterFilter\nclass F(ExceptionReporterFilter):\n    pass\n"
    assert run_rule(RULE, source, ctx) == source
    assert len(ctx.notes) == 1 and "SafeExceptionReporterFilter" in ctx.notes[0]


def test_version_gate() -> None:
    source = "from django.views.debug import get_safe_settings\ns = get_safe_settings()\n"
    check_noop(RULE, source, context(django_from="2.2", django_to="3.0"))
    check_transformed(
        RULE,
        source,
        "from django.views.debug import SafeExceptionReporterFilter\n"
        "s = SafeExceptionReporterFilter().get_safe_settings()\n",
        context(django_from="2.2", django_to="3.1"),
    )
