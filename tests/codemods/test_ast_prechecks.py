"""The ``ast`` checks rules make before libcst never change what a rule does, and the parse cache.

Each case is a file a rule's needles let through. The rule as registered (``ast`` check first)
must give the same text and the same notes as its libcst pass alone (``run_rule`` with the
rule's transformer); the cases where the check skips libcst are counted, so a check that always
says "go on" fails too.
"""

from __future__ import annotations

import ast

import pytest

from codemods import get_rule
from codemods._base import parse_module
from codemods._python import ast_full_name, import_targets, may_refer_to, parse_ast, run_rule
from tests.codemods.helpers import context

PYTZ = [
    "import pytz\nZONES = pytz.common_timezones\n",  # skipped: nothing acted on
    "# pytz is gone\nimport datetime\n",  # skipped: a comment
    "import pytz\nx = now(tz=pytz.utc)\n",
    "import pytz as p\nx = now(tz=p.UTC)\nz = p.timezone('Europe/Paris')\n",
    "from pytz import utc\nx = now(tz=utc)\n",
    "from pytz import utc as u\nf(utc=1)\n",
    "from pytz.exceptions import UnknownTimeZoneError\n",
    "import pytz.exceptions\n",
    "import pytz\ntry:\n    pass\nexcept pytz.UnknownTimeZoneError:\n    pass\n",
    "import pytz\nd = zone.localize(dt)\n",  # a note: localize in a file naming pytz
    "d = zone.normalize(dt)  # pytz\n",
    "class pytz:\n    utc = 1\nx = now(tz=pytz.utc)\n",
    "pytz = load()\nx = now(tz=pytz.utc)\n",
    "def pytz():\n    exceptions = 1\n    return exceptions\n",
    "import pytz as p\nfrom p.exceptions import X\n",
    "import pytz\nx = now(tz=pytz().utc)\n",
    "import pytz\nx = pytz.timezone\ny = astimezone(x('UTC'))\n",
]
MOVED = [
    "from django.utils import functional\nx = functional.cached_property\n",  # skipped
    "# from django.utils.decorators import classproperty\n",  # skipped
    "from django.utils.decorators import classproperty\n",
    "from django.utils.decorators import classproperty as cp, method_decorator\n",
    "from django.utils import decorators\nx = decorators.classproperty\n",
    "import django.utils.decorators\nx = django.utils.decorators.classproperty\n",
    "import django\nx = django.utils.decorators.classproperty\n",
    "import django.utils.decorators as d\nx = d.classproperty()\ny = d[0].ContextDecorator\n",
    "from django.contrib.gis.db.models.functions import ForceRHR\nx = ForceRHR('g')\n",
    "from django.utils.http import parse_qsl\n",
    "from urllib.parse import parse_qsl\nparse_qsl('a=b')\n",  # skipped: not Django's
    "from django.db.models import query\nraise query.EmptyResultSet\n",
    "from django.utils.decorators import *\nclassproperty\n",  # skipped: a star import
]
CACHED_PROPERTY = [
    # skipped: timezone is Django's, but no cached_property call is given two arguments
    "from django.utils import timezone\nfrom functools import cached_property\n"
    "x = timezone.datetime(2020, 1, 1)\n",
    "from functools import cached_property\ncached_property(f, 'x')\n",  # skipped
    "from django.utils.functional import cached_property\nx = cached_property(f, name='x')\n",
    "from django.utils.functional import cached_property as cp\nx = cp(f, 'x')\n",
    "from django.utils import functional\nx = functional.cached_property(f, 'x')\n",
    "import django.utils.functional\nx = django.utils.functional.cached_property(f, 'x')\n",
    "from django.utils.functional import cached_property\nx = cached_property()(f, 'x')\n",
    "from django.utils.functional import cached_property\nx = cached_property(f)\n",
]
IS_AJAX = [
    "def view(request):\n    return 'is_ajax' in request.META\n",  # skipped
    "def view(request):\n    return request.is_ajax(True)\n",  # skipped: an argument
    "def view(request):\n    return request.is_ajax()\n",
    "def view(request):\n    return not self.request.is_ajax()\n",
    "def view(thing):\n    return thing.is_ajax()\n",  # a note
    "def view(request):\n    return f'{request.is_ajax()}'\n",
]
ITERATOR = [
    "qs = Book.objects.prefetch_related('a')\nfor b in qs.iterator():\n    pass\n",  # skipped
    "x = Book.objects.prefetch_related('a').iterator(100)\n",  # skipped: an argument
    "x = Book.objects.prefetch_related('a').iterator()\n",
    "x = Book.objects.prefetch_related('a').filter(b=1)[0:3].all().iterator()\n",
    "x = f(prefetch_related()).iterator()\n",
    "x = prefetch_related().iterator()\n",
]
TIMEZONE_UTC = [
    "from django.utils import timezone\nimport datetime\nx = datetime.timezone.utc\n",  # skipped
    "from django.utils import timezone\nx = timezone.utc\n",
    "from django.utils.timezone import utc\nx = utc\n",
    "import django.utils.timezone as tz\nx = tz.utc\n",
    "from django.utils import timezone\nx = timezone.now().utc\n",
]
OS_PY2 = [
    "from os.path import abspath\nx = abspath(p)  # upath\n",  # skipped
    "from django.utils._os import upath\nx = upath(p)\n",
    "from django.utils import _os\nx = _os.abspathu(p)\n",
    "from django.utils._os import npath as n\nx = n(p)\n",
]
SIGNER = [
    "from django.core.signing import Signer\ns = Signer()\n",  # skipped: no positional argument
    "from django.core.signing import Signer\ns = Signer('key')\n",
    "from django.core import signing\ns = signing.TimestampSigner('key', sep=':')\n",
]
FROM_DB_VALUE = [
    "class F(Field):\n    def from_db_value(self, value, expression, connection):\n"
    "        return value\n",  # skipped: already four parameters
    "class F(Field):\n    def from_db_value(self, value, expression, connection, context):\n"
    "        return value\n",
    "class F(Field):\n    def from_db_value(self, value, expression, connection, context):\n"
    "        return context\n",  # a note
]
DEFAULTED = [
    "class I(admin.TabularInline):\n    def has_add_permission(self, request, obj):\n"
    "        return True\n",  # skipped: already has obj
    "class I(admin.TabularInline):\n    def has_add_permission(self, request):\n"
    "        return super().has_add_permission(request)\n",
    "class A(admin.ModelAdmin):\n    def lookup_allowed(self, lookup, value):\n        return True\n",
]
CALLABLE_CHOICES = [
    "from django.utils.choices import CallableChoiceIterator\n",  # skipped: the new place
    "from django.forms.fields import CallableChoiceIterator\n",
    "from django.forms.fields import CallableChoiceIterator as C, Field\nx = C(f)\n",
    "from django.forms import fields\nx = fields.CallableChoiceIterator(f)\nx.choices_func\n",
]
DEBUG = [
    "from django.views import debug\nx = debug.SafeExceptionReporterFilter()\n"
    "# get_safe_settings\n",  # skipped
    "from django.views.debug import get_safe_settings\nx = get_safe_settings()\n",
    "from django.views import debug\nx = debug.cleanse_setting('K', 'v')\n",
    "from django.views.debug import ExceptionReporterFilter\n"
    "class F(ExceptionReporterFilter):\n    pass\n",  # a note
]
CONSTRAINT = [
    "from django.db.models import CheckConstraint\n# BaseConstraint\n"
    "c = CheckConstraint(check=Q(a=1), name='a')\n",  # skipped
    "from django.db.models import BaseConstraint\n"
    "class C(BaseConstraint):\n    def __init__(self, n):\n        super().__init__(n)\n",
    "from django.db import models\nc = models.BaseConstraint('name', 'message')\n",
    "from django.db.models import constraints as c\nclass C(c.BaseConstraint): pass\n"
    "x = C()  # BaseConstraint\n",
]
RESPONSE_HEADERS = [
    "def test(self):\n    self.client.get('/', extra_headers={'a': 1})\n",  # skipped
    "def test(response):\n    assert response._headers['a'][1] == 'b'\n",
    "def test(response):\n    _, value = response._headers['a']\n    return 'a' in response._headers\n",
]
CASES = [
    *(("pytz_to_zoneinfo", source) for source in PYTZ),
    *(("moved_names", source) for source in MOVED),
    *(("cached_property_name", source) for source in CACHED_PROPERTY),
    *(("request_is_ajax", source) for source in IS_AJAX),
    *(("iterator_chunk_size", source) for source in ITERATOR),
    *(("timezone_utc_attribute", source) for source in TIMEZONE_UTC),
    *(("utils_os_py2", source) for source in OS_PY2),
    *(("signer_keyword_args", source) for source in SIGNER),
    *(("from_db_value_context", source) for source in FROM_DB_VALUE),
    *(("inline_has_add_permission_obj", source) for source in DEFAULTED),
    *(("lookup_allowed_request", source) for source in DEFAULTED),
    *(("forms_callable_choice_iterator", source) for source in CALLABLE_CHOICES),
    *(("debug_safe_settings", source) for source in DEBUG),
    *(("constraint_keyword_args", source) for source in CONSTRAINT),
    *(("response_headers", source) for source in RESPONSE_HEADERS),
]


