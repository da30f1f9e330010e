"""``upgrader verify --format json`` from a real run (real tox, real Django) matches its schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.verify.tinyproject import make_tiny_project

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "upgrader/schema/verify-1.schema.json").read_text()
)


@pytest.mark.e2e
def test_real_verify_json_matches_the_schema(tmp_path: Path) -> None:
    root = make_tiny_project(tmp_path / "tiny", failing=True)
    result = subprocess.run(
        [sys.executable, "-m", "upgrader", "verify", str(root), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1, result.stderr  # the failing test
    document = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert document["schema"] == 1 and document["ok"] is False
    assert document["new_failures"] == document["run"]["failures"] != []
    assert any(w["origin"] == "project" for w in document["run"]["warnings"])
