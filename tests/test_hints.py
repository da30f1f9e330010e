"""Every hint upgrader can print is valid input: apply each one and see it accepted.

The hints are collected from the source, not listed by hand, so a new one is checked too: every
``hint=`` argument, every module constant named ``*HINT``, the hints ``detect/config.py`` and
``detect/config_check.py`` pass to their validators, the interpreter install hint, and every other string (docstrings aside) that
shows a ``[tool.upgrader]`` setting or an ``upgrader`` command line. Parts filled in at run time
(f-string fields) are tried with a few sample values, and ``X.Y`` (a version the hint asks the
user to choose) with a version. In each text:

- ``[tool.upgrader] key = value`` (and, in config's hints, ``key = value``) must parse as TOML
  and be accepted by ``upgrader.detect.config.parse_config``;
- ``[tool.upgrader] key`` alone must name a key ``parse_config`` knows;
- a command in backticks, `` `upgrader ...` ``, must be accepted by the CLI's argparse parser;
- a bare ``--option`` in a hint must be an option of some upgrader command, or one of the other
  tools' options listed in ``FOREIGN_OPTIONS`` (with the tool it belongs to).
"""

from __future__ import annotations

import argparse
import ast
import re
import shlex
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from upgrader.cli import build_parser
from upgrader.detect.config import KEYS, parse_config
from upgrader.errors import UpgraderError
from upgrader.interpreters import install_hint

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*(ROOT / "upgrader").rglob("*.py"), *(ROOT / "codemods").rglob("*.py")])
FIELD = "\x00"  # where an f-string field goes
SAMPLES = ("X", "4.2", "mysite.settings", "app/models.py")

# Options of other tools that hints name on purpose.
FOREIGN_OPTIONS = {
    "--extra-index-url": "pip (a requirements-file line or pip's configuration)",
    "--junitxml": "pytest",
    "--noinput": "manage.py collectstatic",
    "--exclude-newer": "uv (upgrader resolves with it as of the project's era)",
}
# The modules whose validators take (path, key, value, hint[, line]) and show bare ``key = value``.
CONFIG_MODULES = frozenset({"upgrader/detect/config.py", "upgrader/detect/config_check.py"})
# What a hint asks the user to fill in -> a value of that kind (``--from X.Y``, ``pkg==X.Y``).
USER_PLACEHOLDERS = {"X.Y": "1.0"}
# Words that may follow ``[tool.upgrader]`` in prose without being a key.
PROSE_AFTER_TABLE = frozenset({"section", "table"})


@dataclass(frozen=True)
class Hint:
    where: str  # file:line
    text: str  # FIELD marks the parts filled in at run time
    is_hint: bool  # printed as a hint (bare --options are checked), not just a message
    config_lines: bool  # ``key = value`` without the table header means a [tool.upgrader] line

    def __str__(self) -> str:
        return f"{self.where}: {self.text.replace(FIELD, '{…}')!r}"


def _constants(tree: ast.Module) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
            if isinstance(target, ast.Name):
                text = _render(value, found)
                if text is not None:
                    found[target.id] = text
    return found


def _render(node: ast.expr, constants: dict[str, str]) -> str | None:
    """The text a string expression prints, with FIELD for what is only known at run time."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and node.id in constants:
        return constants[node.id]
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            else:
                assert isinstance(value, ast.FormattedValue)
                inner = _render(value.value, constants) if value.format_spec is None else None
                parts.append(FIELD if inner is None else inner)
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _render(node.left, constants), _render(node.right, constants)
        return None if left is None or right is None else left + right
    return None


def _not_texts(tree: ast.Module) -> set[int]:
    """Docstrings, and the literal parts of f-strings (the f-string is the text)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            found.update(id(value) for value in node.values)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _mentions_input(text: str) -> bool:
    return "[tool.upgrader]" in text or "`upgrader " in text


