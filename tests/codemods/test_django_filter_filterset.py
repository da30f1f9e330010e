from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "django_filter_filterset"
FILTER2 = context(packages={"django-filter": "2.4.0"})


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "class Books(viewsets.ModelViewSet):\n"
            "    queryset = Book.objects.all()\n"
            "    filter_fields = ('author', 'year')  # filterable\n"
            "    filter_class = BookFilter\n",
            "class Books(viewsets.ModelViewSet):\n"
            "    queryset = Book.objects.all()\n"
            "    filterset_fields = ('author', 'year')  # filterable\n"
            "    filterset_class = BookFilter\n",
            id="viewset",
        ),
        pytest.param(
            "class Books(generics.ListAPIView):\n    filter_fields: list[str] = ['author']\n",
            "class Books(generics.ListAPIView):\n    filterset_fields: list[str] = ['author']\n",
            id="generic view, annotated assignment",
        ),
        pytest.param(
            "class Books(Mixin, View):\n"
            "    filter_backends = [DjangoFilterBackend]\n"
            "    filter_fields = ['author']\n",
            "class Books(Mixin, View):\n"
            "    filter_backends = [DjangoFilterBackend]\n"
            "    filterset_fields = ['author']\n",
            id="any class setting filter_backends",
        ),
        pytest.param(
            "class Backend(DjangoFilterBackend):\n"
            "    default_filter_set = MyFilterSet\n"
            "\n"
            "    def get_filter_class(self, view, queryset=None):\n"
            "        return super().get_filter_class(view, queryset)\n",
            "class Backend(DjangoFilterBackend):\n"
            "    filterset_base = MyFilterSet\n"
            "\n"
            "    def get_filterset_class(self, view, queryset=None):\n"
            "        return super().get_filterset_class(view, queryset)\n",
            id="backend subclass",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    check_transformed(RULE, before, after, FILTER2)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "class Node(DjangoObjectType):\n    class Meta:\n        filter_fields = ['name']\n",
            id="graphene-django Meta look-alike",
        ),
        pytest.param("class Form(forms.Form):\n    filter_fields = 1\n", id="not a view"),
        pytest.param(
            "class V(APIView):\n    def get(self):\n        filter_fields = 1\n",
            id="local variable in a method",
        ),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, FILTER2)


@pytest.mark.parametrize(
    "packages",
    [
        pytest.param({"django-filter": "1.1.0"}, id="django-filter before 2.0"),
        pytest.param({}, id="django-filter not chosen"),
    ],
)
def test_gated_on_package_version(packages: dict[str, str]) -> None:
    check_noop(RULE, "class V(APIView):\n    filter_fields = ['a']\n", context(packages=packages))


def test_both_names_is_a_note() -> None:
    ctx = context(packages={"django-filter": "2.0"}, filename="api/views.py")
    source = "class V(APIView):\n    filter_fields = ['a']\n    filterset_fields = ['b']\n"
    check_noop(RULE, source, ctx)
    assert ctx.notes and ctx.notes[0].startswith("api/views.py:1: class V sets both filter_fields")
