"""Make ``USE_TZ = False`` explicit in settings that do not set it, before Django 5.0 flips it.

Django 5.0 changes the default of ``USE_TZ`` from ``False`` to ``True``: a project that never set
it would silently switch to aware datetimes (and different database values). Writing the old
default keeps behaviour; turning time zone support on is a separate, deliberate change.
https://docs.djangoproject.com/en/5.0/releases/5.0/#features-removed-in-5-0

A settings module that star-imports another one may get the setting from there: left alone with
a note.
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import append_statement, assigned_names, docs_note, has_star_import

DOCS = "https://docs.djangoproject.com/en/5.0/releases/5.0/#features-removed-in-5-0"
SETTING = "USE_TZ"
FLIPPED = Version("5.0")


def transform(source: str, context: RuleContext) -> str:
    # A project already on 5.0+ without USE_TZ runs with True: nothing to preserve.
    if not context.is_settings or context.django_from >= FLIPPED:
        return source
    module = cst.parse_module(source)
    if SETTING in assigned_names(module):
        return source
    if has_star_import(module):
        context.notes.append(
            docs_note(
                context.filename,
                None,
                f"{SETTING} is not set here and may come from a star import; Django 5.0 changes "
                "its default to True, so make sure one settings module sets it explicitly",
                DOCS,
            )
        )
        return source
    new = append_statement(
        module,
        f"{SETTING} = False",
        comment="Django 5.0 changed the default to True; False keeps naive datetimes as before.",
    )
    context.notes.append(
        docs_note(
            context.filename,
            None,
            f"{SETTING} = False made explicit (the default before 5.0); enabling time zone "
            "support is a separate change",
            DOCS,
        )
    )
    return new.code


RULE = register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="settings",
        scope="django",
        version=FLIPPED,
        summary="Make USE_TZ = False explicit when unset (5.0 changes the default to True)",
        docs=DOCS,
        transform=transform,
    )
)
