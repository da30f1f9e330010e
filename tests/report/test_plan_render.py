"""The plan's Python line: its evidence each once, the project's own files before templates."""

from __future__ import annotations

from upgrader.plan import CurrentState
from upgrader.plan.render import _python_sources, _sources


def current(sources: tuple[str, ...], reason: str = "") -> CurrentState:
    return CurrentState(
        django="2.2",
        python="3.8",
        django_sources=(),
        python_sources=sources,
        settings=None,
        test_command=(),
        test_runner="django",
        python_reason=reason,
    )


def test_templates_and_vendored_files_come_after_the_projects_own() -> None:
    sources = (
        "mylib/conf/project_template/Dockerfile:1 (Dockerfile: FROM python:3.13)",
        "vendor/x/Dockerfile:2 (Dockerfile: FROM python:3.6)",
        "tox.ini:5 (tox.ini: [tox] envlist)",
        "setup.py:12 (classifiers: Programming Language :: Python :: 3.8)",
    )
    assert _python_sources(current(sources)) == (
        "tox.ini:5 (tox.ini: [tox] envlist)",
        "setup.py:12 (classifiers: Programming Language :: Python :: 3.8)",
        "mylib/conf/project_template/Dockerfile:1 (Dockerfile: FROM python:3.13)",
        "vendor/x/Dockerfile:2 (Dockerfile: FROM python:3.6)",
    )


def test_the_deciding_source_is_not_repeated_and_duplicates_show_once() -> None:
    sources = ("tox.ini:5 (tox.ini: [tox] envlist)",) * 30 + (".travis.yml:3 (ci: 3.8)",)
    state = current(sources, reason="the newest Python the project's CI runs: .travis.yml:3 (ci)")
    assert _sources(_python_sources(state), "") == "tox.ini:5 (tox.ini: [tox] envlist)"
