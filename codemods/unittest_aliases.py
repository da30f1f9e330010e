"""Rename the ``unittest.TestCase`` method aliases Python 3.12 removed.

``self.assertEquals(...)`` -> ``self.assertEqual(...)`` and the other deprecated aliases, on
``self.`` and ``cls.`` receivers only (a test case's own methods; anything else may be a look-alike).
``assertDictContainsSubset`` was removed without a replacement: it becomes a manual item.
pyupgrade renames the ``self.`` forms too when it runs; this rule does not depend on its settings
and also covers ``cls.`` (``setUpClass``/``setUpTestData``).

https://docs.python.org/3.12/whatsnew/3.12.html#removed
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import PythonRuleTransformer, run_rule

DOCS = "https://docs.python.org/3.12/whatsnew/3.12.html#removed"

# Deprecated alias -> its name since Python 3.2 (https://docs.python.org/3.11/library/unittest.html#deprecated-aliases).
ALIASES = {
    "assertEquals": "assertEqual",
    "assertNotEquals": "assertNotEqual",
    "assertAlmostEquals": "assertAlmostEqual",
    "assertNotAlmostEquals": "assertNotAlmostEqual",
    "assert_": "assertTrue",
    "failUnless": "assertTrue",
    "failIf": "assertFalse",
    "failUnlessEqual": "assertEqual",
    "failIfEqual": "assertNotEqual",
    "failUnlessRaises": "assertRaises",
    "failUnlessAlmostEqual": "assertAlmostEqual",
    "failIfAlmostEqual": "assertNotAlmostEqual",
    "assertRegexpMatches": "assertRegex",
    "assertNotRegexpMatches": "assertNotRegex",
    "assertRaisesRegexp": "assertRaisesRegex",
}
REMOVED = frozenset({"assertDictContainsSubset"})
RECEIVERS = frozenset({"self", "cls"})


class _Transformer(PythonRuleTransformer):
    docs = DOCS

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = updated_node.func
        if not (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.value.value in RECEIVERS
        ):
            return updated_node
        name = func.attr.value
        if name in REMOVED:
            self.note(
                original_node,
                f"{name}() was removed in Python 3.12 without a replacement: "
                "compare with assertEqual(actual, {**actual, **expected}) or "
                "assertLessEqual(expected.items(), actual.items())",
            )
            return updated_node
        new = ALIASES.get(name)
        if new is None:
            return updated_node
        return updated_node.with_changes(
            func=func.with_changes(attr=func.attr.with_changes(value=new))
        )


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="python",
        version=Version("3.12"),
        summary="self.assertEquals() and the other TestCase aliases removed in Python 3.12 -> current names",
        docs=DOCS,
        transform=transform,
        needles=(
            b"assertEquals",
            b"assertNotEquals",
            b"AlmostEquals",
            b"assert_(",
            b"failUnless",
            b"failIf",
            b"Regexp",
            b"assertDictContainsSubset",
        ),
    )
)
