"""admindocs_trim_docstring: the trim_docstring() Django 3.1 removed, defined in place."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, context, run_rule

RULE = "admindocs_trim_docstring"
HOP = context(django_from="2.2", django_to="3.2")

OLD = """\
import inspect
from django.contrib.admindocs.utils import trim_docstring


def summary(view):
    return trim_docstring(view.__doc__).splitlines()[0]
"""


def test_the_import_becomes_django_2_2s_function() -> None:
    new = run_rule(RULE, OLD, HOP)
    assert "from django.contrib.admindocs" not in new
    assert new.startswith("import inspect\n# django.contrib.admindocs.utils.trim_docstring,")
    assert "\ndef trim_docstring(docstring):\n" in new
    assert run_rule(RULE, new, HOP) == new, "not idempotent"
    namespace: dict[str, object] = {}
    exec(compile(new.split("\n\n\ndef summary")[0], "<rewritten>", "exec"), namespace)
    trim = namespace["trim_docstring"]
    assert callable(trim)
    # Django 2.2's answers (its function, copied above from the wheel), where cleandoc differs.
    assert trim("Title\n    body\n") == "Title\n    body"
    assert trim(None) == ""
    assert trim("   \n  ") == ""
    assert trim("\n    First.\n\n    More.\n    ") == "First.\n\nMore."


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from django.contrib.admindocs import utils\nutils.trim_docstring(d)\n", id="module"
        ),
        pytest.param(
            "from django.contrib.admindocs.utils import trim_docstring, parse_docstring\n",
            id="with another name",
        ),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, HOP)


def test_version_gate() -> None:
    check_noop(RULE, OLD, context(django_from="2.2", django_to="3.0"))
