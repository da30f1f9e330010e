"""pyupgrade, in process (``_fix_plugins``/``_fix_tokens`` from the tree we parsed; its CLI if
those move), with byte-level needles deciding whether its token pass can change anything."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Mapping
from typing import Any

PYUPGRADE = "pyupgrade"
# What pyupgrade's token pass (``_fix_tokens``) can change (see ``_needs_token_pass``).
_TOKEN_PASS_NEEDLES = re.compile(r"""\\[^\n\r\\'"abfnrtv0-7x]|['"]\.encode\(|(?<![\w.])[uU]['"]""")
# "(" then "(" with only blanks/comments between: where pyupgrade may drop doubled parentheses.
_DOUBLE_OPEN = re.compile(r"\((?:\s|#[^\n]*)*\(")
_BLANKS = re.compile(r"(?:\s|#[^\n]*)*")
_NUMBERED_FIELD = re.compile(r"\{\d")
_COOKIE = re.compile(r"^[ \t\f]*#.*?coding[:=]")
# pyupgrade's own (``_main._cookie_re``): a comment token it deletes on line 1 or 2, at column 0.
_PYUPGRADE_COOKIE = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.ASCII)


def run_pyupgrade(text: str, minimum: tuple[int, int], tree: ast.Module | None = None) -> str:
    """pyupgrade for ``--py3X-plus``, keeping %-formatting and ``mock`` (smaller, safer diffs).

    ``tree``: ``text`` already parsed, so a file no plugin matches is not parsed again. The token
    pass runs only on text with something it can change (``_needs_token_pass``).
    """
    try:
        from pyupgrade._data import FUNCS, Settings, visit
        from pyupgrade._main import _fix_plugins, _fix_tokens
    except ImportError:  # pragma: no cover - pyupgrade moved its internals: use its CLI
        return _pyupgrade_subprocess(text, minimum)
    settings = Settings(min_version=minimum, keep_percent_format=True, keep_mock=True)
    if tree is None:
        new = str(_fix_plugins(text, settings=settings))
    else:
        callbacks = visit(FUNCS, tree, settings)
        new = _pyupgrade_tokens(text, callbacks, settings) if callbacks else text
    if not _needs_token_pass(new):
        return new
    if tree is not None and new is text:  # the text parsed: its tokens are the usual ones
        uncookied = without_coding_cookie(new)
        if uncookied is not None and not _needs_token_pass(uncookied):
            return uncookied  # the token pass would only drop the cookie (one in 5 old files)
    return str(_fix_tokens(new))


def without_coding_cookie(text: str) -> str | None:
    """What pyupgrade's token pass does to the coding cookies of ``text`` (a module that parses),
    without tokenizing it: it deletes each comment at column 0 of line 1 or 2 that matches its
    cookie pattern, with the line's end, then strips the text's leading blanks. ``None`` when
    there is none, or when line 2's ``#`` might not start a comment token (line 1 holds code:
    it could open a string), or a line holds a bare CR."""
    if text.startswith("\ufeff"):
        return None
    parts = text.split("\n", 2)
    if len(parts) < 2:
        return None
    lines = [part + "\n" for part in parts[:-1]]  # line 1 (and 2): each ends with its LF
    kept: list[str] = []
    dropped = False
    for number, line in enumerate(lines):
        body = line[:-2] if line.endswith("\r\n") else line[:-1]
        if "\r" in body:
            return None
        is_cookie = body.startswith("#") and _PYUPGRADE_COOKIE.match(body) is not None
        if is_cookie and number == 1 and kept and not _blank_or_comment(kept[0]):
            return None
        if is_cookie:
            dropped = True
        else:
            kept.append(line)
    if not dropped:
        return None
    return ("".join(kept) + parts[-1]).lstrip()


def _blank_or_comment(line: str) -> bool:
    body = line.strip(" \t\f\r\n")
    return not body or body.startswith("#")


def _pyupgrade_tokens(text: str, callbacks: Mapping[Any, list[Any]], settings: Any) -> str:
    """What ``_fix_plugins(text, settings)`` returns, from the callbacks its finder gave for the
    tree we already have (its token edits as it makes them: no second parse and walk)."""
    import tokenize

    try:
        from pyupgrade._main import _fixup_dedent_tokens
        from tokenize_rt import reversed_enumerate, src_to_tokens, tokens_to_src
    except ImportError:  # pragma: no cover - pyupgrade moved its internals
        from pyupgrade._main import _fix_plugins

        return str(_fix_plugins(text, settings=settings))
    try:
        tokens = src_to_tokens(text)
    except tokenize.TokenError:  # pragma: no cover - as pyupgrade (bpo-2180)
        return text
    _fixup_dedent_tokens(tokens)
    for i, token in reversed_enumerate(tokens):
        if not token.src:
            continue
        for callback in callbacks.get(token.offset, ()):
            callback(i, tokens)
    return str(tokens_to_src(tokens)).lstrip()


def _needs_token_pass(text: str) -> bool:
    """Whether pyupgrade's token pass could change ``text``: an invalid escape sequence, a ``u''``
    prefix, doubled parentheses, ``'{0}'.format``, ``'...'.encode(``, or a coding cookie."""
    if _TOKEN_PASS_NEEDLES.search(text) or _may_have_extraneous_parens(text):
        return True
    if ".format" in text and _NUMBERED_FIELD.search(text):
        return True
    head = text.split("\n", 2)[:2]
    return any(_COOKIE.search(line) for line in head)


def _may_have_extraneous_parens(text: str) -> bool:
    """Whether ``text`` may hold ``((expr))`` (no comma in the inner group) for pyupgrade to fix.

    A bracket scan with no tokenizer: anything it cannot judge (a string, a comment, a
    backslash inside the inner group) counts as "maybe", so it never hides a real fix.
    """
    for match in _DOUBLE_OPEN.finditer(text):
        depth = 1
        index = match.end()
        verdict: bool | None = None
        while index < len(text) and verdict is None:
            char = text[index]
            if char in "'\"#\\":
                verdict = True
            elif char in "([{":
                depth += 1
            elif char in ")]}":
                depth -= 1
                if depth == 0:
                    after = _BLANKS.match(text, index + 1)
                    end = after.end() if after else index + 1
                    verdict = text.startswith(")", end)
            elif char == "," and depth == 1:
                verdict = False
            elif char == "y" and depth == 1 and text.startswith("yield", index):
                verdict = True
            index += 1
        if verdict is None or verdict:
            return True
    return False


def _pyupgrade_subprocess(text: str, minimum: tuple[int, int]) -> str:  # pragma: no cover
    flag = f"--py{minimum[0]}{minimum[1]}-plus"
    result = subprocess.run(
        [sys.executable, "-m", "pyupgrade", flag, "--keep-percent-format", "--keep-mock", "-"],
        input=text.encode(),
        capture_output=True,
        check=False,
    )
    if result.returncode not in (0, 1):
        raise RuntimeError(result.stderr.decode(errors="replace").strip())
    return result.stdout.decode()
