"""constraint_keyword_args: BaseConstraint's name / violation_error_message by keyword."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "constraint_keyword_args"
HOP = context(django_from="4.2", django_to="5.0")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from django.db import models\n\n"
            "class Even(models.BaseConstraint):\n"
            "    def __init__(self, field, name, message=None):\n"
            "        super().__init__(name, message)  # both\n"
            "        self.field = field\n",
            "from django.db import models\n\n"
            "class Even(models.BaseConstraint):\n"
            "    def __init__(self, field, name, message=None):\n"
            "        super().__init__(name=name, violation_error_message=message)  # both\n"
            "        self.field = field\n",
            id="subclass super().__init__",
        ),
        pytest.param(
            "from django.db.models import BaseConstraint\nc = BaseConstraint('n')\n",
            "from django.db.models import BaseConstraint\nc = BaseConstraint(name='n')\n",
            id="direct call",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, HOP)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from django.db import models\nclass U(models.UniqueConstraint):\n"
            "    def __init__(self, *e, **kw):\n        super().__init__(Lower('a'), name='u')\n",
            id="UniqueConstraint expressions",
        ),
        pytest.param(
            "from django.db import models\nclass C(models.BaseConstraint):\n"
            "    def __init__(self, *args, **kw):\n        super().__init__(*args, **kw)\n",
            id="passed through",
        ),
        pytest.param(
            "from django.db import models\nclass C(models.BaseConstraint):\n"
            "    def __init__(self, name):\n        super().__init__(name=name)\n",
            id="already keywords",
        ),
        pytest.param(
            "from django.db import models\nclass C(models.BaseConstraint):\n"
            "    def f(self):\n        other.__init__('x')\n",
            id="not super",
        ),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, HOP)


def test_version_gate() -> None:
    source = "from django.db.models import BaseConstraint\nc = BaseConstraint('n')\n"
    check_noop(RULE, source, context(django_from="4.1", django_to="4.2"))
