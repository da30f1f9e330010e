"""``self.assertEqual(subject, "Alice&#39;s")`` -> ``"Alice&#x27;s"`` in tests, on the hop that
crosses Django 3.0.

Django 3.0 made ``django.utils.html.escape()`` (and so autoescaping, ``|escape``,
``format_html()``, ``conditional_escape()``) use the standard library's ``html.escape()``, which
writes ``'`` as ``&#x27;`` instead of ``&#39;``. A test that compares escaped output against
``&#39;`` fails on 3.0 with nothing else changed (FINDINGS F9: healthchecks' e-mail subject).

The rewrite is behaviour-preserving for the test, not for the literal: on 2.2 the test compared
Django's output with ``&#39;`` (right), after the hop Django writes ``&#x27;``, so the same
comparison needs the new spelling. It is made only where that reading is safe:

- in test files (``codemods._python.is_test_file``), in string or bytes literals (f-strings too)
  inside an assertion: an ``assert`` statement or a ``*.assert*(...)`` / ``assert*(...)`` call;
- only on the hop that crosses 3.0 (``django_from < 3.0``): on a later hop a ``&#39;`` that ran
  green on 3.x was not Django's escape output;
- never in a file that uses Jinja2 or MarkupSafe, whose escape still writes ``&#39;``.

- also in the value of a local name a test function assigns once and uses only as an argument of
  its assertions (``subj = "... Alice&#39;s ..." % site`` then ``self.assertEqual(..., subj)``:
  healthchecks' case, FINDINGS F25).

Everything else with ``&#39;`` in a test file (a name used outside an assertion, a module-level
constant, a fixture) stays for the scanner, which lists it as a manual item of the hop. Templates
and fixtures outside tests are not looked at: a literal ``&#39;`` renders the same ``'`` in the
browser on every Django.

https://docs.djangoproject.com/en/3.0/releases/3.0/#backwards-incompatible-changes-in-3-0
"""

from __future__ import annotations

import ast
import itertools

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import (
    CodemodContext,
    PythonRuleTransformer,
    import_targets,
    is_test_file,
    parse_ast,
    run_rule,
)
from codemods._python_text import Positions, replace_spans

DOCS = "https://docs.djangoproject.com/en/3.0/releases/3.0/#backwards-incompatible-changes-in-3-0"
VERSION = Version("3.0")
OLD = "&#39;"
NEW = "&#x27;"
# Packages whose own escape() still writes &#39;: a file using them may compare their output.
OTHER_ESCAPERS = ("jinja2", "markupsafe")


def _is_assertion_call(node: cst.Call) -> bool:
    func = node.func
    if isinstance(func, cst.Attribute):
        return func.attr.value.startswith("assert")
    return isinstance(func, cst.Name) and func.value.startswith("assert")


def _is_assertion(node: ast.AST) -> bool:
    if isinstance(node, ast.Assert):
        return True
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return isinstance(name, str) and name.startswith("assert")


def _has_old(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Constant)
        and isinstance(n.value, (str, bytes))
        and (OLD in n.value if isinstance(n.value, str) else OLD.encode() in n.value)
        for n in ast.walk(node)
    )


def _span(node: ast.AST) -> tuple[int, int, int, int]:
    return (
        node.lineno,  # type: ignore[attr-defined]
        node.col_offset,  # type: ignore[attr-defined]
        node.end_lineno or node.lineno,  # type: ignore[attr-defined]
        node.end_col_offset or 0,  # type: ignore[attr-defined]
    )


def _inside(inner: ast.AST, spans: list[tuple[int, int, int, int]]) -> bool:
    line, col, _end_line, _end_col = _span(inner)
    return any((l0, c0) <= (line, col) < (l1, c1) for l0, c0, l1, c1 in spans)


def bound_to_assertions(tree: ast.Module) -> frozenset[int]:
    """Lines of ``name = <value with &#39;>`` in a function that assigns ``name`` only there and
    reads it only inside its assertions: the value is what an assertion compares."""
    lines: set[int] = set()
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        spans = [_span(n) for n in ast.walk(function) if _is_assertion(n)]
        stores: dict[str, int] = {}
        candidates: dict[str, ast.Assign] = {}
        loads: dict[str, list[ast.Name]] = {}
        for node in ast.walk(function):
            if isinstance(node, ast.Name):
                if isinstance(node.ctx, ast.Load):
                    loads.setdefault(node.id, []).append(node)
                else:
                    stores[node.id] = stores.get(node.id, 0) + 1
            elif isinstance(node, ast.arg):
                stores[node.arg] = stores.get(node.arg, 0) + 1
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and _has_old(node.value)
            ):
                candidates[node.targets[0].id] = node
        for name, assign in candidates.items():
            uses = loads.get(name, [])
            if stores.get(name) == 1 and uses and all(_inside(use, spans) for use in uses):
                lines.add(assign.lineno)
    return frozenset(lines)


