"""``{% ifequal a b %}`` -> ``{% if a == b %}``, ``{% ifnotequal a b %}`` -> ``{% if a != b %}``.

Both tags were deprecated in Django 3.1 and removed in 4.0; ``{% if %}`` has compared values with
``==``/``!=`` since 1.2 and resolves missing variables the same way (to ``None``).
https://docs.djangoproject.com/en/3.1/releases/3.1/#features-deprecated-in-3-1

The edit is surgical: the tag name becomes ``if``, the operator goes after the first argument,
``{% endifequal %}``/``{% endifnotequal %}`` become ``{% endif %}``; ``{% else %}`` and the
block bodies are untouched, so nested blocks and quoted arguments with spaces just work. An
argument that ``{% if %}`` would read as an operator (``and``, ``not``, ...) keeps the old tag
(with a note), as does a template whose ifequal blocks do not balance.
"""

from __future__ import annotations

from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import docs_note, line_of
from codemods._templates import Edit, apply_edits, iter_tags

DOCS = "https://docs.djangoproject.com/en/3.1/releases/3.1/#features-deprecated-in-3-1"
OPERATORS = {"ifequal": "==", "ifnotequal": "!="}
CLOSERS = {"endifequal": "ifequal", "endifnotequal": "ifnotequal"}
# Words {% if %} parses as operators (django.template.smartif).
IF_OPERATORS = frozenset({"and", "or", "not", "in", "is", "==", "!=", "<", ">", "<=", ">="})


def transform(source: str, context: RuleContext) -> str:
    edits: list[Edit] = []
    stack: list[tuple[str, bool]] = []  # (opening tag name, rewritten?)
    for tag in iter_tags(source):
        name = tag.name
        if name in OPERATORS:
            bits = tag.bits
            convertible = len(bits) == 3 and not any(b.text in IF_OPERATORS for b in bits[1:])
            if convertible:
                edits.append(Edit(bits[0].start, bits[0].end, "if"))
                edits.append(Edit(bits[1].end, bits[1].end, f" {OPERATORS[name]}"))
            else:
                context.notes.append(
                    docs_note(
                        context.filename,
                        tag.line(source),
                        f"{{% {name} %}} with arguments {{% if %}} cannot take as they are: "
                        "rewrite it by hand",
                        DOCS,
                    )
                )
            stack.append((name, convertible))
        elif name in CLOSERS:
            if not stack or stack[-1][0] != CLOSERS[name]:
                return _unbalanced(source, context, line_of(source, tag.start))
            _opener, convertible = stack.pop()
            if convertible:
                bit = tag.bits[0]
                edits.append(Edit(bit.start, bit.end, "endif"))
    if stack:
        return _unbalanced(source, context, None)
    return apply_edits(source, edits)


def _unbalanced(source: str, context: RuleContext, line: int | None) -> str:
    context.notes.append(
        docs_note(
            context.filename,
            line,
            "{% ifequal %}/{% ifnotequal %} blocks do not balance here: left for a manual rewrite",
            DOCS,
        )
    )
    return source


RULE = register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="template",
        scope="django",
        version=Version("3.1"),
        summary="{% ifequal a b %} / {% ifnotequal a b %} -> {% if a == b %} / {% if a != b %}",
        docs=DOCS,
        transform=transform,
        needles=(b"ifequal", b"ifnotequal"),
    )
)
