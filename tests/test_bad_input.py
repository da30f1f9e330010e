"""Bad input never crashes a command, never goes unnamed, and never changes a byte it should not.

Every case of ``tests/badinput.py`` (encodings, BOMs, line endings, syntax, depth, size, binary
files, symlinks, unreadable files, broken declarations) is put in a small Django 2.2 project and
each command runs on it in process: it must exit 0, 1 or 2 (never 3, never a traceback), name
the file it could not use, and leave every entry under the test folder as it was (bytes, links,
folders), except the files a real ``rewrite`` rewrites, which keep their encoding, BOM and line
endings and every line no rule touched. Then generated modules and templates (hypothesis) go
through ``check`` and ``rewrite`` with the same promises, and a few runs are real processes.

Defects this suite found in files owned by other engineers are ``xfail(strict=True)`` with the
defect and the owner's file in the reason: each turns into a failure (to remove the mark) the
day it is fixed.
"""

from __future__ import annotations

import ast
import codecs
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.badinput import (
    BASE_FILES,
    CASES,
    COMMANDS,
    URL_USE,
    Case,
    Outcome,
    command_argv,
    git_init,
    huge_module,
    run_main,
    snapshot,
    write_files,
)
from upgrader.rewrite.jobs import GENERATED_MARKERS

REPO_ROOT = Path(__file__).resolve().parent.parent

# The base project's files a real `rewrite --to 3.2` changes.
BASE_REWRITES = frozenset(
    {"shop/templates/shop/base.html", "shop/views.py", "site_cfg/settings.py", "site_cfg/urls.py"}
)
# Lines holding these are what the rules may rewrite; every other line must be kept verbatim.
REWRITTEN_WORDS = (
    b"url",
    b"static",
    b"ifequal",
    b"is_ajax",
    b"DEFAULT_AUTO_FIELD",
    b"force_text",
    b"length_is",
)

PEP_263 = "PEP 263"

# Defects found by this suite in files other engineers own: (case, command) -> reason.
XFAILS: dict[tuple[str, str], str] = {}


# Cases that crash a command today (strict xfails above), left out of the all-at-once tree.
XFAILS_EVERYWHERE: frozenset[str] = frozenset()


def _params() -> list[Any]:
    params = []
    for case in CASES:
        for command in COMMANDS:
            reason = XFAILS.get((case.id, command))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(case, command, id=f"{case.id}-{command}", marks=marks))
    return params


def _shown(err: str) -> str:
    """stderr with rich's soft wrapping undone (a long path may still be split by a width)."""
    return err.replace("\n", " ")


def check_outcome(case: Case, command: str, outcome: Outcome) -> None:
    """Exit 0/1/2, no traceback, the case's files named, fine files never skipped."""
    assert outcome.code in case.exit_codes | {0, 1, 2}, outcome.text
    assert outcome.code != 3 and "Traceback" not in outcome.text, outcome.text
    assert "internal error" not in outcome.text, outcome.text
    if command != "status":
        assert outcome.code in case.exit_codes, outcome.text
    for name, commands in case.names.items():
        if command in commands:
            assert name in _shown(outcome.err), f"{name} not named on stderr:\n{outcome.err}"
    if command != "status":
        for text in case.never_says:
            assert text not in outcome.text, outcome.text
        for rel in case.rewrites:  # fine input: read, never skipped
            assert f"skipped {rel}" not in _shown(outcome.err), outcome.err


def check_rewritten(before: bytes, after: bytes) -> None:
    """A rewritten file keeps its BOM, its line endings and every line no rule touched."""
    if before.startswith(codecs.BOM_UTF8):
        assert after.startswith(codecs.BOM_UTF8)
        assert not after[3:].startswith(codecs.BOM_UTF8)
    for line in before.splitlines(keepends=True):
        if not any(word in line for word in REWRITTEN_WORDS):
            assert line in after, f"line {line!r} lost:\n{after!r}"
    endings = {e for e in (b"\r\n", b"\n", b"\r") if e in before}
    if endings == {b"\r\n"}:
        assert after.count(b"\n") == after.count(b"\r\n") == after.count(b"\r"), after
    elif endings == {b"\r"}:
        assert b"\n" not in after, after


