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
    if _needs_token_pass(new):
        new = str(_fix_tokens(new))
    return new


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
