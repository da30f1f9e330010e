"""Drop ``Signal(providing_args=[...])``: deprecated in Django 3.1, removed in 4.0.

The argument was documentation only. django-upgrade's ``signal_providing_args`` fixer removes it
when ``Signal`` is imported by name from ``django.dispatch`` (or called as ``dispatch.Signal``
after ``from django import dispatch``); this rule covers what it leaves: ``import django.dispatch``
with ``django.dispatch.Signal(...)``, import aliases, ``django.dispatch.dispatcher.Signal``. Like
django-upgrade, the argument goes without a trace (no comment keeps the names). A positional
``use_caching`` after it becomes the keyword ``use_caching=``, also where django-upgrade left
``Signal(None, True)``, which Django 4.0's ``Signal(use_caching=False)`` rejects. A call whose
arguments the rule cannot see (``*args``, ``**kwargs``) becomes a manual item.

``Signal`` subclasses defined in the file (``class TaskSignal(Signal)``, also through other
subclasses) are called the same way: their calls are rewritten like ``Signal``'s when the class
keeps ``Signal.__init__``; a subclass with its own ``__init__`` may take ``providing_args``
itself, so its calls are manual items. Subclasses defined in the project's other modules
(pretalx's ``EventPluginSignal``, called with ``providing_args=`` in nine modules, FINDINGS F40)
come from the engine (``RuleContext.signal_classes``, read by :func:`project_signal_classes`
over every Python file of the project) and are treated the same way. Any other call with
``providing_args=`` (``super().__init__(providing_args=...)``, a class the project does not
define) is a manual item too: the keyword is Signal's alone, and Django 4.0 raises
``TypeError`` for it.

``Signal`` is a common word (``Signal()`` without arguments is most of its uses), so before
libcst's scope analysis a cheap ``ast`` pass looks for a call the rule could act on: a name or
attribute chain that imports may bind to ``django.dispatch.Signal``, called with an argument
(positional, ``providing_args=``, ``*args`` or ``**kwargs``). Files without one are returned as
they are.

https://docs.djangoproject.com/en/3.1/releases/3.1/#features-deprecated-in-3-1
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import ClassVar

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import (
    ResolvingRuleTransformer,
    ast_dotted_name,
    drop_arg,
    import_targets,
    keyword_arg,
    parse_ast,
    run_rule,
)
from codemods._signal_classes import (
    SIGNAL,
    module_name,
    project_signal_classes,
    signal_subclasses,
)

__all__ = ["SIGNAL", "module_name", "project_signal_classes", "transform"]

DOCS = "https://docs.djangoproject.com/en/3.1/releases/3.1/#features-deprecated-in-3-1"


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS
    #: In-file Signal subclasses -> whether the class defines its own ``__init__``.
    subclasses: ClassVar[Mapping[str, bool]] = {}
    #: Signal itself and the project's subclasses (other modules) that keep ``Signal.__init__``.
    signals: ClassVar[frozenset[str]] = SIGNAL

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        name = func.value if isinstance(func, cst.Name) else ""
        if self.refers_to(func, self.signals) is None and self.subclasses.get(name) is not False:
            # Not Signal, nor a subclass that keeps Signal.__init__: only a note, if it is
            # given the keyword only Signal took.
            if any(
                arg.keyword and arg.keyword.value == "providing_args" for arg in updated_node.args
            ):
                called = f"{name}()" if name else "this call"
                self.note(
                    original_node,
                    f"providing_args= passed to {called}: Django 4.0 removed Signal's "
                    "providing_args (TypeError); if this is a Signal or its subclass, drop the "
                    "argument (it was documentation only)",
                )
            return updated_node
        args = list(updated_node.args)
        if any(arg.star for arg in args):
            self.note(
                original_node,
                "Signal() lost its providing_args argument in Django 4.0: make sure the "
                "unpacked arguments do not pass it",
            )
            return updated_node
        keywords = [arg.keyword.value if arg.keyword else None for arg in args]
        if "providing_args" in keywords:
            args = drop_arg(args, keywords.index("providing_args"))
        elif keywords[:1] == [None]:
            if len(args) >= 2 and keywords[1] is None:
                # Signal(providing_args, use_caching): keep use_caching, by name.
                args[1] = keyword_arg("use_caching", args[1].value, like=args[1])
            args = drop_arg(args, 0)
        else:
            return updated_node
        if not args:  # ``Signal(\n    providing_args=[...],\n)`` -> ``Signal()``
            return updated_node.with_changes(
                args=[], whitespace_before_args=cst.SimpleWhitespace("")
            )
        return updated_node.with_changes(args=args)


def _may_act(tree: ast.Module, subclasses: Mapping[str, bool]) -> bool:
    """Whether ``tree`` has a call the transformer could rewrite or note (over-approximated)."""
    targets = import_targets(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if any(keyword.arg == "providing_args" for keyword in node.keywords):
            return True  # rewritten or noted, whatever is called
        if isinstance(node.func, ast.Name) and node.func.id in subclasses and node.args:
            return True
        if not node.args and all(
            keyword.arg not in (None, "providing_args") for keyword in node.keywords
        ):
            continue  # ``Signal()``, ``Signal(use_caching=True)``: nothing to do
        dotted = ast_dotted_name(node.func)
        if dotted is None:
            continue
        root, dot, rest = dotted.partition(".")
        if any(f"{target}{dot}{rest}" in SIGNAL for target in targets.get(root, ())):
            return True
    return False


def transform(source: str, context: RuleContext) -> str:
    tree = parse_ast(source)
    project = context.signal_classes or {}
    signals = SIGNAL | {name for name, own_init in project.items() if not own_init}
    subclasses = signal_subclasses(tree, project) if tree is not None else {}
    if tree is not None and not _may_act(tree, subclasses):
        return source
    if not subclasses and signals == SIGNAL:
        return run_rule(source, context, _Transformer)
    attributes = {"subclasses": subclasses, "signals": frozenset(signals)}
    transformer = type("_SubclassTransformer", (_Transformer,), attributes)
    return run_rule(source, context, transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("3.1"),
        summary="Signal(providing_args=[...]) -> Signal() where django-upgrade leaves it",
        docs=DOCS,
        transform=transform,
        needles=(b"Signal",),
    )
)
