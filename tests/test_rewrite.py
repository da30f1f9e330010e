"""The rewrite engine: stages, file selection, safety, attribution, parallelism and the cache."""

from __future__ import annotations

import ast
import codecs
import os
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.version import Version

import upgrader.rewrite as rw
import upgrader.rewrite.django_upgrade as rw_django_upgrade
import upgrader.rewrite.engine as rw_engine
import upgrader.rewrite.model as rw_model
import upgrader.rewrite.parallel as rw_parallel
import upgrader.rewrite.stages as rw_stages
from codemods import Rule, RuleContext
from upgrader.errors import UsageError
from upgrader.hops import Hop
from upgrader.interpreters import discover
from upgrader.project import Project, ProjectConfig, TestRunner
from upgrader.releases import get_release
from upgrader.rewrite import RewriteResult, RuleHit, rewrite_project, run_rule_on_paths


def make_hop(
    source: str = "2.2", target: str = "3.2", py_from: str = "3.8", py: str = "3.8"
) -> Hop:
    src, dst = get_release(source), get_release(target)
    assert src is not None and dst is not None
    return Hop(src, dst, py_from, py)


def make_project(root: Path, *, settings: str | None = "site/settings.py", **kw: object) -> Project:
    return Project(
        root=root,
        manage_py=None,
        settings_module="site.settings" if settings else None,
        settings_file=root / settings if settings else None,
        django_version=Version("2.2"),
        django_requirements=(),
        python_version="3.8",
        python_declarations=(),
        test_runner=TestRunner("django", ("python", "manage.py", "test")),
        **kw,  # type: ignore[arg-type]
    )


def write(root: Path, rel: str, content: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_bytes(content.encode())
    else:
        path.write_bytes(content)
    return path


def run(root: Path, tmp_path: Path, *, write_files: bool = True, **kw: object) -> RewriteResult:
    project = kw.pop("project", None) or make_project(root)
    hop = kw.pop("hop", None) or make_hop()
    return rewrite_project(
        project,  # type: ignore[arg-type]
        hop,  # type: ignore[arg-type]
        write=write_files,
        cache_dir=tmp_path / "cache",
        jobs=1,
        **kw,  # type: ignore[arg-type]
    )


VIEWS = (
    "from django.utils.translation import ugettext as _\n"
    "\n"
    "\n"
    "def view(request):\n"
    "    # a comment that stays\n"
    "    if request.is_ajax():\n"
    "        return _('x')\n"
    "\n"
    "\n"
    "class Mixin(object):\n"
    "    pass\n"
)


@pytest.fixture
def project_root(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    write(root, "site/__init__.py", "")
    write(root, "site/settings.py", "DEBUG = True\nUSE_TZ = True\n")
    write(root, "app/views.py", VIEWS)
    write(root, "app/untouched.py", "def f(x):\n    return x + 1\n")
    write(root, "app/templates/app/page.html", "{% load staticfiles %}\n<p>{{ x }}</p>\n")
    write(root, "app/static/readme.txt", "{% load staticfiles %} is not a template here\n")
    return root


def test_all_stages_with_attribution(project_root: Path, tmp_path: Path) -> None:
    result = run(project_root, tmp_path)
    by_path = {c.path.relative_to(project_root.resolve()).as_posix(): c for c in result.changes}
    assert sorted(by_path) == ["app/templates/app/page.html", "app/views.py", "site/settings.py"]
    views = (project_root / "app/views.py").read_text()
    assert "from django.utils.translation import gettext as _" in views
    assert "request.headers.get(" in views
    assert "class Mixin:" in views  # pyupgrade
    assert "# a comment that stays" in views
    hits = {hit.rule: hit.lines for hit in by_path["app/views.py"].rules}
    assert hits["django-upgrade:utils_translation"] == (1,)
    assert hits["request_is_ajax"] == (6,)
    assert hits["pyupgrade"] == (10,)
    assert by_path["site/settings.py"].rules[0].rule == "settings_default_auto_field"
    assert (
        (project_root / "app/templates/app/page.html").read_text().startswith("{% load static %}")
    )
    # Not under templates/: never treated as a template.
    assert "staticfiles" in (project_root / "app/static/readme.txt").read_text()
    assert result.counts["pyupgrade"] == 1
    assert result.written and result.files_checked == 5 and not result.failures


def test_untouched_files_are_not_rewritten(project_root: Path, tmp_path: Path) -> None:
    path = project_root / "app/untouched.py"
    before = path.stat()
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns - 10**9))
    stamp = path.stat()
    run(project_root, tmp_path)
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (stamp.st_ino, stamp.st_mtime_ns)


