from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "drf_router_basename"
DRF = context(packages={"djangorestframework": "3.11.2"})


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "router = DefaultRouter()\n"
            "router.register(r'books', BookViewSet, base_name='book')  # api\n",
            "router = DefaultRouter()\n"
            "router.register(r'books', BookViewSet, basename='book')  # api\n",
            id="register keyword",
        ),
        pytest.param(
            "api_router.register(\n    'a',\n    AViewSet,\n    base_name='a',\n)\n",
            "api_router.register(\n    'a',\n    AViewSet,\n    basename='a',\n)\n",
            id="multi-line call",
        ),
        pytest.param(
            "class Router(routers.DefaultRouter):\n"
            "    def get_default_base_name(self, viewset):\n"
            "        return super().get_default_base_name(viewset).lower()\n",
            "class Router(routers.DefaultRouter):\n"
            "    def get_default_basename(self, viewset):\n"
            "        return super().get_default_basename(viewset).lower()\n",
            id="router subclass method",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    check_transformed(RULE, before, after, DRF)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("admin.site.register(Book, base_name='x')\n", id="not a router"),
        pytest.param("router.register('a', V, basename='a')\n", id="already basename"),
        pytest.param(
            "class Helper:\n    def get_default_base_name(self, viewset):\n        pass\n",
            id="method outside a router class",
        ),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, DRF)


@pytest.mark.parametrize(
    "packages",
    [
        pytest.param({"djangorestframework": "3.8.2"}, id="DRF before 3.9"),
        pytest.param({}, id="DRF not chosen"),
    ],
)
def test_gated_on_drf_version(packages: dict[str, str]) -> None:
    check_noop(RULE, "router.register('a', V, base_name='a')\n", context(packages=packages))
