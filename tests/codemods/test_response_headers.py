"""response_headers: response._headers (removed in Django 3.2) -> the response's header API."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context, run_rule

RULE = "response_headers"
HOP = context(django_from="2.2", django_to="3.2", filename="tests/test_views.py")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            'assert response._headers["location"][1] == "/next/"  # keep\n',
            'assert response["location"] == "/next/"  # keep\n',
            id="value",
        ),
        pytest.param(
            'url = self.client.get("/")._headers["location"][1]\n',
            'url = self.client.get("/")["location"]\n',
            id="call receiver",
        ),
        pytest.param(
            "value = self.response._headers[name][1]\n",
            "value = self.response[name]\n",
            id="attribute receiver, variable key",
        ),
        pytest.param(
            '_, location = response._headers["location"]\n',
            'location = response["location"]\n',
            id="unpacked value",
        ),
        pytest.param(
            '(_, self.url) = r._headers["location"]\n',
            'self.url = r["location"]\n',
            id="unpacked into an attribute",
        ),
        pytest.param(
            'assert "location" in response._headers\n',
            'assert response.has_header("location")\n',
            id="in",
        ),
        pytest.param(
            "self.assertTrue('x-frame-options' not in response._headers)\n",
            "self.assertTrue(not response.has_header('x-frame-options'))\n",
            id="not in",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, HOP)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param('name = response._headers["location"][0]\n', id="header name kept"),
        pytest.param('assert response._headers["Location"][1]\n', id="upper-case key"),
        pytest.param('assert "Location" in response._headers\n', id="upper-case membership"),
        pytest.param('name, value = response._headers["location"]\n', id="name used"),
        pytest.param('value = self._headers["location"][1]\n', id="own attribute"),
        pytest.param('value = msg._headers["to"][1]\n', id="mail message"),
        pytest.param("for k, v in response._headers.items():\n    pass\n", id="iteration"),
        pytest.param('response._headers["x"] = ("X", "1")\n', id="assignment"),
        pytest.param('assert response["location"] == "/"\n', id="already public"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, HOP)


def test_version_gate() -> None:
    source = 'assert response._headers["location"][1] == "/"\n'
    check_noop(RULE, source, context(django_from="2.2", django_to="3.1"))


OLD_TEST_CODE = """\
from django.http import HttpResponseRedirect


def check():
    response = HttpResponseRedirect("/next/")
    _, location = response._headers["location"]
    assert response._headers["location"][1] == location == "/next/"
    assert "location" in response._headers
    assert "x-missing" not in response._headers
    return location
"""


@pytest.mark.e2e
def test_rewritten_test_code_runs_on_django_5_2(tmp_path: Path) -> None:
    """As written for 2.2 the code fails on 5.2 (no ``_headers``); as rewritten it passes."""
    from tests.rewrite.django_env import django_python, run_django

    python = django_python("5.2")
    new = run_rule(RULE, OLD_TEST_CODE, HOP)
    assert "_headers" not in new
    (tmp_path / "old_code.py").write_text(OLD_TEST_CODE, encoding="utf-8")
    (tmp_path / "new_code.py").write_text(new, encoding="utf-8")
    (tmp_path / "settings.py").write_text("SECRET_KEY = 'x'\n", encoding="utf-8")
    old = run_django(python, tmp_path, "settings", "import old_code; old_code.check()\n")
    assert old.returncode != 0 and "no attribute '_headers'" in old.stderr
    done = run_django(python, tmp_path, "settings", "import new_code; print(new_code.check())\n")
    assert done.returncode == 0, done.stderr + "\n" + new
    assert done.stdout.strip() == "/next/"