def _transformer(rule_id: str) -> type:
    module = __import__(f"codemods.{rule_id}", fromlist=["_Transformer"])
    transformer: type = module._Transformer
    return transformer


def _both(rule_id: str, source: str) -> tuple[tuple[str, list[str]], tuple[str, list[str]]]:
    rule = get_rule(rule_id)
    checked, libcst_only = context(filename="app/views.py"), context(filename="app/views.py")
    first = rule.transform(source, checked)
    second = run_rule(source, libcst_only, _transformer(rule_id))
    return (first, checked.notes), (second, libcst_only.notes)


@pytest.mark.parametrize(("rule_id", "source"), CASES)
def test_ast_check_changes_nothing_the_rule_does(rule_id: str, source: str) -> None:
    with_check, libcst_only = _both(rule_id, source)
    assert with_check == libcst_only


@pytest.mark.parametrize(
    ("rule_id", "sources"),
    [
        ("pytz_to_zoneinfo", PYTZ),
        ("moved_names", MOVED),
        ("cached_property_name", CACHED_PROPERTY),
        ("request_is_ajax", IS_AJAX),
        ("iterator_chunk_size", ITERATOR),
        ("timezone_utc_attribute", TIMEZONE_UTC),
        ("utils_os_py2", OS_PY2),
        ("signer_keyword_args", SIGNER),
        ("from_db_value_context", FROM_DB_VALUE),
        ("inline_has_add_permission_obj", DEFAULTED),
        ("lookup_allowed_request", DEFAULTED),
        ("forms_callable_choice_iterator", CALLABLE_CHOICES),
        ("debug_safe_settings", DEBUG),
        ("constraint_keyword_args", CONSTRAINT),
        ("response_headers", RESPONSE_HEADERS),
    ],
)
def test_cases_cover_both_answers_of_the_check(rule_id: str, sources: list[str]) -> None:
    """Some cases are acted on and some are not, so the equality above tests the check."""
    acted = [source for source in sources if _both(rule_id, source)[1] != (source, [])]
    assert 0 < len(acted) < len(sources)


