"""field_cache_name: get_cache_name() (removed in 6.0) -> the cache_name property (5.1+)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context, run_rule

RULE = "field_cache_name"
HOP = context(django_from="4.2", django_to="5.2")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "name = field.get_cache_name()  # keep\n",
            "name = field.cache_name  # keep\n",
            id="call",
        ),
        pytest.param(
            "cached = instance._state.fields_cache[self.field.get_cache_name()]\n",
            "cached = instance._state.fields_cache[self.field.cache_name]\n",
            id="attribute receiver",
        ),
        pytest.param(
            "class Rel(ForeignObjectRel):\n"
            "    # the accessor's cache key\n"
            "    def get_cache_name(self):\n"
            "        return super().get_cache_name() + '_x'\n",
            "class Rel(ForeignObjectRel):\n"
            "    # the accessor's cache key\n"
            "    @property\n"
            "    def cache_name(self):\n"
            "        return super().cache_name + '_x'\n",
            id="override",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, HOP)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("name = field.get_cache_name('x')\n", id="arguments"),
        pytest.param("def get_cache_name(self):\n    return 'x'\n", id="module function"),
        pytest.param(
            "class A:\n    def get_cache_name(self):\n        return 'x'\n", id="class without base"
        ),
        pytest.param(
            "class A(B):\n    @cached\n    def get_cache_name(self):\n        return 'x'\n",
            id="decorated",
        ),
        pytest.param(
            "class A(B):\n    def get_cache_name(self, suffix):\n        return suffix\n",
            id="other parameters",
        ),
        pytest.param("name = field.cache_name\n", id="already the property"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, HOP)


def test_version_gate() -> None:
    check_noop(RULE, "field.get_cache_name()\n", context(django_from="3.2", django_to="4.2"))


OLD_CODE = """\
from django.db import models


class Tagged(models.ForeignKey):
    def get_cache_name(self):
        return "tagged_" + self.name


class Book(models.Model):
    author = Tagged("auth.User", models.CASCADE, related_name="+")
    editor = models.ForeignKey("auth.User", models.CASCADE, related_name="+")

    class Meta:
        app_label = "books"


def names():
    return Book._meta.get_field("editor").get_cache_name()
"""


@pytest.mark.e2e
def test_rewritten_code_runs_on_django_6_0(tmp_path: Path) -> None:
    """As written for 4.2 the code fails on 6.0 (no get_cache_name()) and its override is
    ignored; rewritten, the call works and Django reads the override through cache_name."""
    from tests.rewrite.django_env import django_python, run_django

    python = django_python("6.0")
    new = run_rule(RULE, OLD_CODE, context(django_from="5.2", django_to="6.0"))
    assert "get_cache_name" not in new
    (tmp_path / "old_code.py").write_text(OLD_CODE, encoding="utf-8")
    (tmp_path / "new_code.py").write_text(new, encoding="utf-8")
    (tmp_path / "settings.py").write_text(
        "SECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.auth', "
        "'django.contrib.contenttypes']\n",
        encoding="utf-8",
    )
    # On 6.0 the old code's call fails, and Django ignores its override (it reads cache_name).
    seen = "print(Book._meta.get_field('author').cache_name)\n"
    old = run_django(python, tmp_path, "settings", "import old_code; old_code.names()\n")
    assert old.returncode != 0 and "get_cache_name" in old.stderr
    ignored = run_django(python, tmp_path, "settings", "from old_code import Book\n" + seen)
    assert ignored.stdout.strip() == "author", ignored.stderr
    code = "import new_code\nfrom new_code import Book\nprint(new_code.names())\n" + seen
    done = run_django(python, tmp_path, "settings", code)
    assert done.returncode == 0, done.stderr + "\n" + new
    assert done.stdout.split() == ["editor", "tagged_author"]
