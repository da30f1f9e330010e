"""FINDINGS F74: ``field-unique-cached``: ``<field>._unique = False`` on an existing field does
nothing once ``Field.unique`` (a cached_property from Django 5.1) was read; simple-history's
``transform_field`` (its history tables kept UNIQUE on 5.2)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.findings.test_scan import SETTINGS, make_project
from upgrader.findings import scan_source
from upgrader.hops import hop_path
from upgrader.plan.stages import hop_findings

ID = "field-unique-cached"
# django-simple-history 2.8's simple_history/models.py transform_field (after the F70 fix)
TRANSFORM_FIELD = """\
from django.db import models


def transform_field(field):
    field.name = field.attname
    field.db_collation = None
    if field.primary_key or field.unique:
        field.primary_key = False
        field._unique = False
        field.db_index = True
"""


def hits(source: str) -> list[int]:
    found = scan_source(textwrap.dedent(source), "app/models.py")
    return [f.line for f in found if f.id == ID]


def test_the_backing_attribute_set_on_an_existing_field_is_an_item() -> None:
    assert hits(TRANSFORM_FIELD) == [9]


@pytest.mark.parametrize(
    "source",
    [
        # upstream's fix (9b668d7): unique set too
        TRANSFORM_FIELD.replace(
            "        field._unique = False\n",
            "        if django.VERSION >= (5, 1):\n            field.unique = False\n"
            "        field._unique = False\n",
        ),
        # a field's own __init__, before anything reads unique
        "from django.db import models\n\nclass F(models.CharField):\n"
        "    def __init__(self, *args, **kwargs):\n        super().__init__(*args, **kwargs)\n"
        "        self._unique = True\n",
        # reading it is fine
        "from django.db import models\n\ndef f(field):\n    return field._unique\n",
        # field_unique_cache_clear's fix: the cached value dropped
        TRANSFORM_FIELD.replace(
            "        field._unique = False\n",
            '        field._unique = False\n        vars(field).pop("unique", None)\n',
        ),
    ],
)
def test_look_alikes_are_no_item(source: str) -> None:
    assert hits(source) == []


def test_the_plan_lists_it_on_the_hop_crossing_5_1_only(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "proj/__init__.py": "",
        "proj/settings.py": SETTINGS,
        "app/__init__.py": "",
        "app/models.py": TRANSFORM_FIELD,
    }
    project = make_project(tmp_path, files)
    ids = {}
    for hop in hop_path(project.django_version, "3.10", to="5.2", via="lts"):
        found, _ = hop_findings(project, hop)
        ids[hop.target.name] = {f.id for f in found.breaking}
    assert [name for name, found in ids.items() if ID in found] == ["5.2"], ids