@pytest.mark.parametrize(("case", "command"), _params())
def test_every_command_on_bad_input(case: Case, command: str, tmp_path: Path) -> None:
    root = case.make(tmp_path)
    originals = {rel: (root / rel).read_bytes() for rel in case.rewrites}
    before = snapshot(tmp_path)
    outcome = run_main(command_argv(command, root))
    check_outcome(case, command, outcome)
    after = snapshot(tmp_path)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    if command != "rewrite":
        assert not changed, outcome.text
        return
    allowed = {f"proj/{rel}" for rel in BASE_REWRITES | case.rewrites}
    assert changed <= allowed, (changed - allowed, outcome.text)
    assert {f"proj/{rel}" for rel in case.rewrites} <= changed, outcome.text
    for rel in changed:
        assert before[rel][0] == after[rel][0] == "file", (rel, before[rel], after[rel])
    for rel in case.rewrites & {r.removeprefix("proj/") for r in changed}:
        check_rewritten(originals[rel], (root / rel).read_bytes())
    # Idempotent: a second run changes nothing.
    again = run_main(command_argv("rewrite", root))
    assert again.code == outcome.code, again.text
    assert snapshot(tmp_path) == after, again.text


def test_the_cases_are_real() -> None:
    """Each case holds what its name says (a guard against a helper that quietly wrote UTF-8)."""
    by_id = {case.id: case for case in CASES}
    assert len(by_id) == len(CASES)
    with pytest.raises(UnicodeDecodeError):
        by_id["latin-1-without-cookie"].files["shop/latin.py"].decode("utf-8")
    assert by_id["utf-16-with-bom"].files["shop/wide.py"].startswith(codecs.BOM_UTF16_LE)
    assert b"\r\n" in by_id["crlf-module"].files["shop/crlf.py"]
    assert b"\n" not in by_id["cr-module"].files["shop/cr.py"]
    with pytest.raises(UnicodeDecodeError):
        by_id["cp1252-with-cookie"].files["shop/win.py"].decode("utf-8")
    compile(by_id["cp1252-with-cookie"].files["shop/win.py"], "win.py", "exec")  # valid Python
    with pytest.raises(TabError):
        compile(by_id["tab-error"].files["shop/tabs.py"], "tabs.py", "exec")


# -- one tree with every case at once, as a git repository, through real processes


def _all_in_one(base: Path) -> Path:
    """Every case whose files do not collide, in one project (later cases win a shared path)."""
    root = base / "proj"
    for case in CASES:
        if case.id in {"named-pipe-requirements", "pyproject-wrong-types"}:
            continue  # they make every command exit 2 at detection: nothing else would be read
        if case.id in XFAILS_EVERYWHERE:
            continue  # a crash of its own, xfail in the matrix: it would hide the rest here
        if set(case.files) & {"requirements.txt", "pyproject.toml", ".python-version"}:
            continue
        case.make(base)
    assert (root / "manage.py").is_file()
    return root


