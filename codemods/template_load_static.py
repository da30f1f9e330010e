"""``{% load staticfiles %}`` and ``{% load admin_static %}`` -> ``{% load static %}``.

The ``staticfiles`` and ``admin_static`` template tag libraries were deprecated in Django 2.1 and
removed in 3.0; the ``static`` library has the same ``{% static %}`` tag.
https://docs.djangoproject.com/en/3.0/releases/3.0/#features-removed-in-3-0

Handles multi-library loads (``{% load i18n staticfiles %}``), never leaving ``static`` twice in
one tag, and ``{% load static from staticfiles %}`` (-> ``{% load static %}``). Only the library
names change: the rest of the tag and of the template keep their bytes.
"""

from __future__ import annotations

from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._templates import Edit, apply_edits, iter_tags

DOCS = "https://docs.djangoproject.com/en/3.0/releases/3.0/#features-removed-in-3-0"
OLD_LIBRARIES = frozenset({"staticfiles", "admin_static"})
NEW_LIBRARY = "static"


def transform(source: str, context: RuleContext) -> str:
    edits: list[Edit] = []
    for tag in iter_tags(source):
        if tag.name != "load":
            continue
        bits = tag.bits[1:]
        names = [bit.text for bit in bits]
        if len(bits) >= 3 and names[-2] == "from":
            # {% load a b from library %}
            library = bits[-1]
            if library.text not in OLD_LIBRARIES:
                continue
            if names[:-2] == [NEW_LIBRARY]:
                edits.append(Edit(bits[-3].end, library.end, ""))  # -> {% load static %}
            else:
                edits.append(Edit(library.start, library.end, NEW_LIBRARY))
            continue
        seen_static = False
        previous_end = tag.content_start
        for bit in bits:
            if bit.text in OLD_LIBRARIES or bit.text == NEW_LIBRARY:
                if seen_static:
                    edits.append(Edit(previous_end, bit.end, ""))  # drop the duplicate
                elif bit.text != NEW_LIBRARY:
                    edits.append(Edit(bit.start, bit.end, NEW_LIBRARY))
                seen_static = True
            previous_end = bit.end
    return apply_edits(source, edits)


RULE = register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="template",
        scope="django",
        version=Version("3.0"),
        summary="{% load staticfiles %} / {% load admin_static %} -> {% load static %}",
        docs=DOCS,
        transform=transform,
        needles=(b"staticfiles", b"admin_static"),
    )
)
