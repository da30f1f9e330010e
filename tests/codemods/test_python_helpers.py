"""The shared plumbing of the Python rules (codemods._python), exercised through real rules."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_transformed, context


@pytest.mark.parametrize(
    ("rule", "before", "after"),
    [
        pytest.param(
            "pytz_to_zoneinfo",
            '"""Doc."""\nfrom __future__ import annotations\n\n# time zones\nimport pytz\n\nx = now(pytz.utc)\n',
            '"""Doc."""\nfrom __future__ import annotations\n\n# time zones\nimport datetime\n\n'
            "x = now(datetime.timezone.utc)\n",
            id="comment above a removed import is kept",
        ),
        pytest.param(
            "pytz_to_zoneinfo",
            '"""Doc."""\nimport pytz as p\nX = now(p.utc)\n',
            '"""Doc."""\nimport datetime\nX = now(datetime.timezone.utc)\n',
            id="new import where the old one was",
        ),
        pytest.param(
            "pytz_to_zoneinfo",
            '"""Doc."""\nX = pytz.timezone("UTC")\n',
            '"""Doc."""\nX = pytz.timezone("UTC")\n',
            id="pytz not imported: not pytz",
        ),
        pytest.param(
            "make_random_password",
            "from django.utils.crypto import (\n    constant_time_compare,\n    salted_hmac,\n)\n"
            "p = User.objects.make_random_password(8, 'ab')\n",
            "from django.utils.crypto import (\n    constant_time_compare,\n    salted_hmac,\n"
            "    get_random_string,\n)\np = get_random_string(8, 'ab')\n",
            id="name joins a parenthesized from-import",
        ),
        pytest.param(
            "utils_six",
            "import os; from django.utils import six; import re\nx = six.PY3\n",
            "import os; import re\nx = True\n",
            id="semicolon-separated imports",
        ),
        pytest.param(
            "available_attrs",
            "def f():\n    from django.utils.decorators import available_attrs\n"
            "    return wraps(g, assigned=available_attrs(g))\n",
            "def f():\n    return wraps(g)\n",
            id="function-level import removed",
        ),
        pytest.param(
            "available_attrs",
            "try:\n    from django.utils.decorators import available_attrs\nexcept ImportError:\n"
            "    raise\nx = wraps(g, assigned=available_attrs(g))\n",
            "try:\n    pass\nexcept ImportError:\n    raise\nx = wraps(g)\n",
            id="emptied block stays valid",
        ),
        pytest.param(
            "baseconv",
            "from django.utils.baseconv import base62\n__all__ = ['base62']\nx = base62.encode(1)\n",
            "from django.utils.baseconv import base62\nfrom django.core.signing import b62_encode\n"
            "__all__ = ['base62']\nx = b62_encode(1)\n",
            id="name in __all__ keeps its import",
        ),
    ],
)
def test_imports(rule: str, before: str, after: str) -> None:
    check_transformed(rule, before, after, context())


def test_crlf_line_endings_are_kept() -> None:
    before = "import pytz\r\n\r\nx = now(pytz.utc)  # utc\r\n"
    after = "import datetime\r\n\r\nx = now(datetime.timezone.utc)  # utc\r\n"
    check_transformed("pytz_to_zoneinfo", before, after, context())
