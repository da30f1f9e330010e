"""Add ``'allauth.account.middleware.AccountMiddleware'`` to ``MIDDLEWARE`` when the hop's
django-allauth is 0.56.0 or newer and the settings module installs ``allauth.account``.

django-allauth 0.56.0 made the middleware mandatory: ``allauth/account/apps.py`` raises
``ImproperlyConfigured: allauth.account.middleware.AccountMiddleware must be added to
settings.MIDDLEWARE`` at start-up without it (djangox's 5.2 hop, FINDINGS F18). The line goes at
the end of the list, where allauth's installation docs put it (after
``AuthenticationMiddleware``, which it needs), in the list's own layout. The upgrade-step row
(``upgrader.deps.upgrade_steps``, django-allauth 0.56.0) stays an item only while the settings,
read again after the rewrite, still lack it: a ``MIDDLEWARE`` built any other way, or in another
module than the one installing the app, is the user's, with a note.

https://docs.allauth.org/en/latest/release-notes/recent.html (0.56.0, backwards-incompatible
changes); https://docs.allauth.org/en/latest/installation/quickstart.html
"""

from __future__ import annotations

from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._settings_lists import add_to_list

DOCS = "https://docs.allauth.org/en/latest/release-notes/recent.html"
MIDDLEWARE = "allauth.account.middleware.AccountMiddleware"
NEEDS = "allauth.account"


def _installs_account(source: str) -> bool:
    # the app's name as a string literal: 'allauth.account' (or a module under it)
    return any(f"{q}{NEEDS}{q}" in source or f"{q}{NEEDS}." in source for q in ("'", '"'))


def transform(source: str, context: RuleContext) -> str:
    if not context.is_settings or "MIDDLEWARE" not in source or not _installs_account(source):
        return source
    edited = add_to_list(source, "MIDDLEWARE", MIDDLEWARE)
    if edited is None:
        context.notes.append(
            f"{context.filename}: add '{MIDDLEWARE}' to MIDDLEWARE by hand (django-allauth "
            f"0.56.0 refuses to start without it; upgrader edits only a plain list literal) "
            f"(see {DOCS})"
        )
        return source
    if edited != source:
        context.notes.append(
            f"{context.filename}: added '{MIDDLEWARE}' to MIDDLEWARE (django-allauth 0.56.0 "
            f"refuses to start without it) (see {DOCS})"
        )
    return edited


RULE = register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="settings",
        scope="package",
        package="django-allauth",
        version=Version("0.56.0"),
        summary="Add allauth.account.middleware.AccountMiddleware to MIDDLEWARE (django-allauth "
        "0.56.0 requires it)",
        docs=DOCS,
        transform=transform,
        needles=(b"allauth.account",),
    )
)