def test_dry_run_writes_nothing_and_shows_a_diff(project_root: Path, tmp_path: Path) -> None:
    snapshot = {p: p.read_bytes() for p in project_root.rglob("*") if p.is_file()}
    result = run(project_root, tmp_path, write_files=False)
    assert {p: p.read_bytes() for p in project_root.rglob("*") if p.is_file()} == snapshot
    assert not result.written
    assert "--- a/app/views.py\n+++ b/app/views.py\n" in result.diff
    assert "-    if request.is_ajax():\n" in result.diff


def test_second_run_changes_nothing(project_root: Path, tmp_path: Path) -> None:
    assert run(project_root, tmp_path).changes
    again = run(project_root, tmp_path, use_cache=False)
    assert again.changes == ()


def test_parallel_equals_serial(project_root: Path, tmp_path: Path) -> None:
    for i in range(6):
        write(project_root, f"more/m{i}.py", VIEWS)
    project, hop = make_project(project_root), make_hop()
    serial = rewrite_project(project, hop, write=False, jobs=1, use_cache=False)
    parallel = rewrite_project(project, hop, write=False, jobs=2, use_cache=False)
    assert parallel == serial
    assert len(serial.changes) == 9


def test_cache_hit_gives_the_same_result(project_root: Path, tmp_path: Path) -> None:
    calls: list[str] = []
    first = run(project_root, tmp_path, write_files=False)
    original = rw_engine.process_file

    def counting(job: rw_model.Job, config: rw.RewriteConfig) -> rw_model.Outcome:
        calls.append(job.rel)
        return original(job, config)

    pytest.MonkeyPatch().context()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(rw_parallel, "process_file", counting)
        second = run(project_root, tmp_path, write_files=False)
    assert calls == []
    assert second.cache_hits == second.files_checked == 5
    assert second.changes == first.changes and second.notes == first.notes


def test_cache_misses_after_a_file_changes(project_root: Path, tmp_path: Path) -> None:
    run(project_root, tmp_path, write_files=False)
    write(project_root, "app/untouched.py", "def f(x):\n    return x + 2\n")
    second = run(project_root, tmp_path, write_files=False)
    assert second.cache_hits == 4