def test_libcst_is_not_run_where_the_check_says_no(monkeypatch: pytest.MonkeyPatch) -> None:
    import codemods.pytz_to_zoneinfo as pytz_rule

    def fail(*_args: object) -> str:
        raise AssertionError("libcst pass run")

    monkeypatch.setattr(pytz_rule, "run_rule", fail)
    source = PYTZ[0]
    assert get_rule("pytz_to_zoneinfo").transform(source, context()) == source
    with pytest.raises(AssertionError, match="libcst pass run"):  # an alias: no text path
        get_rule("pytz_to_zoneinfo").transform(PYTZ[3], context())


@pytest.mark.parametrize(
    ("expression", "full"),
    [
        ("a", "a"),
        ("a.b.c", "a.b.c"),
        ("a.b()", "a.b"),
        ("a.b().c", "a.b.c"),
        ("a[0].c", "a.c"),
        ("(1).real", None),
        ("'x'.join", None),
    ],
)
def test_ast_full_name_is_libcsts(expression: str, full: str | None) -> None:
    import libcst as cst
    from libcst.helpers import get_full_name_for_node

    node = ast.parse(expression, mode="eval").body
    assert ast_full_name(node) == full
    libcst_full = get_full_name_for_node(cst.parse_expression(expression))
    assert full is None or libcst_full == full


def test_may_refer_to() -> None:
    tree = ast.parse("import a.b as c\nfrom d import e\n")
    targets = import_targets(tree)
    names = {"a.b.x", "d.e", "f.g"}

    def refers(expression: str) -> bool:
        return may_refer_to(ast.parse(expression, mode="eval").body, targets, names)

    assert refers("c.x") and refers("c.x()") and refers("e") and refers("f.g")
    assert not refers("c.y") and not refers("x") and not refers("d.e.f")


def test_one_parse_per_text_for_the_rules_of_a_file() -> None:
    source = "import pytz\nx = now(tz=pytz.utc)\n"
    first = parse_module(source)
    assert parse_module(source) is first
    assert parse_module(str(source.encode().decode())) is first  # equal text, another object
    other = parse_module(source + "y = 1\n")
    assert other is not first and other.module.code == source + "y = 1\n"
    assert parse_module(source) is not first  # one entry: the last text only
    tree = parse_ast(source)
    assert tree is not None and parse_ast(source) is tree
    assert parse_ast(source + "\n") is not tree


def test_rules_sharing_a_parse_give_what_each_gives_alone() -> None:
    """Rules run on one text in turn reuse its tree and scope analysis, with the same results."""
    source = (
        "import pytz\nfrom django.utils.decorators import classproperty\n"
        "def view(request):\n    return request.is_ajax(), now(tz=pytz.utc)\n"
    )
    rule_ids = ("moved_names", "request_is_ajax", "pytz_to_zoneinfo", "moved_names")

    def results() -> list[tuple[str, list[str]]]:
        out = []
        for rule_id in rule_ids:
            ctx = context(filename="app/views.py")
            out.append((get_rule(rule_id).transform(source, ctx), ctx.notes))
        return out

    fresh = []
    for rule_id in rule_ids:
        parse_module("")  # another text: every rule parses afresh
        ctx = context(filename="app/views.py")
        fresh.append((get_rule(rule_id).transform(source, ctx), ctx.notes))
    parse_module("")
    shared = results()
    wrapper = parse_module(source)
    assert results() == shared == fresh
    assert parse_module(source) is wrapper  # the rules reused it
    assert all(text != source for text, _notes in shared)


def test_each_thread_has_its_own_parse() -> None:
    import threading

    source = "import pytz\n"
    mine = parse_module(source)
    theirs: list[object] = []
    thread = threading.Thread(target=lambda: theirs.append(parse_module(source)))
    thread.start()
    thread.join()
    assert theirs and theirs[0] is not mine and parse_module(source) is mine