@pytest.mark.parametrize("command", ["plan", "check", "rewrite-dry-run", "status"])
def test_a_real_process_on_every_case_at_once_in_a_repository(command: str, tmp_path: Path) -> None:
    root = _all_in_one(tmp_path)
    git_init(root)
    before = snapshot(tmp_path)
    env = {**os.environ, "NO_COLOR": "1", "UPGRADER_LOG_DIR": str(tmp_path / "logs")}
    result = subprocess.run(
        [sys.executable, "-m", "upgrader", *command_argv(command, root)],
        capture_output=True,
        text=True,
        errors="backslashreplace",  # names that are not UTF-8 are printed as their bytes
        timeout=600,
        cwd=REPO_ROOT,
        env=env,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert snapshot(tmp_path) == before
    if command in ("plan", "rewrite-dry-run"):
        shown = _shown(result.stderr)
        for name in ("shop/deep.py", "shop/blob.py", "shop/a.py", "shop/gone.py", "shop/tabs.py"):
            assert name in shown, result.stderr


# -- huge files: handled or skipped, never a stall (a generous limit, not a speed assertion)


@pytest.mark.parametrize("command", ["check", "rewrite-dry-run"])
def test_a_5_mb_module_is_handled_not_a_stall(command: str, tmp_path: Path) -> None:
    case = Case("huge", files={"shop/huge.py": huge_module()})
    root = case.make(tmp_path)
    before = snapshot(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "upgrader", *command_argv(command, root)],
        capture_output=True,
        text=True,
        errors="backslashreplace",  # names that are not UTF-8 are printed as their bytes
        timeout=300,
        cwd=REPO_ROOT,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before
    if command == "check":  # it was read: its url() import on line 1 is found
        assert "shop/huge.py:1" in result.stdout, result.stdout[:2000]


# -- the broken pyproject.toml that held [tool.upgrader] exclude


VENDORED = "vendor/lib/urls.py"


def _excluding_project(base: Path, pyproject: bytes) -> Path:
    case = Case("exclude", files={"pyproject.toml": pyproject, VENDORED: URL_USE.encode()})
    return case.make(base)


def test_a_readable_exclude_keeps_vendored_code_untouched(tmp_path: Path) -> None:
    """The control: with a valid pyproject.toml the vendored file is excluded."""
    root = _excluding_project(tmp_path, b'[tool.upgrader]\nexclude = ["vendor/*"]\n')
    outcome = run_main(command_argv("rewrite", root))
    assert outcome.code == 0, outcome.text
    assert (root / VENDORED).read_bytes() == URL_USE.encode()


def test_a_broken_pyproject_is_an_error_for_rewrite_not_a_dropped_exclude(tmp_path: Path) -> None:
    root = _excluding_project(tmp_path, b'[tool.upgrader\nexclude = ["vendor/*"]\n')
    before = snapshot(tmp_path)
    outcome = run_main(command_argv("rewrite", root))
    assert (root / VENDORED).read_bytes() == URL_USE.encode(), outcome.text
    assert outcome.code == 2, outcome.text
    assert "pyproject.toml" in outcome.err
    assert snapshot(tmp_path) == before


def test_a_broken_pyproject_is_an_error_for_step(tmp_path: Path) -> None:
    """step refuses before any change (no branch, no .upgrader/, no stage run)."""
    from tests.test_step import PROJECT_FILES, FakeStages, machine
    from upgrader.errors import UpgraderError
    from upgrader.step import Step, StepOptions

    files = {rel: text.encode() for rel, text in PROJECT_FILES.items()}
    files["pyproject.toml"] = b'[tool.upgrader\nexclude = ["vendor/*"]\n'
    files[VENDORED] = URL_USE.encode()
    root = tmp_path / "proj"
    write_files(root, files)
    git_init(root)
    before = snapshot(tmp_path)
    stages = FakeStages()
    with pytest.raises(UpgraderError, match=r"pyproject\.toml") as info:
        Step(root, StepOptions(), stages=stages, find=machine).run()
    assert info.value.exit_code == 2
    assert stages.calls == []
    assert snapshot(tmp_path) == before


def test_a_requirements_file_that_is_not_utf8_is_named_when_django_is_not_found(
    tmp_path: Path,
) -> None:
    """The pin sits in a file upgrader could not read: the error must say which and why."""
    case = Case("latin-1-requirements", files={"requirements.txt": b"# caf\xe9\nDjango==2.2.28\n"})
    root = case.make(tmp_path)
    outcome = run_main(command_argv("plan", root))
    assert outcome.code in (0, 1, 2) and "Traceback" not in outcome.text, outcome.text
    assert "requirements.txt" in _shown(outcome.err), outcome.err


# -- generated input (hypothesis)

ENCODINGS = {
    "utf-8": (b"", "utf-8"),
    "utf-8-bom": (codecs.BOM_UTF8, "utf-8"),
    "latin-1": (b"# -*- coding: latin-1 -*-\n", "latin-1"),
    "cp1252": (b"# coding: cp1252\n", "cp1252"),
}
LINES = (
    "from django.conf.urls import url, include",
    "urlpatterns = [url(r'^a/$', None), url(r'^b/', include('x'))]",
    "from django.utils.encoding import force_text",
    "NAME = force_text('caf\u00e9')",
    "def view(request):",
    "    return request.is_ajax()",
    "class A:",
    "    pass",
    "# \u00a9 caf\u00e9 \u00fcber",
    "X = 1",
    "",
)
TEMPLATE_LINES = (
    "{% load staticfiles %}",
    "{% load static from staticfiles %}",
    "{% ifequal a b %}caf\u00e9{% endifequal %}",
    "<p>{{ x|length_is:'3' }}</p>",
    "\u00a9 plain text",
    "",
)


def _encode(text: str, encoding: str) -> bytes | None:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return None


@st.composite
def generated_file(draw: st.DrawFn, template: bool) -> tuple[str, bytes]:
    pool = TEMPLATE_LINES if template else LINES
    lines = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=8))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    prefix, encoding = ENCODINGS[draw(st.sampled_from(sorted(ENCODINGS)))]
    if template and prefix.startswith(b"#"):
        prefix, encoding = b"", "utf-8"
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    data = _encode(text, encoding)
    if data is None:
        data = text.encode("utf-8")
        prefix = b""
    junk = draw(st.one_of(st.just(b""), st.binary(max_size=12)))
    if encoding != "utf-8":
        # Non-ASCII junk under a latin-1/cp1252 cookie meets the rewrite stage's known cookie
        # defect (test_a_cp1252_module_with_a_syntax_error_is_named): keep it ASCII here.
        junk = bytes(b & 0x7F for b in junk)
    position = draw(st.integers(min_value=0, max_value=len(data)))
    data = data[:position] + junk + data[position:]
    if prefix.startswith(b"#"):
        prefix = prefix.replace(b"\n", newline.encode())
    name = "shop/templates/shop/gen.html" if template else "shop/gen.py"
    return name, prefix + data


