"""The scanner on ``response._headers`` (F20: gone in Django 3.2), and what the rewrite leaves."""

from __future__ import annotations

import textwrap

import pytest

from tests.codemods.helpers import context, run_rule
from upgrader.findings import scan_source

ID = "response-private-headers"


def found(source: str, filename: str = "tests/test_views.py") -> list[int]:
    return [f.line for f in scan_source(textwrap.dedent(source), filename) if f.id == ID]


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        pytest.param('x = response._headers["location"][1]\n', [1], id="subscript"),
        pytest.param('x = self.client.get("/")._headers\n', [1], id="call receiver"),
        pytest.param("x = responses[0]._headers\n", [1], id="subscript receiver"),
        pytest.param(
            "for k, v in self.response._headers.values():\n    pass\n", [1], id="iteration"
        ),
        pytest.param(
            """\
            class JSONResponse(HttpResponse):
                def names(self):
                    return self._headers
            """,
            [3],
            id="self in a response class",
        ),
        pytest.param(
            """\
            class Thing(http.HttpResponseBase):
                def names(self):
                    return self._headers
            """,
            [3],
            id="self in a response subclass",
        ),
    ],
)
def test_detects(source: str, lines: list[int]) -> None:
    assert found(source) == lines


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("class Cache:\n    def get(self):\n        return self._headers\n", id="own"),
        pytest.param("x = msg._headers[0]\n", id="mail message"),
        pytest.param("x = email_message._headers\n", id="mail message name"),
        pytest.param('x = response.headers["location"]\n', id="public headers"),
        pytest.param('x = response["location"]\n', id="item"),
    ],
)
def test_leaves_look_alikes_alone(source: str) -> None:
    assert found(source) == []


def test_what_the_rewrite_leaves_is_the_manual_item() -> None:
    source = textwrap.dedent(
        """\
        def test_redirect(response):
            assert response._headers["location"][1] == "/next/"
            name = response._headers["location"][0]
            assert "location" in response._headers
        """
    )
    assert found(source) == [2, 3, 4]
    hop = context(django_from="2.2", django_to="3.2", filename="tests/test_views.py")
    rewritten = run_rule("response_headers", source, hop)
    assert found(rewritten) == [3]
