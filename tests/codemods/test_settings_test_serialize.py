"""settings_test_serialize: TEST['SERIALIZE'] is removed from DATABASES on hops to 5.0."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "settings_test_serialize"
HOP = context(django_from="4.2", django_to="5.0", is_settings=True)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "DATABASES = {\n    'default': {\n        'NAME': 'db',\n"
            "        'TEST': {\n            'NAME': 'test_db',\n            'SERIALIZE': True,\n"
            "        },\n    },\n}\n",
            "DATABASES = {\n    'default': {\n        'NAME': 'db',\n"
            "        'TEST': {\n            'NAME': 'test_db',\n        },\n    },\n}\n",
            id="last key, trailing comma kept",
        ),
        pytest.param(
            "DATABASES = {'default': {'TEST': {'SERIALIZE': False, 'NAME': 't'}}}\n",
            "DATABASES = {'default': {'TEST': {'NAME': 't'}}}\n",
            id="first key inline",
        ),
        pytest.param(
            "DATABASES = {'default': {'TEST': {'SERIALIZE': False}}}\n",
            "DATABASES = {'default': {'TEST': {}}}\n",
            id="only key",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, HOP)


def test_false_gets_a_note_true_does_not() -> None:
    ctx = context(django_from="4.2", django_to="5.0", is_settings=True)
    run = "DATABASES = {'default': {'TEST': {'SERIALIZE': False}}}\n"
    check_transformed(RULE, run, "DATABASES = {'default': {'TEST': {}}}\n", ctx)
    assert len(ctx.notes) == 1 and "serialized_rollback" in ctx.notes[0]
    quiet = context(django_from="4.2", django_to="5.0", is_settings=True)
    check_transformed(
        RULE,
        "DATABASES = {'default': {'TEST': {'SERIALIZE': True}}}\n",
        "DATABASES = {'default': {'TEST': {}}}\n",
        quiet,
    )
    assert quiet.notes == []


@pytest.mark.parametrize(
    "source",
    [
        "DATABASES = {'default': {'OPTIONS': {'SERIALIZE': False}}}\n",
        "SERIALIZE = False\n",
        "DATABASES = {'default': {'TEST': dict(SERIALIZE=False)}}\n",
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, HOP)


def test_gates() -> None:
    source = "DATABASES = {'default': {'TEST': {'SERIALIZE': False}}}\n"
    check_noop(RULE, source, context(django_from="3.2", django_to="4.2", is_settings=True))
    check_noop(RULE, source, context(django_from="4.2", django_to="5.0"))
