from __future__ import annotations

from pathlib import Path

import pytest
from django_upgrade.main import main as django_upgrade

import codemods.assert_queryset_equal_transform as rule_module
from codemods._python import run_rule as python_run_rule
from tests.codemods.helpers import check_noop, check_transformed, context, run_rule

RULE = "assert_queryset_equal_transform"

HEAD = "from django.test import TestCase\n\nclass T(TestCase):\n    def test(self):\n"


def method(body: str) -> str:
    return HEAD + "".join(f"        {line}\n" for line in body.splitlines())


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            method("self.assertQuerysetEqual(qs, ['<Article: x>'])  # keep me"),
            method("self.assertQuerysetEqual(qs, ['<Article: x>'], transform=repr)  # keep me"),
            id="one-line",
        ),
        pytest.param(
            method(
                "self.assertQuerysetEqual(\n"
                "    Article.objects.published(), ['<Article: a>', '<Article: b>'])"
            ),
            method(
                "self.assertQuerysetEqual(\n"
                "    Article.objects.published(), ['<Article: a>', '<Article: b>'], transform=repr)"
            ),
            id="newsroom-layout",
        ),
        pytest.param(
            method("self.assertQuerysetEqual(\n    qs,\n    ['<Question: Past.>']\n)"),
            method(
                "self.assertQuerysetEqual(\n    qs,\n    ['<Question: Past.>'],\n    transform=repr\n)"
            ),
            id="one-per-line-no-trailing-comma",
        ),
        pytest.param(
            method("self.assertQuerysetEqual(\n    qs,\n    ['<Choice: Cats>'],\n)"),
            method(
                "self.assertQuerysetEqual(\n    qs,\n    ['<Choice: Cats>'],\n    transform=repr,\n)"
            ),
            id="one-per-line-trailing-comma",
        ),
        pytest.param(
            method("self.assertQuerySetEqual(qs, ('<A: 1>',), ordered=False)"),
            method("self.assertQuerySetEqual(qs, ('<A: 1>',), ordered=False, transform=repr)"),
            id="new-spelling-tuple-ordered",
        ),
        pytest.param(
            method("self.assertQuerysetEqual(values=['<A: 1>'], qs=qs)"),
            method("self.assertQuerysetEqual(values=['<A: 1>'], qs=qs, transform=repr)"),
            id="keywords",
        ),
        pytest.param(
            method("self.assertQuerysetEqual(qs, [f'<A: {a}>', '<A: %s>' % b, repr(c)])"),
            method(
                "self.assertQuerysetEqual(qs, [f'<A: {a}>', '<A: %s>' % b, repr(c)], transform=repr)"
            ),
            id="formatted-strings-and-repr-calls",
        ),
        pytest.param(
            method("self.assertQuerysetEqual(qs, ['<A: {}>'.format(a) for a in names])"),
            method(
                "self.assertQuerysetEqual(qs, ['<A: {}>'.format(a) for a in names], transform=repr)"
            ),
            id="comprehension",
        ),
        pytest.param(
            method("self.assertQuerysetEqual(qs, map(repr, [a, b]))"),
            method("self.assertQuerysetEqual(qs, map(repr, [a, b]), transform=repr)"),
            id="map-repr",
        ),
        pytest.param(
            method("self.assertQuerysetEqual(qs.values_list('name', flat=True), [\"'a'\"])"),
            method(
                "self.assertQuerysetEqual(qs.values_list('name', flat=True), [\"'a'\"], transform=repr)"
            ),
            id="plain-strings-in-code-written-for-2-2",
        ),
        pytest.param(
            "import builtins\n" + method("repr = str\nself.assertQuerysetEqual(qs, ['<A: 1>'])"),
            "import builtins\n"
            + method(
                "repr = str\nself.assertQuerysetEqual(qs, ['<A: 1>'], transform=builtins.repr)"
            ),
            id="shadowed-repr",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_from="2.2", django_to="3.2"))
    if "repr =" not in before:  # without scope analysis, where repr is the builtin: the same
        ctx = context(django_from="2.2", django_to="3.2")
        assert python_run_rule(before, ctx, rule_module._PlainTransformer) == after


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(method("self.assertQuerysetEqual(qs, [])"), id="empty-list"),
        pytest.param(
            method("self.assertQuerysetEqual(qs, ['Q1.'], transform=lambda q: q.text)"),
            id="transform-keyword",
        ),
        pytest.param(
            method("self.assertQuerysetEqual(qs, ['<A: 1>'], str)"), id="transform-positional"
        ),
        pytest.param(method("self.assertQuerysetEqual(qs, [self.a, self.b])"), id="instances"),
        pytest.param(
            "from helpers import assertQuerysetEqual\n\nassertQuerysetEqual(qs, ['<A: 1>'])\n",
            id="look-alike-function",
        ),
        pytest.param(method("self.assertEqual(list(qs), ['<A: 1>'])"), id="other-assertion"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_from="2.2", django_to="3.2"))