def _hint_expressions(tree: ast.Module, *, is_config: bool) -> Iterator[ast.expr]:
    for node in ast.walk(tree):
        if (isinstance(node, ast.keyword) and node.arg == "hint") or (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id.upper().endswith("HINT") for t in node.targets)
        ):
            yield node.value
        elif (
            is_config
            and isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and (node.func.id.startswith("_") or node.func.id == "config_error")
            and len(node.args) in (4, 5)
        ):
            yield node.args[3]  # config_error/_string/_strings/...(path, key, x, hint[, line])


def _file_hints(path: Path) -> Iterator[Hint]:
    rel = path.relative_to(ROOT).as_posix()
    tree = ast.parse(path.read_text("utf-8"))
    constants = _constants(tree)
    is_config = rel in CONFIG_MODULES
    taken = _not_texts(tree)
    for expression in _hint_expressions(tree, is_config=is_config):
        text = _render(expression, constants)
        if text is not None and id(expression) not in taken:
            taken.add(id(expression))
            yield Hint(f"{rel}:{expression.lineno}", text, True, is_config)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Constant, ast.JoinedStr)) and id(node) not in taken:
            text = _render(node, constants)
            if text is not None and _mentions_input(text):
                yield Hint(f"{rel}:{node.lineno}", text, False, is_config)


def collect_hints() -> list[Hint]:
    hints = [hint for path in SOURCES for hint in _file_hints(path)]
    hints.append(Hint("upgrader/interpreters.py:install_hint", install_hint("3.12"), True, False))
    return hints


HINTS = collect_hints()


def _fill(text: str) -> Iterator[str]:
    """``text`` with its run-time fields filled by each sample, and the placeholders a hint
    asks the user to fill (``X.Y``: a version of their choice) by a value of that kind."""
    for placeholder, value in USER_PLACEHOLDERS.items():
        text = text.replace(placeholder, value)
    if FIELD not in text:
        yield text
        return
    for sample in SAMPLES:
        yield text.replace(FIELD, sample)


# --- [tool.upgrader] snippets -------------------------------------------------------------------

_TABLE_KEY = re.compile(r"\[tool\.upgrader\]\s+([A-Za-z][\w-]*)(\s*=\s*)?")
_LINE = re.compile(r"(?<![\w.-])([a-z][a-z0-9_-]*) = ")


def _toml_value(rest: str) -> str | None:
    """The longest start of ``rest`` that is one TOML value."""
    for end in range(len(rest), 0, -1):
        try:
            tomllib.loads(f"v = {rest[:end]}")
        except tomllib.TOMLDecodeError:
            continue
        return rest[:end]
    return None


def config_snippets(text: str, *, bare_lines: bool) -> Iterator[tuple[str, str | None]]:
    """``(key, value)`` per setting shown in ``text``; value None when only the key is named."""
    consumed: list[range] = []
    for match in _TABLE_KEY.finditer(text):
        key = match.group(1)
        if match.group(2) is None:
            if key not in PROSE_AFTER_TABLE:
                yield key, None
            continue
        value = _toml_value(text[match.end() :])
        consumed.append(range(match.start(), match.end() + len(value or "")))
        yield key, value or ""
    if bare_lines:
        for match in _LINE.finditer(text):
            if any(match.start() in span for span in consumed):
                continue
            value = _toml_value(text[match.end() :])
            consumed.append(range(match.start(), match.end() + len(value or "")))
            yield match.group(1), value or ""


def _accepted(key: str, value: str) -> str | None:
    """None when ``key = value`` is a valid [tool.upgrader] line, else why not."""
    try:
        table = tomllib.loads(f"[tool.upgrader]\n{key} = {value}\n")["tool"]["upgrader"]
    except tomllib.TOMLDecodeError as exc:
        return f"not TOML: {exc}"
    try:
        parse_config(table, Path("pyproject.toml"))
    except UpgraderError as exc:
        return exc.message
    return None


def _snippet_problems(hint: Hint) -> list[str]:
    """What is wrong with the settings ``hint`` shows, for the sample filling that fits best."""
    best: list[str] | None = None
    for text in _fill(hint.text):
        problems = []
        for key, value in config_snippets(text, bare_lines=hint.config_lines):
            if value is None:
                if key not in KEYS:
                    problems.append(f"[tool.upgrader] {key}: no such key ({', '.join(KEYS)})")
                continue
            reason = _accepted(key, value)
            if reason:
                problems.append(f"{key} = {value}: {reason}")
        if best is None or len(problems) < len(best):
            best = problems
    return best or []


