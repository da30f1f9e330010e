"""A changed file's unified diff as an HTML table (old and new line numbers, then the line),
highlighted with Pygments for the file's language, and the token colours it needs.

Each side of a hunk (the old lines with the context, the new lines with the context) is
highlighted as one text, so a string or comment spanning lines keeps its colour. Past
``HIGHLIGHT_LINES_LIMIT`` lines a diff keeps its +/- colours only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from pathlib import PurePosixPath

from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import HtmlDjangoLexer, PythonLexer, TextLexer, get_lexer_for_filename
from pygments.token import STANDARD_TYPES, _TokenType
from pygments.util import ClassNotFound

from upgrader.report.model import FileDiff

_HUNK = re.compile(r"^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")
HIGHLIGHT_CLASS = "hl"
# Diffs longer than this many lines are not highlighted by language (see diff_table).
HIGHLIGHT_LINES_LIMIT = 5000
_TEMPLATE_SUFFIXES = (".html", ".htm", ".djhtml", ".txt", ".email", ".tpl", ".tmpl", ".xml")


def token_styles(style: str) -> str:
    """Pygments' token colours for ``style``, scoped to the diff tables."""
    formatter: HtmlFormatter[str] = HtmlFormatter(style=style)
    defs: str = formatter.get_style_defs(f".{HIGHLIGHT_CLASS}")  # type: ignore[no-untyped-call]
    prefix = f".{HIGHLIGHT_CLASS} ."
    return "\n".join(line for line in defs.splitlines() if line.startswith(prefix))


def _lexer(path: str) -> Lexer:
    """The lexer for a changed file: Python, Django templates, or what Pygments finds by name."""
    pure = PurePosixPath(path)
    # Lines stay as they are: no stripped blank lines at either end, no added newline.
    lexer: Lexer
    if pure.suffix in (".py", ".pyi"):
        lexer = PythonLexer(stripnl=False, ensurenl=False)
    elif pure.suffix in (".html", ".htm", ".djhtml") or (
        "templates" in pure.parts and pure.suffix in _TEMPLATE_SUFFIXES
    ):
        lexer = HtmlDjangoLexer(stripnl=False, ensurenl=False)
    else:
        try:
            lexer = get_lexer_for_filename(pure.name, None, stripnl=False, ensurenl=False)
        except ClassNotFound:
            lexer = TextLexer(stripnl=False, ensurenl=False)
    return lexer


def _token_class(token: _TokenType) -> str:
    """The short CSS class Pygments gives ``token``, or its nearest ancestor's."""
    found: _TokenType | None = token
    while found is not None and found not in STANDARD_TYPES:
        found = found.parent
    return STANDARD_TYPES[found] if found is not None else ""


def _highlight(lines: Sequence[str], lexer: Lexer) -> list[str]:
    """Each of ``lines`` as highlighted HTML, the lines lexed as one text."""
    out: list[list[str]] = [[]]
    for token, value in lexer.get_tokens("\n".join(lines)):
        for index, part in enumerate(value.split("\n")):
            if index:
                out.append([])
            if part:
                css = _token_class(token)
                text = escape(part)
                out[-1].append(f'<span class="{css}">{text}</span>' if css else text)
    html = ["".join(parts) for parts in out]
    return (html + [""] * len(lines))[: len(lines)]


def _row(kind: str, old: int | str, new: int | str, code: str) -> str:
    return (
        f'<tr class="{kind}"><td class="num">{old}</td><td class="num">{new}</td>'
        f"<td>{code}</td></tr>"
    )


def _hunk_rows(body: Sequence[str], old_no: int, new_no: int, lexer: Lexer) -> list[str]:
    old_side = [line[1:] for line in body if line[:1] in (" ", "-", "")]
    new_side = [line[1:] for line in body if line[:1] in (" ", "+", "")]
    old_html, new_html = _highlight(old_side, lexer), _highlight(new_side, lexer)
    rows = []
    old_i = new_i = 0
    for line in body:
        mark = line[:1]
        if mark == "\\":
            rows.append(_row("meta", "", "", escape(line)))
        elif mark == "-":
            rows.append(_row("del", old_no, "", "-" + old_html[old_i]))
            old_i, old_no = old_i + 1, old_no + 1
        elif mark == "+":
            rows.append(_row("add", "", new_no, "+" + new_html[new_i]))
            new_i, new_no = new_i + 1, new_no + 1
        else:
            rows.append(_row("ctx", old_no, new_no, " " + new_html[new_i]))
            old_i, new_i, old_no, new_no = old_i + 1, new_i + 1, old_no + 1, new_no + 1
    return rows


def diff_table(file: FileDiff) -> str:
    lines = [line.removesuffix("\r") for line in file.diff.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    # Lexing costs about 0.1 ms a line: a huge diff keeps its +/- colours, not the language's.
    lexer = _lexer(file.path) if len(lines) <= HIGHLIGHT_LINES_LIMIT else TextLexer()
    rows: list[str] = []
    index = 0
    while index < len(lines) and not lines[index].startswith("@@"):
        rows.append(_row("meta", "", "", escape(lines[index])))
        index += 1
    while index < len(lines):
        header = lines[index]
        match = _HUNK.match(header)
        old_no, new_no = (int(match[1]), int(match[2])) if match else (0, 0)
        rows.append(_row("hunk", "", "", escape(header)))
        index += 1
        start = index
        while index < len(lines) and not lines[index].startswith("@@"):
            index += 1
        rows += _hunk_rows(lines[start:index], old_no, new_no, lexer)
    return (
        f'<div class="scroll"><table class="diff {HIGHLIGHT_CLASS}">'
        + "".join(rows)
        + "</table></div>"
    )
