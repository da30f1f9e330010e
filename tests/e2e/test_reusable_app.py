"""End-to-end (issue 16.8): a reusable app with no manage.py, tested by its own runtests.py that
configures settings in code, walks one hop with real Django installs and its own test script."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.detect.conftest import write_tree
from tests.detect.test_reusable_app import REUSABLE_APP
from tests.e2e.test_walk import run, upgrader

pytestmark = pytest.mark.e2e

TEST_MODULE = """\
from django.test import TestCase

from taglite.models import Tag


class TagTests(TestCase):
    def test_create(self):
        Tag.objects.create(name="x")
        self.assertEqual(Tag.objects.count(), 1)
"""


def test_reusable_app_walks_a_hop_with_its_own_script(tmp_path: Path) -> None:
    root = tmp_path / "django-taglite"
    files = {**REUSABLE_APP, "tests/test_tags.py": TEST_MODULE}
    files["setup.py"] = str(files["setup.py"]).replace("Django>=2.2,<2.3", "Django==2.2.28")
    write_tree(root, files)
    run(["git", "init", "-q", "-b", "main"], root)
    run(["git", "add", "-A"], root)
    run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "as found"], root)

    plan = upgrader("plan", "--to", "3.2", "--no-dependencies", cwd=root / "taglite")
    assert "Tests: python runtests.py" in plan.stdout

    step = upgrader("step", "--to", "3.2", cwd=root)
    out = step.stdout + step.stderr
    assert "done; tests 1 passed → 1 passed" in out, out
    models = run(["git", "show", "HEAD:taglite/models.py"], root).stdout
    assert "gettext_lazy" in models and "ugettext_lazy" not in models
