"""get_joining_fields: get_joining_columns() (removed in 6.0) -> get_joining_fields()' columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context, run_rule

RULE = "get_joining_fields"
HOP = context(django_from="4.2", django_to="5.2")
COLUMNS = "tuple((lhs.column, rhs.column) for lhs, rhs in {})"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "cols = field.get_joining_columns()  # keep\n",
            f"cols = {COLUMNS.format('field.get_joining_fields()')}  # keep\n",
            id="forward",
        ),
        pytest.param(
            "cols = self.field.get_joining_columns(reverse_join=True)\n",
            f"cols = {COLUMNS.format('self.field.get_joining_fields(reverse_join=True)')}\n",
            id="reverse_join",
        ),
        pytest.param(
            "for a, b in rel.get_reverse_joining_columns():\n    pass\n",
            f"for a, b in {COLUMNS.format('rel.get_reverse_joining_fields()')}:\n    pass\n",
            id="reverse",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, HOP)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("cols = field.get_joining_columns(*a)\n", id="star args"),
        pytest.param("cols = field.get_reverse_joining_columns(True)\n", id="unknown argument"),
        pytest.param(
            "class F(ForeignObject):\n    def get_joining_columns(self, reverse_join=False):\n"
            "        return ()\n",
            id="override",
        ),
        pytest.param("cols = field.get_joining_fields()\n", id="already new"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, HOP)


def test_version_gate() -> None:
    check_noop(RULE, "field.get_joining_columns()\n", context(django_from="3.2", django_to="4.2"))


OLD_CODE = """\
from django.contrib.auth.models import Permission


def columns():
    field = Permission._meta.get_field("content_type")
    return (
        field.get_joining_columns(),
        field.get_reverse_joining_columns(),
        field.remote_field.get_joining_columns(),
    )
"""


@pytest.mark.e2e
def test_rewritten_calls_give_django_5_2_answers_on_6_0(tmp_path: Path) -> None:
    """The old calls on 5.2 and the rewritten ones on 6.0 return the same column pairs."""
    from tests.rewrite.django_env import django_python, run_django

    new = run_rule(RULE, OLD_CODE, context(django_from="4.2", django_to="6.0"))
    assert "joining_columns" not in new
    (tmp_path / "old_code.py").write_text(OLD_CODE, encoding="utf-8")
    (tmp_path / "new_code.py").write_text(new, encoding="utf-8")
    (tmp_path / "settings.py").write_text(
        "SECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.auth', "
        "'django.contrib.contenttypes']\n",
        encoding="utf-8",
    )
    before = run_django(
        django_python("5.2"), tmp_path, "settings", "import old_code; print(old_code.columns())\n"
    )
    assert before.returncode == 0, before.stderr
    on_6_0 = django_python("6.0")
    old = run_django(on_6_0, tmp_path, "settings", "import old_code; old_code.columns()\n")
    assert old.returncode != 0 and "get_joining_columns" in old.stderr
    after = run_django(on_6_0, tmp_path, "settings", "import new_code; print(new_code.columns())\n")
    assert after.returncode == 0, after.stderr + "\n" + new
    assert after.stdout.strip() == before.stdout.strip()
    assert "('content_type_id', 'id')" in after.stdout
