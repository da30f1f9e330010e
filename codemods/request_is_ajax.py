"""Replace ``HttpRequest.is_ajax()``, deprecated in Django 3.1 and removed in 4.0.

``request.is_ajax()`` becomes ``request.headers.get("x-requested-with") == "XMLHttpRequest"``,
which is what the method returned (``request.headers`` exists since Django 2.2), and
``not request.is_ajax()`` becomes the ``!=`` form. Parentheses are added where the comparison
would otherwise bind differently (``x == request.is_ajax()``, ``request.is_ajax().real``).

Which receivers count as requests is a heuristic, since types are unknown: a name or attribute
called ``request``, ``req`` or ending in ``request`` (``self.request``, ``wsgi_request``).
``is_ajax()`` on anything else becomes a manual item rather than a rewrite.

https://docs.djangoproject.com/en/3.1/releases/3.1/#features-deprecated-in-3-1
"""

from __future__ import annotations

import ast

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import docs_note, string_literal
from codemods._python import PythonRuleTransformer, last_identifier, parse_ast, run_rule
from codemods._python_text import Positions, parenthesized, parents, replace_spans

DOCS = "https://docs.djangoproject.com/en/3.1/releases/3.1/#features-deprecated-in-3-1"

# Where a comparison can stand without parentheses and keep its meaning.
_NO_PARENS = (
    cst.Arg,
    cst.Assert,
    cst.Assign,
    cst.AnnAssign,
    cst.BooleanOperation,
    cst.DictElement,
    cst.Element,
    cst.Expr,
    cst.FormattedStringExpression,
    cst.If,
    cst.IfExp,
    cst.Index,
    cst.Lambda,
    cst.NamedExpr,
    cst.Return,
    cst.While,
)


def looks_like_request(node: cst.BaseExpression) -> bool:
    name = last_identifier(node)
    if name is None:
        return False
    lowered = name.lower()
    return lowered in {"request", "req"} or lowered.endswith("request")


def _is_ajax_call(node: cst.BaseExpression) -> bool:
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "is_ajax"
        and not node.args
    )


class _Transformer(PythonRuleTransformer):
    docs = DOCS
    quotes_like = ""

    def visit_Module(self, node: cst.Module) -> None:
        self.quotes_like = node.code

    def _quotes_like(self, node: cst.CSTNode) -> str:
        """What new string literals should look like: inside an f-string, its other quote."""
        parent = self.parent(node)
        while parent is not None:
            if isinstance(parent, cst.FormattedString):
                return "'" if '"' in parent.start else '"'
            parent = self.parent(parent)
        return self.quotes_like

    def _header_check(
        self, receiver: cst.BaseExpression, negated: bool, like: cst.BaseExpression
    ) -> cst.Comparison:
        quotes_like = self._quotes_like(like)
        get = cst.Call(
            func=cst.Attribute(
                value=cst.Attribute(value=receiver, attr=cst.Name("headers")), attr=cst.Name("get")
            ),
            args=[cst.Arg(cst.SimpleString(string_literal("x-requested-with", quotes_like)))],
        )
        operator = cst.NotEqual() if negated else cst.Equal()
        comparison = cst.Comparison(
            left=get,
            comparisons=[
                cst.ComparisonTarget(
                    operator=operator,
                    comparator=cst.SimpleString(string_literal("XMLHttpRequest", quotes_like)),
                )
            ],
        )
        if like.lpar:
            return comparison.with_changes(lpar=like.lpar, rpar=like.rpar)
        if isinstance(self.parent(like), _NO_PARENS):
            return comparison
        return comparison.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not _is_ajax_call(original_node):
            return updated_node
        assert isinstance(original_node.func, cst.Attribute)
        assert isinstance(updated_node.func, cst.Attribute)
        if not looks_like_request(original_node.func.value):
            self.note(
                original_node,
                f"{self.module.code_for_node(original_node)}: if this is an HttpRequest, use "
                "request.headers.get('x-requested-with') == 'XMLHttpRequest' (removed in Django 4.0)",
            )
            return updated_node
        parent = self.parent(original_node)
        if (
            isinstance(parent, cst.UnaryOperation)
            and isinstance(parent.operator, cst.Not)
            and not original_node.lpar
        ):
            return updated_node  # leave_UnaryOperation turns the whole ``not`` into ``!=``
        return self._header_check(updated_node.func.value, False, original_node)

    def leave_UnaryOperation(
        self, original_node: cst.UnaryOperation, updated_node: cst.UnaryOperation
    ) -> cst.BaseExpression:
        call = original_node.expression
        if not (
            isinstance(original_node.operator, cst.Not)
            and _is_ajax_call(call)
            and not call.lpar
            and isinstance(updated_node.expression, cst.Call)
            and isinstance(updated_node.expression.func, cst.Attribute)
            and looks_like_request(updated_node.expression.func.value)
        ):
            return updated_node
        return self._header_check(updated_node.expression.func.value, True, original_node)