_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def _declared_encoding(data: bytes) -> str:
    """The PEP 263 encoding of a module's first two lines (any line ending), else UTF-8."""
    for line in re.split(rb"\r\n|\r|\n", data, maxsplit=2)[:2]:
        found = _COOKIE.match(line)
        if found:
            return found.group(1).decode("ascii")
    return "utf-8"


def _valid(name: str, data: bytes) -> bool:
    """Whether Python's parser (a module) or Django (a template, as UTF-8) reads ``data``."""
    if name.endswith(".py"):
        try:
            # The grammar, as the tools read it: ast.parse, not compile (which also refuses
            # `return` outside a function, a symbol-table error no rewrite is about).
            ast.parse(data, name)
            # CPython compiles invalid UTF-8 inside a comment (b"# caf\xc3\x01"), but such a
            # file is no text to edit: upgrader names it as skipped, which is what it may do.
            data.removeprefix(codecs.BOM_UTF8).decode(_declared_encoding(data))
        except (SyntaxError, ValueError, LookupError):  # UnicodeDecodeError is a ValueError
            return False
        return True
    try:
        data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_generated(data: bytes) -> bool:
    return any(marker in line for line in data.split(b"\n", 5)[:5] for marker in GENERATED_MARKERS)


def _run_generated(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory(prefix="badinput-") as tmp:
        base = Path(tmp)
        valid = _valid(name, data)
        # A file Python or Django reads is never skipped; one they cannot is named, unless it
        # says it is generated (@generated, DO NOT EDIT): those are never touched, nor reported.
        named = not valid and not _is_generated(data)
        case = Case(
            "generated",
            files={name: data},
            rewrites=frozenset({name}) if valid else frozenset(),
            names={name: frozenset({"rewrite-dry-run", "rewrite"})} if named else {},
        )
        root = case.make(base)
        before = snapshot(base)
        for command in ("check", "rewrite-dry-run"):
            outcome = run_main(command_argv(command, root))
            check_outcome(case, command, outcome)
            assert snapshot(base) == before, outcome.text
        outcome = run_main(command_argv("rewrite", root))
        check_outcome(case, "rewrite", outcome)
        after = (root / name).read_bytes()
        if after != data:
            assert valid, outcome.text
            check_rewritten(data, after)
            assert _valid(name, after), after
        snap = snapshot(base)
        again = run_main(command_argv("rewrite", root))
        assert again.code == outcome.code, again.text
        assert snapshot(base) == snap, again.text


def test_a_module_with_invalid_utf8_in_a_comment_is_named() -> None:
    """Python compiles it; upgrader cannot decode it, so it names the file (hypothesis found it)."""
    _run_generated("shop/gen.py", b"# \xc2\xa9 caf\xc3\xa9 \xc3\x01\xbcber")


def test_a_generated_module_with_a_syntax_error_is_left_alone() -> None:
    _run_generated("shop/gen.py", b"# coding: cp1252\nDO NOT EDITfrom django.conf.urls import url")


def test_a_cp1252_module_with_a_syntax_error_is_named() -> None:
    _run_generated("shop/gen.py", b"# coding: cp1252\n\xf7urlpatterns = [url(r'^a/$', None)]\n")


_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


@_SETTINGS
@given(generated_file(template=False))
def test_generated_modules(file: tuple[str, bytes]) -> None:
    _run_generated(*file)


@_SETTINGS
@given(generated_file(template=True))
def test_generated_templates(file: tuple[str, bytes]) -> None:
    _run_generated(*file)


def test_base_project_is_what_the_rewrites_expect(tmp_path: Path) -> None:
    """The control for the matrix: the base project alone, each rewrite target rewritten."""
    root = Case("base").make(tmp_path)
    outcome = run_main(command_argv("rewrite", root))
    assert outcome.code == 0, outcome.text
    changed = {rel for rel, data in BASE_FILES.items() if (root / rel).read_bytes() != data}
    assert changed == BASE_REWRITES


# -- rollback without git keeps what the backup never held


def _no_git_project(base: Path, extra: dict[str, bytes]) -> Path:
    from tests.test_step import PROJECT_FILES

    files = {rel: text.encode() for rel, text in PROJECT_FILES.items()}
    root = base / "proj"
    write_files(root, {**files, **extra})
    return root


def _step_and_rollback(root: Path) -> str:
    from tests.test_step import FakeStages, machine
    from upgrader.step import Step, StepOptions, rollback

    result = Step(root, StepOptions(git=False), stages=FakeStages(), find=machine).run()
    assert result.exit_code == 0, result.message
    return rollback(root)


def test_rollback_without_git_keeps_excluded_files(tmp_path: Path) -> None:
    vendored = b"# vendored, excluded\nfrom django.conf.urls import url\n"
    root = _no_git_project(
        tmp_path,
        {"pyproject.toml": b'[tool.upgrader]\nexclude = ["vendor/*"]\n', VENDORED: vendored},
    )
    _step_and_rollback(root)
    assert (root / VENDORED).read_bytes() == vendored


def test_rollback_without_git_keeps_a_file_with_a_space_in_its_name(tmp_path: Path) -> None:
    root = _no_git_project(tmp_path, {"app/my view.py": b"X = 1\n"})
    before = {k: v for k, v in snapshot(root).items() if not k.startswith(".upgrader")}
    try:
        _step_and_rollback(root)
    except Exception as exc:  # a crash is the defect too; the file must survive it
        assert (root / "app" / "my view.py").read_bytes() == b"X = 1\n", exc
        raise
    after = {k: v for k, v in snapshot(root).items() if not k.startswith(".upgrader")}
    assert (root / "app" / "my view.py").read_bytes() == b"X = 1\n"
    assert after == before


# -- upgrader's own saved files, damaged: a clear error naming the file, never a crash

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
baseline_like = st.fixed_dictionaries(
    {},
    optional={"stage": json_values | st.just("2.2"), "failing": json_values, "log": json_values},
)


@settings(max_examples=60, deadline=None, database=None)
@given(st.one_of(json_values, baseline_like))
def test_a_damaged_baseline_is_a_clear_error(data: object) -> None:
    import json

    from upgrader.errors import UpgraderError
    from upgrader.verify.command import load_baseline

    with tempfile.TemporaryDirectory(prefix="baseline-") as tmp:
        root = Path(tmp)
        (root / ".upgrader").mkdir()
        (root / ".upgrader" / "baseline.json").write_text(json.dumps(data))
        try:
            baseline = load_baseline(root)
        except UpgraderError as exc:
            assert exc.exit_code == 2
            assert "baseline.json" in f"{exc.message} {exc.path or ''}"
            assert exc.hint or not isinstance(data, dict)  # command.py's not-a-dict error
        else:
            assert baseline is not None and isinstance(data, dict)
            assert baseline.stage == data["stage"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('{"failing": []}', id="no-stage"),
        pytest.param('{"stage": 2.2, "failing": []}', id="stage-a-number"),
        pytest.param('{"stage": "2.2", "failing": "app.tests"}', id="failing-a-string"),
        pytest.param('["2.2"]', id="a-list"),
        pytest.param('{"stage": "2.2", "failing": [', id="truncated"),
        pytest.param("\udcff", id="not-utf-8"),
    ],
)
def test_a_damaged_baseline_names_the_file_and_how_to_record_it_again(
    text: str, tmp_path: Path
) -> None:
    from upgrader.errors import UpgraderError
    from upgrader.verify.command import load_baseline

    (tmp_path / ".upgrader").mkdir()
    path = tmp_path / ".upgrader" / "baseline.json"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    with pytest.raises(UpgraderError, match=r"baseline\.json") as info:
        load_baseline(tmp_path)
    assert info.value.exit_code == 2
    if text != '["2.2"]':  # verify/command.py's own not-a-dict error has no hint (reported)
        assert "--accept-failing" in (info.value.hint or "")


