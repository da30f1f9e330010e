"""``upgrader diagnose --format json`` and ``diagnosis.json`` against their JSON Schema."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest

from upgrader.diagnose.model import Cause, Change, Diagnosis, Frame, Reverted, Trial
from upgrader.diagnose.run import to_json

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "upgrader/schema/diagnose-1.schema.json").read_text()
)
BUMP = Change("dependency", "plantedpkg", "1.0", "2.0")
RULE = Change(
    "rewrite", "app/views.py", rules=("django-upgrade:utils_translation",), diff="-a\n+b\n"
)
FULL = Diagnosis(
    source="2.2",
    target="3.2",
    branch="upgrade/django-3.2",
    failing=("app.tests.T.test_api", "app.tests.T.test_view"),
    causes=(
        Cause(
            ("app.tests.T.test_api",),
            (BUMP,),
            True,
            (("app.tests.T.test_api", Frame("app/api.py", 7, "RuntimeError: gone")),),
        ),
        Cause(("app.tests.T.test_view",), (RULE,), True, catalogue=("ugettext",)),
    ),
    unexplained=(),
    trials=(
        Trial(("plantedpkg",), (), ("app.tests.T.test_api",), ("app.tests.T.test_api",), 1.5),
        Trial((), ("app/views.py",), ("app.tests.T.test_view",), None, 0.2, why="no install"),
    ),
    elapsed=4.4,
    budget=900.0,
    budget_spent=False,
    reference=2.2,
    reverted=(Reverted("app/views.py", RULE.rules, "abc123", ("app.tests.T.test_view",)),),
    report_dir=".upgrader/reports/django-3.2",
)


def validate_diagnosis(document: object) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize(
    "diagnosis",
    [
        pytest.param(FULL, id="two causes, a trial that could not run, a revert"),
        pytest.param(
            dataclasses.replace(
                FULL, branch=None, causes=(), reverted=(), reference=None, report_dir=None
            ),
            id="nothing found, no git",
        ),
    ],
)
def test_the_printed_document_follows_the_schema(diagnosis: Diagnosis) -> None:
    validate_diagnosis(json.loads(json.dumps(to_json(diagnosis))))


def test_the_schema_refuses_what_it_does_not_describe() -> None:
    document = json.loads(json.dumps(to_json(FULL)))
    document["causes"][0]["changes"][0]["kind"] = "migration"
    with pytest.raises(jsonschema.ValidationError):
        validate_diagnosis(document)
    document = json.loads(json.dumps(to_json(FULL)))
    document["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError):
        validate_diagnosis(document)
