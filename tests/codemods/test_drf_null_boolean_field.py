from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "drf_null_boolean_field"
DRF = context(packages={"djangorestframework": "3.12.4"})


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from rest_framework import serializers\n\n"
            "class S(serializers.Serializer):\n"
            "    active = serializers.NullBooleanField()  # tri-state\n",
            "from rest_framework import serializers\n\n"
            "class S(serializers.Serializer):\n"
            "    active = serializers.BooleanField(allow_null=True)  # tri-state\n",
            id="module attribute, no arguments",
        ),
        pytest.param(
            "from rest_framework.serializers import NullBooleanField, Serializer\n\n"
            "class S(Serializer):\n"
            "    active = NullBooleanField(required=False)\n",
            "from rest_framework.serializers import Serializer, BooleanField\n\n"
            "class S(Serializer):\n"
            "    active = BooleanField(required=False, allow_null=True)\n",
            id="from import, arguments kept",
        ),
        pytest.param(
            "from rest_framework import fields\n\n"
            "x = fields.NullBooleanField(\n    required=False,\n    help_text='h',\n)\n",
            "from rest_framework import fields\n\n"
            "x = fields.BooleanField(\n    required=False,\n    help_text='h',\n    allow_null=True,\n)\n",
            id="one argument per line",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    check_transformed(RULE, before, after, DRF)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from django.db import models\n\nx = models.NullBooleanField()\n",
            id="Django model field is django-upgrade's",
        ),
        pytest.param(
            "from django import forms\n\nx = forms.NullBooleanField()\n", id="Django form field"
        ),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, DRF)


def test_not_before_3_12() -> None:
    source = "from rest_framework import serializers\n\nx = serializers.NullBooleanField()\n"
    check_noop(RULE, source, context(packages={"djangorestframework": "3.11.2"}))
