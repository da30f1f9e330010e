"""middleware_super_get_response: a middleware ``__init__(self, get_response, ...)`` calling
``super().__init__()`` without it passes it first, on the hop that crosses 4.0 (FINDINGS F87:
pretalx's CsrfViewMiddleware, TypeError on every request of 200 tests on 4.2)."""

from __future__ import annotations

import pytest

from codemods import RuleContext
from tests.codemods.helpers import check_noop, check_transformed, context
from upgrader.findings import scan_source

RULE = "middleware_super_get_response"
# pretalx's src/pretalx/common/middleware/domains.py (bf82ae5e), cut down.
PRETALX = (
    "from django.middleware.csrf import CsrfViewMiddleware as BaseCsrfMiddleware\n\n\n"
    "class CsrfViewMiddleware(BaseCsrfMiddleware):\n"
    "    def __init__(self, get_response, *args, **kwargs):\n"
    "        super().__init__(*args, **kwargs)\n"
    "        self.get_response = get_response\n"
)
FIXED = PRETALX.replace(
    "super().__init__(*args, **kwargs)", "super().__init__(get_response, *args, **kwargs)"
)


def hop(django_from: str = "3.2", django_to: str = "4.2") -> RuleContext:
    return context(
        django_from=django_from, django_to=django_to, filename="app/middleware/domains.py"
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(PRETALX, FIXED, id="pretalx's csrf middleware"),
        pytest.param(
            "from django.utils.deprecation import MiddlewareMixin\n"
            "class M(MiddlewareMixin):\n"
            "    def __init__(self, get_response):\n"
            "        super().__init__()\n",
            "from django.utils.deprecation import MiddlewareMixin\n"
            "class M(MiddlewareMixin):\n"
            "    def __init__(self, get_response):\n"
            "        super().__init__(get_response)\n",
            id="the mixin, no arguments",
        ),
        pytest.param(
            "from django.contrib.sessions import middleware\n"
            "class S(middleware.SessionMiddleware):\n"
            "    def __init__(self, get_response, **kwargs):\n"
            "        super().__init__(**kwargs)\n",
            "from django.contrib.sessions import middleware\n"
            "class S(middleware.SessionMiddleware):\n"
            "    def __init__(self, get_response, **kwargs):\n"
            "        super().__init__(get_response, **kwargs)\n",
            id="a module attribute, keywords only",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, hop())


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(FIXED, id="already passed"),
        pytest.param(
            PRETALX.replace("*args, **kwargs)\n", "*args, get_response=get_response)\n", 1).replace(
                "(*args, get_response=get_response)", "(get_response=get_response)"
            ),
            id="passed by keyword",
        ),
        pytest.param(
            "class CsrfViewMiddleware(Base):\n"
            "    def __init__(self, get_response, *args, **kwargs):\n"
            "        super().__init__(*args, **kwargs)\n",
            id="not a Django middleware",
        ),
        pytest.param(
            "from django.middleware.csrf import CsrfViewMiddleware\n"
            "class C(CsrfViewMiddleware):\n"
            "    def __init__(self, handler):\n"
            "        super().__init__()\n",
            id="no get_response parameter",
        ),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, hop())


@pytest.mark.parametrize(("django_from", "django_to"), [("2.2", "3.2"), ("4.0", "4.2")])
def test_only_the_hop_that_crosses_4_0(django_from: str, django_to: str) -> None:
    check_noop(RULE, PRETALX, hop(django_from, django_to))


def test_the_item_is_closed_by_the_rewrite() -> None:
    where = "app/middleware/domains.py"
    item = "middleware-super-get-response"
    assert [f.id for f in scan_source(PRETALX, where)].count(item) == 1
    assert item not in {f.id for f in scan_source(FIXED, where)}
