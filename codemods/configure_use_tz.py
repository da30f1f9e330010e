"""``settings.configure(...)`` without ``USE_TZ`` gets ``USE_TZ=False``, on the hop that
crosses Django 5.0.

Django 5.0 changed the default of ``USE_TZ`` from ``False`` to ``True``. ``settings_use_tz_explicit``
writes the old default into a settings module; settings given to ``settings.configure()`` (a
reusable app's ``runtests.py``) are no settings module, so they switched to aware datetimes
silently: django-simple-history's tests on 5.2 compare naive datetimes (8 failures, FINDINGS
F75). Writing the old default keeps behaviour in any file, test script or not; turning time
zone support on is a separate change.

"Without USE_TZ" is decided as for ``SECRET_KEY`` (``configure_secret_key.unkeyed_calls`` asked
for ``USE_TZ``): the file never mentions ``USE_TZ``; the call has no positional argument and
no ``default_settings=``; each ``**name`` expands a dict the file assigns once and never
updates. A project already on 5.0+ runs with True: nothing to preserve.

https://docs.djangoproject.com/en/5.0/releases/5.0/#features-removed-in-5-0
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods.configure_secret_key import keyword_adder

DOCS = "https://docs.djangoproject.com/en/5.0/releases/5.0/#features-removed-in-5-0"
VERSION = Version("5.0")
KEY = "USE_TZ"


_add_use_tz = keyword_adder(KEY, DOCS, lambda _source: cst.Name("False"))


def transform(source: str, context: RuleContext) -> str:
    if "configure" not in source or context.django_from >= VERSION:
        return source
    return _add_use_tz(source, context)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=VERSION,
        summary="settings.configure(...) without USE_TZ gets USE_TZ=False (the default before 5.0)",
        docs=DOCS,
        transform=transform,
        needles=(b"configure",),
    )
)
