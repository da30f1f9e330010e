"""Pin ``X_FRAME_OPTIONS = "SAMEORIGIN"`` in settings that use ``XFrameOptionsMiddleware``
without setting it, on the hop that crosses Django 3.0.

Django 3.0 changed the default from ``'SAMEORIGIN'`` to ``'DENY'``: a site that shows its own
pages in frames (a preview pane, an embedded report) stops showing them, and nothing in the code
says so. Writing the old default keeps what the browser does; ``'DENY'`` is the safer default,
so the report's note says to drop the line when the site never frames its own pages.

A settings module that star-imports another one may get the setting from there: left alone with a
note. The scanner reports the same absence over all the settings files together
(``upgrader.findings.settings_file.PINNED_WHEN``).

https://docs.djangoproject.com/en/3.0/releases/3.0/#backwards-incompatible-changes-in-3-0
"""

from __future__ import annotations

from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import PinnedDefault, pin_unset_default, string_literal

DOCS = "https://docs.djangoproject.com/en/3.0/releases/3.0/#backwards-incompatible-changes-in-3-0"
SETTING = "X_FRAME_OPTIONS"
FLIPPED = Version("3.0")
ONLY_WITH = "XFrameOptionsMiddleware"

PINNED = PinnedDefault(
    setting=SETTING,
    flipped=FLIPPED,
    docs=DOCS,
    comment="Django 3.0 changed the default to 'DENY'; SAMEORIGIN keeps framing your own pages.",
    star_note=f"{SETTING} is not set here and may come from a star import; Django 3.0 "
    "changes its default, so make sure one settings module sets it explicitly",
    done_note="X_FRAME_OPTIONS pinned to 'SAMEORIGIN' (the default before 3.0); drop the line "
    "for Django's safer 'DENY' if the site never frames its own pages",
    only_with=ONLY_WITH,
)


def transform(source: str, context: RuleContext) -> str:
    return pin_unset_default(
        source, context, PINNED, lambda text: string_literal("SAMEORIGIN", text)
    )


RULE = register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="settings",
        scope="django",
        version=FLIPPED,
        summary="Pin X_FRAME_OPTIONS = 'SAMEORIGIN' when XFrameOptionsMiddleware is used and "
        "it is unset",
        docs=DOCS,
        transform=transform,
    )
)
