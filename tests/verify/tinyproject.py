"""A tiny Django project written into a folder, for end-to-end runs of the verify stage.

The suite has passing tests, one skipped test, a test calling an API deprecated in the given
Django (so a ``RemovedInDjangoNNWarning`` appears with the project's file:line), and, on request,
a failing test, a test module that crashes at import, or a test that hangs.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

# A call that warns on each Django the tiny project is run with, and the warning it gives.
DEPRECATED_CALLS: dict[str, tuple[str, str]] = {
    # 2.2: timezone.FixedOffset is deprecated in 2.2, removed in 3.1.
    "2.2": (
        "from django.utils import timezone\n",
        "timezone.FixedOffset(60)",
        "RemovedInDjango31Warning",
    ),
    # 4.2: timezone.utc is deprecated in 4.1, removed in 5.0.
    "4.2": ("from django.utils import timezone\n", "timezone.utc", "RemovedInDjango50Warning"),
}


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def make_tiny_project(
    root: Path,
    *,
    django: str = "2.2",
    pin: str = "Django==2.2.28",
    failing: bool = False,
    crash_at_import: bool = False,
    hang: bool = False,
    pytest: bool = False,
    extra_settings: str = "",
) -> Path:
    """Write the project into ``root`` and return it; the deprecated call fits ``django``."""
    import_line, call, _warning = DEPRECATED_CALLS[django]
    reqs = pin + "\n" + ("pytest\npytest-django\n" if pytest else "")
    _write(root, "requirements.txt", reqs)
    _write(
        root,
        "manage.py",
        """
        #!/usr/bin/env python
        import os
        import sys

        if __name__ == "__main__":
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinysite.settings")
            from django.core.management import execute_from_command_line

            execute_from_command_line(sys.argv)
        """,
    )
    _write(root, "tinysite/__init__.py", "")
    _write(
        root,
        "tinysite/settings.py",
        """
        SECRET_KEY = "tiny-not-secret"
        DEBUG = True
        ALLOWED_HOSTS = []
        INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "notes"]
        DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
        ROOT_URLCONF = "tinysite.urls"
        USE_TZ = True
        """
        + extra_settings,
    )
    _write(root, "tinysite/urls.py", "urlpatterns = []\n")
    _write(root, "notes/__init__.py", "")
    _write(
        root,
        "notes/models.py",
        """
        from django.db import models


        class Note(models.Model):
            title = models.CharField(max_length=100)

            def __str__(self):
                return self.title
        """,
    )
    _write(
        root,
        "notes/clock.py",
        import_line
        + textwrap.dedent(
            f"""

            def offset():
                return {call}
            """
        ),
    )
    body = """
        import unittest

        from django.test import TestCase

        from notes.clock import offset
        from notes.models import Note


        class NoteTests(TestCase):
            def test_create(self):
                Note.objects.create(title="a")
                self.assertEqual(Note.objects.count(), 1)

            def test_str(self):
                self.assertEqual(str(Note(title="b")), "b")

            def test_offset(self):
                self.assertIsNotNone(offset())

            @unittest.skip("not on this stage")
            def test_skipped(self):
                pass
        """
    if failing:
        body += """
            def test_fails(self):
                self.assertEqual(Note(title="x").title, "y")
        """
    if hang:
        body += """
            def test_hangs(self):
                import time

                time.sleep(600)
        """
    _write(root, "notes/tests.py", body)
    if crash_at_import:
        _write(root, "notes/test_broken.py", "import this_module_does_not_exist\n")
    if pytest:
        _write(
            root,
            "pytest.ini",
            """
            [pytest]
            DJANGO_SETTINGS_MODULE = tinysite.settings
            python_files = tests.py test_*.py
            """,
        )
    return root
