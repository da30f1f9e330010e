"""End-to-end: the fix loop of issue 20 on the polls sample, with the real stages.

The hop to Django 3.2 is red because of a dependency: the project falls back to the ``six``
package once Django no longer ships ``django.utils.six`` (3.0), and nothing installs it. The
developer fixes it in one place, ``requirements.txt``, and ``upgrader step --continue`` resolves
the stage's set again from it, verifies green, and reports what was verified; a commit of their
own on the green hop is unverified until ``--continue`` checks it; ``rollback`` keeps it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_walk import copy_as_repository, run, stage_python, upgrader

pytestmark = pytest.mark.e2e

COMPAT = """try:
    from django.utils import six  # Django < 3.0
except ImportError:  # Django 3.0 removed it: the six package is the same module
    import six
"""
TEST = """

class CompatTests(TestCase):
    def test_six_is_there(self):
        from polls.compat import six

        self.assertTrue(six.PY3)
"""


def report(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (root / ".upgrader" / "reports" / "django-3.2" / "report.json").read_text()
    )
    return data


def commit(root: Path, message: str) -> None:
    run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", message], root)


def test_a_dependency_fix_in_requirements_txt_is_the_one_edit(tmp_path: Path) -> None:
    root = copy_as_repository("polls", tmp_path)
    (root / "polls" / "compat.py").write_text(COMPAT)
    tests = root / "polls" / "tests.py"
    tests.write_text(tests.read_text() + TEST)
    run(["git", "add", "polls/compat.py"], root)
    commit(root, "compat")

    red = upgrader("step", "--to", "3.2", cwd=root, check=False)
    assert red.returncode == 1, red.stdout + red.stderr
    assert "CompatTests" in red.stdout + red.stderr
    assert report(root)["status"] == "needs-attention"

    # The one fix: the project's own requirements.txt.
    requirements = root / "requirements.txt"
    requirements.write_text(requirements.read_text() + "six==1.16.0\n")
    green = upgrader("step", "--continue", cwd=root, check=False)
    assert green.returncode == 0, green.stdout + green.stderr
    constraints = (root / ".upgrader" / "constraints" / "django-3.2.txt").read_text()
    assert "six==1.16.0" in constraints
    data = report(root)
    assert data["status"] == "done"
    rows = {row["name"]: row["chosen"] for row in data["dependencies"]}
    assert rows["six"] == "1.16.0"
    assert rows["django"].startswith("3.2.")
    python = str(stage_python(root, "3.2"))
    installed = run([python, "-c", "import six, django; print(six.__version__)"], root).stdout
    assert installed.strip() == "1.16.0"
    run([python, "manage.py", "makemigrations", "--check", "--dry-run"], root)
    assert any(c["phase"] == "fixes" for c in data["commits"])

    # A commit of the developer's own on the green hop: unverified until --continue.
    settings = root / "mysite" / "settings.py"
    settings.write_text(
        settings.read_text() + "\nDEFAULT_AUTO_FIELD = 'django.db.models.AutoField'\n"
    )
    commit(root, "DEFAULT_AUTO_FIELD")
    assert "1 unverified commit(s)" in upgrader("status", cwd=root).stdout
    again = upgrader("step", "--continue", cwd=root, check=False)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "unverified" not in upgrader("status", cwd=root).stdout
    assert "your commit" in [c["phase"] for c in report(root)["commits"]]

    mine = run(["git", "log", "-1", "--format=%H", "--grep=DEFAULT_AUTO_FIELD"], root).stdout
    undone = upgrader("rollback", cwd=root)
    assert "kept on branch upgrader-kept/django-3.2" in undone.stdout
    kept = run(["git", "log", "--format=%H", "upgrader-kept/django-3.2"], root).stdout
    assert mine.strip() in kept.split()
    assert run(["git", "branch", "--show-current"], root).stdout.strip() == "main"