DAMAGED_STATE = {
    "binary": bytes(range(256)),
    "truncated": b'{"schema": 1, "current": ',
    "a-list": b"[]",
    "wrong-schema": b'{"schema": 999}',
    "missing-keys": b'{"schema": 1, "current": {"target": "3.2"}}',
    "deeply-nested": b"[" * 100_000 + b"]" * 100_000,
}


def _state_params() -> list[Any]:
    return [
        pytest.param(damage, command, id=f"{command}-{damage}")
        for damage in sorted(DAMAGED_STATE)
        for command in ("status", "step", "rollback")
    ]


@pytest.mark.parametrize(("damage", "command"), _state_params())
def test_a_damaged_state_file_is_a_clear_error(damage: str, command: str, tmp_path: Path) -> None:
    root = Case("state").make(tmp_path)
    git_init(root)
    from upgrader.state import ensure_state_dir

    state = ensure_state_dir(root) / "state.json"  # as upgrader makes it: README, .gitignore
    state.write_bytes(DAMAGED_STATE[damage])
    before = snapshot(tmp_path)
    if command == "step":
        from tests.test_step import FakeStages, machine
        from upgrader.step import Step, StepOptions

        def run() -> Outcome:
            try:
                result = Step(root, StepOptions(), stages=FakeStages(), find=machine).run()
            except Exception as exc:
                from upgrader.errors import UpgraderError

                if not isinstance(exc, UpgraderError):
                    raise
                return Outcome(exc.exit_code, "", f"{exc.message} {exc.path or ''}")
            return Outcome(result.exit_code, result.message, "")

        outcome = run()
    else:
        outcome = run_main([command, str(root)])
    assert outcome.code in (1, 2), outcome.text
    assert "state.json" in _shown(outcome.err), outcome.err
    assert "Traceback" not in outcome.text
    assert {k: v for k, v in snapshot(tmp_path).items() if "/.git/" not in k} == {
        k: v for k, v in before.items() if "/.git/" not in k
    }


