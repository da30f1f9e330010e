"""End-to-end (FINDINGS F6, simple-history): a reusable app that declares Django only in
``tests_require`` and tox.ini's factor deps, tested by its own ``runtests.py`` (settings configured
in code, no manage.py), gets a working Django 2.2 stage with no set-up change: the stage's Django,
``tests_require``, the 2.2 factor's deps and ``install_requires`` (also beside a requirements
file, where the F6 rerun lost ``six``). Real uv, tox and Django installs from the package index."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.detect.conftest import write_tree
from tests.e2e.test_walk import run, upgrader
from upgrader.interpreters import find_for
from upgrader.project import detect_project
from upgrader.releases import Release, get_release
from upgrader.verify.run import verify_stage

pytestmark = pytest.mark.e2e

SETUP_PY = """\
from setuptools import setup

setup(
    name="django-tinyhistory",
    version="0.1",
    packages=["tinyhistory"],
    install_requires=["six"],
    tests_require=["Django>=1.11", "mock==1.0.1", "six"],
)
"""

TOX_INI = """\
[tox]
envlist = py37-django{111,22}

[testenv]
deps =
    coverage
    django111: Django>=1.11,<1.12
    django22: Django>=2.2,<2.3
    django{111,22}: freezegun==0.3.15
commands = coverage run -a runtests.py
"""

RUNTESTS = """\
#!/usr/bin/env python
import sys

import django
from django.conf import settings
from django.test.runner import DiscoverRunner

settings.configure(
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "tinyhistory"],
)


def main():
    django.setup()
    failures = DiscoverRunner(verbosity=1).run_tests(["tinyhistory"])
    sys.exit(bool(failures))


if __name__ == "__main__":
    main()
"""

MODELS = """\
import six
from django.db import models


class Note(models.Model):
    text = models.CharField(max_length=20)

    def __str__(self):
        return six.text_type(self.text)
"""

TESTS = """\
import django
import mock
from django.test import TestCase
from freezegun import freeze_time

from tinyhistory.models import Note


class NoteTests(TestCase):
    def test_str(self):
        self.assertEqual(str(Note.objects.create(text="hi")), "hi")

    def test_tests_require(self):
        self.assertTrue(mock.Mock(return_value=True)())

    def test_the_stages_django(self):
        self.assertEqual(django.VERSION[:2], (2, 2))

    @freeze_time("2019-04-01")
    def test_the_tox_factor_deps(self):
        import datetime

        self.assertEqual(datetime.date.today().isoformat(), "2019-04-01")
"""


def stage_22() -> Release:
    found = get_release("2.2")
    assert found is not None
    return found


def reusable_app(root: Path, **extra: str) -> Path:
    files = {
        "setup.py": SETUP_PY,
        "tox.ini": TOX_INI,
        "runtests.py": RUNTESTS,
        "tinyhistory/__init__.py": "",
        "tinyhistory/models.py": MODELS,
        "tinyhistory/tests/__init__.py": "",
        "tinyhistory/tests/test_notes.py": TESTS,
        **extra,
    }
    write_tree(root, files)
    run(["git", "init", "-q", "-b", "main"], root)
    run(["git", "add", "-A"], root)
    run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "as found"], root)
    return root


def test_a_reusable_app_without_requirements_runs_its_baseline_green(tmp_path: Path) -> None:
    root = reusable_app(tmp_path / "django-tinyhistory")
    plan = upgrader("plan", "--from", "2.2", "--to", "3.2", "--no-dependencies", cwd=root).stdout
    assert "test requirement: mock==1.0.1  (setup.py:" in plan
    assert "test requirement: freezegun==0.3.15  (tox.ini:" in plan
    assert "'Django>=1.11': each stage installs its own Django in its place" in plan

    project = detect_project(root, django_from="2.2")
    python = find_for(stage_22(), prefer="3.7")
    result = verify_stage(project, stage_22(), python=python)
    assert (result.passed, result.failed, result.errors) == (4, 0, 0), result.log.read_text()


def test_install_requires_stays_beside_a_requirements_file(tmp_path: Path) -> None:
    """The F6 rerun: a requirements.txt with Django and mock, and six only in install_requires."""
    requirements = "Django==2.2.28\nmock==1.0.1\n"
    root = reusable_app(tmp_path / "django-tinyhistory", **{"requirements.txt": requirements})
    project = detect_project(root)
    python = find_for(stage_22(), prefer="3.7")
    result = verify_stage(project, stage_22(), python=python)
    assert (result.passed, result.failed, result.errors) == (4, 0, 0), result.log.read_text()
