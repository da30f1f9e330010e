from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from packaging.version import Version

from tests.deps.conftest import LocalIndex, django_classifiers
from upgrader import interpreters
from upgrader.deps.index import IndexConfig, PackageIndex
from upgrader.deps.model import Choice, Target
from upgrader.deps.resolve import (
    BuildFailure,
    DependencyConflict,
    Resolution,
    Resolver,
    RunResult,
    explain_failure,
    find_resolver,
    find_uv,
    parse_pins,
    pip_compile_python,
    resolve_dependencies,
    stage_build_constraints,
    write_constraints,
)
from upgrader.interpreters import Interpreter

# pip-compile runs under an interpreter of the hop's Python: ours, so no tool venv is needed.
OURS = f"{sys.version_info.major}.{sys.version_info.minor}"
TARGET = Target("4.2", OURS)


def _choice(name: str, version: str) -> Choice:
    return Choice(name, None, version, "test", "test")


@pytest.fixture
def index(local_index: LocalIndex) -> LocalIndex:
    local_index.add("Django", "4.2.2", requires_python=">=3.8", requires_dist=("asgiref>=3.6",))
    local_index.add("asgiref", "3.6.0")
    local_index.add("asgiref", "3.7.0")
    local_index.add(
        "plugin", "1.2", requires_dist=("Django>=3.2",), classifiers=django_classifiers("4.2")
    )
    local_index.add("stuck", "1.1", requires_dist=("Django<4.0",))
    local_index.add("oldpy", "1.0", requires_dist=('backport; python_version < "3.8"',))
    local_index.add("backport", "1.0")
    return local_index.build()


def _resolvers() -> list[object]:
    params: list[object] = [
        pytest.param(
            Resolver("pip-compile", (sys.executable, "-m", "piptools", "compile")), id="pip-compile"
        )
    ]
    uv = find_uv()
    marks = [] if uv else [pytest.mark.skip(reason="uv is not installed")]
    params.append(
        pytest.param(Resolver("uv", (uv or "uv", "pip", "compile")), id="uv", marks=marks)
    )
    return params


@pytest.mark.parametrize("resolver", _resolvers())
def test_real_resolver_locks_the_set(index: LocalIndex, tmp_path: Path, resolver: Resolver) -> None:
    choices = [_choice("django", "4.2.2"), _choice("plugin", "1.2"), _choice("oldpy", "1.0")]
    result = resolve_dependencies(
        choices, TARGET, index=IndexConfig(index.url), resolver=resolver, cache_dir=tmp_path / "c"
    )
    # Transitive pins come from the resolver; the marker excludes backport on this Python.
    assert dict(result.pins) == {
        "asgiref": "3.7.0",
        "django": "4.2.2",
        "oldpy": "1.0",
        "plugin": "1.2",
    }
    assert result.text.startswith("# Dependency set for Django 4.2")
    assert "--index-url" not in result.text and "file://" not in result.text
    written = write_constraints(result, tmp_path / ".upgrader" / "constraints")
    assert written.name == "django-4.2.txt"
    assert written.read_text() == result.text


@pytest.mark.parametrize("resolver", _resolvers())
def test_real_resolver_failure_names_the_blocker(
    index: LocalIndex, tmp_path: Path, resolver: Resolver
) -> None:
    choices = [_choice("django", "4.2.2"), _choice("plugin", "1.2"), _choice("stuck", "1.1")]
    with pytest.raises(DependencyConflict) as info:
        resolve_dependencies(
            choices,
            TARGET,
            index=IndexConfig(index.url),
            resolver=resolver,
            cache_dir=tmp_path / "c",
        )
    assert [b.name for b in info.value.blocked] == ["stuck"]
    assert info.value.blocked[0].what_it_requires.lower() == "django<4.0"
    assert "stuck blocks it" in info.value.message
    assert info.value.hint and "No file was changed" in info.value.hint


class FakeRunner:
    def __init__(self, result: RunResult) -> None:
        self.result = result
        self.calls: list[tuple[list[str], dict[str, str], str]] = []

    def __call__(
        self, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float
    ) -> RunResult:
        infile = Path(argv[3] if argv[1] == "pip" else argv[4])
        self.calls.append((list(argv), dict(env), infile.read_text()))
        return self.result


def test_uv_command_line_and_isolation(tmp_path: Path) -> None:
    runner = FakeRunner(RunResult(0, "django==4.2.2\nplugin==1.2\n", ""))
    config = IndexConfig(
        "https://u:secret@private.example/simple/", ("https://extra.example/simple/",)
    )
    result = resolve_dependencies(
        [
            _choice("django", "4.2.2"),
            Choice("plugin", "1.0", "1.2", "r", "e", ("api",), 'python_version >= "3"'),
        ],
        Target("4.2", "3.10"),
        index=config,
        resolver=Resolver("uv", ("uv", "pip", "compile")),
        runner=runner,
    )
    argv, env, body = runner.calls[0]
    assert argv[argv.index("--python-version") + 1] == "3.10"
    assert "--no-config" in argv
    assert argv[argv.index("--extra-index-url") + 1] == "https://extra.example/simple/"
    assert env["PIP_CONFIG_FILE"]
    assert not any(k in env for k in ("PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL"))
    assert body.splitlines() == [
        "django==4.2.2",
        'plugin[api]==1.2; python_version >= "3"',
        "-c constraints.txt",
    ]
    assert isinstance(result, Resolution) and result.version_of("Plugin") == "1.2"


