"""Remove the ``USE_L10N`` setting, which Django 5.0 removed (localized formatting is always on).

django-upgrade's ``use_l10n`` fixer removes ``USE_L10N = True`` from 4.0 on, in files whose name
looks like settings. This rule covers the rest, in the settings module detection found: ``False``
(which changes behaviour: numbers and dates are now formatted with the active locale, so the note
says how to keep the old output) and a ``True`` in a file django-upgrade did not recognise.
Non-literal values (``env.bool(...)``) are left with a note.
https://docs.djangoproject.com/en/5.0/releases/5.0/#features-removed-in-5-0
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import docs_note, remove_assignments

DOCS = "https://docs.djangoproject.com/en/5.0/releases/5.0/#features-removed-in-5-0"
FORMAT_DOCS = "https://docs.djangoproject.com/en/5.0/topics/i18n/formatting/"
SETTING = "USE_L10N"


def _literal_bool(node: cst.BaseExpression) -> bool | None:
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return node.value == "True"
    return None


def transform(source: str, context: RuleContext) -> str:
    if not context.is_settings:
        return source
    module = cst.parse_module(source)
    values: list[bool] = []

    def keep(value: cst.BaseExpression) -> bool:
        literal = _literal_bool(value)
        if literal is None:
            return True
        values.append(literal)
        return False

    new, removed = remove_assignments(module, {SETTING}, keep)
    for (_name, line), value in zip(removed, values, strict=True):
        if value:
            message = f"{SETTING} = True removed: Django 5.0 always formats with the locale"
        else:
            message = (
                f"{SETTING} = False removed: Django 5.0 always formats numbers and dates with the "
                "active locale; where templates or forms must keep unlocalized output use "
                "{% localize off %} or |unlocalize, or set the FORMAT settings / format modules "
                f"({FORMAT_DOCS})"
            )
        context.notes.append(docs_note(context.filename, line, message, DOCS))
    if _count_assignments(new):
        context.notes.append(
            docs_note(
                context.filename,
                None,
                f"{SETTING} is assigned a computed value; Django 5.0 ignores the setting: "
                "remove it by hand",
                DOCS,
            )
        )
    return new.code if removed else source


def _count_assignments(module: cst.Module) -> int:
    count = 0
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if (
                    isinstance(small, cst.Assign)
                    and len(small.targets) == 1
                    and isinstance(small.targets[0].target, cst.Name)
                    and small.targets[0].target.value == SETTING
                ):
                    count += 1
    return count


RULE = register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="settings",
        scope="django",
        version=Version("5.0"),
        summary="Remove USE_L10N (removed in 5.0), noting what USE_L10N = False meant",
        docs=DOCS,
        transform=transform,
        needles=(b"USE_L10N",),
    )
)
