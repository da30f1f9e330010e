"""``value|length_is:n`` -> ``value|length == n`` inside ``{% if %}`` / ``{% elif %}``.

The ``length_is`` filter was deprecated in Django 4.2 and removed in 5.1.
https://docs.djangoproject.com/en/4.2/releases/4.2/#features-deprecated-in-4-2

``length_is`` returns ``len(value) == int(n)``, so the rewrite is exact in a condition when ``n``
is an integer literal (quoted or not) and ``length_is`` is the last filter of its operand. It is
not rewritten, but reported as a manual item with its line, when:
- it is printed (``{{ value|length_is:3 }}`` renders ``True``/``False``: the rewrite would need an
  ``{% if %}`` block printing those words, which is a decision for the template's author);
- ``n`` is a variable (``int()`` of a string variable has no ``{% if %}`` equivalent);
- another filter follows it, or a comparison operator is next to it (``==`` does not chain in
  ``{% if %}``), or it appears in any other tag.
"""

from __future__ import annotations

import re

from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import docs_note
from codemods._templates import Bit, Edit, Tag, apply_edits, iter_tags

DOCS = "https://docs.djangoproject.com/en/4.2/releases/4.2/#features-deprecated-in-4-2"
FILTER = "|length_is:"
CONDITION_TAGS = frozenset({"if", "elif"})
COMPARISONS = frozenset({"==", "!=", "<", ">", "<=", ">=", "in", "is"})
# The filter as the operand's last filter, with an integer argument, optionally quoted.
_LAST_FILTER_RE = re.compile(r"""\|length_is:(?:"\s*(\d+)\s*"|'\s*(\d+)\s*'|(\d+))$""")


def _rewrite(bit: Bit) -> Edit | None:
    match = _LAST_FILTER_RE.search(bit.text)
    if match is None or bit.text.count("|length_is:") != 1:
        return None
    number = str(int(next(g for g in match.groups() if g is not None)))
    start = bit.start + match.start()
    return Edit(start, bit.end, f"|length == {number}")


def _manual(source: str, context: RuleContext, tag: Tag, why: str) -> None:
    context.notes.append(
        docs_note(
            context.filename,
            tag.line(source),
            f"|length_is ({why}): rewrite it by hand with |length == n",
            DOCS,
        )
    )


def transform(source: str, context: RuleContext) -> str:
    edits: list[Edit] = []
    for tag in iter_tags(source):
        if FILTER not in tag.content:
            continue
        if tag.kind == "variable":
            _manual(source, context, tag, "printed: it renders True or False")
            continue
        if tag.name not in CONDITION_TAGS:
            _manual(source, context, tag, f"inside {{% {tag.name} %}}")
            continue
        bits = tag.bits
        for index, bit in enumerate(bits):
            if FILTER not in bit.text:
                continue
            neighbours = {b.text for b in bits[max(index - 1, 1) : index + 2] if b is not bit}
            edit = _rewrite(bit)
            if edit is None:
                _manual(source, context, tag, "its argument is not a number, or a filter follows")
            elif neighbours & COMPARISONS:
                _manual(source, context, tag, "next to a comparison operator")
            else:
                edits.append(edit)
    return apply_edits(source, edits)


RULE = register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="template",
        scope="django",
        version=Version("4.2"),
        summary="value|length_is:n -> value|length == n in {% if %} (printed uses are reported)",
        docs=DOCS,
        transform=transform,
        needles=(b"length_is",),
    )
)
