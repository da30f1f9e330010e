"""``"CSRF_COOKIE_USED"`` -> ``"CSRF_COOKIE_NEEDS_UPDATE"``, on the hop that crosses Django 4.0.

Up to 3.2, ``django.middleware.csrf.get_token()`` set ``request.META["CSRF_COOKIE_USED"]`` and
``CsrfViewMiddleware.process_response`` sent the cookie when it was true; 4.0 sets
``request.META["CSRF_COOKIE_NEEDS_UPDATE"]`` (``get_token``, ``rotate_token``) and reads that.
A project's middleware overriding ``process_response`` and reading the old key never sends the
cookie on 4.0 (pretalx's ``CsrfViewMiddleware``: tests/common/test_cfp_middleware.py's
``KeyError: 'pretalx_csrftoken'``, FINDINGS F88). The strings renamed are the ones the
scanner's ``csrf-cookie-used`` item names
(``upgrader.findings.python_middleware.csrf_cookie_used_keys``).

https://docs.djangoproject.com/en/4.0/releases/4.0/#backwards-incompatible-changes-in-4-0
"""

from __future__ import annotations

from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python_text import edit_tree, replace_spans
from upgrader.findings.python_middleware import csrf_cookie_used_keys

DOCS = "https://docs.djangoproject.com/en/4.0/releases/4.0/#backwards-incompatible-changes-in-4-0"
VERSION = Version("4.0")


def transform(source: str, context: RuleContext) -> str:
    found = edit_tree(source, "CSRF_COOKIE_USED", context.django_from, VERSION)
    if found is None:
        return source
    tree, positions = found
    edits = []
    for node in csrf_cookie_used_keys(tree):
        start, end = positions.span(node)
        text = source[start:end]
        if "CSRF_COOKIE_USED" in text:  # the literal as written, its quotes and prefix kept
            edits.append((start, end, text.replace("CSRF_COOKIE_USED", "CSRF_COOKIE_NEEDS_UPDATE")))
    return replace_spans(source, edits)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=VERSION,
        summary='request.META["CSRF_COOKIE_USED"] -> "CSRF_COOKIE_NEEDS_UPDATE" (renamed in 4.0)',
        docs=DOCS,
        transform=transform,
        needles=(b"CSRF_COOKIE_USED",),
    )
)