def _ast_has_is_ajax_call(tree: ast.Module) -> bool:
    """Whether the file calls ``X.is_ajax()`` (no arguments): what the libcst pass acts on."""
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "is_ajax"
        and not node.args
        and not node.keywords
        for node in ast.walk(tree)
    )


# Where the libcst pass writes the comparison without parentheses (its parent is in
# ``_NO_PARENS``): the ``ast`` parent and the field the node is in; None: any field.
_BARE_IN: tuple[tuple[type[ast.AST], str | None], ...] = (
    (ast.Expr, None),
    (ast.Assign, "value"),
    (ast.AnnAssign, "value"),
    (ast.Return, None),
    (ast.If, "test"),
    (ast.While, "test"),
    (ast.Assert, None),
    (ast.BoolOp, None),
    (ast.IfExp, None),
    (ast.Call, "args"),  # cst.Arg
    (ast.keyword, None),  # cst.Arg
    (ast.List, "elts"),  # cst.Element
    (ast.Tuple, "elts"),  # cst.Element (or, in a subscript, cst.Index)
    (ast.Set, "elts"),
    (ast.Subscript, "slice"),  # cst.Index
    (ast.Lambda, "body"),
    (ast.NamedExpr, "value"),
)
# Where it adds them (the parent is no ``_NO_PARENS`` node), unless the node has its own.
_PARENTHESIZED_IN: tuple[tuple[type[ast.AST], str | None], ...] = (
    (ast.Compare, None),
    (ast.BinOp, None),
    (ast.UnaryOp, None),  # ``-x``, ``~x``; ``not`` is handled before
    (ast.Attribute, "value"),
    (ast.Call, "func"),
    (ast.Subscript, "value"),
    (ast.Await, None),
    (ast.AugAssign, "value"),
    (ast.comprehension, None),
    (ast.ListComp, "elt"),
    (ast.SetComp, "elt"),
    (ast.GeneratorExp, "elt"),
    (ast.DictComp, None),
    (ast.Slice, None),
)


def _matches(
    table: tuple[tuple[type[ast.AST], str | None], ...], parent: ast.AST, field: str
) -> bool:
    return any(isinstance(parent, kind) and name in (None, field) for kind, name in table)


def _ast_looks_like_request(node: ast.expr) -> bool:
    """``looks_like_request`` on the ``ast`` node (``last_identifier``: a name or attribute)."""
    if isinstance(node, ast.Name):
        name = node.id
    elif isinstance(node, ast.Attribute):
        name = node.attr
    else:
        return False
    lowered = name.lower()
    return lowered in {"request", "req"} or lowered.endswith("request")


class _Undecided(Exception):
    """The text path cannot tell what the libcst pass writes: it decides."""


