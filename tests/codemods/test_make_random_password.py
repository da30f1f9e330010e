from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "make_random_password"
CHARS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
IMPORT = "from django.utils.crypto import get_random_string\n"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from django.contrib.auth.models import User\n\n"
            "password = User.objects.make_random_password()  # temp\n",
            f'{IMPORT}\npassword = get_random_string(length=10, allowed_chars="{CHARS}")  # temp\n',
            id="defaults made explicit, unused User import removed",
        ),
        pytest.param(
            "from django.contrib.auth.models import User\n\n"
            "password = User.objects.make_random_password(12)\n"
            "user = User()\n",
            "from django.contrib.auth.models import User\n"
            f"{IMPORT}\n"
            f'password = get_random_string(12, allowed_chars="{CHARS}")\n'
            "user = User()\n",
            id="length given positionally, User still used",
        ),
        pytest.param(
            "p = get_user_model()._default_manager.make_random_password(allowed_chars='ab')\n",
            f"{IMPORT}\np = get_random_string(length=10, allowed_chars='ab')\n",
            id="default manager, alphabet given",
        ),
        pytest.param(
            "class UserManager(BaseUserManager):\n"
            "    def invite(self):\n"
            "        return self.make_random_password(8, 'xy')\n",
            f"{IMPORT}\n"
            "class UserManager(BaseUserManager):\n"
            "    def invite(self):\n"
            "        return get_random_string(8, 'xy')\n",
            id="self in a manager class",
        ),
        pytest.param(
            "from django.utils.crypto import get_random_string as grs\n"
            "p = User.objects.make_random_password(length=6)\n",
            "from django.utils.crypto import get_random_string as grs\n"
            f'p = grs(length=6, allowed_chars="{CHARS}")\n',
            id="existing alias import reused",
        ),
        pytest.param(
            "get_random_string = None\np = User.objects.make_random_password(length=6)\n",
            "from django.utils.crypto import get_random_string as django_utils_crypto_get_random_string\n"
            "\n"
            "get_random_string = None\n"
            f'p = django_utils_crypto_get_random_string(length=6, allowed_chars="{CHARS}")\n',
            id="name taken: aliased import",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_to="4.2"))


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("p = User.objects.make_random_password\n", id="not called"),
        pytest.param(
            "class Helper:\n    def f(self):\n        return self.make_random_password()\n",
            id="self outside a manager class",
        ),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source)


def test_not_before_4_2() -> None:
    check_noop(RULE, "p = User.objects.make_random_password()\n", context(django_to="4.1"))


def test_unknown_receiver_is_a_note() -> None:
    ctx = context(filename="app/x.py")
    check_noop(RULE, "p = helper.make_random_password()\n", ctx)
    assert len(ctx.notes) == 1
    assert ctx.notes[0].startswith("app/x.py:1: helper.make_random_password(): if this is")
