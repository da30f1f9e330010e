"""itercompat_is_iterable: the removed django.utils.itercompat.is_iterable, defined in place."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context, run_rule

RULE = "itercompat_is_iterable"
HOP = context(django_from="4.2", django_to="5.2")
DEFINITION = """\
# django.utils.itercompat.is_iterable, removed in Django 6.0 (iter() accepts what it accepted).
def {name}(x):
    try:
        iter(x)
    except TypeError:
        return False
    return True
"""


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "import os\nfrom django.utils.itercompat import is_iterable\n\nok = is_iterable([])\n",
            "import os\n" + DEFINITION.format(name="is_iterable") + "\nok = is_iterable([])\n",
            id="import",
        ),
        pytest.param(
            "from django.utils.itercompat import is_iterable as iterable\n",
            DEFINITION.format(name="iterable"),
            id="alias",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, HOP)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from django.utils import itercompat\nitercompat.is_iterable(x)\n", id="module"
        ),
        pytest.param(
            "def f(x):\n    from django.utils.itercompat import is_iterable\n    return is_iterable(x)\n",
            id="inside a function",
        ),
        pytest.param("from myapp.itercompat import is_iterable\n", id="another module"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, HOP)


def test_version_gate() -> None:
    source = "from django.utils.itercompat import is_iterable\n"
    check_noop(RULE, source, context(django_from="3.2", django_to="4.2"))


OLD_CODE = """\
from django.utils.itercompat import is_iterable


class Legacy:
    def __getitem__(self, index):
        if index > 2:
            raise IndexError
        return index


ANSWERS = [is_iterable(v) for v in ([], "ab", 3, None, Legacy(), iter(()))]
"""


@pytest.mark.e2e
def test_rewritten_module_answers_as_django_5_2_did(tmp_path: Path) -> None:
    from tests.rewrite.django_env import django_python, run_django

    new = run_rule(RULE, OLD_CODE, context(django_from="4.2", django_to="6.0"))
    assert "from django.utils.itercompat" not in new
    (tmp_path / "old_code.py").write_text(OLD_CODE, encoding="utf-8")
    (tmp_path / "new_code.py").write_text(new, encoding="utf-8")
    (tmp_path / "settings.py").write_text("SECRET_KEY = 'x'\n", encoding="utf-8")
    show = "from {} import ANSWERS; print(ANSWERS)\n"
    before = run_django(django_python("5.2"), tmp_path, "settings", show.format("old_code"))
    assert before.returncode == 0, before.stderr
    on_6_0 = django_python("6.0")
    old = run_django(on_6_0, tmp_path, "settings", show.format("old_code"))
    assert old.returncode != 0 and "itercompat" in old.stderr
    after = run_django(on_6_0, tmp_path, "settings", show.format("new_code"))
    assert after.returncode == 0, after.stderr + "\n" + new
    assert after.stdout.strip() == before.stdout.strip() == "[True, True, False, False, True, True]"
