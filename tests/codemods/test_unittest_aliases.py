from __future__ import annotations

import pytest

from codemods.unittest_aliases import ALIASES
from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "unittest_aliases"


@pytest.mark.parametrize(("old", "new"), sorted(ALIASES.items()))
def test_every_alias(old: str, new: str) -> None:
    check_transformed(RULE, f"self.{old}(a, b)\n", f"self.{new}(a, b)\n")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "class T(TestCase):\n"
            "    def test(self):\n"
            "        self.assertEquals(\n"
            "            1,  # one\n"
            "            1,\n"
            "        )\n",
            "class T(TestCase):\n"
            "    def test(self):\n"
            "        self.assertEqual(\n"
            "            1,  # one\n"
            "            1,\n"
            "        )\n",
            id="multi-line call with comment",
        ),
        pytest.param(
            "@classmethod\ndef setUpTestData(cls):\n    cls.failUnless(x)\n",
            "@classmethod\ndef setUpTestData(cls):\n    cls.assertTrue(x)\n",
            id="cls receiver",
        ),
        pytest.param(
            "with self.assertRaisesRegexp(ValueError, 'x'):\n    pass\n",
            "with self.assertRaisesRegex(ValueError, 'x'):\n    pass\n",
            id="context manager",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    check_transformed(RULE, before, after)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("helper.assertEquals(a, b)\n", id="other receiver"),
        pytest.param("f = self.assertEquals\n", id="attribute not called"),
        pytest.param("def assertEquals(self, a, b):\n    pass\n", id="method definition"),
        pytest.param("self.assertEqual(a, b)\n", id="current name"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source)


def test_not_before_python_3_12() -> None:
    check_noop(RULE, "self.assertEquals(a, b)\n", context(python_to="3.11"))


def test_assert_dict_contains_subset_is_a_note() -> None:
    ctx = context(filename="tests/test_x.py")
    check_noop(RULE, "x = 1\nself.assertDictContainsSubset({'a': 1}, d)\n", ctx)
    assert len(ctx.notes) == 1
    assert ctx.notes[0].startswith("tests/test_x.py:2: assertDictContainsSubset() was removed")