def test_encoding_bom_and_line_endings_kept(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    crlf_bom = (
        codecs.BOM_UTF8 + b"from django.utils.translation import ugettext\r\nx = ugettext('a')\r\n"
    )
    latin1 = (
        "# -*- coding: latin-1 -*-\nfrom django.utils.translation import ugettext\nS = 'caf\xe9'\n"
    )
    write(root, "a/crlf.py", crlf_bom)
    write(root, "a/latin.py", latin1.encode("latin-1"))
    write(root, "a/templates/t.html", b"{% load staticfiles %}\r\n<p>x</p>\r\n")
    result = run(root, tmp_path, project=make_project(root, settings=None))
    assert len(result.changes) == 3, result.failures
    assert (root / "a/crlf.py").read_bytes() == (
        codecs.BOM_UTF8 + b"from django.utils.translation import gettext\r\nx = gettext('a')\r\n"
    )
    assert (root / "a/latin.py").read_bytes() == latin1.replace("ugettext", "gettext").encode(
        "latin-1"
    )
    assert (root / "a/templates/t.html").read_bytes() == b"{% load static %}\r\n<p>x</p>\r\n"


@pytest.mark.parametrize(
    ("before", "after", "lines"),
    [
        pytest.param(
            b"from django.utils.translation import ugettext\rx = ugettext('a')\rY = 1\r",
            b"from django.utils.translation import gettext\rx = gettext('a')\rY = 1\r",
            (1, 2),
            id="CR only",
        ),
        pytest.param(
            b"from django.utils.translation import ugettext\r\nA = 1\nB = 2\rx = ugettext('a')\n"
            b'S = """a\rb"""\r\nZ = 3',
            b"from django.utils.translation import gettext\r\nA = 1\nB = 2\rx = gettext('a')\n"
            b'S = """a\rb"""\r\nZ = 3',
            (1, 4),
            id="mixed, a CR in a string, no final ending",
        ),
    ],
)
def test_cr_line_endings_are_rewritten_and_kept_line_by_line(
    tmp_path: Path, before: bytes, after: bytes, lines: tuple[int, ...]
) -> None:
    """The tools read a CR-only line as part of the next (issue 15): they get LF text, and each
    line gets its own ending back, byte for byte."""
    root = tmp_path / "proj"
    write(root, "a/cr.py", before)
    result = run(root, tmp_path, project=make_project(root, settings=None))
    assert not result.failures, result.failures
    assert (root / "a/cr.py").read_bytes() == after
    assert [hit.lines for change in result.changes for hit in change.rules] == [lines]
    assert not run(root, tmp_path, project=make_project(root, settings=None)).changes


def test_a_cp1252_module_is_rewritten_in_cp1252(tmp_path: Path) -> None:
    """Parsed as text, not as UTF-8 bytes under the cookie (0x9d is no cp1252 byte; issue 15)."""
    root = tmp_path / "proj"
    before = (
        "# coding: cp1252\nfrom django.utils.translation import ugettext\n"
        "Q = ugettext('\u201cq\u201d \u20ac'), ugettext('x')\n"
    )
    write(root, "a/win.py", before.encode("cp1252"))
    result = run(root, tmp_path, project=make_project(root, settings=None))
    assert not result.failures, result.failures
    expected = before.replace("ugettext", "gettext").encode("cp1252")
    assert (root / "a/win.py").read_bytes() == expected


def test_a_file_name_that_is_not_utf_8(tmp_path: Path) -> None:
    """Names from old archives (b'caf\\xe9.py') hold surrogates: the cache key uses the bytes."""
    root = tmp_path / "proj"
    name = os.fsdecode(b"caf\xe9.py")
    write(root, f"a/{name}", "from django.utils.translation import ugettext\n")
    first = run(root, tmp_path, write_files=False, project=make_project(root, settings=None))
    assert [change.path.name for change in first.changes] == [name]
    again = run(root, tmp_path, write_files=False, project=make_project(root, settings=None))
    assert again.changes == first.changes


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param(b"def f(:\n    pass\n", "syntax error at line 1", id="syntax error"),
        pytest.param(b"print 'python 2'\n", "syntax error at line 1", id="python 2 code"),
        pytest.param(
            b"x = 1\n\nS = '\xe9t\xe9'\n", "not valid utf-8", id="non-UTF-8 without cookie"
        ),
        pytest.param(b"# coding: nope\nx = 1\n", "coding cookie", id="unknown coding cookie"),
        pytest.param(
            b"X = " + b" + ".join([b"1"] * 100_000) + b"\n",
            "nested too deeply for Python's parser (RecursionError)",
            id="100,000-term expression (issue 15)",
        ),
    ],
)
def test_bad_files_are_results(tmp_path: Path, content: bytes, reason: str) -> None:
    root = tmp_path / "proj"
    bad = write(root, "a/bad.py", content)
    write(root, "a/good.py", "from django.utils.translation import ugettext\n")
    result = run(root, tmp_path, project=make_project(root, settings=None))
    assert [f.path for f in result.failures] == [bad.resolve()]
    assert reason in result.failures[0].reason
    assert bad.read_bytes() == content
    assert len(result.changes) == 1


