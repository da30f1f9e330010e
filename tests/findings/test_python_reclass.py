"""Field instances that never ran their class's ``__init__`` (``field-init-*``): re-classed
instances and subclasses skipping the field class's ``__init__``, and the shapes left alone."""

from __future__ import annotations

import textwrap

import pytest
from packaging.version import Version

from upgrader.findings import scan_source
from upgrader.findings.catalogue import get
from upgrader.findings.selection import relevant


def found(source: str, filename: str = "app/models.py") -> list[tuple[str, int]]:
    return [
        (f.id, f.line)
        for f in scan_source(textwrap.dedent(source), filename)
        if f.id.startswith("field-init-")
    ]


# django-simple-history 2.8.0's transform_field (simple_history/models.py at 5750774820), which
# stops its tests on Django 3.2 with "'TextField' object has no attribute 'db_collation'".
SIMPLE_HISTORY = """\
from django.db import models


def transform_field(field):
    \"\"\"Customize field appropriately for use in historical model\"\"\"
    field.name = field.attname
    if isinstance(field, models.BigAutoField):
        field.__class__ = models.BigIntegerField
    elif isinstance(field, models.AutoField):
        field.__class__ = models.IntegerField

    elif isinstance(field, models.FileField):
        # Don't copy file, just path.
        field.__class__ = models.TextField

    # Historical instance shouldn't change create/update timestamps
    field.auto_now = False
    field.auto_now_add = False
"""


def test_simple_history_transform_field_is_found_at_the_text_field_line() -> None:
    assert found(SIMPLE_HISTORY, "simple_history/models.py") == [("field-init-db-collation", 14)]


def test_the_upstream_fix_silences_it() -> None:
    # simple-history's own fix (f5ffdd5): set the attribute in the same function.
    fixed = SIMPLE_HISTORY + "    field.db_collation = None\n"
    assert found(fixed, "simple_history/models.py") == []
    with_setattr = SIMPLE_HISTORY + '    setattr(field, "db_collation", None)\n'
    assert found(with_setattr, "simple_history/models.py") == []


def test_the_attribute_set_on_another_name_or_in_another_function_does_not_count() -> None:
    other = SIMPLE_HISTORY + "    other.db_collation = None\n\n\ndef g(field):\n"
    other += "    field.db_collation = None\n"
    assert found(other, "simple_history/models.py") == [("field-init-db-collation", 14)]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "from django.db.models import CharField\n\ndef f(x):\n    x.__class__ = CharField\n",
            [("field-init-db-collation", 4)],
            id="from-import",
        ),
        pytest.param(
            "import django.db.models.fields as f\n\nobj.field.__class__ = f.SlugField\n",
            [("field-init-db-collation", 3)],
            id="module-alias-and-dotted-receiver",
        ),
        pytest.param(
            "from django.contrib.postgres.fields import citext\n\nf.__class__ = citext.CITextField\n",
            [("field-init-db-collation", 3)],
            id="postgres-ci-field",
        ),
        pytest.param(
            "from django.contrib.postgres.fields import DateTimeRangeField\n\n"
            "f.__class__ = DateTimeRangeField\n",
            [("field-init-default-bounds", 3)],
            id="range-default-bounds",
        ),
        pytest.param(
            "from django.contrib.postgres.fields.array import ArrayField\n\n"
            "f.__class__ = ArrayField\n",
            [("field-init-array-db-collation", 3)],
            id="array-db-collation",
        ),
        pytest.param(
            "from django.contrib.gis.db import models\n\nf.__class__ = models.PointField\n",
            [("field-init-max-geom-collections", 3)],
            id="gis-point-field",
        ),
    ],
)
def test_reclassed_instances(source: str, expected: list[tuple[str, int]]) -> None:
    assert found(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        # classes whose __init__ gained nothing a copied field lacks
        "from django.db import models\nf.__class__ = models.IntegerField\n",
        "from django.db import models\nf.__class__ = models.BigIntegerField\n",
        # not a Django field, or not resolvable: nothing to say
        "from myapp.fields import TextField\nf.__class__ = TextField\n",
        "f.__class__ = TextField\n",
        "from django.db import models\nf.__class__ = type(g)\n",
        # naming the class is not re-classing an instance
        "from django.db import models\nkind = models.TextField\n",
        "from django.db import models\nf.klass = models.TextField\n",
    ],
)
def test_left_alone(source: str) -> None:
    assert found(source) == []


