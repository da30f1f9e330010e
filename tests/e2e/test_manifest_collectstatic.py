"""End-to-end (FINDINGS F3, locallibrary): settings with a manifest static files storage and no
collectstatic anywhere in the repository (Heroku runs it at deploy). The stage runs
``manage.py collectstatic --noinput`` before the tests, detected from the settings, so a test
that names a static file passes as it would in deployment; ``[tool.upgrader] pre-test = []``
turns it off, and the same test then errors on the missing manifest entry. Real tox, uv, Django."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.verify.tinyproject import make_tiny_project
from upgrader.interpreters import find_for
from upgrader.project import detect_project
from upgrader.releases import Release, get_release
from upgrader.verify.run import verify_stage

pytestmark = pytest.mark.e2e

SETTINGS = """
INSTALLED_APPS += ["django.contrib.staticfiles"]
STATIC_URL = "/static/"
STATIC_ROOT = "staticfiles"
STATICFILES_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
"""

STATIC_TEST = """\
from django.templatetags.static import static
from django.test import SimpleTestCase


class StaticTests(SimpleTestCase):
    def test_the_manifest_names_the_hashed_file(self):
        self.assertRegex(static("notes/site.css"), r"^/static/notes/site\\.[0-9a-f]{12}\\.css$")
"""


def stage_22() -> Release:
    found = get_release("2.2")
    assert found is not None
    return found


def manifest_project(root: Path) -> Path:
    # The tiny project's settings are dedented as a whole: its extra lines come indented too.
    make_tiny_project(root, extra_settings=textwrap.indent(SETTINGS, " " * 8))
    (root / "notes" / "static" / "notes").mkdir(parents=True)
    (root / "notes" / "static" / "notes" / "site.css").write_text("body { color: #333; }\n")
    (root / "notes" / "test_static.py").write_text(STATIC_TEST)
    return root


def test_a_manifest_storage_runs_collectstatic_before_the_tests(tmp_path: Path) -> None:
    root = manifest_project(tmp_path / "site")
    python = find_for(stage_22(), prefer="3.8")
    result = verify_stage(detect_project(root), stage_22(), python=python)
    assert (result.passed, result.failed, result.errors) == (4, 0, 0), result.log.read_text()
    assert (root / "staticfiles" / "staticfiles.json").is_file()

    # Turned off: the test meets the missing manifest, as locallibrary's 21 tests did.
    (root / "pyproject.toml").write_text("[tool.upgrader]\npre-test = []\n")
    for path in sorted((root / "staticfiles").rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    off = verify_stage(detect_project(root), stage_22(), python=python)
    assert (off.passed, off.failed + off.errors) == (3, 1), off.log.read_text()
    assert "Missing staticfiles manifest entry" in off.log.read_text()
