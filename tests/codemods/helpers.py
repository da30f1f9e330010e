"""Shared checks for the one-test-module-per-rule codemod tests."""

from __future__ import annotations

import ast
from collections.abc import Mapping

from packaging.version import Version

from codemods import RuleContext, get_rule


def context(
    *,
    django_from: str = "2.2",
    django_to: str = "6.1",
    python_to: str = "3.12",
    packages: Mapping[str, str] | None = None,
    filename: str = "app/module.py",
    is_settings: bool = False,
) -> RuleContext:
    return RuleContext(
        django_from=Version(django_from),
        django_to=Version(django_to),
        python_to=Version(python_to),
        packages={k: Version(v) for k, v in (packages or {}).items()},
        filename=filename,
        is_settings=is_settings,
    )


def run_rule(rule_id: str, source: str, ctx: RuleContext) -> str:
    """Run one rule the way the engine does: only when the hop reaches its version."""
    rule = get_rule(rule_id)
    if not rule.applies(ctx):
        return source
    return rule.transform(source, ctx)


def check_transformed(
    rule_id: str, before: str, after: str, ctx: RuleContext | None = None
) -> None:
    ctx = ctx or context()
    result = run_rule(rule_id, before, ctx)
    assert result == after
    if get_rule(rule_id).kind != "template":
        ast.parse(result)
    assert run_rule(rule_id, result, ctx) == result, "rule is not idempotent"


def check_noop(rule_id: str, source: str, ctx: RuleContext | None = None) -> None:
    assert run_rule(rule_id, source, ctx or context()) == source
