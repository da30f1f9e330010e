"""Pass ``Model.save()``/``asave()`` arguments by keyword (positional ones deprecated in 5.1, removed in 6.0).

``obj.save(False, False, "replica", ["name"])`` becomes
``obj.save(force_insert=False, force_update=False, using="replica", update_fields=["name"])``,
following the old positional order (``force_insert, force_update, using, update_fields``).

``save`` is a common method name (``ModelForm.save(commit)``, ``FieldFile.save(name, content)``,
``Storage.save``, ``SessionBase.save(must_create)``...), so a call is only rewritten when it is
plausibly a model's:

- ``self.save(...)`` or ``super().save(...)`` in a class with a base named ``...Model`` or
  ``Abstract...`` (a model's own ``save()`` override passing its parameters on), any arguments;
- otherwise every positional argument must fit its slot (``True``/``False`` or the parameter's
  own name for the flags, a string or ``None`` for ``using``, a list/tuple/set or ``None`` for
  ``update_fields``), and receivers named like forms, formsets, serializers or sessions, and
  ``self`` in classes named like those, are never touched.

Calls with ``*args`` (``super().save(*args, **kwargs)``) are left alone.

``save(`` is everywhere, so a regular expression and then the standard library's ``ast`` (far
cheaper than libcst's parse) look for a call these rules could rewrite before libcst parses the
file; both only ever let more through than the transformer rewrites.

https://docs.djangoproject.com/en/5.1/releases/5.1/#features-deprecated-in-5-1
"""

from __future__ import annotations

import ast
import re

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import (
    CodemodContext,
    PythonRuleTransformer,
    dotted_name,
    keyword_arg,
    last_identifier,
    parse_ast,
    run_rule,
)

DOCS = "https://docs.djangoproject.com/en/5.1/releases/5.1/#features-deprecated-in-5-1"
PARAMETERS = ("force_insert", "force_update", "using", "update_fields")
METHODS = frozenset({"save", "asave"})
# ``form.save(False)`` is ModelForm.save(commit=False): receivers named like these are not models.
NOT_MODEL_WORDS = ("form", "serializer", "session")


def _is_bool(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value in {"True", "False"}


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _fits(index: int, node: cst.BaseExpression) -> bool:
    """Whether ``node`` looks like the value of ``Model.save()``'s positional slot ``index``."""
    if isinstance(node, cst.Name) and node.value == PARAMETERS[index]:
        return True
    if index < 2:
        return _is_bool(node)
    if index == 2:
        return _is_none(node) or isinstance(node, (cst.SimpleString, cst.ConcatenatedString))
    return _is_none(node) or isinstance(node, (cst.List, cst.Tuple, cst.Set))


def _class_kind(node: cst.ClassDef) -> str:
    """``"model"``, ``"other-api"`` (forms, serializers...) or ``"unknown"``."""
    kind = "unknown"
    for base in node.bases:
        name = last_identifier(base.value) or ""
        dotted = dotted_name(base.value) or ""
        if name.endswith("Model") or name.startswith("Abstract") or dotted.startswith("models."):
            return "model"
        if any(word in name.lower() for word in NOT_MODEL_WORDS):
            kind = "other-api"
    return kind


def _is_super_call(node: cst.BaseExpression) -> bool:
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Name)
        and node.func.value == "super"
    )


class _Transformer(PythonRuleTransformer):
    docs = DOCS

    def __init__(self, context: CodemodContext, rule_context: RuleContext) -> None:
        super().__init__(context, rule_context)
        self.classes: list[str] = []

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.classes.append(_class_kind(node))

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        self.classes.pop()
        return updated_node

    def _should_rewrite(self, call: cst.Call, positional: list[cst.Arg]) -> bool:
        assert isinstance(call.func, cst.Attribute)
        receiver = call.func.value
        enclosing = self.classes[-1] if self.classes else "unknown"
        if _is_super_call(receiver) or (
            isinstance(receiver, cst.Name) and receiver.value == "self"
        ):
            if enclosing == "model":
                return True
            if enclosing == "other-api":
                return False
        else:
            name = (last_identifier(receiver) or "").lower()
            if any(word in name for word in NOT_MODEL_WORDS):
                return False
        return all(_fits(index, arg.value) for index, arg in enumerate(positional))

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = original_node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value in METHODS):
            return updated_node
        args = updated_node.args
        if any(arg.star for arg in args):
            return updated_node
        positional = [arg for arg in args if arg.keyword is None]
        if not positional or len(positional) > len(PARAMETERS):
            return updated_node
        given = {arg.keyword.value for arg in args if arg.keyword is not None}
        if given & set(PARAMETERS[: len(positional)]):
            return updated_node  # already a TypeError; not ours to guess
        if not self._should_rewrite(original_node, positional):
            return updated_node
        new_args = [
            keyword_arg(PARAMETERS[index], arg.value, like=arg) if arg.keyword is None else arg
            for index, arg in enumerate(args)
        ]
        return updated_node.with_changes(args=new_args)


# ``.save(`` or ``.asave(`` with a first argument that is neither ``)``, ``*args`` nor ``kw=``:
# most files call save() only with keywords, and are not parsed at all.
_CANDIDATE = re.compile(r"\.a?save\(\s*(?![\s)*]|\w+\s*=[^=])")


def _ast_fits(index: int, node: ast.expr) -> bool:
    """:func:`_fits` on ``ast``, erring towards yes (``f"..."`` may be a concatenation)."""
    if isinstance(node, ast.Name) and node.id == PARAMETERS[index]:
        return True
    is_none = isinstance(node, ast.Constant) and node.value is None
    if index < 2:
        return isinstance(node, ast.Constant) and isinstance(node.value, bool)
    if index == 2:
        return (
            is_none
            or (isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)))
            or isinstance(node, ast.JoinedStr)
        )
    return is_none or isinstance(node, (ast.List, ast.Tuple, ast.Set))


def _ast_may_rewrite(call: ast.Call) -> bool:
    """Whether the transformer could rewrite ``call`` (the enclosing class is not looked at)."""
    if not (isinstance(call.func, ast.Attribute) and call.func.attr in METHODS):
        return False
    if any(isinstance(arg, ast.Starred) for arg in call.args) or any(
        keyword.arg is None for keyword in call.keywords
    ):
        return False
    positional = call.args
    if not positional or len(positional) > len(PARAMETERS):
        return False
    if {keyword.arg for keyword in call.keywords} & set(PARAMETERS[: len(positional)]):
        return False
    receiver = call.func.value
    if (isinstance(receiver, ast.Name) and receiver.id == "self") or (
        isinstance(receiver, ast.Call)
        and isinstance(receiver.func, ast.Name)
        and receiver.func.id == "super"
    ):
        return True
    name = ""
    if isinstance(receiver, ast.Name):
        name = receiver.id.lower()
    elif isinstance(receiver, ast.Attribute):
        name = receiver.attr.lower()
    if any(word in name for word in NOT_MODEL_WORDS):
        return False
    return all(_ast_fits(index, arg) for index, arg in enumerate(positional))


def transform(source: str, context: RuleContext) -> str:
    if not _CANDIDATE.search(source):
        return source
    tree = parse_ast(source)
    if tree is not None and not any(
        isinstance(node, ast.Call) and _ast_may_rewrite(node) for node in ast.walk(tree)
    ):
        return source
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("5.1"),
        summary="obj.save(False, True) -> obj.save(force_insert=False, force_update=True)",
        docs=DOCS,
        transform=transform,
        needles=(b"save(",),
    )
)
