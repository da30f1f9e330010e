"""Make ``USE_TZ = False`` explicit in settings that do not set it, before Django 5.0 flips it.

Django 5.0 changes the default of ``USE_TZ`` from ``False`` to ``True``: a project that never set
it would silently switch to aware datetimes (and different database values). Writing the old
default keeps behaviour; turning time zone support on is a separate, deliberate change.
https://docs.djangoproject.com/en/5.0/releases/5.0/#features-removed-in-5-0

A settings module that star-imports another one may get the setting from there: left alone with
a note.
"""

from __future__ import annotations

from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import PinnedDefault, pin_unset_default

DOCS = "https://docs.djangoproject.com/en/5.0/releases/5.0/#features-removed-in-5-0"
SETTING = "USE_TZ"
FLIPPED = Version("5.0")


PINNED = PinnedDefault(
    setting=SETTING,
    flipped=FLIPPED,
    docs=DOCS,
    comment="Django 5.0 changed the default to True; False keeps naive datetimes as before.",
    star_note=f"{SETTING} is not set here and may come from a star import; Django 5.0 changes "
    "its default to True, so make sure one settings module sets it explicitly",
    done_note=f"{SETTING} = False made explicit (the default before 5.0); enabling time zone "
    "support is a separate change",
)


def transform(source: str, context: RuleContext) -> str:
    # A project already on 5.0+ without USE_TZ runs with True: nothing to preserve.
    return pin_unset_default(source, context, PINNED, lambda _source: "False")


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
