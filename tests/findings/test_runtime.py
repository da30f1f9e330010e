"""Warnings captured at run time, matched to the catalogue entries the plan knew (issue 10).

The messages are Django's own (copied from the 3.2, 4.2 and 6.0 wheels)."""

from __future__ import annotations

import pytest

from upgrader.findings.catalogue import all_deprecations
from upgrader.findings.runtime import catalogue_id


@pytest.mark.parametrize(
    ("message", "removed_in", "expected"),
    [
        (
            "django.utils.translation.ugettext() is deprecated in favor of "
            "django.utils.translation.gettext().",
            "4.0",
            "ugettext",
        ),
        (
            "django.utils.translation.ugettext_lazy() is deprecated in favor of "
            "django.utils.translation.gettext_lazy().",
            "4.0",
            "ugettext",
        ),
        (
            "The django.utils.timezone.utc alias is deprecated. Please update your code to use "
            "datetime.timezone.utc instead.",
            "5.0",
            "timezone-utc",
        ),
        (
            "The is_dst argument to make_aware(), used by the Trunc() database functions and "
            "QuerySet.datetimes(), is deprecated as it has no effect with zoneinfo time zones.",
            "5.0",
            "is-dst-argument",
        ),
        (
            "The USE_L10N setting is deprecated. Starting with Django 5.0, localized formatting "
            "of data will always be enabled.",
            "5.0",
            "use-l10n",
        ),
        (
            "The default value of USE_TZ will change from False to True in Django 5.0. Set "
            "USE_TZ to False in your project settings if you want to keep the current default "
            "behavior.",
            "5.0",
            "use-tz-default",
        ),
        (
            "Passing unsaved model instances to related filters is deprecated.",
            "5.0",
            "unsaved-related-filter",
        ),
        ("The providing_args argument is deprecated.", "4.0", "signal-providing-args"),
        # Django 6.0.10's RemovedInDjango2028Warning (RemovedInDjango70Warning is its alias):
        # verify reads both as "2028.0", the release that removes the 6.0 deprecations.
        (
            "BadHeaderError is deprecated. Replace with ValueError.",
            "2028.0",
            "mail-bad-header-error",
        ),
        (
            "SafeMIMEText is deprecated. The return value of EmailMessage.message() is an "
            "email.message.EmailMessage.",
            "2028.0",
            "mail-legacy-classes",
        ),
        (
            "Support for the orphans argument being larger than or equal to the per_page "
            "argument is deprecated. This will raise a ValueError in Django 2028.",
            "2028.0",
            "paginator-orphans",
        ),
        ("Something the catalogue does not know about.", "5.0", None),
        # The category names another release than the entry's: not this entry.
        ("django.utils.translation.ugettext() is deprecated.", "5.1", None),
    ],
)
def test_matches(message: str, removed_in: str | None, expected: str | None) -> None:
    assert catalogue_id(message, removed_in) == expected


def test_warning_patterns_compile_and_name_the_runtime_entries() -> None:
    import re

    for entry in all_deprecations():
        if entry.warning:
            re.compile(entry.warning)
