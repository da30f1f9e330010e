"""mail_bad_header_error: BadHeaderError (ValueError itself on 6.0) -> ValueError."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context, run_rule

RULE = "mail_bad_header_error"
HOP = context(django_from="5.2", django_to="6.0")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from django.core.mail import BadHeaderError, send_mail\n"
            "try:\n    send_mail(s, m, f, to)\nexcept BadHeaderError:  # keep\n    pass\n",
            "from django.core.mail import send_mail\n"
            "try:\n    send_mail(s, m, f, to)\nexcept ValueError:  # keep\n    pass\n",
            id="except",
        ),
        pytest.param(
            "from django.core import mail\n"
            "def check(v):\n    if '\\n' in v:\n        raise mail.BadHeaderError(v)\n"
            "    return mail.outbox\n",
            "from django.core import mail\n"
            "def check(v):\n    if '\\n' in v:\n        raise ValueError(v)\n"
            "    return mail.outbox\n",
            id="attribute, module still used",
        ),
        pytest.param(
            "from django.core.mail.message import BadHeaderError as BHE\n"
            "ok = isinstance(e, (BHE, KeyError))\n",
            "ok = isinstance(e, (ValueError, KeyError))\n",
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
            "from myapp.errors import BadHeaderError\ntry:\n    f()\nexcept BadHeaderError:\n"
            "    pass\n",
            id="another module's",
        ),
        pytest.param("BadHeaderError = 'x'\n", id="a local name"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, HOP)


def test_version_gate() -> None:
    source = "from django.core.mail import BadHeaderError\nraise BadHeaderError('x')\n"
    check_noop(RULE, source, context(django_from="4.2", django_to="5.2"))


OLD_CODE = """\
from django.core.mail import BadHeaderError, EmailMessage


def build():
    message = EmailMessage("Hello\\nBcc: victim@example.com", "body", to=["a@example.com"])
    try:
        message.message()
    except BadHeaderError:
        return "refused"
    return "sent"
"""


@pytest.mark.e2e
def test_rewritten_handler_catches_the_header_error_on_6_0(tmp_path: Path) -> None:
    from tests.rewrite.django_env import django_python, run_django

    new = run_rule(RULE, OLD_CODE, HOP)
    assert "BadHeaderError" not in new
    (tmp_path / "new_code.py").write_text(new, encoding="utf-8")
    (tmp_path / "settings.py").write_text("SECRET_KEY = 'x'\n", encoding="utf-8")
    done = run_django(
        django_python("6.0"), tmp_path, "settings", "import new_code; print(new_code.build())\n"
    )
    assert done.returncode == 0, done.stderr + "\n" + new
    assert done.stdout.strip() == "refused"
