"""The shared plumbing of the Python rules (codemods._python), exercised through real rules."""

from __future__ import annotations

import ast
from pathlib import Path

import libcst as cst
import pytest

from codemods import all_rules, get_rule
from codemods._python import (
    append_arg,
    ast_dotted_name,
    binds_any,
    import_targets,
    keyword_arg,
    parse_ast,
)
from tests.codemods.helpers import check_transformed, context
from tests.conftest import SAMPLE_PROJECTS


@pytest.mark.parametrize(
    ("rule", "before", "after"),
    [
        pytest.param(
            "pytz_to_zoneinfo",
            '"""Doc."""\nfrom __future__ import annotations\n\n# time zones\nimport pytz\n\nx = now(pytz.utc)\n',
            '"""Doc."""\nfrom __future__ import annotations\n\n# time zones\nimport datetime\n\n'
            "x = now(datetime.timezone.utc)\n",
            id="comment above a removed import is kept",
        ),
        pytest.param(
            "pytz_to_zoneinfo",
            '"""Doc."""\nimport pytz as p\nX = now(p.utc)\n',
            '"""Doc."""\nimport datetime\nX = now(datetime.timezone.utc)\n',
            id="new import where the old one was",
        ),
        pytest.param(
            "pytz_to_zoneinfo",
            '"""Doc."""\nX = pytz.timezone("UTC")\n',
            '"""Doc."""\nX = pytz.timezone("UTC")\n',
            id="pytz not imported: not pytz",
        ),
        pytest.param(
            "make_random_password",
            "from django.utils.crypto import (\n    constant_time_compare,\n    salted_hmac,\n)\n"
            "p = User.objects.make_random_password(8, 'ab')\n",
            "from django.utils.crypto import (\n    constant_time_compare,\n    salted_hmac,\n"
            "    get_random_string,\n)\np = get_random_string(8, 'ab')\n",
            id="name joins a parenthesized from-import",
        ),
        pytest.param(
            "utils_six",
            "import os; from django.utils import six; import re\nx = six.PY3\n",
            "import os; import re\nx = True\n",
            id="semicolon-separated imports",
        ),
        pytest.param(
            "available_attrs",
            "def f():\n    from django.utils.decorators import available_attrs\n"
            "    return wraps(g, assigned=available_attrs(g))\n",
            "def f():\n    return wraps(g)\n",
            id="function-level import removed",
        ),
        pytest.param(
            "available_attrs",
            "try:\n    from django.utils.decorators import available_attrs\nexcept ImportError:\n"
            "    raise\nx = wraps(g, assigned=available_attrs(g))\n",
            "try:\n    pass\nexcept ImportError:\n    raise\nx = wraps(g)\n",
            id="emptied block stays valid",
        ),
        pytest.param(
            "baseconv",
            "from django.utils.baseconv import base62\n__all__ = ['base62']\nx = base62.encode(1)\n",
            "from django.utils.baseconv import base62\nfrom django.core.signing import b62_encode\n"
            "__all__ = ['base62']\nx = b62_encode(1)\n",
            id="name in __all__ keeps its import",
        ),
    ],
)
def test_imports(rule: str, before: str, after: str) -> None:
    check_transformed(rule, before, after, context())


def test_crlf_line_endings_are_kept() -> None:
    before = "import pytz\r\n\r\nx = now(pytz.utc)  # utc\r\n"
    after = "import datetime\r\n\r\nx = now(datetime.timezone.utc)  # utc\r\n"
    check_transformed("pytz_to_zoneinfo", before, after, context())


# Every registered Python rule, so a new rule is covered without editing a list.
PYTHON_RULES = tuple(sorted(rule.id for rule in all_rules() if rule.kind == "python"))
SAMPLES = (
    sorted(p for p in SAMPLE_PROJECTS.iterdir() if p.is_dir()) if SAMPLE_PROJECTS.is_dir() else []
)


