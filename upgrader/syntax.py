"""Syntax newer than a Python: which Python a file that does not parse here needs, and whether
code parses as an older Python. Used wherever a file is parsed (detection, the scanner, the
rewrite stage) so a file written for a newer Python is never called a syntax error."""

from __future__ import annotations

import ast
import subprocess
import sys
import warnings
from collections.abc import Sequence

from packaging.version import Version

from upgrader.interpreters import Interpreter, discover

SYNTAX_TIMEOUT = 20.0  # seconds for another interpreter to parse one file
_PARSE = "import ast, sys; ast.parse(sys.stdin.buffer.read())"


def _running() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def newer_syntax(text: str, interpreters: Sequence[Interpreter] | None = None) -> str | None:
    """The oldest Python newer than the running one whose parser accepts ``text``; None when
    none found here does (a real syntax error, or no newer interpreter to ask).

    ``interpreters``: the candidates (default: ``interpreters.discover()``). The newest is
    asked first: Python's grammar only grows, so when it refuses the file (a Python 2 module,
    the usual case in an old project) no other is run; only a file it accepts is tried on the
    older ones, oldest first.
    """
    running = Version(_running())
    candidates = discover() if interpreters is None else interpreters
    newer: dict[str, Interpreter] = {}
    for interpreter in sorted(candidates, key=lambda i: i.version):
        if Version(interpreter.feature) > running:
            newer.setdefault(interpreter.feature, interpreter)
    if not newer:
        return None
    data = text.encode("utf-8", errors="surrogateescape")
    *older, newest = newer.items()
    if not _parses_with(newest[1], data):
        return None
    return next((feature for feature, i in older if _parses_with(i, data)), newest[0])


def _parses_with(interpreter: Interpreter, data: bytes) -> bool:
    try:
        result = subprocess.run(
            [str(interpreter.path), "-c", _PARSE],
            input=data,
            capture_output=True,
            timeout=SYNTAX_TIMEOUT,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0


def syntax_error_reason(
    exc: SyntaxError, text: str, interpreters: Sequence[Interpreter] | None = None
) -> str:
    """Why a file did not parse, as a sentence for the user: newer Python when it is (with what
    to do), else the syntax error at its line."""
    where = f"line {exc.lineno}" if exc.lineno else "somewhere"
    running = _running()
    needed = newer_syntax(text, interpreters)
    if needed is not None:
        return (
            f"upgrader runs on Python {running}; this file needs Python {needed} (its syntax "
            f"at {where} is newer): install upgrader on Python {needed} or newer, or add the "
            "file to [tool.upgrader] exclude"
        )
    return (
        f"syntax error at {where} ({exc.msg}) for Python {running}: fix it, or add the file "
        "to [tool.upgrader] exclude"
    )


def syntax_too_new_for(text: str, python: str) -> str | None:
    """Why ``text`` does not parse as Python ``python`` ("3.8") though it parses here: the
    parser's message with its line ("line 3: Pattern matching is only supported in Python 3.10
    and greater"); None when it parses (or ``python`` is not older than the running one, or the
    text does not parse here at all). ``feature_version`` is best-effort: the newest grammar
    checks (3.12's f-strings) are not all tied to it."""
    try:
        version = Version(python)
    except ValueError:
        return None
    if version >= Version(_running()) or version.major != 3:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        try:
            ast.parse(text, feature_version=(3, version.minor))
        except SyntaxError as exc:
            return f"line {exc.lineno}: {exc.msg}" if exc.lineno else exc.msg
        except (ValueError, RecursionError, MemoryError):
            return None
    return None
