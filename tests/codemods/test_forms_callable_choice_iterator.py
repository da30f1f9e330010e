from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context, run_rule

RULE = "forms_callable_choice_iterator"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            # wagtail 2.9's core/blocks/field_block.py
            "from django import forms\n"
            "from django.forms.fields import CallableChoiceIterator\n\n"
            "it = CallableChoiceIterator(choices)\n",
            "from django import forms\n"
            "from django.utils.choices import CallableChoiceIterator\n\n"
            "it = CallableChoiceIterator(choices)\n",
            id="from-import",
        ),
        pytest.param(
            "from django.forms.fields import CallableChoiceIterator as CCI, Field\n",
            "from django.forms.fields import Field\n"
            "from django.utils.choices import CallableChoiceIterator as CCI\n",
            id="with-another-name-alias-kept",
        ),
        pytest.param(
            "from django.forms import fields\n\nit = fields.CallableChoiceIterator(f)\n",
            "from django.utils.choices import CallableChoiceIterator\n\n"
            "it = CallableChoiceIterator(f)\n",
            id="attribute",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_to="5.0"))


def test_other_modules_and_older_targets_are_left_alone() -> None:
    check_noop(RULE, "from myapp.fields import CallableChoiceIterator\n", context(django_to="5.0"))
    check_noop(
        RULE, "from django.forms.fields import CallableChoiceIterator\n", context(django_to="4.2")
    )


def test_choices_func_is_a_manual_item() -> None:
    ctx = context(django_to="5.0")
    source = (
        "from django.forms.fields import CallableChoiceIterator\n\n\n"
        "class It(CallableChoiceIterator):\n"
        "    def __iter__(self):\n"
        "        return iter(self.choices_func())\n"
    )
    assert "django.utils.choices" in run_rule(RULE, source, ctx)
    [note] = ctx.notes
    assert "choices_func" in note
