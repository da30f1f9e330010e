from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "settings_password_hashers"
H = "django.contrib.auth.hashers."

BEFORE = f"""PASSWORD_HASHERS = [
    '{H}PBKDF2PasswordHasher',  # current
    '{H}SHA1PasswordHasher',
    '{H}CryptPasswordHasher',
]
"""


@pytest.mark.parametrize(
    ("django_to", "after"),
    [
        pytest.param(
            "5.0",
            f"PASSWORD_HASHERS = [\n    '{H}PBKDF2PasswordHasher',  # current\n"
            f"    '{H}SHA1PasswordHasher',\n]\n",
            id="5.0 removes CryptPasswordHasher only",
        ),
        pytest.param(
            "5.1",
            f"PASSWORD_HASHERS = [\n    '{H}PBKDF2PasswordHasher',  # current\n]\n",
            id="5.1 removes the SHA1 ones too",
        ),
    ],
)
def test_transformed(django_to: str, after: str) -> None:
    ctx = context(django_to=django_to, is_settings=True)
    check_transformed(RULE, BEFORE, after, ctx)
    assert any("cannot log in" in n for n in ctx.notes)


def test_tuple_and_unsalted() -> None:
    check_transformed(
        RULE,
        f"PASSWORD_HASHERS = ('{H}UnsaltedMD5PasswordHasher', '{H}MD5PasswordHasher')\n",
        f"PASSWORD_HASHERS = ('{H}MD5PasswordHasher',)\n",
        context(django_to="5.1", is_settings=True),
    )


def test_only_removed_hashers_is_a_note() -> None:
    ctx = context(django_to="5.1", is_settings=True)
    check_noop(RULE, f"PASSWORD_HASHERS = ['{H}UnsaltedMD5PasswordHasher']\n", ctx)
    assert any("choose a supported hasher" in n for n in ctx.notes)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(f"PASSWORD_HASHERS = ['{H}MD5PasswordHasher']\n", id="salted MD5 stays"),
        pytest.param("PASSWORD_HASHERS = ['myapp.hashers.SHA1PasswordHasher']\n", id="own hasher"),
        pytest.param(f"OTHER = ['{H}SHA1PasswordHasher']\n", id="other setting"),
    ],
)
def test_look_alikes(source: str) -> None:
    check_noop(RULE, source, context(django_to="5.2", is_settings=True))


def test_old_target_version() -> None:
    check_noop(RULE, BEFORE, context(django_to="4.2", is_settings=True))