def test_failure_output_is_redacted(tmp_path: Path) -> None:
    runner = FakeRunner(
        RunResult(1, "", "error: cannot fetch https://u:secret@private.example/simple/x/")
    )
    with pytest.raises(DependencyConflict) as info:
        resolve_dependencies(
            [_choice("django", "4.2.2")],
            Target("4.2", "3.10"),
            index=IndexConfig("https://u:secret@private.example/simple/"),
            resolver=Resolver("uv", ("uv", "pip", "compile")),
            runner=runner,
        )
    assert "secret" not in info.value.output
    assert "secret" not in info.value.message


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        pytest.param(
            "Because django-filter==2.1.0 depends on Django>=1.11 and you require ...",
            [],
            id="uv: requirement admitting the pinned Django blames nobody",
        ),
        pytest.param(
            "  ╰─▶ Because only plugin<=2.0 is available and plugin==2.0 depends on django>=5.0, ...",
            [("plugin", "2.0", "django>=5.0")],
            id="uv: release depends on",
        ),
        pytest.param(
            "The conflict is caused by:\n    The user requested django==4.2.2\n"
            "    drf 3.9.4 depends on Django<3.0",
            [("drf", "3.9.4", "Django<3.0")],
            id="pip: conflict is caused by",
        ),
    ],
)
def test_explain_failure(output: str, expected: list[tuple[str, str, str]]) -> None:
    blocked = explain_failure(output, {"django": "4.2.2"})
    assert [(b.name, b.newest_available, b.what_it_requires) for b in blocked if b.name] == expected


def test_parse_pins_ignores_comments_and_options() -> None:
    text = "# header\n--index-url x\nDjango[argon2]==4.2.2 \\\n    --hash=sha256:ab\npytz==2024.1  # via x\n"
    assert parse_pins(text) == (("django", "4.2.2"), ("pytz", "2024.1"))


def test_find_resolver_prefers_uv() -> None:
    if find_uv() is None:
        pytest.skip("uv is not installed")
    assert find_resolver(TARGET).tool == "uv"
    assert find_resolver(TARGET, prefer="pip-compile").tool == "pip-compile"


class ScriptedRunner:
    """Answers ``import piptools`` checks from a set of interpreters that have pip-tools."""

    def __init__(self, with_pip_tools: set[str]) -> None:
        self.with_pip_tools = with_pip_tools
        self.calls: list[list[str]] = []

    def __call__(
        self, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float
    ) -> RunResult:
        self.calls.append(list(argv))
        if argv[1:] == ["-c", "import piptools"]:
            return RunResult(0 if argv[0] in self.with_pip_tools else 1, "", "")
        if argv[1:3] == ["-m", "venv"]:
            venv_python = Path(argv[3]) / "bin" / "python"
            venv_python.parent.mkdir(parents=True)
            venv_python.touch()
            return RunResult(0, "", "")
        if "pip-tools" in argv:
            self.with_pip_tools.add(argv[0])
            return RunResult(0, "", "")
        return RunResult(1, "", "unexpected")


def _fake_interpreter(path: Path) -> Interpreter:
    return Interpreter(Version("3.9.18"), path, "pyenv")


def test_pip_compile_python_is_ours_for_our_version() -> None:
    assert pip_compile_python(OURS, runner=ScriptedRunner(set())) == (sys.executable, "")


def test_pip_compile_python_uses_the_hops_interpreter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hop_python = tmp_path / "py39" / "python"
    monkeypatch.setattr(interpreters, "find", lambda _v, env=None: _fake_interpreter(hop_python))
    runner = ScriptedRunner({str(hop_python)})
    assert pip_compile_python("3.9", runner=runner, cache_dir=tmp_path) == (str(hop_python), "")


def test_pip_compile_python_makes_a_tool_venv_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hop_python = tmp_path / "py39" / "python"
    monkeypatch.setattr(interpreters, "find", lambda _v, env=None: _fake_interpreter(hop_python))
    runner = ScriptedRunner(set())
    python, note = pip_compile_python("3.9", runner=runner, cache_dir=tmp_path / "cache")
    assert python == str(tmp_path / "cache" / "tools" / "pip-tools-py3.9" / "bin" / "python")
    assert note == ""
    made = [c for c in runner.calls if c[1:3] == ["-m", "venv"]]
    assert len(made) == 1
    pip_compile_python("3.9", runner=runner, cache_dir=tmp_path / "cache")
    assert len([c for c in runner.calls if c[1:3] == ["-m", "venv"]]) == 1


