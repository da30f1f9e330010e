"""moved_names: names Django moved, imported from their new home (issue 10)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context, run_rule

RULE = "moved_names"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from django.utils.decorators import classproperty\n\n"
            "class A:\n    @classproperty\n    def x(cls):\n        return 1\n",
            "from django.utils.functional import classproperty\n\n"
            "class A:\n    @classproperty\n    def x(cls):\n        return 1\n",
            id="whole import moved",
        ),
        pytest.param(
            "from django.utils.decorators import method_decorator, classproperty  # keep\n"
            "x = classproperty\n",
            "from django.utils.decorators import method_decorator  # keep\n"
            "from django.utils.functional import classproperty\n"
            "x = classproperty\n",
            id="split import",
        ),
        pytest.param(
            "from django.db.models.enums import ChoicesMeta\n\nclass M(ChoicesMeta):\n    pass\n",
            "from django.db.models.enums import ChoicesType\n\nclass M(ChoicesType):\n    pass\n",
            id="renamed name renamed where used",
        ),
        pytest.param(
            "from django.db.models.enums import ChoicesMeta as CM\nclass M(CM):\n    pass\n",
            "from django.db.models.enums import ChoicesType as CM\nclass M(CM):\n    pass\n",
            id="alias kept",
        ),
        pytest.param(
            "from django.contrib.gis.db.models import functions\nq = functions.ForceRHR('geom')\n",
            "from django.contrib.gis.db.models import functions\n"
            "q = functions.ForcePolygonCW('geom')\n",
            id="attribute of the same module renamed",
        ),
        pytest.param(
            "from django.utils import lru_cache\n\n@lru_cache.lru_cache(maxsize=None)\ndef f():\n"
            "    pass\n",
            "import functools\n\n@functools.lru_cache(maxsize=None)\ndef f():\n    pass\n",
            id="module use becomes the stdlib",
        ),
        pytest.param(
            "from django.contrib.postgres.fields.jsonb import KeyTextTransform, KeyTransform\n",
            "from django.db.models.fields.json import KeyTextTransform, KeyTransform\n",
            id="jsonb transforms",
        ),
        pytest.param(
            "from django.contrib.admin.sites import AlreadyRegistered, site\n",
            "from django.contrib.admin.sites import site\n"
            "from django.contrib.admin.exceptions import AlreadyRegistered\n",
            id="admin exceptions",
        ),
        pytest.param(
            "from django.utils.http import parse_qsl, urlencode\n",
            "from django.utils.http import urlencode\nfrom urllib.parse import parse_qsl\n",
            id="parse_qsl",
        ),
        pytest.param(
            "from django.db.models.query import EmptyResultSet, QuerySet\n",
            "from django.db.models.query import QuerySet\n"
            "from django.core.exceptions import EmptyResultSet\n",
            id="EmptyResultSet",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_from="2.2", django_to="6.0"))


@pytest.mark.parametrize(
    "source",
    [
        "from django.utils.functional import classproperty\n",
        "from mylib.decorators import classproperty\n",
        "from django.utils.decorators import *\n",
        "from django.db.models.enums import ChoicesType\n",
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_to="6.0"))


def test_version_gate() -> None:
    """A move waits for a hop whose target has the new location."""
    source = "from django.contrib.admin.sites import NotRegistered\n"
    check_noop(RULE, source, context(django_from="3.2", django_to="4.2"))
    check_transformed(
        RULE,
        source,
        "from django.contrib.admin.exceptions import NotRegistered\n",
        context(django_from="4.2", django_to="5.0"),
    )
    check_noop(
        RULE, "from django.utils.decorators import classproperty\n", context(django_to="3.0")
    )


OLD_CODE = """\
from django.contrib.admin.sites import AlreadyRegistered, NotRegistered, site
from django.contrib.postgres.fields.jsonb import KeyTextTransform
from django.db.models.enums import ChoicesMeta
from django.utils import lru_cache
from django.utils.decorators import classproperty
from django.utils.http import parse_qsl


class Thing:
    @classproperty
    def label(cls):
        return cls.__name__


@lru_cache.lru_cache(maxsize=None)
def pairs(text):
    return parse_qsl(text)


RESULT = (Thing.label, pairs("a=1&b=2"), issubclass(NotRegistered, Exception), ChoicesMeta)
"""


@pytest.mark.e2e
def test_rewritten_code_runs_on_django_5_2(tmp_path: Path) -> None:
    """Code written for Django 2.2-3.0, rewritten for 5.2, imports and works on the real 5.2."""
    from tests.rewrite.django_env import django_python, run_django

    python = django_python("5.2")
    rewritten = run_rule(RULE, OLD_CODE, context(django_from="2.2", django_to="5.2"))
    assert "django.utils.decorators" not in rewritten
    (tmp_path / "oldcode.py").write_text(rewritten, encoding="utf-8")
    (tmp_path / "settings.py").write_text("SECRET_KEY = 'x'\nINSTALLED_APPS = []\n")
    done = run_django(
        python,
        tmp_path,
        "settings",
        "from oldcode import RESULT\nprint(RESULT[:3], RESULT[3].__name__)\n",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "('Thing', [('a', '1'), ('b', '2')], True) ChoicesType"
