"""get_raw_uri: request.get_raw_uri() -> request.build_absolute_uri() on hops to 4.0+."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "get_raw_uri"
HOP = context(django_from="3.2", django_to="4.0")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "logger.info('at %s', request.get_raw_uri())  # keep\n",
            "logger.info('at %s', request.build_absolute_uri())  # keep\n",
            id="request",
        ),
        pytest.param(
            "url = self.request.get_raw_uri(\n)\n",
            "url = self.request.build_absolute_uri(\n)\n",
            id="attribute receiver, layout kept",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, HOP)


@pytest.mark.parametrize(
    "source",
    [
        "url = request.build_absolute_uri()\n",
        "url = thing.get_raw_uri(strict=True)\n",
        "get_raw_uri = None\n",
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, HOP)


def test_version_gate() -> None:
    check_noop(RULE, "request.get_raw_uri()\n", context(django_from="2.2", django_to="3.2"))
