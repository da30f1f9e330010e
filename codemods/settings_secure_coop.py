"""Pin ``SECURE_CROSS_ORIGIN_OPENER_POLICY = None`` in settings that use ``SecurityMiddleware``
without setting it, on the hop that crosses Django 4.0.

Django 4.0 added the ``Cross-Origin-Opener-Policy`` header with the default ``'same-origin'``:
cross-origin popups the site opens (payment, OAuth) lose ``window.opener``, which neither the
code nor the tests show. ``None`` sends no header, as every earlier release did; the note says
to choose a policy (``'same-origin-allow-popups'``, ``'same-origin'``) deliberately.

A settings module that star-imports another one may get the setting from there: left alone with a
note. The scanner reports the same absence over all the settings files together
(``upgrader.findings.settings_file.PINNED_WHEN``).

https://docs.djangoproject.com/en/4.0/releases/4.0/#backwards-incompatible-changes-in-4-0
"""

from __future__ import annotations

from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import PinnedDefault, pin_unset_default

DOCS = "https://docs.djangoproject.com/en/4.0/releases/4.0/#backwards-incompatible-changes-in-4-0"
SETTING = "SECURE_CROSS_ORIGIN_OPENER_POLICY"
FLIPPED = Version("4.0")
ONLY_WITH = "SecurityMiddleware"

PINNED = PinnedDefault(
    setting=SETTING,
    flipped=FLIPPED,
    docs=DOCS,
    comment="Django 4.0 sends Cross-Origin-Opener-Policy: same-origin by default; None sends "
    "none, as before.",
    star_note=f"{SETTING} is not set here and may come from a star import; Django 4.0 "
    "changes its default, so make sure one settings module sets it explicitly",
    done_note="SECURE_CROSS_ORIGIN_OPENER_POLICY pinned to None (no header, as before 4.0); "
    "choose 'same-origin' or 'same-origin-allow-popups' deliberately",
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
        summary="Pin SECURE_CROSS_ORIGIN_OPENER_POLICY = None when SecurityMiddleware is used "
        "and it is unset",
        docs=DOCS,
        transform=transform,
    )
)