# -- bad argument values: a usage error (exit 2) naming the value, never a crash

versionish = st.one_of(
    st.text(max_size=12),
    st.from_regex(r"\A[0-9]{1,4}(\.[0-9]{1,3}){0,4}([ab]|rc|\.dev|\.post)?[0-9]?\Z"),
    st.sampled_from(["lts", "latest", "LTS", " 4.2", "4.2 ", "٣.٢", "-1", "2.2.2.2", "1.0"]),
)


@pytest.fixture(scope="module")
def argument_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Case("arguments").make(tmp_path_factory.mktemp("arguments"))


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    value=versionish,
    option=st.sampled_from(
        [
            ("check", "--target"),
            ("rewrite", "--to"),
            ("plan", "--to"),
            ("plan", "--from"),
            ("check", "--from"),
        ]
    ),
)
def test_any_version_argument_is_taken_or_refused_never_a_crash(
    argument_project: Path, value: str, option: tuple[str, str]
) -> None:
    command, flag = option
    argv = [command, str(argument_project), flag, value]
    if command == "check" and flag == "--from":
        argv += ["--target", "4.2"]
    if command == "rewrite":
        argv.append("--dry-run")
    if command == "plan":
        argv.append("--no-dependencies")
    before = snapshot(argument_project)
    try:
        outcome = run_main(argv)
    except SystemExit as exc:  # argparse's own refusal (a value that looks like an option)
        assert exc.code == 2
        return
    assert outcome.code in (0, 1, 2), outcome.text
    assert "internal error" not in outcome.text and "Traceback" not in outcome.text
    assert snapshot(argument_project) == before


