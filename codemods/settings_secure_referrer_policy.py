"""Pin ``SECURE_REFERRER_POLICY = None`` in settings that use ``SecurityMiddleware`` without
setting it, on the hop that crosses Django 3.1.

Django 3.1 changed the default from ``None`` (no ``Referrer-Policy`` header: the browser's own
policy) to ``'same-origin'``: other sites, analytics and payment providers stop receiving the
``Referer`` header. Writing the old default keeps the headers as they were; the note says that
``'same-origin'`` is the safer choice once nothing relies on the header.

A settings module that star-imports another one may get the setting from there: left alone with a
note. The scanner reports the same absence over all the settings files together
(``upgrader.findings.settings_file.PINNED_WHEN``).

https://docs.djangoproject.com/en/3.1/releases/3.1/#backwards-incompatible-changes-in-3-1
"""

from __future__ import annotations

from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import PinnedDefault, pin_unset_default

DOCS = "https://docs.djangoproject.com/en/3.1/releases/3.1/#backwards-incompatible-changes-in-3-1"
SETTING = "SECURE_REFERRER_POLICY"
FLIPPED = Version("3.1")
ONLY_WITH = "SecurityMiddleware"

PINNED = PinnedDefault(
    setting=SETTING,
    flipped=FLIPPED,
    docs=DOCS,
    comment="Django 3.1 changed the default to 'same-origin'; None sends no Referrer-Policy, "
    "as before.",
    star_note=f"{SETTING} is not set here and may come from a star import; Django 3.1 "
    "changes its default, so make sure one settings module sets it explicitly",
    done_note="SECURE_REFERRER_POLICY pinned to None (no Referrer-Policy header, the default "
    "before 3.1); set 'same-origin' once no other site relies on the Referer header",
    only_with=ONLY_WITH,
)


def transform(source: str, context: RuleContext) -> str:
    return pin_unset_default(source, context, PINNED, lambda _text: "None")


RULE = register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="settings",
        scope="django",
        version=FLIPPED,
        summary="Pin SECURE_REFERRER_POLICY = None when SecurityMiddleware is used and it is unset",
        docs=DOCS,
        transform=transform,
    )
)
