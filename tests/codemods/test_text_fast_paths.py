"""The rules' text paths (edits at ``ast`` positions, no libcst) against their libcst passes.

For every case the rule as registered (text path first) and the rule with ``text_edits=False``
(the libcst pass alone) give the same text and the same notes; ``taken`` says whether the text
path decides the case itself (False: it hands the file to libcst), so a case meant for one side
cannot silently drift to the other.
"""

from __future__ import annotations

import ast

import pytest

from codemods import html_escape_apostrophe, pytz_to_zoneinfo, request_is_ajax
from codemods._python_text import Positions, parenthesized, replace_spans
from tests.codemods.helpers import context

TESTS = "app/tests/test_views.py"


def _both(module: object, source: str, filename: str) -> None:
    fast_context = context(django_from="2.2", django_to="5.2", filename=filename)
    slow_context = context(django_from="2.2", django_to="5.2", filename=filename)
    fast = module.transform(source, fast_context)  # type: ignore[attr-defined]
    slow = module.transform(source, slow_context, text_edits=False)  # type: ignore[attr-defined]
    assert fast == slow
    assert fast_context.notes == slow_context.notes


ESCAPE_CASES = [
    # (source, taken)
    ("self.assertEqual(x, 'Alice&#39;s')\n", True),
    ("self.assertEqual(x, b'Alice&#39;s &#39;')\n", True),
    ("assert '&#39;' in out, 'msg &#39;'\n", True),
    ("self.assertIn(\n    'a&#39;' 'b&#39;',\n    out)\n", True),
    ("self.assertIn(\n    'a&#39;'  # a comment\n    'b',\n    out)\n", False),
    ("self.assertIn('a&#39;' \\\n    'b', out)\n", True),
    ("self.assertContains(r, f'{name}&#39;s page')\n", True),
    ("self.assertContains(r, f'{name!r:>10}&#39;s {x[\"&#39;\"]}')\n", True),
    ('self.assertContains(r, f"""{name}&#39;s\n page""")\n', False),
    ("x = '&#39;'\nself.assertEqual(y, '&#39;')\n", True),
    ("def test(self):\n    s = '&#39;' % 1\n    self.assertEqual(out, s)\n", True),
    ("def test(self):\n    s = '&#39;'; t = '&#39;'\n    self.assertEqual(out, s)\n", True),
    ("def test(self):\n    s = '&#39;'\n    print(s)\n    self.assertEqual(out, s)\n", True),
    ("self.assertEqual(f'{self.assertTrue(\"&#39;\")}&#39;', y)\n", False),
    ("self.assertEqual(x, '\u00e9&#39;\u00e9', '&#39;')  # caf\u00e9\n", True),
    ("mock.assert_called_with('&#39;')\n", True),
    ("# &#39; in a comment\nassert x == '&#39;'\n", True),
    (
        "@pytest.mark.parametrize('a,b', [(1, '&#39;'), pytest.param(2, '&#39;&#39;')])\n"
        "def test(a, b):\n    assert f(a) == b\n",
        True,
    ),
    (
        "@pytest.mark.parametrize('b', ['&#39;'  # one\n    ])\ndef test(b):\n    assert b\n",
        True,
    ),
]


@pytest.mark.parametrize(("source", "taken"), ESCAPE_CASES)
def test_html_escape_apostrophe(source: str, taken: bool) -> None:
    _both(html_escape_apostrophe, source, TESTS)
    tree = ast.parse(source)
    bound = html_escape_apostrophe.bound_to_assertions(tree)
    tables = html_escape_apostrophe.parametrized_expectations(tree)
    fast = html_escape_apostrophe.text_transform(source, tree, bound, tables)
    assert (fast is not None) is taken


AJAX_CASES = [
    ("if request.is_ajax():\n    pass\n", True),
    ("if not request.is_ajax():  # html\n    pass\n", True),
    ("ok = self.request.is_ajax() and x\n", True),
    ("return JsonResponse({'ajax': wsgi_request.is_ajax()})\n", True),
    ("y = x == request.is_ajax()\n", True),
    ("y = (request.is_ajax() == x)\n", True),
    ("v = req.is_ajax().real\n", True),
    ("v = (req.is_ajax()).real\n", False),
    ("v = (req.is_ajax() or 1).real\n", True),
    ('log.info(f"ajax={request.is_ajax()}")\n', False),
    ('log.info(f"ajax={g(request.is_ajax())}")\n', False),
    ("w = not (request.is_ajax())\n", False),
    ("w = not request.is_ajax()\n", True),
    ("w = x and not request.is_ajax()\n", True),
    ("w = (not request.is_ajax()) + 1\n", False),
    ("w = -request.is_ajax()\n", True),
    ("f(request.is_ajax(), key=self.request.is_ajax())\n", True),
    ("f(*request.is_ajax())\n", False),
    ("x = [request.is_ajax(), {request.is_ajax(): 1}]\n", True),
    ("x = {**request.is_ajax()}\n", False),
    ("x = [request.is_ajax(), (request.is_ajax(),)]\n", True),
    ("x = [r.is_ajax() for r in rs if request.is_ajax()]\n", True),
    ("x = d[request.is_ajax()]\n", True),
    ("x = d[request.is_ajax():]\n", True),
    ("x = lambda: request.is_ajax()\n", True),
    ("x = request.is_ajax() if a else b\n", True),
    ("x += request.is_ajax()\n", True),
    ("x = (a ==\n     request.is_ajax())\n", False),
    ("x = request . is_ajax()\n", False),
    ("x = request.is_ajax( )\n", False),
    ("x = client.is_ajax()\nif not c.is_ajax(): pass\n", True),
    ("x = f(client.is_ajax())\n", False),
    ("x = foo.is_ajax().is_ajax()\n", False),
    ("x = get_request().is_ajax()\n", True),
    ("x = requests[0].is_ajax()\n", True),
    ("x = request.is_ajax(strict=True)\n", True),
    ("with request.is_ajax():\n    pass\n", False),
    ("x = '\u00e9' + request.is_ajax()  # caf\u00e9\n", True),
]