def test_subclass_skipping_char_field_init() -> None:
    # django-countries before 7.1 (issue #340): CountryField skipped CharField.__init__.
    source = """\
    from django.db.models import CharField


    class CountryField(CharField):
        def __init__(self, *args, **kwargs):
            kwargs["max_length"] = 2
            super(CharField, self).__init__(*args, **kwargs)
    """
    assert found(source, "django_countries/fields.py") == [("field-init-db-collation", 7)]


def test_subclass_calling_field_init_directly() -> None:
    source = """\
    from django.db import models


    class LanguageField(models.TextField):
        def __init__(self, *args, **kwargs):
            models.Field.__init__(self, *args, **kwargs)
    """
    assert found(source) == [("field-init-db-collation", 6)]


@pytest.mark.parametrize(
    "init",
    [
        "super().__init__(*args, **kwargs)",
        "super(MyField, self).__init__(*args, **kwargs)",
        "models.CharField.__init__(self, *args, **kwargs)",
        # a mixin's __init__ beside the field class's own
        "Mixin.__init__(self)\n        super().__init__(*args, **kwargs)",
        # sets the attribute itself
        "self.db_collation = None\n        models.Field.__init__(self, *args, **kwargs)",
    ],
)
def test_subclass_running_the_field_init_is_left_alone(init: str) -> None:
    source = (
        "from django.db import models\n\n\nclass MyField(Mixin, models.CharField):\n"
        f"    def __init__(self, *args, **kwargs):\n        {init}\n"
    )
    assert found(source) == []


def test_the_item_belongs_to_the_hop_that_crosses_the_release() -> None:
    findings = scan_source(SIMPLE_HISTORY, "simple_history/models.py")
    ours = [f for f in findings if f.id == "field-init-db-collation"]
    assert relevant(ours, Version("2.2"), Version("3.2")).breaking == tuple(ours)
    assert relevant(ours, Version("3.2"), Version("4.2")).breaking == ()
    entry = get("field-init-db-collation")
    assert entry.automatic and entry.fix.ref == "field_reclass_attributes"
    assert 'getattr(field, "db_collation", None)' in entry.suggestion


# django-simple-history's test at 5750774820 (simple_history/tests/tests/test_models.py:1108),
# which errors on Django 3.1+ with "too many values to unpack (expected 2)".
MODEL_STATE_TEST = """\
from django.db import models


class TestOrderWrtField(TestCase):
    def test_migrations_include_order(self):
        from django.db.migrations import state

        model_state = state.ModelState.from_model(SeriesWork.history.model)
        found = False
        for name, field in model_state.fields:
            if name == "_order":
                found = True
"""


def model_state_found(source: str) -> list[tuple[str, int]]:
    return [
        (f.id, f.line)
        for f in scan_source(textwrap.dedent(source), "app/tests/test_models.py")
        if f.id == "model-state-fields-dict"
    ]


def test_model_state_fields_unpacked_as_pairs() -> None:
    assert model_state_found(MODEL_STATE_TEST) == [("model-state-fields-dict", 10)]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from django.db.migrations.state import ModelState\n"
            "pairs = [n for n, f in ModelState.from_model(M).fields]\n",
            id="comprehension-on-the-call",
        ),
        pytest.param(
            "from django.db import migrations\n\ndef f():\n"
            "    s = migrations.state.ModelState('app', 'M', [])\n"
            "    for n, f in s.fields:\n        pass\n",
            id="constructor-via-package",
        ),
    ],
)
def test_model_state_other_shapes(source: str) -> None:
    assert [i for i, _ in model_state_found(source)] == ["model-state-fields-dict"]


@pytest.mark.parametrize(
    "source",
    [
        MODEL_STATE_TEST.replace("model_state.fields:", "model_state.fields.items():"),
        MODEL_STATE_TEST.replace("for name, field in", "for name in"),
        # a form's or serializer's fields: not a ModelState
        "def f(form):\n    for name, field in form.fields:\n        pass\n",
        "from myapp import ModelState\ns = ModelState.from_model(M)\nfor n, f in s.fields:\n    pass\n",
    ],
)
def test_model_state_look_alikes_left_alone(source: str) -> None:
    assert model_state_found(source) == []
