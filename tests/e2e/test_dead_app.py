"""End-to-end: a dead Django app blocks the hop before anything changes (F7).

A small Django 2.2 project depends on ``deadapp`` 1.0, its newest (and only) release, served from
a local index: a Django app whose metadata names no Django and whose ``deadapp/fields.py`` does
``from django.utils import six`` (Django 3.0 removed it without a deprecation period, so the
baseline on 2.2 is green and warns about nothing). ``upgrader step --to 3.2`` runs that baseline,
then stops in the dependency phase naming the package, its file:line, the removed name, the
release that removed it and what to do, with the repository as it found it; ``upgrader plan``
then lists it as the hop's blocker, read from the stage environment the step made.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.deps.conftest import LocalIndex, Served, local_index, serve  # noqa: F401 (fixtures)
from tests.e2e.test_diagnose import MANAGE, git
from tests.e2e.test_walk import run, upgrader

pytestmark = pytest.mark.e2e

FIELDS = """\
from django.utils import six


def label(value):
    return six.text_type(value)
"""
SETTINGS = """\
SECRET_KEY = "dead"
DEBUG = True
ALLOWED_HOSTS = []
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "deadapp", "app"]
MIDDLEWARE = []
ROOT_URLCONF = "mysite.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
"""
TESTS = """\
from django.test import SimpleTestCase

from deadapp.fields import label


class LabelTests(SimpleTestCase):
    def test_label(self):
        self.assertEqual(label(3), "3")
"""


def _add_module(index: LocalIndex, wheel_name: str, rel: str, text: str) -> None:
    """Add ``rel`` to a wheel the index built, with its RECORD and the index's hashes updated."""
    wheel = index.root / "files" / wheel_name
    old = wheel.read_bytes()
    with zipfile.ZipFile(wheel) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    record = next(name for name in entries if name.endswith(".dist-info/RECORD"))
    data = text.encode()
    digest = hashlib.sha256(data).digest()
    import base64

    line = f"{rel},sha256={base64.urlsafe_b64encode(digest).rstrip(b'=').decode()},{len(data)}\n"
    entries[rel] = data
    entries[record] = line.encode() + entries[record]
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    new = wheel.read_bytes()
    for listing in index.simple.rglob("index.*"):
        listing.write_text(
            listing.read_text()
            .replace(hashlib.sha256(old).hexdigest(), hashlib.sha256(new).hexdigest())
            .replace(f'"size": {len(old)}', f'"size": {len(new)}')
        )


def dead_app_project(tmp_path: Path, index_url: str) -> Path:
    root = tmp_path / "dead"
    files = {
        "manage.py": MANAGE,
        "runtime.txt": "python-3.8.18\n",
        "requirements.txt": f"--extra-index-url {index_url}\nDjango==2.2.28\ndeadapp==1.0\n",
        "mysite/__init__.py": "",
        "mysite/settings.py": SETTINGS,
        "mysite/urls.py": "urlpatterns = []\n",
        "app/__init__.py": "",
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


def test_a_dead_app_is_the_hops_blocker_in_step_and_plan(
    local_index: LocalIndex,  # noqa: F811
    serve: Callable[[LocalIndex], Served],  # noqa: F811
    tmp_path: Path,
) -> None:
    local_index.add(
        "deadapp",
        "1.0",
        classifiers=("Framework :: Django", "Programming Language :: Python :: 3"),
        upload_time="2019-06-01T10:00:00Z",
    )
    local_index.build()
    _add_module(local_index, "deadapp-1.0-py3-none-any.whl", "deadapp/fields.py", FIELDS)
    served = serve(local_index)
    root = dead_app_project(tmp_path, served.url)
    head = run(["git", "rev-parse", "HEAD"], root).stdout

    refused = upgrader("step", "--to", "3.2", cwd=root, check=False)
    output = refused.stdout + refused.stderr
    assert refused.returncode == 2, output
    assert (
        "deadapp 1.0 (its newest release) breaks on Django 3.2: its deadapp/fields.py:1 imports "
        "`django.utils.six`, removed in Django 3.0" in " ".join(output.split())
    ), output
    assert "replace-requirements" in output and "vendor a patched copy" in output
    assert "Nothing was kept" in output
    # The baseline ran green on 2.2 (the app works there), and nothing changed.
    assert run(["git", "rev-parse", "HEAD"], root).stdout == head
    assert run(["git", "branch", "--list"], root).stdout.split() == ["*", "main"]
    assert run(["git", "status", "--porcelain"], root).stdout.strip() == ""
    assert not (root / ".upgrader" / "state.json").exists()  # no hop in progress
    assert (root / ".upgrader" / "cache" / "tox" / "django22").is_dir()  # the baseline's env

    planned = upgrader("plan", "--to", "3.2", "--format", "json", cwd=root, check=False)
    plan = json.loads(planned.stdout)
    (hop,) = plan["hops"]
    blocked = {b["name"]: b["reason"] for b in hop["blocked"]}
    assert "deadapp/fields.py:1 imports `django.utils.six`" in blocked["deadapp"], blocked
