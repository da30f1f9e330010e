from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "request_is_ajax"
EQ = 'request.headers.get("x-requested-with") == "XMLHttpRequest"'
NE = 'request.headers.get("x-requested-with") != "XMLHttpRequest"'


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param("if request.is_ajax():\n    pass\n", f"if {EQ}:\n    pass\n", id="if test"),
        pytest.param(
            "if not request.is_ajax():  # html\n    pass\n",
            f"if {NE}:  # html\n    pass\n",
            id="not becomes !=",
        ),
        pytest.param(
            "ok = self.request.is_ajax() and x\n",
            f"ok = self.{EQ} and x\n",
            id="self.request in boolean operation",
        ),
        pytest.param(
            "return JsonResponse({'ajax': wsgi_request.is_ajax()})\n",
            "return JsonResponse({'ajax': wsgi_request.headers.get('x-requested-with') == "
            "'XMLHttpRequest'})\n",
            id="name ending in request, single quotes kept",
        ),
        pytest.param(
            "y = x == request.is_ajax()\n", f"y = x == ({EQ})\n", id="parenthesized in a comparison"
        ),
        pytest.param(
            "v = req.is_ajax().real\n",
            f"v = ({EQ.replace('request', 'req', 1)}).real\n",
            id="req, attribute of the result",
        ),
        pytest.param(
            'log.info(f"ajax={request.is_ajax()}")\n',
            "log.info(f\"ajax={request.headers.get('x-requested-with') == 'XMLHttpRequest'}\")\n",
            id="inside an f-string: the other quote",
        ),
        pytest.param(
            "w = not (request.is_ajax())\n",
            f"w = not ({EQ})\n",
            id="parenthesized call keeps its parentheses",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_to="3.1"))


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("request.is_ajax\n", id="not called"),
        pytest.param("request.is_ajax(strict=True)\n", id="called with arguments"),
        pytest.param("def is_ajax(self):\n    return True\n", id="method definition"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source)


def test_not_before_3_1() -> None:
    check_noop(RULE, "if request.is_ajax():\n    pass\n", context(django_to="3.0"))


def test_unknown_receiver_is_a_note() -> None:
    ctx = context(filename="app/views.py")
    check_noop(RULE, "x = 1\nif client.is_ajax():\n    pass\n", ctx)
    assert len(ctx.notes) == 1
    assert ctx.notes[0].startswith("app/views.py:2: client.is_ajax(): if this is an HttpRequest")