def test_plain_strings_in_code_written_for_3_2_are_a_manual_item() -> None:
    """From 3.2 on ``['a']`` may be compared directly with a flat values_list: do not guess."""
    ctx = context(django_from="3.2", django_to="4.2", filename="app/tests.py")
    source = method("self.assertQuerySetEqual(qs.values_list('name', flat=True), ['a'])")
    check_noop(RULE, source, ctx)
    assert len(ctx.notes) == 1
    assert ctx.notes[0].startswith("app/tests.py:5: assertQuerySetEqual() no longer applies repr()")


def test_repr_strings_in_code_written_for_3_2() -> None:
    before = method("self.assertQuerySetEqual(qs, ['<A: 1>'])")
    after = method("self.assertQuerySetEqual(qs, ['<A: 1>'], transform=repr)")
    check_transformed(RULE, before, after, context(django_from="3.2", django_to="4.2"))


@pytest.mark.parametrize(
    "values",
    [
        pytest.param("expected", id="name"),
        pytest.param("self.expected_reprs()", id="call"),
        pytest.param("['<A: 1>', obj]", id="mixed-list"),
        pytest.param("[*expected]", id="starred-element"),
    ],
)
def test_opaque_values_are_a_manual_item(values: str) -> None:
    ctx = context(filename="app/tests.py")
    source = method(f"self.assertQuerysetEqual(qs, {values})")
    check_noop(RULE, source, ctx)
    assert len(ctx.notes) == 1
    assert ctx.notes[0].startswith("app/tests.py:5: assertQuerysetEqual() no longer applies repr()")
    assert values in ctx.notes[0]


@pytest.mark.parametrize(
    "values",
    [
        pytest.param("expected", id="name"),
        pytest.param("[self.a, self.b]", id="instances"),
        pytest.param("[*expected]", id="starred-element"),
    ],
)
def test_direct_comparisons_in_code_written_for_3_2_are_left_alone(values: str) -> None:
    ctx = context(django_from="4.2", django_to="5.2")
    check_noop(RULE, method(f"self.assertQuerySetEqual(qs, {values})"), ctx)
    check_noop(RULE, method("self.assertQuerySetEqual(*args)"), ctx)
    assert ctx.notes == []


def test_unpacked_arguments_are_a_manual_item() -> None:
    ctx = context(filename="app/tests.py")
    check_noop(RULE, method("self.assertQuerysetEqual(*args)"), ctx)
    assert len(ctx.notes) == 1


def test_below_its_version() -> None:
    check_noop(RULE, method("self.assertQuerysetEqual(qs, ['<A: 1>'])"), context(django_to="3.1"))


@pytest.mark.parametrize(
    "rule_first",
    [pytest.param(True, id="rule-first"), pytest.param(False, id="django-upgrade-first")],
)
def test_with_django_upgrade_rename_is_stable(rule_first: bool, tmp_path: Path) -> None:
    """django-upgrade renames the method at 4.2; both orders end in the same stable code."""
    path = tmp_path / "tests.py"
    path.write_text(method("self.assertQuerysetEqual(qs, ['<A: 1>'])"))
    ctx = context(django_to="4.2")
    if rule_first:
        path.write_text(run_rule(RULE, path.read_text(), ctx))
    django_upgrade(["--target-version", "4.2", str(path)])
    path.write_text(run_rule(RULE, path.read_text(), ctx))
    expected = method("self.assertQuerySetEqual(qs, ['<A: 1>'], transform=repr)")
    assert path.read_text() == expected
    assert django_upgrade(["--target-version", "4.2", str(path)]) == 0
    assert run_rule(RULE, path.read_text(), ctx) == expected == path.read_text()


