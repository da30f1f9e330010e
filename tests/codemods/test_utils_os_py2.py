"""utils_os_py2: django.utils._os's Python 2 helpers (removed in 3.0) become what they did."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "utils_os_py2"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "import os\nfrom django.utils._os import upath\n\n"
            "HERE = os.path.dirname(upath(__file__))\n",
            "import os\n\nHERE = os.path.dirname(__file__)\n",
            id="upath",
        ),
        pytest.param(
            "from django.utils._os import npath, safe_join\nx = npath(a + b).strip()\n",
            "from django.utils._os import safe_join\nx = (a + b).strip()\n",
            id="npath keeps the operand whole",
        ),
        pytest.param(
            "from django.utils._os import abspathu\nroot = abspathu('.')\n",
            "import os.path\nroot = os.path.abspath('.')\n",
            id="abspathu",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_from="2.2", django_to="3.0"))


@pytest.mark.parametrize(
    "source",
    [
        "from django.utils._os import upath\nf = upath\n",
        "from mylib import upath\nx = upath(p)\n",
        "from django.utils._os import safe_join\nx = safe_join(a, b)\n",
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_to="3.0"))


def test_version_gate() -> None:
    source = "from django.utils._os import upath\nx = upath(p)\n"
    check_noop(RULE, source, context(django_from="2.1", django_to="2.2"))
    check_transformed(RULE, source, "x = p\n", context(django_from="2.2", django_to="3.2"))
