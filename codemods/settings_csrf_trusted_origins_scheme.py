"""Add the scheme to ``CSRF_TRUSTED_ORIGINS`` entries, which Django 4.0 requires.

Django 4.0 compares ``CSRF_TRUSTED_ORIGINS`` with the request's ``Origin`` header, so each entry
must be a full origin (``https://example.com``); a leading-dot subdomain wildcard (``.example.com``)
becomes ``https://*.example.com``. Entries are given ``https://``: origins still served over plain
HTTP need an ``http://`` entry added by hand (the note says so).
https://docs.djangoproject.com/en/4.0/releases/4.0/#csrf-trusted-origins-changes

django-upgrade has no fixer for this setting. Only string literals in a list/tuple literal
assigned to the setting at module level are changed; anything computed is a note.
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import docs_note

DOCS = "https://docs.djangoproject.com/en/4.0/releases/4.0/#csrf-trusted-origins-changes"
SETTING = "CSRF_TRUSTED_ORIGINS"


def with_scheme(origin: str) -> str | None:
    """The origin with ``https://`` added, or None when it already has a scheme (or is empty)."""
    if not origin or "://" in origin:
        return None
    if origin.startswith("."):
        return f"https://*{origin}"
    return f"https://{origin}"


def _fix_element(element: cst.BaseElement, fixed: list[str]) -> cst.BaseElement:
    value = element.value
    if not isinstance(value, cst.SimpleString) or "\\" in value.value:
        return element
    evaluated = value.evaluated_value
    if not isinstance(evaluated, str):
        return element
    new = with_scheme(evaluated)
    if new is None:
        return element
    fixed.append(evaluated)
    body = new  # scheme characters never need escaping
    literal = f"{value.prefix}{value.quote}{body}{value.quote}"
    return element.with_changes(value=value.with_changes(value=literal))


def transform(source: str, context: RuleContext) -> str:
    if not context.is_settings:
        return source
    module = cst.parse_module(source)
    fixed: list[str] = []
    computed = False
    body: list[cst.BaseStatement] = []
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            smalls: list[cst.BaseSmallStatement] = []
            for small in statement.body:
                target: cst.BaseExpression | None = None
                if isinstance(small, cst.Assign) and len(small.targets) == 1:
                    target = small.targets[0].target
                elif isinstance(small, (cst.AugAssign, cst.AnnAssign)):
                    target = small.target
                value = getattr(small, "value", None)
                if isinstance(target, cst.Name) and target.value == SETTING and value is not None:
                    if isinstance(value, (cst.List, cst.Tuple)):
                        elements = [_fix_element(e, fixed) for e in value.elements]
                        small = small.with_changes(value=value.with_changes(elements=elements))
                    else:
                        computed = True
                smalls.append(small)
            statement = statement.with_changes(body=smalls)
        body.append(statement)
    if computed:
        context.notes.append(
            docs_note(
                context.filename,
                None,
                f"{SETTING} is computed: from Django 4.0 every entry needs its scheme "
                "(https://example.com, https://*.example.com); check the values by hand",
                DOCS,
            )
        )
    if not fixed:
        return source
    context.notes.append(
        docs_note(
            context.filename,
            None,
            f"{SETTING}: https:// added to {', '.join(fixed)}; add http:// entries for origins "
            "still served over plain HTTP",
            DOCS,
        )
    )
    return module.with_changes(body=body).code


RULE = register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="settings",
        scope="django",
        version=Version("4.0"),
        summary="Add https:// to CSRF_TRUSTED_ORIGINS entries without a scheme",
        docs=DOCS,
        transform=transform,
        needles=(b"CSRF_TRUSTED_ORIGINS",),
    )
)
