from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "render_to_response"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from django.shortcuts import render, render_to_response\n\n"
            "def results(request, pk):\n"
            "    return render_to_response('polls/results.html', {\n"
            "        'question': pk,\n"
            "    })\n",
            "from django.shortcuts import render\n\n"
            "def results(request, pk):\n"
            "    return render(request, 'polls/results.html', {\n"
            "        'question': pk,\n"
            "    })\n",
            id="render-already-imported",
        ),
        pytest.param(
            "from django.shortcuts import render_to_response\n\n"
            "class V:\n"
            "    def get(self, request):\n"
            "        return render_to_response('t.html')  # keep me\n",
            "from django.shortcuts import render\n\n"
            "class V:\n"
            "    def get(self, request):\n"
            "        return render(request, 't.html')  # keep me\n",
            id="method",
        ),
        pytest.param(
            "from django import shortcuts\n\n"
            "def v(request):\n"
            "    return shortcuts.render_to_response('t.html', {})\n",
            "from django.shortcuts import render\n\n"
            "def v(request):\n"
            "    return render(request, 't.html', {})\n",
            id="module-attribute-import-dropped-when-unused",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    check_transformed(RULE, before, after)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from jinja_helpers import render_to_response\n\ndef v(request):\n    return render_to_response('t')\n",
            id="look-alike-from-another-module",
        ),
        pytest.param(
            "from django.shortcuts import render_to_response\n\ndef v(req):\n    return render_to_response('t')\n",
            id="no-request-parameter",
        ),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source)


def test_no_request_becomes_a_manual_note() -> None:
    ctx = context(filename="app/views.py")
    source = "from django.shortcuts import render_to_response\n\ndef v(req):\n    return render_to_response('t')\n"
    check_noop(RULE, source, ctx)
    assert any("app/views.py:4" in note for note in ctx.notes)


def test_below_its_version() -> None:
    source = "from django.shortcuts import render, render_to_response\n\ndef v(request):\n    return render_to_response('t')\n"
    check_noop(RULE, source, context(django_to="2.2"))
