"""End-to-end: a red hop explains itself (issue 13), with the real stages and real trials.

A small Django 2.2 project with two planted faults on its hop to 3.2:

- a package bump: ``plantedpkg`` 1.0 requires Django < 3.0, so the hop moves it to 2.0 (from a
  local index of two tiny wheels, served over HTTP), and ``app/api.py`` refuses anything but its
  1.x API: ``ApiTests.test_api`` goes red;
- a rewrite: django-upgrade turns ``ugettext`` into ``gettext`` in ``app/views.py``, and
  ``ViewTests.test_greeting`` patches ``app.views.ugettext`` by name: it goes red.

``upgrader diagnose --revert-breaking`` names both causes (the bump, rule-free, with the frame in
``app/api.py``; the rule in ``app/views.py`` with its diff), reverts the rewrite of
``app/views.py`` as a manual item; the developer fixes ``api.py`` by hand, and
``upgrader step --continue`` goes green with the manual item in the report's notes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.deps.conftest import LocalIndex, Served, local_index, serve  # noqa: F401 (fixtures)
from tests.diagnose.test_schema import validate_diagnosis
from tests.e2e.test_walk import run, upgrader
from upgrader.deps.resolve import find_uv

pytestmark = pytest.mark.e2e

SETTINGS = """\
SECRET_KEY = "planted"
DEBUG = True
ALLOWED_HOSTS = []
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "app"]
MIDDLEWARE = []
ROOT_URLCONF = "mysite.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
USE_TZ = True
"""
MANAGE = """\
#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""
API = """\
import plantedpkg


def api_version():
    major = plantedpkg.__version__.split(".")[0]
    if major != "1":
        raise RuntimeError("plantedpkg %s: the 1.x API this module uses is gone" % major)
    return major
"""
API_LINE = 7  # the raise above
API_FIXED = """\
import plantedpkg


def api_version():
    return plantedpkg.__version__.split(".")[0]
"""
VIEWS = """\
from django.utils.translation import ugettext


def greeting():
    return ugettext("Hello")
"""
TESTS = """\
from unittest import mock

from django.test import SimpleTestCase

from app import api, views


class ApiTests(SimpleTestCase):
    def test_api(self):
        self.assertTrue(api.api_version())


class ViewTests(SimpleTestCase):
    def test_greeting(self):
        with mock.patch("app.views.ugettext", return_value="Hallo"):
            self.assertEqual(views.greeting(), "Hallo")

    def test_plain(self):
        self.assertEqual(views.greeting(), "Hello")
"""
API_TEST = "app.tests.ApiTests.test_api"
VIEW_TEST = "app.tests.ViewTests.test_greeting"


def git(root: Path, *args: str) -> None:
    run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], root)


