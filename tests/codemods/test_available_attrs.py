from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "available_attrs"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from functools import wraps\n"
            "from django.utils.decorators import available_attrs\n"
            "\n"
            "def deco(f):\n"
            "    @wraps(f, assigned=available_attrs(f))  # keep me\n"
            "    def inner(*a):\n"
            "        return f(*a)\n"
            "    return inner\n",
            "from functools import wraps\n"
            "\n"
            "def deco(f):\n"
            "    @wraps(f)  # keep me\n"
            "    def inner(*a):\n"
            "        return f(*a)\n"
            "    return inner\n",
            id="wraps assigned keyword dropped",
        ),
        pytest.param(
            "import functools\n"
            "from django.utils import decorators as d\n"
            "\n"
            "functools.update_wrapper(w, f, assigned=d.available_attrs(f), updated=())\n",
            "import functools\n\nfunctools.update_wrapper(w, f, updated=())\n",
            id="module alias, argument in the middle",
        ),
        pytest.param(
            "import os\n"
            "from django.utils.decorators import available_attrs, method_decorator\n"
            "\n"
            "ATTRS = available_attrs(f)\n",
            "import os\n"
            "from django.utils.decorators import method_decorator\n"
            "import functools\n"
            "\n"
            "ATTRS = functools.WRAPPER_ASSIGNMENTS\n",
            id="other use becomes WRAPPER_ASSIGNMENTS",
        ),
        pytest.param(
            "from django.utils.decorators import available_attrs\n"
            "from functools import wraps\n"
            "functools = None\n"
            "x = wraps(f, available_attrs(f))\n",
            "from functools import wraps, WRAPPER_ASSIGNMENTS\n"
            "functools = None\n"
            "x = wraps(f, WRAPPER_ASSIGNMENTS)\n",
            id="functools name taken",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_to="3.0"))


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from mylib import available_attrs\nwraps(f, assigned=available_attrs(f))\n",
            id="look-alike from another module",
        ),
        pytest.param("wraps(f, assigned=ATTRS)\n", id="other assigned value"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source)


def test_not_before_3_0() -> None:
    source = "from django.utils.decorators import available_attrs\nwraps(f, assigned=available_attrs(f))\n"
    check_noop(RULE, source, context(django_to="2.2"))