@pytest.mark.parametrize("project", [pytest.param(p, id=p.name) for p in SAMPLES])
def test_sample_projects_parse_and_are_idempotent(project: Path) -> None:
    """Every Python rule, chained over every file of a sample project at the newest hop."""
    ctx = context(packages={"djangorestframework": "3.16", "django-filter": "25.1"})
    rules = [get_rule(rule_id) for rule_id in PYTHON_RULES]
    for path in sorted(project.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        data = text.encode()
        result = text
        for rule in rules:
            if rule.applies(ctx) and rule.may_match(data):
                result = rule.transform(result, ctx)
        if result == text:
            continue
        ast.parse(result, str(path))
        again = result
        for rule in rules:
            if rule.applies(ctx) and rule.may_match(data):
                again = rule.transform(again, ctx)
        assert again == result, f"{path}: a second run changed the file"


def test_python_rules_are_registered() -> None:
    assert set(PYTHON_RULES) <= {r.id for r in all_rules() if r.kind == "python"}


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param("f(a, b)", "f(a, b, transform=repr)", id="one line"),
        pytest.param(
            "f(\n    a,\n    ['x']\n)",
            "f(\n    a,\n    ['x'],\n    transform=repr\n)",
            id="one per line, no trailing comma",
        ),
        pytest.param(
            "f(\n    a,\n    ['x'],\n)",
            "f(\n    a,\n    ['x'],\n    transform=repr,\n)",
            id="one per line, trailing comma",
        ),
        pytest.param(
            "f(\n    a\n)", "f(\n    a,\n    transform=repr\n)", id="one argument on its own line"
        ),
        pytest.param(
            "f(a,\n  b)", "f(a,\n  b,\n  transform=repr)", id="aligned, no trailing comma"
        ),
        pytest.param("f()", "f(transform=repr)", id="no arguments"),
    ],
)
def test_append_arg(before: str, after: str) -> None:
    call = cst.parse_expression(before)
    assert isinstance(call, cst.Call)
    new = call.with_changes(args=append_arg(call, keyword_arg("transform", cst.Name("repr"))))
    assert cst.Module(body=[]).code_for_node(new) == after


@pytest.mark.parametrize(
    ("source", "bound"),
    [
        pytest.param("x = repr(1)\nprint(map)\n", False, id="used only"),
        pytest.param("def f():\n    repr = str\n", True, id="assigned in a function"),
        pytest.param("def f(map): pass\n", True, id="parameter"),
        pytest.param("from reprlib import repr\n", True, id="imported"),
        pytest.param("import repr.x\n", True, id="dotted import binds its top name"),
        pytest.param("class repr: pass\n", True, id="class"),
        pytest.param("[1 for map in x]\n", True, id="comprehension target"),
        pytest.param("try:\n    pass\nexcept E as repr:\n    pass\n", True, id="except as"),
        pytest.param("del map\n", True, id="deleted"),
        pytest.param("from m import *\n", False, id="star import is not seen"),
        pytest.param("x.repr = 1\nf(map=1)\n", False, id="attribute and keyword"),
    ],
)
def test_binds_any(source: str, bound: bool) -> None:
    assert binds_any(ast.parse(source), ("repr", "map")) is bound


def test_import_targets() -> None:
    tree = ast.parse(
        "import a.b\nimport c.d as e\nfrom f.g import h as i, j\nfrom . import k\n"
        "from .l import m\nfrom n import *\ndef f():\n    from o import j\n"
    )
    assert import_targets(tree) == {
        "a": {"a"},
        "e": {"c.d"},
        "i": {"f.g.h"},
        "j": {"f.g.j", "o.j"},
        "k": {".k"},
        "m": {".l.m"},
    }


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("def f(:\n", id="syntax error"),
        pytest.param("x = 1\0\n", id="null byte"),
    ],
)
def test_parse_ast_gives_none_where_ast_cannot(source: str) -> None:
    assert parse_ast(source) is None


def test_parse_ast_ignores_warnings() -> None:
    """pytest turns warnings into errors: an invalid escape must not raise here."""
    tree = parse_ast('x = "\\d"\n')
    assert tree is not None
    assert ast_dotted_name(ast.parse("a.b.c").body[0].value) == "a.b.c"  # type: ignore[attr-defined]


def test_loading_every_rule_does_not_import_libcst_codemod() -> None:
    """libcst.codemod (with libcst.matchers) costs 0.4 s and 8 MB per process: rules that run
    through ``run_rule`` never need it, so loading the rules must not import it."""
    import subprocess
    import sys

    code = "import sys, codemods; codemods.all_rules(); print('libcst.codemod' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_need_import_schedules_what_run_rule_adds() -> None:
    from codemods._python_imports import NEEDED_IMPORTS, CodemodContext, ImportItem, need_import

    context = CodemodContext(filename="x.py")
    need_import(context, "django.shortcuts", "render")
    need_import(context, "..pkg", "name", asname="alias")
    need_import(context, "os")
    assert context.scratch[NEEDED_IMPORTS] == [
        ImportItem("django.shortcuts", "render"),
        ImportItem("pkg", "name", "alias", 2),
        ImportItem("os"),
    ]