def text_transform(source: str, tree: ast.Module, filename: str) -> tuple[str, list[str]] | None:
    """The libcst pass's text and notes, as text edits at ``ast`` positions; None: let it decide.

    Decided here: every ``X.is_ajax()`` call whose code is ``<receiver>.is_ajax()`` exactly (no
    parentheses, blanks or comments inside), in no f-string and holding no other such call, in
    a place whose parent tells whether libcst adds parentheses (``_BARE_IN``: never;
    ``_PARENTHESIZED_IN``: unless the node has its own, which its line must show).
    """
    if not Positions.supported(source):
        return None
    positions = Positions(source)
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "is_ajax"
        and not node.args
        and not node.keywords
    ]
    if not calls:
        return source, []
    up = parents(tree)
    quotes_like = source
    replacements: list[tuple[int, int, str]] = []
    notes: list[tuple[int, str]] = []  # (end of the call, note): libcst writes them on leaving

    def parent_of(node: ast.AST) -> tuple[ast.AST, str]:
        parent, field = up[id(node)]
        ancestor: ast.AST | None = parent
        while ancestor is not None:
            if isinstance(ancestor, ast.JoinedStr):
                raise _Undecided  # libcst quotes like the f-string around the node
            ancestor = up.get(id(ancestor), (None, ""))[0]
        return parent, field

    def bare(node: ast.AST, start: int, end: int) -> bool:
        """Whether the comparison replacing ``node`` goes without parentheses of its own."""
        parent, field = parent_of(node)
        if _matches(_BARE_IN, parent, field):
            return True
        if isinstance(parent, ast.Dict):  # cst.DictElement, but ``**x`` is a StarredDictElement
            keys = zip(parent.keys, parent.values, strict=True)
            if field == "values" and any(key is None for key, value in keys if value is node):
                raise _Undecided
            return True
        if not _matches(_PARENTHESIZED_IN, parent, field):
            raise _Undecided
        if parenthesized(source, start, end) is not False:
            raise _Undecided
        return False

    def comparison(receiver: str, negated: bool) -> str:
        get = f"{receiver}.headers.get({string_literal('x-requested-with', quotes_like)})"
        return f"{get} {'!=' if negated else '=='} {string_literal('XMLHttpRequest', quotes_like)}"

    try:
        for call in calls:
            assert isinstance(call.func, ast.Attribute)
            start, end = positions.span(call)
            code = source[start:end]
            receiver = positions.segment(call.func.value)
            if code != f"{receiver}.is_ajax()" or "is_ajax" in receiver:
                raise _Undecided
            parent, _field = parent_of(call)
            if not _ast_looks_like_request(call.func.value):
                if parenthesized(source, start, end) is not False:
                    raise _Undecided  # libcst's note quotes the call with its parentheses
                message = (
                    f"{code}: if this is an HttpRequest, use request.headers.get"
                    "('x-requested-with') == 'XMLHttpRequest' (removed in Django 4.0)"
                )
                notes.append((end, docs_note(filename, call.lineno, message, DOCS)))
                continue
            if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
                if parenthesized(source, start, end) is not False:
                    raise _Undecided
                outer_start, outer_end = positions.span(parent)
                text = comparison(receiver, True)
                if not bare(parent, outer_start, outer_end):
                    text = f"({text})"
                replacements.append((outer_start, outer_end, text))
                continue
            text = comparison(receiver, False)
            if not bare(call, start, end):
                text = f"({text})"
            replacements.append((start, end, text))
    except _Undecided:
        return None
    notes.sort(key=lambda item: item[0])
    return replace_spans(source, replacements), [note for _end, note in notes]


def transform(source: str, context: RuleContext, *, text_edits: bool = True) -> str:
    """The rule; ``text_edits=False``: always the libcst pass (the reference tests compare)."""
    tree = parse_ast(source)
    if tree is not None and text_edits:
        fast = text_transform(source, tree, context.filename)
        if fast is not None:
            context.notes.extend(fast[1])
            return fast[0]
    return run_rule(source, context, _Transformer, ast_check=_ast_has_is_ajax_call)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("3.1"),
        summary='request.is_ajax() -> request.headers.get("x-requested-with") == "XMLHttpRequest"',
        docs=DOCS,
        transform=transform,
        needles=(b"is_ajax",),
    )
)
