"""field_reclass_attributes: after ``<x>.__class__ = <CharField/TextField/...>``, ``<x>.db_collation
= getattr(<x>, "db_collation", None)`` on the hop that crosses 3.2 (FINDINGS F70:
simple-history's transform_field re-classes a copied FileField to TextField, AttributeError
in deconstruct() on 3.2)."""

from __future__ import annotations

import pytest

from codemods import RuleContext
from tests.codemods.helpers import check_noop, check_transformed, context
from upgrader.findings import scan_source

RULE = "field_reclass_attributes"
# django-simple-history's simple_history/models.py transform_field (57507748, lines 540-549)
TRANSFORM_FIELD = (
    "from django.db import models\n\n\n"
    "def transform_field(field):\n"
    '    """Customize field appropriately for use in historical model"""\n'
    "    field.name = field.attname\n"
    "    if isinstance(field, models.BigAutoField):\n"
    "        field.__class__ = models.BigIntegerField\n"
    "    elif isinstance(field, models.AutoField):\n"
    "        field.__class__ = models.IntegerField\n\n"
    "    elif isinstance(field, models.FileField):\n"
    "        # Don't copy file, just path.\n"
    "        field.__class__ = models.TextField\n\n"
    "    # Historical instance shouldn't change create/update timestamps\n"
    "    field.auto_now = False\n"
)
FIXED = TRANSFORM_FIELD.replace(
    "        field.__class__ = models.TextField\n",
    "        field.__class__ = models.TextField\n"
    '        field.db_collation = getattr(field, "db_collation", None)\n',
)


def hop(django_from: str = "2.2", django_to: str = "3.2") -> RuleContext:
    return context(django_from=django_from, django_to=django_to, filename="app/models.py")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(TRANSFORM_FIELD, FIXED, id="simple-history's transform_field"),
        pytest.param(
            "from django.db.models import CharField as C\n"
            "def f(self):\n    if self.x: self.f.__class__ = C\n    return 1\n",
            "from django.db.models import CharField as C\n"
            "def f(self):\n    if self.x: self.f.__class__ = C; "
            'self.f.db_collation = getattr(self.f, "db_collation", None)\n    return 1\n',
            id="an alias, a one-line block: after a semicolon, inside the if",
        ),
        pytest.param(
            "from django.db import models\nfor f in fs:\n  f.__class__ = models.SlugField  # s\n",
            "from django.db import models\nfor f in fs:\n  f.__class__ = models.SlugField  # s\n"
            '  f.db_collation = getattr(f, "db_collation", None)\n',
            id="module level, two-space indentation, a trailing comment",
        ),
        pytest.param(
            "from django.db import models\ndef f(a, b):\n    a.__class__ = b.__class__ = "
            "models.TextField\n",
            "from django.db import models\ndef f(a, b):\n    a.__class__ = b.__class__ = "
            'models.TextField\n    a.db_collation = getattr(a, "db_collation", None)\n'
            '    b.db_collation = getattr(b, "db_collation", None)\n',
            id="two targets",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, hop())


def test_crlf_line_endings_are_kept() -> None:
    check_transformed(
        RULE, TRANSFORM_FIELD.replace("\n", "\r\n"), FIXED.replace("\n", "\r\n"), hop()
    )


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from django.db import models\ndef f(x):\n    x.__class__ = models.TextField\n"
            "    x.db_collation = None\n",
            id="the attribute already set",
        ),
        pytest.param(
            "from django.db import models\ndef f(x):\n    x.__class__ = models.IntegerField\n",
            id="a class without the attribute",
        ),
        pytest.param("def f(x):\n    x.__class__ = TextField\n", id="not Django's TextField"),
        pytest.param(
            "from django.db import models\n\nclass F(models.CharField):\n"
            "    def __init__(self, *a):\n        super(models.CharField, self).__init__(*a)\n",
            id="a subclass skipping CharField.__init__: the manual item",
        ),
        pytest.param(
            "from django.contrib.postgres.fields import DateTimeRangeField\n"
            "def f(x):\n    x.__class__ = DateTimeRangeField\n",
            id="4.1's default_bounds: not None by default, manual",
        ),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, hop("2.2", "6.1"))


@pytest.mark.parametrize(("django_from", "django_to"), [("2.2", "3.1"), ("3.2", "4.2")])
def test_only_the_hop_that_crosses_3_2(django_from: str, django_to: str) -> None:
    check_noop(RULE, TRANSFORM_FIELD, hop(django_from, django_to))


def test_the_item_is_closed_by_the_rewrite() -> None:
    ids = [f.id for f in scan_source(TRANSFORM_FIELD, "app/models.py")]
    assert ids.count("field-init-db-collation") == 1
    assert "field-init-db-collation" not in {f.id for f in scan_source(FIXED, "app/models.py")}


class _Instance:
    pass


@pytest.mark.parametrize(("had", "expected"), [({"db_collation": "nocase"}, "nocase"), ({}, None)])
def test_the_added_line_keeps_a_collation_and_defaults_to_none(
    had: dict[str, str], expected: str | None
) -> None:
    field = _Instance()
    vars(field).update(had)
    field.db_collation = getattr(field, "db_collation", None)  # type: ignore[attr-defined]
    assert field.db_collation == expected  # type: ignore[attr-defined]