def _no_libcst(*args: object) -> str:
    raise AssertionError("the libcst pass ran")


@pytest.mark.parametrize(
    ("source", "django_from"),
    [
        pytest.param("# assertQuerysetEqual(qs, ['<A: 1>'])\n", "2.2", id="needle in a comment"),
        pytest.param(method("self.assertQuerySetEqual(qs, [self.a])"), "3.2", id="instances, 3.2"),
        pytest.param(method("self.assertQuerysetEqual(qs, [])"), "2.2", id="empty"),
        pytest.param(method("self.assertQuerysetEqual(qs, ['a'], str)"), "2.2", id="transform"),
        pytest.param(method("self.assertQuerysetEqual(qs, [self.a])"), "2.2", id="note only"),
    ],
)
def test_files_it_will_not_change_skip_libcst(
    source: str, django_from: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rule_module, "run_rule", _no_libcst)
    assert run_rule(RULE, source, context(django_from=django_from, django_to="5.2")) is source


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(method("self.assertQuerysetEqual(qs, ['<A: 1>'])"), id="call to rewrite"),
        pytest.param(
            "repr = str\n" + method("self.assertQuerysetEqual(qs, [self.a])"), id="repr bound"
        ),
        pytest.param(method("self.assertQuerysetEqual(qs, (expected))"), id="parenthesized"),
        pytest.param(method("self.assertQuerysetEqual(qs, [f'{a}'])"), id="f-string"),
        pytest.param(method("self.assertQuerysetEqual(qs, [\n    a,\n])"), id="multi-line"),
        pytest.param(method("self.assertQuerysetEqual(qs,  # x,\n    a)"), id="after a comment"),
    ],
)
def test_files_ast_cannot_decide_go_through_libcst(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rule_module, "run_rule", _no_libcst)
    with pytest.raises(AssertionError, match="the libcst pass ran"):
        run_rule(RULE, source, context(django_to="5.2"))


@pytest.mark.parametrize(
    ("source", "django_from"),
    [
        pytest.param(method("self.assertQuerysetEqual(qs, expected)"), "2.2", id="name"),
        pytest.param(
            method("self.assertQuerysetEqual(qs, values=x, ordered=False)"), "2.2", id="kw"
        ),
        pytest.param(method("self.assertQuerysetEqual(*args)"), "2.2", id="unpacked"),
        pytest.param(method("self.assertQuerySetEqual(qs, ['a', 'b'])"), "3.2", id="plain strings"),
        pytest.param(
            method("self.assertQuerysetEqual(\n    qs,\n    rows,\n)"), "2.2", id="own line"
        ),
        pytest.param(
            method("self.assertQuerysetEqual(qs, self.assertQuerysetEqual(a, b).x)"),
            "2.2",
            id="nested: notes in libcst's order",
        ),
        pytest.param(
            method(
                "self.assertQuerysetEqual(qs, [self.a])\nself.assertQuerysetEqual(qs, map(str, x))"
            ),
            "2.2",
            id="two calls",
        ),
        pytest.param(
            method(
                "self.assertQuerysetEqual(qs, [self.a, self.b, self.c, self.d, self.e, self.f])"
            ),
            "2.2",
            id="long values are cut",
        ),
        pytest.param(
            method("self.assertQuerysetEqual(qs, [self.a])").replace("\n", "\r\n"),
            "2.2",
            id="crlf",
        ),
    ],
)
def test_ast_notes_are_libcst_notes(source: str, django_from: str) -> None:
    """Where ast decides, the notes are exactly those of the libcst transformer."""
    fast = context(django_from=django_from, django_to="5.2", filename="app/tests.py")
    slow = context(django_from=django_from, django_to="5.2", filename="app/tests.py")
    assert run_rule(RULE, source, fast) is source
    assert python_run_rule(source, slow, rule_module._Transformer) == source
    assert fast.notes == slow.notes
    assert fast.notes