def test_pip_compile_python_falls_back_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(interpreters, "find", lambda _v, env=None: None)
    python, note = pip_compile_python("3.9", runner=ScriptedRunner(set()))
    assert python == sys.executable
    assert f"pip-compile ran on Python {OURS}" in note


def test_explain_failure_reads_wrapped_uv_output() -> None:
    output = (
        "  \u00d7 No solution found when resolving dependencies:\n"
        "  ╰─▶ Because right<=1.0 depends on shared>=2 and all versions of\n"
        "      left depend on shared<1, we can conclude that all versions of left and\n"
        "      right<=1.0 are incompatible.\n"
    )
    blocked = explain_failure(output, {"django": "4.2.2"})
    assert {(b.name, b.what_it_requires) for b in blocked} == {
        ("right", "shared>=2"),
        ("left", "shared<1"),
    }


@pytest.mark.parametrize("resolver", _resolvers())
def test_find_links_only(index: LocalIndex, tmp_path: Path, resolver: Resolver) -> None:
    """``--no-index --find-links <folder of wheels>``: read and resolved without any index."""
    config = IndexConfig(find_links=(str(index.root / "files"),), no_index=True)
    client = PackageIndex(config, cache_dir=tmp_path / "meta")
    assert str(client.releases("plugin").versions[-1]) == "1.2"
    result = resolve_dependencies(
        [_choice("django", "4.2.2"), _choice("plugin", "1.2")],
        TARGET,
        index=config,
        resolver=resolver,
        cache_dir=tmp_path / "c",
    )
    assert result.version_of("asgiref") == "3.7.0"


# F5 (djangox): uv built django-allauth 0.46.0's sdist with its own Python and the newest
# setuptools, and the build failure was reported as "no dependency set works".
_ALLAUTH_BUILD_FAILURE = """\
error: Failed to build `django-allauth==0.46.0`
  Caused by: The build backend returned an error
  Caused by: Call to `setuptools.build_meta:__legacy__.build_wheel` failed (exit status: 1)

[stderr]
Traceback (most recent call last):
  File "<string>", line 14, in <module>
  File "setup.py", line 9, in <module>
    from setuptools import convert_path, find_packages, setup
ImportError: cannot import name 'convert_path' from 'setuptools'
"""


def test_uv_gets_the_stage_build_constraints_and_interpreter(tmp_path: Path) -> None:
    seen: list[str] = []

    class Reading(FakeRunner):
        def __call__(
            self, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float
        ) -> RunResult:
            seen.append(Path(argv[argv.index("--build-constraint") + 1]).read_text())
            return super().__call__(argv, cwd=cwd, env=env, timeout=timeout)

    runner = Reading(RunResult(0, "django==3.2.25\n", ""))
    resolve_dependencies(
        [_choice("django", "3.2.25")],
        Target("3.2", "3.7"),
        index=IndexConfig("https://pypi.org/simple/"),
        resolver=Resolver("uv", ("uv", "pip", "compile")),
        runner=runner,
        build_constraints=stage_build_constraints(("cython<3",), "3.7"),
        python="/opt/python3.7/bin/python",
    )
    argv = runner.calls[0][0]
    assert argv[argv.index("--python") + 1] == "/opt/python3.7/bin/python"
    assert argv[argv.index("--python-version") + 1] == "3.7"
    assert seen == ["cython<3\nsetuptools<70\n"]


def test_stage_build_constraints_follow_the_era_and_the_user() -> None:
    assert stage_build_constraints((), "3.8") == ("setuptools<70",)
    assert stage_build_constraints((), "3.9") == ()
    assert stage_build_constraints(("setuptools<58",), "3.6") == ("setuptools<58",)
    assert stage_build_constraints(("cython<3",), "3.12") == ("cython<3",)


def test_a_build_failure_is_not_a_conflict(tmp_path: Path) -> None:
    runner = FakeRunner(RunResult(1, "", _ALLAUTH_BUILD_FAILURE))
    with pytest.raises(BuildFailure) as info:
        resolve_dependencies(
            [_choice("django", "3.2.25"), _choice("django-allauth", "0.46.0")],
            Target("3.2", "3.7"),
            index=IndexConfig("https://pypi.org/simple/"),
            resolver=Resolver("uv", ("uv", "pip", "compile")),
            runner=runner,
            python="/opt/python3.7/bin/python",
        )
    assert not isinstance(info.value, DependencyConflict)
    assert info.value.package == "django-allauth==0.46.0"
    assert "no dependency set works" not in info.value.message
    assert "django-allauth==0.46.0 failed to build" in info.value.message
    assert info.value.hint is not None
    assert 'build-constraints = ["setuptools<70"]' in info.value.hint
