"""Shared pieces of the Python-code rules (libcst). Not a rule: the module name starts with ``_``.

What :mod:`codemods._base` leaves to rules that resolve names and report manual items:

- :class:`PythonRuleTransformer`: a plain ``CSTTransformer`` that knows the rule's context and
  writes manual items with ``file:line`` into ``RuleContext.notes`` (positions are computed only
  when a note is written) and each node's parent; :class:`ResolvingRuleTransformer` adds scope
  analysis, helpers to ask what a node refers to through any import alias, and references to
  ``module.name`` that are valid where they are used, scheduling the import they need.
- :func:`run_rule`: parse once (:func:`codemods._base.parse_module`: one parse and one scope
  analysis shared by the rules of a file while they change nothing), run one such transformer, add the imports it scheduled with
  ``AddImportsVisitor.add_needed_import`` and drop the imports it made unused. Both are done with
  plain tree edits instead of libcst's import visitors, which each run another metadata pass: a
  parse plus one scope analysis is what a file costs.
- :func:`remove_decorators`, :func:`rename_method`, :func:`drop_arg`, :func:`append_arg`,
  :func:`keyword_arg`, :func:`last_identifier`, :func:`dotted_name`: small tree edits several
  rules make.
- :func:`is_test_file`: whether a file is test code (``runtests.py``, ``conftest.py``, ``test*.py``,
  a ``tests/`` folder, ...), for rules and detectors that treat tests differently.
- :func:`parse_ast` (one tree per text, shared by the rules of a file), :func:`import_targets`,
  :func:`binds_any`, :func:`ast_dotted_name`, :func:`ast_full_name`, :func:`may_refer_to`, :func:`refers_to_any`, :func:`has_method`: the
  standard library's ``ast`` (about 4x cheaper than a libcst parse, 20x with scope analysis) for
  the checks a rule makes before it hands a file to libcst, so a file its needles let through but
  it will not change costs no libcst parse or scope analysis. These checks must only ever
  over-approximate what the libcst pass would act on.

This module is the one the rules import from: :func:`run_rule` lives here, the rest in its parts,
re-exported: ``_python_transformers`` (the two base classes), ``_python_imports`` (the import
plumbing), ``_python_edits`` (tree edits), ``_python_parameters``
(:class:`DefaultedParameterTransformer`) and ``_python_ast`` (the cheap checks, ``is_test_file``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from codemods import RuleContext
from codemods._base import parse_module
from codemods._python_ast import (
    ast_dotted_name,
    ast_full_name,
    binds_any,
    has_method,
    import_targets,
    is_test_file,
    may_refer_to,
    parse_ast,
    refers_to_any,
)
from codemods._python_edits import (
    append_arg,
    dotted_name,
    drop_arg,
    keyword_arg,
    last_identifier,
    remove_decorators,
    rename_method,
)
from codemods._python_imports import (
    NEEDED_IMPORTS,
    CodemodContext,
    add_imports,
    remove_unused_imports,
)
from codemods._python_parameters import DefaultedParameterTransformer
from codemods._python_transformers import PythonRuleTransformer, ResolvingRuleTransformer

__all__ = [
    "CodemodContext",
    "DefaultedParameterTransformer",
    "PythonRuleTransformer",
    "ResolvingRuleTransformer",
    "append_arg",
    "ast_dotted_name",
    "ast_full_name",
    "binds_any",
    "dotted_name",
    "drop_arg",
    "has_method",
    "import_targets",
    "is_test_file",
    "keyword_arg",
    "last_identifier",
    "may_refer_to",
    "parse_ast",
    "refers_to_any",
    "remove_decorators",
    "rename_method",
    "run_rule",
]


def run_rule(
    source: str,
    context: RuleContext,
    transformer: Callable[[CodemodContext, RuleContext], PythonRuleTransformer],
    *,
    ast_check: Callable[[ast.Module], bool] | None = None,
) -> str:
    """Run one rule's transformer over ``source``; ``source`` itself when nothing changed.

    ``ast_check(tree)`` (the file's :func:`parse_ast` tree) False: the transformer would change
    and note nothing, so libcst is not run (a file ``ast`` cannot parse goes to libcst).
    A syntax error propagates as ``libcst.ParserSyntaxError`` (the engine reports the file).
    Blank lines left at the top of the file by removing its first import are dropped.
    """
    if ast_check is not None:
        tree = parse_ast(source)
        if tree is not None and not ast_check(tree):
            return source
    wrapper = parse_module(source)
    codemod_context = CodemodContext(filename=context.filename)
    rule = transformer(codemod_context, context)
    rule.wrapper = wrapper
    new = wrapper.visit(rule)
    needed = codemod_context.scratch.get(NEEDED_IMPORTS)
    if needed:
        new = add_imports(new, needed)
    if rule.unused_candidates:
        new = remove_unused_imports(new, rule.unused_candidates)
    result = new.code
    if result == source:
        return source
    if result[:1] in ("\n", "\r") and source[:1] not in ("\n", "\r"):
        return result.lstrip("\r\n")
    return result