def test_generated_and_excluded_and_ignored_files_are_left_alone(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    source = "from django.utils.translation import ugettext\n"
    write(root, "a/gen.py", "# @generated by protoc\n" + source)
    write(root, "a/edit.py", "#\n#\n# DO NOT EDIT\n" + source)
    write(root, "vendored/x.py", source)
    write(root, "node_modules/y.py", source)
    write(root, "build/z.py", source)
    write(root, ".gitignore", "build/\n")
    write(root, "venv2/pyvenv.cfg", "home = /usr\n")
    write(root, "venv2/lib/w.py", source)
    project = make_project(root, settings=None, config=ProjectConfig(exclude=("vendored/*",)))
    result = run(root, tmp_path, project=project)
    assert result.changes == () and result.files_checked == 0


def test_symlink_out_of_the_project_is_skipped(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    outside = write(tmp_path, "outside/x.py", "from django.utils.translation import ugettext\n")
    (root / "a").mkdir(parents=True)
    (root / "a/link.py").symlink_to(outside)
    result = run(root, tmp_path, project=make_project(root, settings=None))
    assert result.changes == ()
    assert "outside the project" in result.failures[0].reason
    assert "ugettext" in outside.read_text()


def _fake_rule(transform: object, needles: tuple[bytes, ...] = ()) -> Rule:
    return Rule(
        id="fake",
        kind="python",
        scope="django",
        version=Version("1.0"),
        summary="",
        docs="",
        transform=transform,  # type: ignore[arg-type]
        needles=needles,
    )


def test_needles_prefilter_skips_the_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def transform(text: str, context: RuleContext) -> str:
        seen.append(context.filename)
        return text

    rule = _fake_rule(transform, needles=(b"NEEDLE",))
    monkeypatch.setattr(rw_engine, "_rules", lambda ids: (rule,))
    root = tmp_path / "proj"
    write(root, "a/yes.py", "NEEDLE = 1\n")
    write(root, "a/no.py", "OTHER = 1\n")
    run(root, tmp_path, project=make_project(root, settings=None), use_cache=False)
    assert seen == ["a/yes.py"]


@pytest.mark.parametrize(
    ("transform", "reason"),
    [
        pytest.param(lambda text, ctx: text + "def (:\n", "does not parse", id="unparsable"),
        pytest.param(lambda text, ctx: 1 / 0, "ZeroDivisionError", id="raises"),
    ],
)
def test_a_failing_stage_is_dropped_and_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, transform: object, reason: str
) -> None:
    monkeypatch.setattr(rw_engine, "_rules", lambda ids: (_fake_rule(transform),))
    root = tmp_path / "proj"
    path = write(root, "a/x.py", "from django.utils.translation import ugettext\n")
    result = run(root, tmp_path, project=make_project(root, settings=None), use_cache=False)
    assert "gettext" in path.read_text() and "ugettext" not in path.read_text()
    assert [hit.rule for hit in result.changes[0].rules] == ["django-upgrade:utils_translation"]
    assert "fake" in result.failures[0].reason and reason in result.failures[0].reason


def test_settings_rules_only_on_the_settings_module(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    write(root, "site/settings/__init__.py", "")
    write(root, "site/settings/base.py", "DEBUG = True\n")
    write(root, "site/settings/prod.py", "from .base import *\n")
    # A settings package's other modules are settings for other environments: rules apply.
    write(root, "site/settings/standalone.py", "DEBUG = True\n")
    write(root, "app/conf.py", "DEBUG = True\n")
    project = make_project(root, settings="site/settings/prod.py")
    result = run(root, tmp_path, project=project)
    changed = sorted(c.path.name for c in result.changes)
    assert changed == ["base.py", "standalone.py"]
    assert any("star import" in note for note in result.notes)


def test_template_dirs_from_settings(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    write(root, "frontend/views/page.html", "{% load staticfiles %}")
    write(root, "frontend/other/page.html", "{% load staticfiles %}")
    project = make_project(root, settings=None, template_dirs=(root / "frontend/views",))
    result = run(root, tmp_path, project=project)
    assert [c.path.parent.name for c in result.changes] == ["views"]


def test_progress_is_reported(project_root: Path, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    run(project_root, tmp_path, write_files=False, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (5, 5)


def test_pyupgrade_uses_the_lowest_python_of_the_hop(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    path = write(root, "a/x.py", "from typing import List\n\n\ndef f(x: List[int]) -> None: ...\n")
    run(
        root,
        tmp_path,
        project=make_project(root, settings=None),
        hop=make_hop("4.2", "5.2", "3.8", "3.10"),
    )
    assert "List[int]" in path.read_text()  # 3.8 still supported during the hop
    run(
        root,
        tmp_path,
        project=make_project(root, settings=None),
        hop=make_hop("4.2", "5.2", "3.10", "3.10"),
    )
    assert "list[int]" in path.read_text()


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        pytest.param("3.2", (3, 2), id="known"),
        pytest.param(
            "2028.0", max(rw.django_upgrade_target(Version("99.0")), (6, 0)), id="calendar"
        ),
    ],
)
def test_django_upgrade_target(version: str, expected: tuple[int, int]) -> None:
    assert rw.django_upgrade_target(Version(version)) == expected


def test_run_rule_on_paths(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    page = write(folder, "page.html", "{% ifequal a b %}x{% endifequal %}")
    result = run_rule_on_paths("template_ifequal", [folder], dry_run=True)
    assert page.read_text() == "{% ifequal a b %}x{% endifequal %}"
    assert result.changes[0].rules == (RuleHit("template_ifequal", (1,)),)
    run_rule_on_paths("template_ifequal", [page], dry_run=False)
    assert page.read_text() == "{% if a == b %}x{% endif %}"


def test_run_rule_on_paths_unknown_rule(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no codemod rule 'nope'") as raised:
        run_rule_on_paths("nope", [tmp_path], dry_run=True)
    assert raised.value.hint is not None and "codemods list" in raised.value.hint


def test_list_rules_has_ours() -> None:
    ids = {rule.id for rule in rw.list_rules()}
    assert {"settings_default_auto_field", "template_ifequal", "template_length_is"} <= ids


def test_output_parses(project_root: Path, tmp_path: Path) -> None:
    run(project_root, tmp_path)
    for path in project_root.rglob("*.py"):
        ast.parse(path.read_text())


@pytest.mark.parametrize(
    ("python", "kept"),
    [
        pytest.param("3.8", False, id="3.8 hop: match statement dropped"),
        pytest.param("3.10", True, id="3.10 hop: match statement kept"),
    ],
)
def test_stage_output_is_checked_with_the_hops_grammar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, python: str, kept: bool
) -> None:
    def add_match(text: str, context: RuleContext) -> str:
        return text + "match x:\n    case 1:\n        pass\n"

    monkeypatch.setattr(rw_engine, "_rules", lambda ids: (_fake_rule(add_match),))
    root = tmp_path / "proj"
    path = write(root, "a/x.py", "x = 1\n")
    hop = make_hop("4.2", "5.2", python, python)
    result = run(
        root, tmp_path, project=make_project(root, settings=None), hop=hop, use_cache=False
    )
    assert ("match x:" in path.read_text()) is kept
    assert bool(result.failures) is not kept


PERMALINK = (
    "from django.db import models\n"
    "\n"
    "\n"
    "class Article(models.Model):\n"
    "    @models.permalink\n"
    "    def get_absolute_url(self):\n"
    "        return ('article', (self.pk,))\n"
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(PERMALINK, ["django-upgrade:permalink"], id="permalink named: fixer runs"),
        pytest.param(
            "from django.db import models\n\n\nclass A(models.Model):\n    pass\n",
            [],
            id="plain models file: permalink fixer skipped, nothing changes",
        ),
    ],
)
def test_django_upgrade_fixer_needles(tmp_path: Path, source: str, expected: list[str]) -> None:
    root = tmp_path / "proj"
    write(root, "app/models.py", source)
    result = run(root, tmp_path, project=make_project(root, settings=None), use_cache=False)
    assert [hit.rule for c in result.changes for hit in c.rules] == expected
    assert rw_django_upgrade._fixers_without_needles(source.encode()) == (
        {"null_boolean_field"} if expected else {"null_boolean_field", "permalink"}
    )


def _line_changes_untrimmed(old: str, new: str) -> tuple[list[int], list[int]]:
    """The reference: difflib over every line (what ``_line_changes`` did before issue 11)."""
    import difflib

    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    changed: list[int] = []
    new_to_old = [0] * len(new_lines)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(j2 - j1):
                new_to_old[j1 + k] = i1 + k
            continue
        anchor = max(i1 - 1, 0)
        changed.extend(range(i1, i2) if i2 > i1 else [anchor])
        for k in range(j2 - j1):
            new_to_old[j1 + k] = min(i1 + k, i2 - 1) if i2 > i1 else anchor
    return changed, new_to_old


@given(
    size=st.integers(0, 30),
    edits=st.lists(
        st.tuples(st.sampled_from(["replace", "insert", "delete"]), st.integers(0, 40)), max_size=4
    ),
)
def test_line_changes_only_diffs_the_middle_and_answers_as_difflib(
    size: int, edits: list[tuple[str, int]]
) -> None:
    """Issue 11: the common head and tail are not given to difflib; on lines that are all
    different (no ambiguous match) the changed lines and the line map are difflib's."""
    old_lines = [f"line {i}" for i in range(size)]
    new_lines = list(old_lines)
    for n, (kind, at) in enumerate(edits):
        at = min(at, len(new_lines))
        if kind == "insert":
            new_lines.insert(at, f"new {n}")
        elif new_lines and at < len(new_lines):
            if kind == "replace":
                new_lines[at] = f"changed {n}"
            else:
                del new_lines[at]
    old, new = "\n".join(old_lines) + "\n", "\n".join(new_lines) + "\n"
    assert rw_stages.line_changes(old, new) == _line_changes_untrimmed(old, new)


def test_a_file_written_for_a_newer_python_is_named_as_such(tmp_path: Path) -> None:
    """Not "syntax error, fix it": the file is fine on the Python it is written for."""
    if sys.version_info >= (3, 12):
        pytest.skip("the running Python reads 3.12 f-strings itself")
    running = Version(f"{sys.version_info.major}.{sys.version_info.minor}")
    if not any(Version(i.feature) >= Version("3.12") > running for i in discover()):
        pytest.skip("no Python 3.12 or newer on this machine to ask")
    root = tmp_path / "proj"
    newer = write(root, "a/newer.py", 'x = {"a": 1}\nprint(f"{x["a"]}")\n')
    result = run(root, tmp_path, project=make_project(root, settings=None))
    [failure] = result.failures
    assert failure.path == newer.resolve()
    assert f"upgrader runs on Python {running}; this file needs Python 3.1" in failure.reason