# --- command lines ------------------------------------------------------------------------------

_COMMAND = re.compile(r"`(upgrader(?: [^`]*)?)`")
_OPTION = re.compile(r"(?<![\w`/-])(--[a-z][a-z0-9-]*)")


def _parses(parser: argparse.ArgumentParser, argv: list[str]) -> str | None:
    try:
        parser.parse_args(argv)
    except SystemExit:
        return "argparse refused it"
    return None


def _all_options(parser: argparse.ArgumentParser) -> set[str]:
    found: set[str] = set()
    for action in parser._actions:
        found.update(o for o in action.option_strings if o.startswith("--"))
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= _all_options(sub)
    return found


def _command_problems(hint: Hint, parser: argparse.ArgumentParser) -> list[str]:
    problems = []
    for match in _COMMAND.finditer(hint.text):
        command = match.group(1)
        if command == "upgrader":
            continue
        reasons = []
        for filled in _fill(command):
            try:
                argv = shlex.split(filled)[1:]
            except ValueError as exc:
                reasons.append(str(exc))
                continue
            reasons.append(_parses(parser, argv) or "")
        if all(reasons):
            problems.append(f"`{command.replace(FIELD, '{…}')}`: {reasons[0]}")
    return problems


def _option_problems(hint: Hint, options: set[str]) -> list[str]:
    if not hint.is_hint:
        return []
    outside_commands = _COMMAND.sub("", hint.text)
    return [
        f"{option}: no upgrader command takes it"
        for option in _OPTION.findall(outside_commands)
        if option not in options and option not in FOREIGN_OPTIONS
    ]


# --- the tests ----------------------------------------------------------------------------------


def test_the_collector_finds_the_hints_it_must_check() -> None:
    texts = [h.text for h in HINTS]
    assert len(HINTS) > 60
    assert any("[tool.upgrader] test-command = " in t for t in texts)  # verify/suite.py
    assert any('settings = "mysite.settings"' in t for t in texts)  # detect/layout.py
    assert any("`upgrader step --continue`" in t for t in texts)
    assert any(t.startswith("Write it like exclude = ") for t in texts)  # detect/config.py
    assert any("(or write extras = [] for none)" in t for t in texts)  # detect/config_check.py


def test_every_hint_is_valid_input() -> None:
    parser = build_parser()
    options = _all_options(parser)
    problems = [
        f"{hint}\n    -> {problem}"
        for hint in HINTS
        for problem in (
            *_snippet_problems(hint),
            *_command_problems(hint, parser),
            *_option_problems(hint, options),
        )
    ]
    assert not problems, "hints that are not valid input:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("text", "config_lines", "wrong"),
    [
        pytest.param(
            '[tool.upgrader] test_command = ["python", "manage.py", "test"]',
            False,
            "test_command",
            id="issue-19-test-command-hint",
        ),
        pytest.param('[tool.upgrader] test-command = ["python"]', False, "string", id="list"),
        pytest.param("Quote it: python = 3.8", True, "string", id="unquoted-python"),
        pytest.param("add it to [tool.upgrader] excludes", False, "no such key", id="key-only"),
    ],
)
def test_the_checks_catch_a_wrong_hint(text: str, config_lines: bool, wrong: str) -> None:
    problems = _snippet_problems(Hint("x.py:1", text, True, config_lines))
    assert problems and wrong in problems[0]


def test_the_checks_catch_a_wrong_command_or_option() -> None:
    parser = build_parser()
    wrong_command = Hint("x.py:1", "Run `upgrader step --resume` again.", True, False)
    assert _command_problems(wrong_command, parser)
    assert not _command_problems(Hint("x.py:1", "`upgrader step --continue`", True, False), parser)
    wrong_option = Hint("x.py:1", "Pass --target-version 4.2.", True, False)
    assert _option_problems(wrong_option, _all_options(parser))
