"""End-to-end: a hop that moves django-allauth past 0.56 lists the middleware it asks for as a
manual item of the hop, at the settings' MIDDLEWARE line, until the settings have it (F18).

The polls sample with ``django-allauth==0.44.0`` (Django 2.2's) and ``allauth.account``
installed: its hop to 3.2 with ``--strategy latest`` moves allauth past 0.56.0, which refuses to
start without ``allauth.account.middleware.AccountMiddleware``. The hop is red and its report
has the item where the fix goes; the developer adds the middleware, and ``step --continue``
(the dependency phase not run again, so the item comes from the recorded changes) ends done.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from packaging.version import Version

from tests.e2e.test_walk import copy_as_repository, run, upgrader

pytestmark = pytest.mark.e2e

MIDDLEWARE = "allauth.account.middleware.AccountMiddleware"


def report(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (root / ".upgrader" / "reports" / "django-3.2" / "report.json").read_text()
    )
    return data


def middleware_line(settings: Path) -> int:
    lines = settings.read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith("MIDDLEWARE"))


def test_the_allauth_step_is_an_item_until_the_middleware_is_added(tmp_path: Path) -> None:
    root = copy_as_repository("polls", tmp_path)
    requirements = root / "requirements.txt"
    requirements.write_text(requirements.read_text() + "django-allauth==0.44.0\n")
    settings = root / "mysite" / "settings.py"
    text = settings.read_text()
    apps = "    'polls',\n    'django.contrib.sites',\n    'allauth',\n    'allauth.account',\n"
    settings.write_text(text.replace("    'polls',\n", apps, 1) + "SITE_ID = 1\n")
    # allauth 0.44.0 is an sdist whose setup.py needs an old setuptools (the baseline says so).
    (root / "pyproject.toml").write_text('[tool.upgrader]\nbuild-constraints = ["setuptools<70"]\n')
    run(["git", "add", "pyproject.toml"], root)
    run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "allauth"], root)

    red = upgrader("step", "--to", "3.2", "--strategy", "latest", cwd=root, check=False)
    assert red.returncode == 1, red.stdout + red.stderr
    data = report(root)
    rows = {row["name"]: row["chosen"] for row in data["dependencies"]}
    assert Version(rows["django-allauth"]) >= Version("0.56.0")
    items = [(m["id"], m["file"], m["line"]) for m in data["manual"]]
    assert ("django-allauth-0.56.0", "mysite/settings.py", middleware_line(settings)) in items
    [item] = [m for m in data["manual"] if m["id"] == "django-allauth-0.56.0"]
    assert MIDDLEWARE in item["suggestion"]

    # The fix where the item points: the middleware, after the auth middleware.
    auth = "    'django.contrib.auth.middleware.AuthenticationMiddleware',\n"
    text = settings.read_text()
    assert auth in text
    settings.write_text(text.replace(auth, f"{auth}    '{MIDDLEWARE}',\n", 1))
    green = upgrader("step", "--continue", cwd=root, check=False)
    assert green.returncode == 0, green.stdout + green.stderr
    data = report(root)
    assert data["status"] == "done", data["manual"]
    assert [m["id"] for m in data["manual"] if m["id"].startswith("django-allauth")] == []
