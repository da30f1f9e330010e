from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "settings_default_hashing_algorithm"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "SECRET_KEY = 'x'\n\n# transitional\nDEFAULT_HASHING_ALGORITHM = 'sha1'\nDEBUG = True\n",
            "SECRET_KEY = 'x'\n\n# transitional\nDEBUG = True\n",
            id="removed, comment kept",
        ),
        pytest.param(
            "DEBUG = True\nDEFAULT_HASHING_ALGORITHM = 'sha256'\n",
            "DEBUG = True\n",
            id="last statement",
        ),
    ],
)
def test_transformed(before: str, after: str) -> None:
    ctx = context(django_to="4.0", is_settings=True)
    check_transformed(RULE, before, after, ctx)
    assert any("SHA-256" in n for n in ctx.notes)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("DEFAULT_HASHING_ALGORITHMS = 'x'\n", id="other name"),
        pytest.param("def f():\n    DEFAULT_HASHING_ALGORITHM = 'x'\n", id="function local"),
    ],
)
def test_look_alikes(source: str) -> None:
    check_noop(RULE, source, context(django_to="4.0", is_settings=True))


def test_old_target_version() -> None:
    check_noop(
        RULE, "DEFAULT_HASHING_ALGORITHM = 'sha1'\n", context(django_to="3.2", is_settings=True)
    )
