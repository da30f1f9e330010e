"""Properties of the rewrite stage over real code: output parses, and a second run is a no-op.

- every ``.py`` file and template of ``sample_projects/``, for every hop of the 2.2 -> 5.2 path;
- Django's own source tree (downloaded: ``e2e``), for one 2.2 -> 5.2 hop;
- random templates (hypothesis): template rules only edit inside tags and are idempotent.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.version import Version

import upgrader.rewrite as rw
import upgrader.rewrite.model as rw_model
import upgrader.rewrite.parallel as rw_parallel
from codemods import get_rule
from tests.codemods.helpers import context
from upgrader.hops import Hop
from upgrader.releases import get_release

SAMPLE_PROJECTS = Path(__file__).resolve().parents[2] / "sample_projects"
HOPS = [("2.2", "3.2", "3.8", "3.8"), ("3.2", "4.2", "3.8", "3.8"), ("4.2", "5.2", "3.8", "3.10")]


def _hop(source: str, target: str, python_from: str, python: str) -> Hop:
    src, dst = get_release(source), get_release(target)
    assert src is not None and dst is not None
    return Hop(src, dst, python_from, python)


def _sample_files() -> list[Path]:
    suffixes = (".py", *rw.TEMPLATE_SUFFIXES)
    return sorted(
        p
        for p in SAMPLE_PROJECTS.rglob("*")
        if p.is_file() and p.suffix in suffixes and "__pycache__" not in p.parts
    )


def _job(path: Path, root: Path, data: bytes | None = None) -> rw_model.Job:
    kind: rw.FileKind = "python" if path.suffix == ".py" else "template"
    is_settings = path.name.startswith("settings") or "settings" in path.parent.name
    content = path.read_bytes() if data is None else data
    return rw_model.Job(path, path.relative_to(root).as_posix(), kind, is_settings, content)


def check_file(path: Path, root: Path, config: rw.RewriteConfig) -> None:
    """One file through every stage: the output parses, and running again changes nothing."""
    job = _job(path, root)
    first = rw.process_file(job, config)
    if first.new is None:
        return
    if job.kind == "python":
        ast.parse(first.new)
    second = rw.process_file(_job(path, root, first.new), config)
    assert second.new is None, f"second run changed {job.rel}:\n{second.diff}"


def _sample_params() -> list[object]:
    params: list[object] = []
    for path in _sample_files():
        if path.suffix != ".py" and rw.TEMPLATE_FOLDER not in path.parts:
            continue
        rel = path.relative_to(SAMPLE_PROJECTS).as_posix()
        for hop in HOPS:
            params.append(pytest.param(path, hop, id=f"{rel} {hop[0]}->{hop[1]}"))
    return params or [pytest.param(None, None, marks=pytest.mark.skip("no sample projects yet"))]


@pytest.mark.parametrize(("path", "hop"), _sample_params())
def test_sample_project_files(path: Path, hop: tuple[str, str, str, str]) -> None:
    root = SAMPLE_PROJECTS / path.relative_to(SAMPLE_PROJECTS).parts[0]
    config = rw.hop_config(root, _hop(*hop), {})
    check_file(path, root, config)


@pytest.mark.e2e
def test_django_source_tree(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("django-sdist")
    download = ["pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:"]
    subprocess.run(
        [sys.executable, "-m", *download, "Django>=5.2,<5.3", "-d", str(folder)], check=True
    )
    archive = next(folder.glob("*.tar.gz"))
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    root = next(p for p in folder.iterdir() if p.is_dir())
    config = rw.hop_config(root, _hop("2.2", "5.2", "3.10", "3.10"), {})
    files = sorted((root / "django").rglob("*.py"))
    assert len(files) > 800
    jobs = [_job(p, root) for p in files]
    outcomes = list(rw_parallel.process_all(jobs, config, None))
    changed = [(job, outcome) for job, outcome in outcomes if outcome.new is not None]
    assert changed, "the 2.2 -> 5.2 hop changes something in Django's own tree"
    again = [
        rw_model.Job(job.path, job.rel, job.kind, job.is_settings, outcome.new)
        for job, outcome in changed
        if outcome.new is not None
    ]
    for job, outcome in rw_parallel.process_all(again, config, None):
        assert job.data is not None
        ast.parse(job.data)
        assert outcome.new is None, f"second run changed {job.rel}:\n{outcome.diff}"


# Template text made of plain text, line breaks and the tags our rules look at.
_PIECES = st.sampled_from(
    [
        "x",
        " ",
        "\n",
        "\r\n",
        "{% load staticfiles %}",
        "{% load i18n admin_static static %}",
        "{% load static from staticfiles %}",
        "{% ifequal a b %}",
        '{% ifnotequal a "b c" %}',
        "{% endifequal %}",
        "{% endifnotequal %}",
        "{% else %}",
        "{% if v|length_is:'2' %}",
        "{% endif %}",
        "{{ v|length_is:2 }}",
        "{% verbatim %}",
        "{% endverbatim %}",
        "{# {% load staticfiles %} #}",
        "{%",
        "%}",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_template_rules_are_idempotent_and_keep_line_endings(template: str) -> None:
    ctx = context(django_to="5.2", filename="t.html")
    text = template
    for rule_id in ("template_load_static", "template_ifequal", "template_length_is"):
        rule = get_rule(rule_id)
        once = rule.transform(text, ctx)
        assert rule.transform(once, ctx) == once, rule_id
        assert once.count("\n") == text.count("\n") and once.count("\r") == text.count("\r")
        text = once
    assert Version("5.2") >= get_rule("template_length_is").version
