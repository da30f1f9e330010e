from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "python_2_unicode_compatible"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from django.db import models\n"
            "from django.utils.encoding import python_2_unicode_compatible\n"
            "\n"
            "\n"
            "@python_2_unicode_compatible\n"
            "class A(models.Model):\n"
            "    pass\n",
            "from django.db import models\n\n\nclass A(models.Model):\n    pass\n",
            id="encoding import removed with the decorator",
        ),
        pytest.param(
            "from django.utils.encoding import force_str, python_2_unicode_compatible\n"
            "\n"
            "# models\n"
            "@login\n"
            "# about A\n"
            "@python_2_unicode_compatible  # py2\n"
            "class A:\n"
            "    x = force_str(1)\n",
            "from django.utils.encoding import force_str\n"
            "\n"
            "# models\n"
            "@login\n"
            "# about A\n"
            "# py2\n"
            "class A:\n"
            "    x = force_str(1)\n",
            id="other names and comments kept",
        ),
        pytest.param(
            "import os\nfrom django.utils import six\n\n@six.python_2_unicode_compatible\nclass A:\n    pass\n",
            "import os\n\nclass A:\n    pass\n",
            id="django.utils.six attribute",
        ),
        pytest.param(
            "import os\nimport six\n\n@six.python_2_unicode_compatible\nclass A:\n    pass\n",
            "import os\n\nclass A:\n    pass\n",
            id="external six",
        ),
        pytest.param(
            "import os\nfrom django.utils.encoding import python_2_unicode_compatible as p2\n\n"
            "@p2\nclass A:\n    pass\n",
            "import os\n\nclass A:\n    pass\n",
            id="alias import",
        ),
        pytest.param(
            "import os\nimport django.utils.encoding\n\n"
            "@django.utils.encoding.python_2_unicode_compatible\n"
            "@dataclass\nclass A:\n    pass\n",
            "import os\n\n@dataclass\nclass A:\n    pass\n",
            id="dotted module import",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_to="3.0"))


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from myapp.compat import python_2_unicode_compatible\n\n"
            "@python_2_unicode_compatible\nclass A:\n    pass\n",
            id="look-alike from another module",
        ),
        pytest.param(
            "@python_2_unicode_compatible\nclass A:\n    pass\n",
            id="undefined name",
        ),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source)


def test_not_before_3_0() -> None:
    source = (
        "from django.utils.encoding import python_2_unicode_compatible\n\n"
        "@python_2_unicode_compatible\nclass A:\n    pass\n"
    )
    check_noop(RULE, source, context(django_to="2.2"))


def test_direct_call_is_a_note() -> None:
    source = (
        "from django.utils.encoding import python_2_unicode_compatible\n\n"
        "class A:\n    pass\n\n\nA = python_2_unicode_compatible(A)\n"
    )
    ctx = context(filename="app/models.py")
    check_noop(RULE, source, ctx)
    assert len(ctx.notes) == 1
    assert ctx.notes[0].startswith("app/models.py:7: python_2_unicode_compatible() called directly")
