"""``crash_line``: the exception that stopped a test command, quoted from real outputs.

The outputs are in tests/verify/fixtures/crashes/ (README there: how each was made) and the tox
logs of tests/verify/fixtures/; Python 3.6 and 3.12 tracebacks, Django's runner and pytest.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from upgrader.verify.parse import crash_line

FIXTURES = Path(__file__).parent / "fixtures"
CRASHES = FIXTURES / "crashes"
ROOT = "/tmp/g2/proj"  # where the recorded project lived
READY = (
    "django.core.exceptions.ImproperlyConfigured: fakeauth.middleware.AccountMiddleware must be "
    "added to settings.MIDDLEWARE"
)


@pytest.mark.parametrize(
    ("fixture", "root", "expected"),
    [
        pytest.param(
            "crashes/django-2.2-py3.6-app-ready.txt",
            ROOT,
            f"{READY} (fakeauth/apps.py:15)",
            id="django-runner-python-3.6",
        ),
        pytest.param(
            "crashes/django-5.2-py3.12-app-ready.txt",
            ROOT,
            f"{READY} (fakeauth/apps.py:14)",
            id="django-runner-python-3.12",
        ),
        pytest.param(
            "crashes/pytest-5.2-py3.12-app-ready.txt",
            ROOT,
            f"{READY} (fakeauth/apps.py:14)",
            id="pytest-django-setup",
        ),
        pytest.param(
            "crashes/django-5.2-py3.12-settings-syntax.txt",
            ROOT,
            "SyntaxError: '[' was never closed (site_cfg/settings.py:2)",
            id="settings-syntax-error",
        ),
        pytest.param(
            "crashes/pytest-5.2-py3.12-conftest-error.txt",
            ROOT,
            "ModuleNotFoundError: No module named 'factory_boy_missing' (conftest.py:1)",
            id="pytest-conftest-import",
        ),
        pytest.param(
            "tox-uv-settings-crash.log",
            "/tmp/cap/tox-uv-settings-crash",
            "ModuleNotFoundError: No module named 'no_such_module_here' (tinysite/settings.py:8)",
            id="whole-tox-log-python-3.8",
        ),
        pytest.param(
            "pytest-2.2-py3.8-collect-error.txt",
            None,
            "ModuleNotFoundError: No module named 'this_module_does_not_exist' "
            "(notes/test_broken.py:1)",
            id="pytest-collection-error",
        ),
    ],
)
def test_the_exception_is_quoted_with_where_it_was_raised(
    fixture: str, root: str | None, expected: str
) -> None:
    assert crash_line((FIXTURES / fixture).read_text(), root) == expected


def test_a_path_outside_the_project_and_site_packages_is_kept_whole() -> None:
    text = (FIXTURES / "tox-uv-settings-crash.log").read_text()
    assert crash_line(text, "/elsewhere") == (
        "ModuleNotFoundError: No module named 'no_such_module_here' "
        "(/tmp/cap/tox-uv-settings-crash/tinysite/settings.py:8)"
    )


def test_the_last_of_chained_exceptions_is_quoted() -> None:
    text = (
        "Traceback (most recent call last):\n"
        '  File "/p/site_cfg/settings.py", line 3, in <module>\n'
        "    import local_settings\n"
        "ModuleNotFoundError: No module named 'local_settings'\n\n"
        "During handling of the above exception, another exception occurred:\n\n"
        "Traceback (most recent call last):\n"
        '  File "/p/site_cfg/settings.py", line 5, in <module>\n'
        '    raise RuntimeError("copy local_settings.py.example")\n'
        "RuntimeError: copy local_settings.py.example\n"
        "django22: exit 1 (0.3 seconds) /p> python manage.py test pid=3\n"
    )
    assert crash_line(text, "/p") == (
        "RuntimeError: copy local_settings.py.example (site_cfg/settings.py:5)"
    )


def test_an_error_without_a_traceback_is_its_last_line() -> None:
    text = (
        "python: can't open file '/p/manage.py': [Errno 2] No such file or directory\n"
        "django22: exit 2 (0.01 seconds) /p> python manage.py test pid=9\n"
    )
    assert crash_line(text) == (
        "python: can't open file '/p/manage.py': [Errno 2] No such file or directory"
    )


def test_output_with_no_error_says_nothing() -> None:
    assert crash_line("Creating test database for alias 'default'...\n") is None
    assert crash_line("") is None


def test_a_long_message_is_cut() -> None:
    text = f'Traceback (most recent call last):\n  File "x.py", line 1\nValueError: {"v" * 500}\n'
    quoted = crash_line(text)
    assert quoted is not None and len(quoted) == 300 and quoted.endswith("…")
