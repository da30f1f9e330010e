"""get_prefetch_querysets: get_prefetch_queryset() (removed in 6.0) -> get_prefetch_querysets()."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context, run_rule

RULE = "get_prefetch_querysets"
HOP = context(django_from="4.2", django_to="5.2")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "result = Book.author.get_prefetch_queryset(books)  # keep\n",
            "result = Book.author.get_prefetch_querysets(books)  # keep\n",
            id="instances only",
        ),
        pytest.param(
            "r = d.get_prefetch_queryset(books, None)\n",
            "r = d.get_prefetch_querysets(books)\n",
            id="None",
        ),
        pytest.param(
            "r = d.get_prefetch_queryset(books, Author.objects.filter(x=1))\n",
            "r = d.get_prefetch_querysets(books, [Author.objects.filter(x=1)])\n",
            id="a queryset call",
        ),
        pytest.param(
            "r = d.get_prefetch_queryset(books, queryset=qs)\n",
            "r = d.get_prefetch_querysets(books, querysets=[qs] if qs is not None else None)\n",
            id="a name, by keyword",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, HOP)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("r = d.get_prefetch_queryset(books, qs[0])\n", id="other expression"),
        pytest.param("r = d.get_prefetch_queryset(*args)\n", id="star args"),
        pytest.param(
            "class D:\n    def get_prefetch_queryset(self, instances, queryset=None):\n"
            "        return None\n",
            id="override",
        ),
        pytest.param("r = d.get_prefetch_querysets(books)\n", id="already new"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, HOP)


def test_version_gate() -> None:
    source = "d.get_prefetch_queryset(books)\n"
    check_noop(RULE, source, context(django_from="3.2", django_to="4.2"))


OLD_CODE = """\
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType


def prefetch(qs=None):
    permissions = list(Permission.objects.all())
    descriptor = Permission.content_type
    result = descriptor.get_prefetch_queryset(permissions, qs)
    named = descriptor.get_prefetch_queryset(permissions, ContentType.objects.all())
    return len(result), len(named), len(list(named[0])) > 0
"""


@pytest.mark.e2e
def test_rewritten_calls_run_on_django_6_0(tmp_path: Path) -> None:
    from tests.rewrite.django_env import django_python, run_django

    python = django_python("6.0")
    new = run_rule(RULE, OLD_CODE, context(django_from="5.2", django_to="6.0"))
    assert "get_prefetch_queryset(" not in new
    (tmp_path / "old_code.py").write_text(OLD_CODE, encoding="utf-8")
    (tmp_path / "new_code.py").write_text(new, encoding="utf-8")
    (tmp_path / "settings.py").write_text(
        "SECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.auth', "
        "'django.contrib.contenttypes']\nDATABASES = {'default': {'ENGINE': "
        "'django.db.backends.sqlite3', 'NAME': ':memory:'}}\n",
        encoding="utf-8",
    )
    setup = (
        "from django.core.management import call_command\ncall_command('migrate', verbosity=0)\n"
    )
    old = run_django(python, tmp_path, "settings", setup + "import old_code; old_code.prefetch()\n")
    assert old.returncode != 0 and "get_prefetch_queryset" in old.stderr
    code = setup + "import new_code\nprint(new_code.prefetch(), new_code.prefetch(None))\n"
    done = run_django(python, tmp_path, "settings", code)
    assert done.returncode == 0, done.stderr + "\n" + new
    assert done.stdout.strip().splitlines()[-1] == "(6, 6, True) (6, 6, True)"
