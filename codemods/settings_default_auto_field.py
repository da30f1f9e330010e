"""Pin ``DEFAULT_AUTO_FIELD = "django.db.models.AutoField"`` in settings that do not set it.

Django 3.2 added the setting and warns (models.W042) for every model with an auto-created primary
key while it is unset; Django 6.0 changes its default to ``BigAutoField``, which would make a
migration for every model. Pinning the value the project has always had keeps the schema as it is.
https://docs.djangoproject.com/en/3.2/releases/3.2/#customizing-type-of-auto-created-primary-keys

django-upgrade's ``default_auto_field`` fixer only removes an explicit ``BigAutoField`` at 6.0.
A settings module that star-imports another one may get the setting from there: it is left alone
with a note.
"""

from __future__ import annotations

from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import PinnedDefault, pin_unset_default, string_literal

DOCS = "https://docs.djangoproject.com/en/3.2/releases/3.2/#customizing-type-of-auto-created-primary-keys"
SETTING = "DEFAULT_AUTO_FIELD"
# From 6.0 on, an unset DEFAULT_AUTO_FIELD already means BigAutoField: nothing to preserve.
DEFAULT_FLIPPED = Version("6.0")


PINNED = PinnedDefault(
    setting=SETTING,
    flipped=DEFAULT_FLIPPED,
    docs=DOCS,
    comment="The primary key type of models without one; AutoField keeps the current schema.",
    star_note=f"{SETTING} is not set here and may come from a star import; make sure one "
    'settings module sets it to "django.db.models.AutoField"',
    done_note=f"{SETTING} pinned to AutoField (the implicit default so far); moving to "
    "BigAutoField needs a migration per model and is a separate decision",
)


def transform(source: str, context: RuleContext) -> str:
    return pin_unset_default(
        source, context, PINNED, lambda text: string_literal("django.db.models.AutoField", text)
    )


RULE = register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="settings",
        scope="django",
        version=Version("3.2"),
        summary='Pin DEFAULT_AUTO_FIELD = "django.db.models.AutoField" when unset',
        docs=DOCS,
        transform=transform,
    )
)
