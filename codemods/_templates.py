"""Shared helpers for template rules: find Django template tags and edit their bytes in place.

Template rules never reformat a template: they find tags with the same pattern Django's lexer
uses (``{% %}``, ``{{ }}``, ``{# #}``, each on one line), compute ``Edit`` spans inside them and
apply exactly those. Line endings (CRLF included) are never touched, since every edit lies
inside one tag. ``{% verbatim %}`` and ``{% comment %}`` blocks are skipped, as Django renders
their content as text.

API: :func:`iter_tags`, :func:`split_bits`, :func:`apply_edits`, :class:`Tag`, :class:`Bit`,
:class:`Edit`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from codemods._base import line_of

# As django.template.base.tag_re: one line, non-greedy.
_TAG_RE = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}")
# As django.utils.text.smart_split: quoted strings stay whole, with what is glued to them.
_BIT_RE = re.compile(r"""((?:[^\s'"]*(?:(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')[^\s'"]*)+)|\S+)""")


@dataclass(frozen=True)
class Bit:
    """One space-separated part of a tag's content, with its offsets in the whole template."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Tag:
    """A ``{% block %}`` tag (``kind="block"``) or ``{{ variable }}`` (``kind="variable"``)."""

    kind: str
    start: int  # offset of "{"
    end: int  # offset after "}"
    content_start: int  # offset after "{%" / "{{"
    content: str  # what is between the delimiters, unstripped

    @property
    def bits(self) -> list[Bit]:
        return split_bits(self.content, self.content_start)

    @property
    def name(self) -> str:
        """The tag name (``load``, ``ifequal``); empty for variables."""
        bits = self.content.split(None, 1)
        return bits[0] if bits and self.kind == "block" else ""

    def line(self, text: str) -> int:
        return line_of(text, self.start)


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``text[start:end]`` with ``new``."""

    start: int
    end: int
    new: str


def split_bits(content: str, offset: int = 0) -> list[Bit]:
    """``content`` split the way Django splits tag contents, with offsets shifted by ``offset``."""
    return [Bit(m.group(), offset + m.start(), offset + m.end()) for m in _BIT_RE.finditer(content)]


def iter_tags(text: str) -> Iterator[Tag]:
    """Block and variable tags of a template, in order, outside verbatim and comment blocks."""
    closing: str | None = None  # the end tag we are skipping to
    for match in _TAG_RE.finditer(text):
        token = match.group()
        if token.startswith("{#"):
            continue
        kind = "block" if token.startswith("{%") else "variable"
        content = token[2:-2]
        if closing is not None:
            if kind == "block" and content.strip() == closing:
                closing = None
            continue
        if kind == "block":
            words = content.split()
            if words and words[0] == "verbatim":
                closing = " ".join(["endverbatim", *words[1:]])
                continue
            if words and words[0] == "comment":
                closing = "endcomment"
                continue
        yield Tag(kind, match.start(), match.end(), match.start() + 2, content)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with non-overlapping ``edits`` applied; ``text`` itself when there are none."""
    ordered = sorted(edits)
    if not ordered:
        return text
    parts: list[str] = []
    position = 0
    for edit in ordered:
        if edit.start < position:
            raise ValueError(f"overlapping template edits at offset {edit.start}")
        parts.append(text[position : edit.start])
        parts.append(edit.new)
        position = edit.end
    parts.append(text[position:])
    return "".join(parts)
