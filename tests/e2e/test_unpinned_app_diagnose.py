"""End-to-end (FINDINGS F72): a reusable app that declares no Django requirement, stepped with
``--from 2.2``, whose 3.2 hop is red: the step's own diagnosis runs (no "no Django requirement
found"), and ``diagnose``, ``status`` and ``report`` by hand need no ``--from``. Real uv, tox and
Django installs from the package index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_reusable_app_test_env import reusable_app
from tests.e2e.test_walk import upgrader

pytestmark = pytest.mark.e2e

# test_notes.py's test_the_stages_django asserts Django 2.2: red on the 3.2 hop, and only the
# Django bump turns it red.
RED = "tinyhistory.tests.test_notes.NoteTests.test_the_stages_django"


def test_an_unpinned_apps_red_hop_is_diagnosed_without_from(tmp_path: Path) -> None:
    root = reusable_app(tmp_path / "django-tinyhistory")
    red = upgrader("step", "--from", "2.2", "--to", "3.2", cwd=root, check=False)
    said = " ".join((red.stdout + red.stderr).split())
    assert red.returncode == 1, said
    assert "no Django requirement" not in said and "The diagnosis failed" not in said, said
    assert "1 cause(s) found" in said and f"test {RED} fails because of django" in said, said

    diagnosed = upgrader("diagnose", "--format", "json", cwd=root, check=False)
    assert diagnosed.returncode == 0, diagnosed.stdout + diagnosed.stderr
    [cause] = json.loads(diagnosed.stdout)["causes"]
    assert cause["tests"] == [RED] and cause["isolated"]
    assert [c["name"] for c in cause["changes"]] == ["django"]

    status = upgrader("status", cwd=root, check=False)
    assert status.returncode == 1, status.stdout + status.stderr  # the hop needs attention
    report = upgrader("report", "--format", "json", cwd=root)
    assert json.loads(report.stdout)["to"] == "3.2"
