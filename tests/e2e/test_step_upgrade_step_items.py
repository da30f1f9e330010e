"""End-to-end: a hop that moves django-allauth past 0.56 adds the middleware it asks for (F18).

The polls sample with ``django-allauth==0.44.0`` (Django 2.2's) and ``allauth.account``
installed: its hop to 3.2 with ``--strategy latest`` moves allauth past 0.56.0, which refuses to
start without ``allauth.account.middleware.AccountMiddleware``. The hop's settings rewrite
(``settings_allauth_account_middleware``) adds it, so the hop ends done with the tests green and
no allauth item open; without the edit the tests would not start (allauth's ``ready()``). The
sdist of allauth 0.44.0 needs a setuptools with ``convert_path`` (before 70): the stage's
default build cap on Python <= 3.8 gives it, with no ``[tool.upgrader]`` line.
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


def test_the_allauth_middleware_is_added_by_the_hop(tmp_path: Path) -> None:
    root = copy_as_repository("polls", tmp_path)
    requirements = root / "requirements.txt"
    requirements.write_text(requirements.read_text() + "django-allauth==0.44.0\n")
    settings = root / "mysite" / "settings.py"
    text = settings.read_text()
    apps = "    'polls',\n    'django.contrib.sites',\n    'allauth',\n    'allauth.account',\n"
    settings.write_text(text.replace("    'polls',\n", apps, 1) + "SITE_ID = 1\n")
    run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "allauth"], root)
    assert MIDDLEWARE not in settings.read_text()

    done = upgrader("step", "--to", "3.2", "--strategy", "latest", cwd=root, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "settings_allauth_account_middleware (1)" in done.stdout + done.stderr
    data = report(root)
    rows = {row["name"]: row["chosen"] for row in data["dependencies"]}
    assert Version(rows["django-allauth"]) >= Version("0.56.0")
    assert data["status"] == "done", data["manual"]
    assert [m["id"] for m in data["manual"] if m["id"].startswith("django-allauth")] == []
    assert settings.read_text().count(f"'{MIDDLEWARE}'") == 1
