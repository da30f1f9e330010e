from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "utils_six"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from django.utils import six\n\n"
            "def f(x):\n"
            "    if isinstance(x, six.string_types):  # text?\n"
            "        return six.text_type(x)\n"
            "    return six.PY3, six.string_types, six.binary_type\n",
            "def f(x):\n"
            "    if isinstance(x, str):  # text?\n"
            "        return str(x)\n"
            "    return True, (str,), bytes\n",
            id="values, string_types in isinstance",
        ),
        pytest.param(
            "from django.utils.six import iteritems, text_type\n\n"
            "for k, v in iteritems(d):\n"
            "    print(text_type(k))\n",
            "for k, v in d.items():\n    print(str(k))\n",
            id="from django.utils.six import names",
        ),
        pytest.param(
            "from django.utils import six as sx\n\n"
            "a = sx.itervalues(self.data)\n"
            "b = next(sx.iteritems(d))\n"
            "c = sx.iterkeys(x or y)\n",
            "a = self.data.values()\nb = next(iter(d.items()))\nc = (x or y).keys()\n",
            id="alias; iterator kept for next(); parentheses added",
        ),
        pytest.param(
            "from django.utils.six.moves.urllib.parse import quote, urlencode  # urls\n"
            "from django.utils.six.moves import range, zip_longest as zl\n"
            "from django.utils.six.moves import cPickle\n\n"
            "x = [quote(urlencode(a)) for a in range(3)]\n",
            "from urllib.parse import quote, urlencode  # urls\n"
            "from itertools import zip_longest as zl\n"
            "import pickle as cPickle\n\n"
            "x = [quote(urlencode(a)) for a in range(3)]\n",
            id="six.moves imports rewritten in place",
        ),
        pytest.param(
            "from django.utils import six\n\nq = six.moves.urllib.parse.urlencode(p)\nm = six.MAXSIZE\n",
            "import sys\nimport urllib.parse\n\nq = urllib.parse.urlencode(p)\nm = sys.maxsize\n",
            id="six.moves module attribute, MAXSIZE",
        ),
        pytest.param(
            "from django.utils import six\n\n\n"
            "class A(six.with_metaclass(Meta, Base)):\n"
            "    pass\n\n\n"
            "# keep\n"
            "@six.add_metaclass(Meta)\n"
            "class B:\n"
            "    pass\n",
            "class A(Base, metaclass=Meta):\n"
            "    pass\n\n\n"
            "# keep\n"
            "class B(metaclass=Meta):\n"
            "    pass\n",
            id="metaclasses",
        ),
        pytest.param(
            "from django.utils import six\n\n"
            "if six.PY3:  # modern\n"
            "    from urllib.parse import quote\n"
            "else:\n"
            "    from urllib import quote\n",
            "# modern\nfrom urllib.parse import quote\n",
            id="if six.PY3 keeps its body",
        ),
        pytest.param(
            "from django.utils import six\n\n"
            "def f(x):\n"
            "    if six.PY2:\n"
            "        return unicode(x)\n"
            "    elif x:\n"
            "        return 1\n"
            "    else:\n"
            "        return str(x)\n",
            "def f(x):\n    if x:\n        return 1\n    else:\n        return str(x)\n",
            id="if six.PY2 keeps its elif chain",
        ),
        pytest.param(
            "from django.utils import six\n\ndef f():\n    if six.PY2: return 1\n",
            "def f():\n    pass\n",
            id="dead branch removed, block stays valid",
        ),
        pytest.param(
            "from django.utils import six\n\n"
            "try:\n"
            "    pass\n"
            "except ValueError as e:\n"
            "    six.reraise(TypeError, TypeError(*e.args), sys.exc_info()[2])  # again\n"
            "class It(six.Iterator):\n"
            "    buf = six.StringIO()\n",
            "import io\n\n"
            "try:\n"
            "    pass\n"
            "except ValueError as e:\n"
            "    raise TypeError(*e.args).with_traceback(sys.exc_info()[2])  # again\n"
            "class It(object):\n"
            "    buf = io.StringIO()\n",
            id="reraise, Iterator, StringIO",
        ),
        pytest.param(
            "from django.utils import six, timezone\n\n"
            "x = six.ensure_text(y)\n"
            "z = six.text_type(1)\n",
            "from django.utils import timezone\nimport six\n\nx = six.ensure_text(y)\nz = str(1)\n",
            id="no native equivalent: external six, other names kept",
        ),
        pytest.param(
            "from django.utils.six.moves import urllib\n\nx = urllib.parse.quote(y)\n",
            "from six.moves import urllib\n\nx = urllib.parse.quote(y)\n",
            id="six.moves.urllib namespace: external six",
        ),
        pytest.param(
            "import django.utils.six as six\n\nsix.reraise(*exc_info)\n",
            "import six\n\nsix.reraise(*exc_info)\n",
            id="import django.utils.six as six",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_to="3.0"))


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import six\n\nx = six.text_type(1)\n", id="external six is pyupgrade's"),
        pytest.param("from myapp import six\n\nx = six.text_type(1)\n", id="look-alike"),
        pytest.param("text_type = str\nx = text_type(1)\n", id="local name"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_to="3.0"))


def test_not_before_3_0() -> None:
    check_noop(
        RULE, "from django.utils import six\n\nx = six.text_type(1)\n", context(django_to="2.2")
    )


def test_external_six_fallback_is_a_note() -> None:
    ctx = context(filename="app/compat.py")
    check_transformed(
        RULE,
        "from django.utils import six\n\nsix.reraise(*exc_info)\n",
        "import six\n\nsix.reraise(*exc_info)\n",
        ctx,
    )
    assert len(ctx.notes) == 1
    assert ctx.notes[0].startswith("app/compat.py: django.utils.six was removed in Django 3.0")
    assert "add six to the project's requirements" in ctx.notes[0]


def test_native_only_has_no_note() -> None:
    ctx = context()
    check_transformed(RULE, "from django.utils import six\nx = six.PY2\n", "x = False\n", ctx)
    assert ctx.notes == []


def test_plain_import_of_the_module_is_a_note() -> None:
    ctx = context(filename="app/compat.py")
    check_noop(RULE, "import django.utils.six\n\ndjango.utils.six.reraise(*e)\n", ctx)
    assert [n.split(":")[0] for n in ctx.notes] == ["app/compat.py"]
    assert "still referenced" in ctx.notes[0]
