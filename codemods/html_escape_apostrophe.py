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

- also in a ``pytest.mark.parametrize`` table whose columns holding ``&#39;`` are parameters
  the test function reads only inside its assertions (pretalx's ``score,expected`` table of
  ``<span title="&#39;great&#39;">``, FINDINGS F20): the table is what the assertions compare.

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


def _argnames(node: ast.expr) -> list[str] | None:
    """``"a,b"`` / ``("a", "b")`` / ``["a", "b"]`` as names; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [name.strip() for name in node.value.split(",") if name.strip()]
    if isinstance(node, (ast.Tuple, ast.List)) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts
    ):
        return [e.value for e in node.elts]  # type: ignore[attr-defined]
    return None


def _row(node: ast.expr, width: int) -> list[ast.expr] | None:
    """The values of one parametrize row (a tuple, a list or ``pytest.param(...)``)."""
    if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "param":
        if any(_has_old(k.value) for k in node.keywords) or any(
            isinstance(a, ast.Starred) for a in node.args
        ):
            return None
        values: list[ast.expr] = list(node.args)
    elif width == 1:
        values = [node]
    elif isinstance(node, (ast.Tuple, ast.List)) and not any(
        isinstance(e, ast.Starred) for e in node.elts
    ):
        values = list(node.elts)
    else:
        return None
    return values if len(values) == width else None


def parametrized_expectations(tree: ast.Module) -> frozenset[int]:
    """Lines of ``@pytest.mark.parametrize(...)`` decorators whose every column holding
    ``&#39;`` is a parameter the decorated test reads only inside its assertions."""
    lines: set[int] = set()
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        spans = [_span(n) for n in ast.walk(function) if _is_assertion(n)]
        loads: dict[str, list[ast.Name]] = {}
        stores: dict[str, int] = {}
        for node in ast.walk(function):
            if isinstance(node, ast.Name):
                if isinstance(node.ctx, ast.Load):
                    loads.setdefault(node.id, []).append(node)
                else:
                    stores[node.id] = stores.get(node.id, 0) + 1
            elif isinstance(node, ast.arg):
                stores[node.arg] = stores.get(node.arg, 0) + 1
        for decorator in function.decorator_list:
            if not (
                isinstance(decorator, ast.Call)
                and getattr(decorator.func, "attr", None) == "parametrize"
                and len(decorator.args) >= 2
                and isinstance(decorator.args[1], (ast.Tuple, ast.List))
                and not any(_has_old(k.value) for k in decorator.keywords)
                and (names := _argnames(decorator.args[0])) is not None
            ):
                continue
            rows = [_row(row, len(names)) for row in decorator.args[1].elts]
            if any(row is None for row in rows):
                continue
            columns = {i for row in rows if row for i, value in enumerate(row) if _has_old(value)}
            if columns and all(
                stores.get(names[i]) == 1
                and loads.get(names[i])
                and all(_inside(use, spans) for use in loads[names[i]])
                for i in columns
            ):
                lines.add(decorator.lineno)
    return frozenset(lines)


class _Transformer(PythonRuleTransformer):
    docs = DOCS

    def __init__(self, context: CodemodContext, rule_context: RuleContext) -> None:
        super().__init__(context, rule_context)
        self._assertions = 0  # how many assertions enclose the node being visited
        self.bound: frozenset[int] = frozenset()  # lines of values only assertions read
        self.tables: frozenset[int] = frozenset()  # lines of parametrize tables they read

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

    def _counts(self, node: cst.Call) -> bool:
        return _is_assertion_call(node) or (
            isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "parametrize"
            and self.line(node) in self.tables
        )

    def visit_Call(self, node: cst.Call) -> None:
        if self._counts(node):
            self._assertions += 1

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if self._counts(original_node):
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


def _assertion_regions(
    tree: ast.Module, bound: frozenset[int], tables: frozenset[int] = frozenset()
) -> list[ast.AST]:
    """The nodes the libcst pass counts as assertions: ``assert`` statements, ``*.assert*(...)``
    and ``assert*(...)`` calls, the assignments at the lines of ``bound`` and the parametrize
    calls at the lines of ``tables``."""
    return [
        node
        for node in ast.walk(tree)
        if _is_assertion(node)
        or (isinstance(node, ast.Assign) and node.lineno in bound)
        or (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", None) == "parametrize"
            and node.lineno in tables
        )
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


def text_transform(
    source: str, tree: ast.Module, bound: frozenset[int], tables: frozenset[int] = frozenset()
) -> str | None:
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
    for region in _assertion_regions(tree, bound, tables):
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
    tables = parametrized_expectations(tree) if tree is not None else frozenset()
    if tree is not None and text_edits:
        fast = text_transform(source, tree, bound, tables)
        if fast is not None:
            return fast

    def make(codemod_context: CodemodContext, rule_context: RuleContext) -> _Transformer:
        transformer = _Transformer(codemod_context, rule_context)
        transformer.bound = bound
        transformer.tables = tables
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