@pytest.mark.parametrize(("source", "taken"), AJAX_CASES)
def test_request_is_ajax(source: str, taken: bool) -> None:
    _both(request_is_ajax, source, "app/views.py")
    tree = ast.parse(source)
    assert (request_is_ajax.text_transform(source, tree, "app/views.py") is not None) is taken


def test_positions_count_utf8_columns() -> None:
    source = "x = '\u00e9\u00e9'; y = 1\r\nz = 'a'\n"
    tree = ast.parse(source)
    positions = Positions(source)
    names = [node for node in ast.walk(tree) if isinstance(node, ast.Name)]
    assert [positions.segment(name) for name in names] == ["x", "y", "z"]
    assert not Positions.supported("x = 1\ry = 2\n")


def test_replace_spans() -> None:
    assert replace_spans("abcdef", [(4, 5, "E"), (0, 2, "")]) == "cdEf"
    source = "abc"
    assert replace_spans(source, []) is source
    with pytest.raises(ValueError, match="overlapping"):
        replace_spans("abcdef", [(0, 3, ""), (2, 4, "")])


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("f(x)", None),  # the call's parentheses or its own: cannot tell
        ("(x) + 1", None),
        ("(x + 1)", False),
        ("a = x", False),
        ("x", None),  # at the line's edges
        ("(x  # c\n)", None),
    ],
)
def test_parenthesized(source: str, expected: bool | None) -> None:
    start = source.index("x")
    assert parenthesized(source, start, start + 1) is expected


PYTZ_CASES = [
    ("import datetime\nimport pytz\n\nx = datetime.datetime(2020, 1, 1, tzinfo=pytz.utc)\n", True),
    (
        "import pytz\nfrom django.utils import timezone\n\ntimezone.activate(pytz.timezone('E'))\n",
        True,
    ),
    ("import os\n\nimport pytz\nx = now(pytz.UTC)\n", True),
    ("import os\n# zones\nimport pytz\nx = now(pytz.UTC)\n", True),
    ('"""Doc."""\nimport pytz\n\nx = now(pytz.utc)\n', True),
    ('"""Doc."""\n\nx = 1\nimport pytz\nx = now(pytz.utc)\n', False),
    ("# header\n\nimport pytz\n\n\nx = now(pytz.utc)\n", True),
    ("from datetime import datetime\nimport pytz\nx = datetime.now(pytz.utc)\n", True),
    ("from datetime import datetime  # c\nimport pytz\nx = datetime.now(pytz.utc)\n", True),
    ("from datetime import (datetime)\nimport pytz\nx = datetime.now(pytz.utc)\n", False),
    (
        "from datetime import datetime\nfrom django.utils import timezone\nimport pytz\n"
        "x = datetime.now(pytz.utc)\n",
        True,
    ),
    ("import pytz\ndef f(datetime):\n    return now(pytz.utc)\n", False),
    ("import pytz\nfrom datetime import timezone\nx = now(pytz.utc)\n", False),
    ("import pytz\nimport datetime.x\nx = now(pytz.utc)\n", False),
    ("import pytz\nimport zoneinfo\nx = now(pytz.timezone(n))\n", True),
    ("import pytz\nnames = pytz.all_timezones\nx = now(tz=pytz.UTC)\n", True),
    (
        "import pytz\n\ndef zone(name):\n    return pytz.timezone(name)\n\nb = f(d, pytz.utc)\n",
        True,
    ),
    ("import pytz\nx = now(pytz.timezone(name=n), pytz.timezone(*a))\n", True),
    ("import pytz\nx = tz.localize(naive)\ny = now(pytz.utc)\n", False),
    ("import pytz\nfrom django.core import exceptions\ny = now(pytz.utc)\n", True),
    ("import pytz\ntry:\n    pass\nexcept pytz.UnknownTimeZoneError:\n    pass\n", False),
    ("import pytz\n__all__ = ['pytz']\ny = now(pytz.utc)\n", False),
    ("import pytz\ny = now(pytz().utc)\n", False),
    ("import pytz\ny = now((pytz.timezone)(n))\n", False),
    ("import pytz\ny = now(pytz.timezone[0](n))\n", False),
    ("import pytz\ny = now(tzinfo=(pytz.utc))\n", True),
    ("import pytz as p\ny = now(p.utc)\n", False),
    ("from pytz import utc\ny = now(utc)\n", False),
    ("import pytz\r\ny = now(pytz.utc)\r\n", True),
    ("import pytz\ny = now(pytz.utc)", False),
    ("import pytz; import os\ny = now(pytz.utc)\n", False),
    ("if x:\n    import pytz\ny = now(pytz.utc)\n", False),
    ("import pytz\nclass pytz: pass\n", False),
    ("import pytz\n\nimport datetime\nx = now(pytz.utc)\n", True),
    ("import os\ndef f():\n    pass\n\nimport pytz\nx = now(pytz.utc)\n", False),
]


@pytest.mark.parametrize(("source", "taken"), PYTZ_CASES)
def test_pytz_to_zoneinfo(source: str, taken: bool) -> None:
    _both(pytz_to_zoneinfo, source, "app/zones.py")
    tree = ast.parse(source)
    decided = pytz_to_zoneinfo.text_transform(source, tree, "app/zones.py")
    assert (decided is not None) is taken