@pytest.mark.parametrize("value", ["banana", "LTS", "-1"])
def test_check_refuses_a_python_that_is_not_a_version(argument_project: Path, value: str) -> None:
    outcome = run_main(["check", str(argument_project), "--target", "4.2", "--python", value])
    assert outcome.code == 2, outcome.text
    assert value in outcome.err


# -- a run's log, hostile: the deprecation parser reads any text, in linear time


def test_a_long_log_line_without_a_warning_is_no_stall() -> None:
    """A 2 MB line of non-space text (a blob a test printed) once took hours to scan (the path
    pattern backtracked from every position); a generous limit, not a speed assertion."""
    code = (
        "from pathlib import Path\n"
        "from upgrader.verify.deprecations import parse_warnings\n"
        "blob = 'a' * 2_000_000\n"
        "text = blob + '\\n' + blob + '.py:1: DeprecationWarning: ' + ' ' * 2_000_000 + 'x\\n'\n"
        "text += '  /p/app/views.py:3: RemovedInDjango40Warning: url() is deprecated   \\n'\n"
        "found = parse_warnings(text, Path('/p'))\n"
        "assert ('app/views.py', 'url() is deprecated') in [(f.file, f.message) for f in found]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120, cwd=REPO_ROOT)


def test_a_line_number_of_thousands_of_digits_is_no_warning_and_no_crash() -> None:
    from upgrader.verify.deprecations import parse_warnings, removed_in

    text = "x.py:" + "9" * 5000 + ": DeprecationWarning: m\n"
    assert parse_warnings(text, Path("/p")) == ()
    assert removed_in("RemovedInDjango" + "4" * 5000 + "Warning") is None


@settings(max_examples=200, deadline=None, database=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=80),
            st.builds(
                lambda path, line, category, message: f"{path}:{line}: {category}: {message}",
                st.sampled_from(
                    ["/p/app/v.py", "app/v.py", "C:\\p\\v.py", "/x/site-packages/d.py"]
                ),
                st.integers(min_value=0, max_value=10**12),
                st.one_of(
                    st.from_regex(r"\ARemovedInDjango[0-9]{1,6}Warning\Z"),
                    st.sampled_from(["DeprecationWarning", "PendingDeprecationWarning"]),
                ),
                st.text(max_size=30),
            ),
        ),
        max_size=8,
    )
)
def test_any_log_text_parses(lines: list[str]) -> None:
    from upgrader.verify.deprecations import group_by_release, parse_warnings

    found = parse_warnings("\n".join(lines), Path("/p"))
    groups = group_by_release(found)
    assert sum(len(g) for g in groups.values()) == len(found)
    for finding in found:
        assert finding.line >= 0 and finding.message == finding.message.rstrip()
