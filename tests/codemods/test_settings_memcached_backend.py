from __future__ import annotations

import pytest

from codemods.settings_memcached_backend import REQUIREMENT_SWAPS
from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "settings_memcached_backend"

BEFORE = """CACHES = {
    "default": {
        # shared cache
        "BACKEND": 'django.core.cache.backends.memcached.MemcachedCache',
        "LOCATION": "127.0.0.1:11211",
    }
}
"""


def test_transformed() -> None:
    ctx = context(django_to="4.1", is_settings=True, filename="s.py")
    check_transformed(
        RULE,
        BEFORE,
        BEFORE.replace("memcached.MemcachedCache", "memcached.PyMemcacheCache"),
        ctx,
    )
    assert ctx.notes[0].startswith("s.py:4: ")
    assert "pymemcache" in ctx.notes[0]
    assert REQUIREMENT_SWAPS == {"python-memcached": "pymemcache"}


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("B = 'django.core.cache.backends.memcached.PyLibMCCache'\n", id="pylibmc"),
        pytest.param("B = 'myproject.cache.MemcachedCache'\n", id="own backend"),
        pytest.param("# django.core.cache.backends.memcached.MemcachedCache\n", id="comment"),
    ],
)
def test_look_alikes(source: str) -> None:
    check_noop(RULE, source, context(django_to="4.1", is_settings=True))


def test_old_target_version() -> None:
    check_noop(RULE, BEFORE, context(django_to="4.0", is_settings=True))


def test_not_settings() -> None:
    check_noop(RULE, BEFORE, context(django_to="4.1"))