def planted_project(tmp_path: Path, index_url: str) -> Path:
    root = tmp_path / "planted"
    files = {
        "manage.py": MANAGE,
        "runtime.txt": "python-3.8.18\n",
        "requirements.txt": f"--extra-index-url {index_url}\nDjango==2.2.28\nplantedpkg==1.0\n",
        "mysite/__init__.py": "",
        "mysite/settings.py": SETTINGS,
        "mysite/urls.py": "urlpatterns = []\n",
        "app/__init__.py": "",
        "app/api.py": API,
        "app/views.py": VIEWS,
        "app/tests.py": TESTS,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    run(["git", "init", "-q", "-b", "main"], root)
    run(["git", "add", "-A"], root)
    git(root, "commit", "-qm", "as found")
    return root


def frozen(root: Path) -> str:
    """What the hop's stage env holds (``uv pip freeze``)."""
    uv = find_uv()
    assert uv is not None
    python = root / ".upgrader" / "cache" / "tox" / "django32" / "bin" / "python"
    command = [uv, "pip", "freeze", "--python", str(python)]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def state(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((root / ".upgrader" / "state.json").read_text())
    return data


@pytest.mark.parametrize("through", ["direct", "tox"])
def test_two_planted_faults_are_named_and_the_breaking_rule_reverted(
    through: str,
    local_index: LocalIndex,  # noqa: F811
    serve: Callable[[LocalIndex], Served],  # noqa: F811
    tmp_path: Path,
) -> None:
    local_index.add(
        "plantedpkg", "1.0", requires_dist=("Django<3.0",), upload_time="2019-06-01T10:00:00Z"
    )
    local_index.add(
        "plantedpkg", "2.0", requires_dist=("Django>=2.2",), upload_time="2021-06-01T10:00:00Z"
    )
    served = serve(local_index.build())
    root = planted_project(tmp_path, served.url)

    red = upgrader("step", "--to", "3.2", cwd=root, check=False)
    assert red.returncode == 1, red.stdout + red.stderr
    # The step diagnosed its own red hop and names both causes under its result.
    said = " ".join((red.stdout + red.stderr).split())
    assert "plantedpkg 1.0 -> 2.0" in said and "in app/views.py" in said, said
    hop = state(root)["current"]
    assert hop["status"] == "needs-attention"
    assert sorted(hop["tests_after"]["failures"] + hop["tests_after"]["error_ids"]) == [
        API_TEST,
        VIEW_TEST,
    ]
    bumps = {d["name"].lower(): (d["current"], d["chosen"]) for d in hop["dependencies"]}
    assert bumps["plantedpkg"] == ("1.0", "2.0")
    one_run = float(hop["tests_after"]["elapsed"])

    stage_set = frozen(root)
    if through == "tox":  # no stage env to start from: every trial builds one in the worktree
        shutil.rmtree(root / ".upgrader" / "cache" / "tox" / "django32")
    diagnosed = upgrader("diagnose", "--revert-breaking", "--format", "json", cwd=root, check=False)
    assert diagnosed.returncode == 0, diagnosed.stdout + diagnosed.stderr
    diagnosis = json.loads(diagnosed.stdout)
    validate_diagnosis(diagnosis)  # upgrader/schema/diagnose-1.schema.json
    causes = {tuple(c["tests"]): c for c in diagnosis["causes"]}
    assert set(causes) == {(API_TEST,), (VIEW_TEST,)}, diagnosis["causes"]

    bump = causes[(API_TEST,)]
    assert [(c["kind"], c["name"], c["old"], c["new"]) for c in bump["changes"]] == [
        ("dependency", "plantedpkg", "1.0", "2.0")
    ]
    assert bump["isolated"]
    assert {t: (f["file"], f["line"]) for t, f in bump["frames"]} == {
        API_TEST: ("app/api.py", API_LINE)
    }

    rule = causes[(VIEW_TEST,)]
    assert [(c["kind"], c["name"]) for c in rule["changes"]] == [("rewrite", "app/views.py")]
    assert rule["isolated"] and rule["changes"][0]["rules"]
    assert "-from django.utils.translation import ugettext" in rule["changes"][0]["diff"]
    # mock.patch's AttributeError names ugettext: the catalogue's entry for it
    assert rule["catalogue"] == ["ugettext"]
    assert [f["file"] for _t, f in rule["frames"]] == ["app/tests.py"]

    # With the stage env there, the trials ran in the diagnosis' own envs, not through tox,
    # and the stage env the hop verifies in still holds the hop's set (upgrader.diagnose.direct).
    ran = [t for t in diagnosis["trials"] if t["failing"] is not None]
    assert len(ran) == 3, diagnosis["trials"]
    assert all(("-diagnose-" in t["log"]) == (through == "direct") for t in ran), ran
    assert "plantedpkg==2.0" in stage_set
    if through == "direct":
        assert frozen(root) == stage_set

    [reverted] = diagnosis["reverted"]
    assert reverted["file"] == "app/views.py" and reverted["tests"] == [VIEW_TEST]
    assert (root / "app" / "views.py").read_text() == VIEWS
    folder = root / diagnosis["report_dir"]
    assert json.loads((folder / "diagnosis.json").read_text())["causes"] == diagnosis["causes"]
    markdown = (folder / "diagnosis.md").read_text()
    assert "because of plantedpkg 1.0 -> 2.0 (rule-free)" in markdown
    assert "app/api.py:7" in markdown
    manual = state(root)["current"]["manual"]
    assert [(m["id"], m["file"]) for m in manual] == [("reverted-rewrite", "app/views.py")]
    # the user's tree and branch were never touched by the trials: no worktree left behind
    worktrees = subprocess.run(
        ["git", "-C", str(root), "worktree", "list"], capture_output=True, text=True, check=True
    ).stdout
    assert len(worktrees.strip().splitlines()) == 1, worktrees

    # The package fault is the developer's to fix; the rule's revert lets the hop go green.
    (root / "app" / "api.py").write_text(API_FIXED)
    git(root, "commit", "-qam", "api: plantedpkg 2")
    green = upgrader("step", "--continue", cwd=root, check=False)
    assert green.returncode in (0, 1), green.stdout + green.stderr
    done = state(root)["history"][-1]
    assert done["tests_after"]["green"], done["tests_after"]
    assert any("app/views.py" in note and "reverted" in note for note in done["notes"])
    ratio = diagnosis["elapsed"] / one_run
    print(
        f"{through}: diagnosis {diagnosis['elapsed']:.1f}s, one hop test run {one_run:.1f}s: {ratio:.1f}x"
    )
    print((folder / "diagnosis.md").read_text())
    for trial in diagnosis["trials"]:
        print(
            trial["dependencies"],
            trial["files"],
            trial["failing"],
            trial["elapsed"],
            trial["why"][:80],
            trial["log"],
        )
