"""Remove ``DEFAULT_HASHING_ALGORITHM``: a transitional setting Django 4.0 removed.

Django 3.1 added it so a fleet could keep signing with SHA-1 while upgrading; 4.0 removed it and
always uses SHA-256. Values signed with SHA-1 before (sessions, password reset tokens, signed
cookies) stop validating, so users may be logged out once: the note says so.
https://docs.djangoproject.com/en/4.0/releases/4.0/#features-removed-in-4-0
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import docs_note, remove_assignments

DOCS = "https://docs.djangoproject.com/en/4.0/releases/4.0/#features-removed-in-4-0"
SETTING = "DEFAULT_HASHING_ALGORITHM"


def transform(source: str, context: RuleContext) -> str:
    if not context.is_settings:
        return source
    new, removed = remove_assignments(cst.parse_module(source), {SETTING})
    for _name, line in removed:
        context.notes.append(
            docs_note(
                context.filename,
                line,
                f"{SETTING} removed: Django 4.0 always signs with SHA-256; sessions, password "
                "reset links and signed cookies made with SHA-1 stop validating",
                DOCS,
            )
        )
    return new.code if removed else source


RULE = register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="settings",
        scope="django",
        version=Version("4.0"),
        summary="Remove the DEFAULT_HASHING_ALGORITHM transitional setting",
        docs=DOCS,
        transform=transform,
        needles=(b"DEFAULT_HASHING_ALGORITHM",),
    )
)
