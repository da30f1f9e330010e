"""Replace ``django.utils.six``, removed in Django 3.0, with native Python 3 or the ``six`` package.

Exact native equivalents are used where they exist:

- values: ``six.text_type`` -> ``str``, ``six.string_types`` -> ``(str,)`` (``str`` as the second
  argument of ``isinstance``/``issubclass``), ``six.PY3`` -> ``True``, ``six.MAXSIZE`` ->
  ``sys.maxsize``, ``six.moves.range`` -> ``range``... (:data:`NATIVE_VALUES`, :data:`NATIVE_OBJECTS`);
- modules: ``six.moves.urllib.parse`` -> ``urllib.parse``, ``six.moves.http_client`` ->
  ``http.client``... (:data:`NATIVE_MODULES`), in expressions and in ``from ... import``;
- calls: ``six.iteritems(d)`` -> ``d.items()`` (``iter(d.items())`` inside ``next()``),
  ``six.reraise(tp, value, tb)`` -> ``raise value.with_traceback(tb)``;
- classes: ``class A(six.with_metaclass(M, B))`` and ``@six.add_metaclass(M)`` ->
  ``class A(B, metaclass=M)``;
- version branches: ``if six.PY3: A else: B`` -> ``A`` (``if six.PY2`` keeps the ``else``).

Whatever is left (``six.ensure_text``, ``six.reraise``, ``six.moves.urllib`` as a namespace...)
keeps working through the external ``six`` package, which ``django.utils.six`` was a copy of:
``from django.utils import six`` -> ``import six``, ``from django.utils.six.moves import x`` ->
``from six.moves import x``; a note then says ``six`` must be added to the requirements.
``@six.python_2_unicode_compatible`` is the ``python_2_unicode_compatible`` rule's.

https://docs.djangoproject.com/en/3.0/releases/3.0/#removed-private-python-2-compatibility-apis
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import transform_source
from codemods._python import (
    ResolvingRuleTransformer,
    dotted_name,
    keyword_arg,
    remove_decorators,
    run_rule,
)

DOCS = "https://docs.djangoproject.com/en/3.0/releases/3.0/#removed-private-python-2-compatibility-apis"
SIX = "django.utils.six"

# six member -> Python 3 expression (https://six.readthedocs.io/).
NATIVE_VALUES = {
    "text_type": "str",
    "binary_type": "bytes",
    "string_types": "(str,)",
    "integer_types": "(int,)",
    "class_types": "(type,)",
    "PY2": "False",
    "PY3": "True",
    "PY34": "True",
    "unichr": "chr",
    "iterbytes": "iter",
    "next": "next",
    "advance_iterator": "next",
    "callable": "callable",
    "print_": "print",
    "memoryview": "memoryview",
    "Iterator": "object",
    "moves.range": "range",
    "moves.xrange": "range",
    "moves.zip": "zip",
    "moves.map": "map",
    "moves.filter": "filter",
    "moves.input": "input",
}
# The same, as the second argument of isinstance()/issubclass().
TYPE_CHECK_VALUES = {"string_types": "str", "integer_types": "int", "class_types": "type"}
# six member -> (module, name) in the standard library.
NATIVE_OBJECTS = {
    "MAXSIZE": ("sys", "maxsize"),
    "StringIO": ("io", "StringIO"),
    "BytesIO": ("io", "BytesIO"),
    "moves.cStringIO": ("io", "StringIO"),
    "moves.reduce": ("functools", "reduce"),
    "moves.zip_longest": ("itertools", "zip_longest"),
    "moves.filterfalse": ("itertools", "filterfalse"),
    "moves.reload_module": ("importlib", "reload"),
    "moves.intern": ("sys", "intern"),
    "moves.getcwd": ("os", "getcwd"),
    "moves.getcwdb": ("os", "getcwdb"),
    "moves.shlex_quote": ("shlex", "quote"),
    "moves.UserDict": ("collections", "UserDict"),
    "moves.UserList": ("collections", "UserList"),
    "moves.UserString": ("collections", "UserString"),
}
# six.moves module -> standard library module.
NATIVE_MODULES = {
    "moves.builtins": "builtins",
    "moves.configparser": "configparser",
    "moves.copyreg": "copyreg",
    "moves.cPickle": "pickle",
    "moves.html_entities": "html.entities",
    "moves.html_parser": "html.parser",
    "moves.http_client": "http.client",
    "moves.http_cookiejar": "http.cookiejar",
    "moves.http_cookies": "http.cookies",
    "moves.queue": "queue",
    "moves.reprlib": "reprlib",
    "moves.socketserver": "socketserver",
    "moves._thread": "_thread",
    "moves.urllib_parse": "urllib.parse",
    "moves.urllib_error": "urllib.error",
    "moves.urllib.parse": "urllib.parse",
    "moves.urllib.error": "urllib.error",
    "moves.urllib.request": "urllib.request",
    "moves.urllib.response": "urllib.response",
    "moves.urllib.robotparser": "urllib.robotparser",
}
# six.iteritems(d) -> d.items() and friends.
DICT_METHODS = {
    "iteritems": "items",
    "itervalues": "values",
    "iterkeys": "keys",
    "iterlists": "lists",
    "viewitems": "items",
    "viewkeys": "keys",
    "viewvalues": "values",
}
# ``from django.utils.six.moves import range`` binds what the builtin already is: drop the name.
SAME_NAME_BUILTINS = frozenset({"range", "zip", "map", "filter", "input", "next", "callable"})
_ATOMS = (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.List, cst.Dict, cst.Tuple, cst.Set)


def _import_from_module(node: cst.ImportFrom) -> str | None:
    return None if node.relative or node.module is None else dotted_name(node.module)


def _is_six_module(module: str | None) -> bool:
    return module is not None and (module == SIX or module.startswith(f"{SIX}."))


def _alias_names(alias: cst.ImportAlias) -> tuple[str, str | None]:
    name = dotted_name(alias.name) or ""
    asname = alias.asname.name if alias.asname else None
    return name, (asname.value if isinstance(asname, cst.Name) else None)


def _statement(code: str, like: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
    statement = cst.parse_statement(code)
    assert isinstance(statement, cst.SimpleStatementLine)
    return statement.with_changes(
        leading_lines=like.leading_lines, trailing_whitespace=like.trailing_whitespace
    )


def _native_import(member: str, name: str, asname: str | None) -> str | None:
    """The Python 3 import for ``from django.utils.six.<member> import name [as asname]``.

    ``""`` when nothing is needed (a builtin of the same name), None when there is no exact one.
    """
    bound = asname or name
    full = f"{member}.{name}" if member else name
    if full in NATIVE_MODULES:
        module = NATIVE_MODULES[full]
        if "." in module:
            parent, _, last = module.rpartition(".")
            return f"from {parent} import {last}" + ("" if bound == last else f" as {bound}")
        return f"import {module}" + ("" if bound == module else f" as {bound}")
    if full in NATIVE_OBJECTS:
        module, attr = NATIVE_OBJECTS[full]
        return f"from {module} import {attr}" + ("" if bound == attr else f" as {bound}")
    if member in NATIVE_MODULES:
        return f"from {NATIVE_MODULES[member]} import {name}" + (f" as {asname}" if asname else "")
    if member == "moves" and name in SAME_NAME_BUILTINS and bound == name:
        return ""
    return None


def _suite_statements(suite: cst.BaseSuite) -> list[cst.BaseStatement]:
    """The statements of a block, a one-line ``if x: a; b`` suite becoming one line."""
    if isinstance(suite, cst.IndentedBlock):
        return list(suite.body)
    assert isinstance(suite, cst.SimpleStatementSuite)
    return [cst.SimpleStatementLine(body=suite.body)]


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS

    # -- imports of six.moves: rewritten in place, names kept ------------------------------------

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement] | cst.RemovalSentinel:
        if len(original_node.body) != 1 or not isinstance(original_node.body[0], cst.ImportFrom):
            return updated_node
        node = original_node.body[0]
        module = _import_from_module(node)
        if not _is_six_module(module) or module == SIX or isinstance(node.names, cst.ImportStar):
            return updated_node  # ``from django.utils.six import x``: x's uses are rewritten
        assert module is not None
        member = module[len(SIX) + 1 :]
        if member in NATIVE_MODULES:  # same names, other module: edit in place
            native = cst.parse_expression(NATIVE_MODULES[member])
            assert isinstance(native, (cst.Name, cst.Attribute))
            return updated_node.with_changes(
                body=[cast(cst.ImportFrom, updated_node.body[0]).with_changes(module=native)]
            )
        imports = [_native_import(member, *_alias_names(alias)) for alias in node.names]
        if any(code is None for code in imports):
            return updated_node  # the external-six fallback keeps all of it working
        statements = [_statement(code, original_node) for code in imports if code]
        if not statements:
            return cst.RemoveFromParent()
        for later in range(1, len(statements)):
            statements[later] = statements[later].with_changes(leading_lines=())
        return cst.FlattenSentinel(statements)

    # -- expressions ---------------------------------------------------------------------------

    def _member(self, node: cst.CSTNode) -> str | None:
        for name in self.qualified_names(node):
            if name.startswith(f"{SIX}."):
                return name[len(SIX) + 1 :]
        return None

    def _in_type_check(self, node: cst.CSTNode) -> bool:
        arg = self.parent(node)
        call = self.parent(arg) if isinstance(arg, cst.Arg) else None
        return (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Name)
            and call.func.value in {"isinstance", "issubclass"}
            and len(call.args) == 2
            and call.args[1] is arg
        )

    def _replacement(self, node: cst.Name | cst.Attribute) -> cst.BaseExpression | None:
        member = self._member(node)
        if member is None or (isinstance(node, cst.Name) and member.startswith("moves.")):
            return None  # names from ``six.moves`` imports: the import itself is rewritten
        if member in TYPE_CHECK_VALUES and self._in_type_check(node):
            return cst.parse_expression(TYPE_CHECK_VALUES[member])
        if member in NATIVE_VALUES:
            return cst.parse_expression(NATIVE_VALUES[member])
        if member in NATIVE_OBJECTS:
            return self.reference(node, *NATIVE_OBJECTS[member])
        if member in NATIVE_MODULES and isinstance(node, cst.Attribute):
            return self.module_reference(node, NATIVE_MODULES[member])
        return None

    def _leave_reference(
        self, original: cst.Name | cst.Attribute, updated: cst.Name | cst.Attribute
    ) -> cst.BaseExpression:
        parent = self.parent(original)
        if isinstance(parent, cst.Attribute) and parent.attr is original:
            return updated
        replacement = self._replacement(original)
        if replacement is None:
            return updated
        self.forget(original)
        if updated.lpar:
            replacement = replacement.with_changes(lpar=updated.lpar, rpar=updated.rpar)
        return replacement

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self._leave_reference(original_node, updated_node)

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        return self._leave_reference(original_node, updated_node)

    def leave_Expr(self, original_node: cst.Expr, updated_node: cst.Expr) -> cst.BaseSmallStatement:
        """``six.reraise(tp, value, tb)`` -> ``raise value.with_traceback(tb)`` (what it does)."""
        call = original_node.value
        if not (
            isinstance(call, cst.Call)
            and isinstance(call.func, (cst.Name, cst.Attribute))
            and self._member(call.func) == "reraise"
            and len(call.args) == 3
            and all(arg.keyword is None and not arg.star for arg in call.args)
            and not (
                isinstance(call.args[1].value, cst.Name) and call.args[1].value.value == "None"
            )
        ):
            return updated_node
        new_call = updated_node.value
        assert isinstance(new_call, cst.Call)
        self.forget(call.func)
        value = new_call.args[1].value
        if not isinstance(value, _ATOMS) and not value.lpar:
            value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        traceback = new_call.args[2].value
        raise_ = cst.Raise(
            exc=cst.Call(
                func=cst.Attribute(value=value, attr=cst.Name("with_traceback")),
                args=[cst.Arg(traceback)],
            ),
            semicolon=updated_node.semicolon,
        )
        return raise_

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not isinstance(original_node.func, (cst.Name, cst.Attribute)):
            return updated_node
        member = self._member(original_node.func)
        args = updated_node.args
        if member not in DICT_METHODS or len(args) != 1 or args[0].keyword or args[0].star:
            return updated_node
        self.forget(original_node.func)
        mapping = args[0].value
        if not isinstance(mapping, _ATOMS) and not mapping.lpar:
            mapping = mapping.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        method = cst.Call(func=cst.Attribute(value=mapping, attr=cst.Name(DICT_METHODS[member])))
        method = method.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)
        arg = self.parent(original_node)
        call = self.parent(arg) if isinstance(arg, cst.Arg) else None
        if (
            member.startswith("iter")
            and isinstance(call, cst.Call)
            and isinstance(call.func, cst.Name)
            and call.func.value == "next"
        ):
            return cst.Call(
                func=cst.Name("iter"), args=[cst.Arg(method)]
            )  # next() needs an iterator
        return method

    # -- version branches ----------------------------------------------------------------------

    def leave_If(
        self, original_node: cst.If, updated_node: cst.If
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement] | cst.RemovalSentinel:
        """``if six.PY3: A else: B`` -> ``A``; ``if six.PY2: A elif c: B`` -> ``if c: B``."""
        test = original_node.test
        member = self._member(test) if isinstance(test, (cst.Name, cst.Attribute)) else None
        if member not in {"PY2", "PY3", "PY34"}:
            return updated_node
        leading = list(original_node.leading_lines)
        body = original_node.body
        header = body.header if isinstance(body, cst.IndentedBlock) else None
        if header is not None and header.comment is not None:
            leading.append(cst.EmptyLine(comment=header.comment))
        statements: list[cst.BaseStatement]
        if member != "PY2":
            statements = _suite_statements(updated_node.body)
        elif isinstance(updated_node.orelse, cst.If):
            statements = [updated_node.orelse]
        elif isinstance(updated_node.orelse, cst.Else):
            statements = _suite_statements(updated_node.orelse.body)
        else:
            statements = []
        if not statements:
            return cst.RemoveFromParent()
        first = statements[0]
        assert isinstance(first, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
        own: Sequence[cst.EmptyLine] = getattr(first, "leading_lines", ())
        statements[0] = first.with_changes(leading_lines=[*leading, *own])
        return cst.FlattenSentinel(statements)

    # -- metaclasses ---------------------------------------------------------------------------

    def _metaclass_call(self, node: cst.BaseExpression, member: str) -> cst.Call | None:
        if (
            isinstance(node, cst.Call)
            and isinstance(node.func, (cst.Name, cst.Attribute))
            and self._member(node.func) == member
            and node.args
            and all(a.keyword is None and not a.star for a in node.args)
        ):
            return node
        return None

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        if any(k.keyword and k.keyword.value == "metaclass" for k in original_node.keywords):
            return updated_node
        metaclass: cst.BaseExpression | None = None
        bases: Sequence[cst.Arg] = updated_node.bases
        for index, base in enumerate(original_node.bases):
            call = self._metaclass_call(base.value, "with_metaclass")
            if call is None or base.keyword or base.star:
                continue
            self.forget(call.func)
            new_call = updated_node.bases[index].value
            assert isinstance(new_call, cst.Call)
            metaclass = new_call.args[0].value
            bases = [
                *updated_node.bases[:index],
                *new_call.args[1:],
                *updated_node.bases[index + 1 :],
            ]
            break
        decorators: set[int] = set()
        if metaclass is None:
            for index, decorator in enumerate(original_node.decorators):
                call = self._metaclass_call(decorator.decorator, "add_metaclass")
                if call is not None and len(call.args) == 1:
                    self.forget(call.func)
                    new_call = updated_node.decorators[index].decorator
                    assert isinstance(new_call, cst.Call)
                    metaclass = new_call.args[0].value
                    decorators.add(index)
                    break
        if metaclass is None:
            return updated_node
        comma = cst.MaybeSentinel.DEFAULT
        arguments = [a.with_changes(comma=comma) for a in (*bases, *updated_node.keywords)]
        new_bases = arguments[: len(bases)]
        new_keywords = [keyword_arg("metaclass", metaclass), *arguments[len(bases) :]]
        new = updated_node.with_changes(
            bases=new_bases,
            keywords=new_keywords,
            lpar=cst.LeftParen(),
            rpar=cst.RightParen(),
            whitespace_before_colon=cst.SimpleWhitespace(""),
        )
        return remove_decorators(new, decorators)


class _ExternalSix(cst.CSTTransformer):
    """Point what is left of ``django.utils.six`` at the external ``six`` package."""

    def __init__(self) -> None:
        super().__init__()
        self.changed = False

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.FlattenSentinel[cst.SimpleStatementLine]:
        """``from django.utils import six, timezone`` -> ``from django.utils import timezone`` + ``import six``."""
        if len(updated_node.body) != 1 or not isinstance(updated_node.body[0], cst.ImportFrom):
            return updated_node
        node = updated_node.body[0]
        if _import_from_module(node) != "django.utils" or isinstance(node.names, cst.ImportStar):
            return updated_node
        six_aliases = [a for a in node.names if dotted_name(a.name) == "six"]
        if not six_aliases:
            return updated_node
        self.changed = True
        others = [a for a in node.names if dotted_name(a.name) != "six"]
        import_six = updated_node.with_changes(
            body=[
                cst.Import(
                    names=[a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in six_aliases]
                )
            ]
        )
        if not others:
            return import_six
        others[-1] = others[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        if node.rpar is not None:  # a parenthesized list keeps its layout minus the ``six`` line
            others[-1] = others[-1].with_changes(comma=node.names[-1].comma)
        first = updated_node.with_changes(body=[node.with_changes(names=others)])
        return cst.FlattenSentinel([first, import_six.with_changes(leading_lines=())])

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom:
        module = _import_from_module(original_node)
        if _is_six_module(module):
            assert module is not None
            self.changed = True
            native = cst.parse_expression(module[len("django.utils.") :])
            assert isinstance(native, (cst.Name, cst.Attribute))
            return updated_node.with_changes(module=native)
        return updated_node

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import:
        names = []
        for alias in updated_node.names:
            name = dotted_name(alias.name)
            if _is_six_module(name) and alias.asname is not None:
                assert name is not None
                self.changed = True
                native = name[len("django.utils.") :]
                asname = alias.asname.name
                same = isinstance(asname, cst.Name) and asname.value == native
                alias = alias.with_changes(
                    name=cst.parse_expression(native), asname=None if same else alias.asname
                )
            names.append(alias)
        return updated_node.with_changes(names=names)


def transform(source: str, context: RuleContext) -> str:
    native = run_rule(source, context, _Transformer)
    if "six" not in native or "django.utils" not in native:
        return native
    fallback = _ExternalSix()
    result = transform_source(native, lambda _context: fallback, filename=context.filename)
    if fallback.changed:
        context.notes.append(
            f"{context.filename}: django.utils.six was removed in Django 3.0; what has no exact "
            "Python 3 equivalent now uses the six package: add six to the project's requirements "
            f"(see {DOCS})"
        )
    if "django.utils.six" in result:
        context.notes.append(
            f"{context.filename}: django.utils.six is still referenced (import django.utils.six?): "
            f"replace it by hand (see {DOCS})"
        )
    return result


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("3.0"),
        summary="django.utils.six -> native Python 3 where exact, else the six package",
        docs=DOCS,
        transform=transform,
        needles=(b"django.utils.six", b"django.utils import six"),
    )
)
