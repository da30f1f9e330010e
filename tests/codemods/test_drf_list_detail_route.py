from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "drf_list_detail_route"
DRF = context(packages={"djangorestframework": "3.9.4"})


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from rest_framework.decorators import list_route\n\n"
            "class V(ViewSet):\n"
            "    @list_route()\n"
            "    def recent(self, request):\n"
            "        pass\n",
            "from rest_framework.decorators import action\n\n"
            "class V(ViewSet):\n"
            "    @action(detail=False)\n"
            "    def recent(self, request):\n"
            "        pass\n",
            id="list_route without arguments",
        ),
        pytest.param(
            "from rest_framework.decorators import action, detail_route\n\n"
            "@detail_route(methods=['post'])  # set it\n"
            "def set_password(self, request, pk=None):\n"
            "    pass\n",
            "from rest_framework.decorators import action\n\n"
            "@action(detail=True, methods=['post'])  # set it\n"
            "def set_password(self, request, pk=None):\n"
            "    pass\n",
            id="detail_route keyword arguments, action already imported",
        ),
        pytest.param(
            "from rest_framework import decorators\n\n"
            "@decorators.list_route(['get'])\n"
            "def f(self, request):\n"
            "    pass\n",
            "from rest_framework import decorators\n\n"
            "@decorators.action(['get'], detail=False)\n"
            "def f(self, request):\n"
            "    pass\n",
            id="module attribute, positional methods",
        ),
        pytest.param(
            "from rest_framework.decorators import detail_route as dr\n\n"
            "@dr(\n"
            "    methods=['post'],\n"
            "    permission_classes=[IsAdmin],  # admins\n"
            ")\n"
            "def f(self, request, pk=None):\n"
            "    pass\n",
            "from rest_framework.decorators import action\n\n"
            "@action(\n"
            "    detail=True,\n"
            "    methods=['post'],\n"
            "    permission_classes=[IsAdmin],  # admins\n"
            ")\n"
            "def f(self, request, pk=None):\n"
            "    pass\n",
            id="alias import, one argument per line",
        ),
        pytest.param(
            "from rest_framework.decorators import detail_route\n\n"
            "@detail_route(methods=['post'], url_path='set_password')\n"
            "def change(self, request, pk=None):\n"
            "    pass\n",
            "from rest_framework.decorators import action\n\n"
            "@action(detail=True, methods=['post'], url_path='set_password', url_name='set-password')\n"
            "def change(self, request, pk=None):\n"
            "    pass\n",
            id="url_name kept from url_path",
        ),
        pytest.param(
            "from rest_framework.decorators import list_route\n\n"
            "@list_route(\n"
            "    methods=['get'],\n"
            "    url_path='by_day',\n"
            ")\n"
            "def f(self, request):\n"
            "    pass\n",
            "from rest_framework.decorators import action\n\n"
            "@action(\n"
            "    detail=False,\n"
            "    methods=['get'],\n"
            "    url_path='by_day',\n"
            "    url_name='by-day',\n"
            ")\n"
            "def f(self, request):\n"
            "    pass\n",
            id="url_name added in a one-per-line call",
        ),
        pytest.param(
            "from rest_framework.decorators import list_route\n\n"
            "action = 'x'\n\n"
            "@list_route()\n"
            "def f(self, request):\n"
            "    pass\n",
            "from rest_framework.decorators import action as rest_framework_decorators_action\n\n"
            "action = 'x'\n\n"
            "@rest_framework_decorators_action(detail=False)\n"
            "def f(self, request):\n"
            "    pass\n",
            id="the name action is taken",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    check_transformed(RULE, before, after, DRF)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from myapp.routing import list_route\n\n@list_route()\ndef f(self, request):\n    pass\n",
            id="look-alike from another module",
        ),
        pytest.param(
            "@action(detail=False)\ndef f(self, request):\n    pass\n", id="already action"
        ),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, DRF)


@pytest.mark.parametrize(
    "packages",
    [
        pytest.param({"djangorestframework": "3.7.7"}, id="DRF before 3.8"),
        pytest.param({}, id="DRF not chosen"),
    ],
)
def test_gated_on_drf_version(packages: dict[str, str]) -> None:
    source = "from rest_framework.decorators import list_route\n\n@list_route()\ndef f(self, r):\n    pass\n"
    check_noop(RULE, source, context(packages=packages))


def test_non_literal_url_path_is_a_note() -> None:
    ctx = context(packages={"djangorestframework": "3.9.4"}, filename="api/views.py")
    check_transformed(
        RULE,
        "from rest_framework.decorators import list_route\n\n@list_route(url_path=PATH)\ndef f(self, r):\n    pass\n",
        "from rest_framework.decorators import action\n\n@action(detail=False, url_path=PATH)\ndef f(self, r):\n    pass\n",
        ctx,
    )
    assert len(ctx.notes) == 1
    assert ctx.notes[0].startswith("api/views.py:3: url_path is not a literal")
