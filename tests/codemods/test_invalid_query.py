"""invalid_query: except InvalidQuery (removed in 4.0) -> except (FieldDoesNotExist, FieldError)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context, run_rule

RULE = "invalid_query"
HOP = context(django_from="2.2", django_to="3.2")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from django.db.models.query_utils import InvalidQuery\n"
            "try:\n    run()\nexcept InvalidQuery:  # keep\n    pass\n",
            "from django.core.exceptions import FieldDoesNotExist, FieldError\n"
            "try:\n    run()\nexcept (FieldDoesNotExist, FieldError):  # keep\n    pass\n",
            id="plain",
        ),
        pytest.param(
            "from django.core.exceptions import FieldError\n"
            "from django.db.models.query import InvalidQuery\n"
            "try:\n    run()\nexcept (InvalidQuery, KeyError) as exc:\n    log(exc)\n"
            "except FieldError:\n    pass\n",
            "from django.core.exceptions import FieldError, FieldDoesNotExist\n"
            "try:\n    run()\nexcept (FieldDoesNotExist, FieldError, KeyError) as exc:\n"
            "    log(exc)\nexcept FieldError:\n    pass\n",
            id="in a tuple, existing import reused",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, HOP)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from django.db.models.query_utils import InvalidQuery\nraise InvalidQuery('x')\n",
            id="raise",
        ),
        pytest.param(
            "from myapp.errors import InvalidQuery\n"
            "try:\n    run()\nexcept InvalidQuery:\n    pass\n",
            id="another module's InvalidQuery",
        ),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, HOP)


def test_version_gate() -> None:
    source = (
        "from django.db.models.query_utils import InvalidQuery\n"
        "try:\n    run()\nexcept InvalidQuery:\n    pass\n"
    )
    check_noop(RULE, source, context(django_from="2.2", django_to="3.0"))


OLD_CODE = """\
from django.contrib.auth.models import User
from django.db.models.query_utils import InvalidQuery


def raw_without_pk():
    try:
        list(User.objects.raw("SELECT username FROM auth_user"))
    except InvalidQuery:
        return "caught"
    return "not raised"
"""


@pytest.mark.e2e
def test_rewritten_handler_catches_what_django_4_2_raises(tmp_path: Path) -> None:
    """As written for 2.2 the module does not import on 4.2; rewritten, its handler catches
    the FieldDoesNotExist that raw() without the primary key raises."""
    from tests.rewrite.django_env import django_python, run_django

    python = django_python("4.2")
    new = run_rule(RULE, OLD_CODE, HOP)
    assert "InvalidQuery" not in new
    (tmp_path / "old_code.py").write_text(OLD_CODE, encoding="utf-8")
    (tmp_path / "new_code.py").write_text(new, encoding="utf-8")
    (tmp_path / "settings.py").write_text(
        "SECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.auth', "
        "'django.contrib.contenttypes']\nDATABASES = {'default': {'ENGINE': "
        "'django.db.backends.sqlite3', 'NAME': ':memory:'}}\n",
        encoding="utf-8",
    )
    old = run_django(python, tmp_path, "settings", "import old_code\n")
    assert old.returncode != 0 and "InvalidQuery" in old.stderr
    code = (
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "import new_code\nprint(new_code.raw_without_pk())\n"
    )
    done = run_django(python, tmp_path, "settings", code)
    assert done.returncode == 0, done.stderr + "\n" + new
    assert done.stdout.strip().splitlines()[-1] == "caught"