class _Transformer(PythonRuleTransformer):
    docs = DOCS

    def __init__(self, context: CodemodContext, rule_context: RuleContext) -> None:
        super().__init__(context, rule_context)
        self._assertions = 0  # how many assertions enclose the node being visited
        self.bound: frozenset[int] = frozenset()  # lines of values only assertions read

    def visit_Assign(self, node: cst.Assign) -> None:
        if self.line(node) in self.bound:
            self._assertions += 1

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        if self.line(original_node) in self.bound:
            self._assertions -= 1
        return updated_node

    def visit_Assert(self, node: cst.Assert) -> None:
        self._assertions += 1

    def leave_Assert(self, original_node: cst.Assert, updated_node: cst.Assert) -> cst.Assert:
        self._assertions -= 1
        return updated_node

    def visit_Call(self, node: cst.Call) -> None:
        if _is_assertion_call(node):
            self._assertions += 1

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if _is_assertion_call(original_node):
            self._assertions -= 1
        return updated_node

    def leave_SimpleString(
        self, original_node: cst.SimpleString, updated_node: cst.SimpleString
    ) -> cst.SimpleString:
        if self._assertions and OLD in updated_node.value:
            return updated_node.with_changes(value=updated_node.value.replace(OLD, NEW))
        return updated_node

    def leave_FormattedStringText(
        self, original_node: cst.FormattedStringText, updated_node: cst.FormattedStringText
    ) -> cst.FormattedStringText:
        if self._assertions and OLD in updated_node.value:
            return updated_node.with_changes(value=updated_node.value.replace(OLD, NEW))
        return updated_node


def _uses_other_escaper(source: str) -> bool:
    tree = parse_ast(source)
    if tree is None:
        return True  # cannot tell: leave the file to the scanner
    return any(
        target.lstrip(".").split(".", 1)[0] in OTHER_ESCAPERS
        for targets in import_targets(tree).values()
        for target in targets
    )


def _assertion_regions(tree: ast.Module, bound: frozenset[int]) -> list[ast.AST]:
    """The nodes the libcst pass counts as assertions: ``assert`` statements, ``*.assert*(...)``
    and ``assert*(...)`` calls, and the assignments at the lines of ``bound``."""
    return [
        node
        for node in ast.walk(tree)
        if _is_assertion(node) or (isinstance(node, ast.Assign) and node.lineno in bound)
    ]


def _literals(region: ast.AST) -> list[ast.AST]:
    """The outermost string, bytes and f-string nodes in ``region``."""
    found: list[ast.AST] = []
    stack = [region]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.JoinedStr) or (
            isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))
        ):
            found.append(node)
            continue
        stack.extend(ast.iter_child_nodes(node))
    return found


def text_transform(source: str, tree: ast.Module, bound: frozenset[int]) -> str | None:
    """What the libcst pass writes, as text edits at ``ast`` positions; None: let it decide.

    The libcst pass replaces ``&#39;`` in the code of every string (and f-string text) inside
    an assertion. The code of an ``ast`` string node is its literals with only spaces, line
    breaks, backslashes or comments between them (implicit concatenation), and ``&#39;`` holds
    no quote, brace or blank, so every ``&#39;`` in that code is inside a literal unless a
    comment holds it: a node whose code has a ``#`` outside its ``&#39;`` goes to libcst, and so
    does an f-string over several lines (from Python 3.12 a replacement field may hold a
    comment).
    """
    if not Positions.supported(source):
        return None
    positions = Positions(source)
    replacements: dict[tuple[int, int], str] = {}
    for region in _assertion_regions(tree, bound):
        for literal in _literals(region):
            start, end = positions.span(literal)
            code = source[start:end]
            if OLD not in code or (start, end) in replacements:
                continue
            if "#" in code.replace(OLD, "") or (
                isinstance(literal, ast.JoinedStr) and "\n" in code
            ):
                return None
            replacements[(start, end)] = code.replace(OLD, NEW)
    spans = sorted(replacements)
    if any(b[0] < a[1] for a, b in itertools.pairwise(spans)):
        return None  # one literal inside another (a region in an f-string): libcst decides
    return replace_spans(source, ((s, e, replacements[(s, e)]) for s, e in spans))


def transform(source: str, context: RuleContext, *, text_edits: bool = True) -> str:
    """The rule; ``text_edits=False``: always the libcst pass (the reference tests compare)."""
    if OLD not in source or context.django_from >= VERSION:
        return source
    if not is_test_file(context.filename) or _uses_other_escaper(source):
        return source
    tree = parse_ast(source)
    bound = bound_to_assertions(tree) if tree is not None else frozenset()
    if tree is not None and text_edits:
        fast = text_transform(source, tree, bound)
        if fast is not None:
            return fast

    def make(codemod_context: CodemodContext, rule_context: RuleContext) -> _Transformer:
        transformer = _Transformer(codemod_context, rule_context)
        transformer.bound = bound
        return transformer

    return run_rule(source, context, make)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=VERSION,
        summary="&#39; -> &#x27; in test assertions (Django 3.0's escape() writes &#x27;)",
        docs=DOCS,
        transform=transform,
        needles=(OLD.encode(),),
    )
)
