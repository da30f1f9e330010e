"""Which packages of a hop's set would build from source on the stage's Python."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from packaging.version import Version

from tests.deps.conftest import LocalIndex
from upgrader.deps.index import (
    CoreMetadata,
    DistFile,
    IndexConfig,
    PackageIndexError,
    PackageReleases,
    ReleaseFiles,
)
from upgrader.deps.installable import binary_packages, source_builds, uv_source_builds
from upgrader.deps.model import Target
from upgrader.deps.plan import plan_dependencies
from upgrader.deps.resolve import Resolution, Resolver, RunResult
from upgrader.detect.requirements import read_declared
from upgrader.hops import Hop
from upgrader.releases import get_release

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

LINUX = ["manylinux_2_17_x86_64", "manylinux2014_x86_64", "manylinux1_x86_64", "linux_x86_64"]


class _Index:
    def __init__(self, files: dict[str, dict[str, list[str]]]) -> None:
        self.files = files

    def releases(self, name: str) -> PackageReleases:
        if name not in self.files:
            raise PackageIndexError(f"{name} is not on the index")
        return PackageReleases(
            name,
            tuple(
                ReleaseFiles(Version(v), tuple(DistFile(f, f"https://x/{f}") for f in names))
                for v, names in self.files[name].items()
            ),
        )

    def metadata(self, name: str, release: ReleaseFiles) -> CoreMetadata:
        raise AssertionError("not needed")


PSYCOPG2 = {
    "2.8.6": [
        "psycopg2-2.8.6.tar.gz",
        "psycopg2-2.8.6-cp38-cp38-manylinux1_x86_64.whl",
        "psycopg2-2.8.6-cp39-cp39-win_amd64.whl",
    ],
    "2.9.9": [
        "psycopg2-2.9.9.tar.gz",
        "psycopg2-2.9.9-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    ],
}


def test_a_binary_package_without_a_wheel_for_the_stage_is_named() -> None:
    index = _Index(
        {
            "psycopg2": PSYCOPG2,
            "reportlab": {
                "3.5.0": [
                    "reportlab-3.5.0.tar.gz",
                    "reportlab-3.5.0-cp37-cp37m-manylinux1_x86_64.whl",
                ]
            },
            "requests": {
                "2.22.0": ["requests-2.22.0.tar.gz", "requests-2.22.0-py2.py3-none-any.whl"]
            },
            "django-sdist-only": {"1.0": ["django-sdist-only-1.0.tar.gz"]},
        }
    )
    pins = [
        ("psycopg2", "2.8.6"),
        ("reportlab", "3.5.0"),
        ("requests", "2.22.0"),  # pure Python wheel: installs anywhere
        ("django-sdist-only", "1.0"),  # publishes no platform wheel: a pure-Python sdist
        ("not-listed", "1.0"),  # the index cannot say: left out
    ]
    found = source_builds(pins, "3.12", index, platforms=LINUX)
    assert [(b.name, b.version, b.with_wheel) for b in found] == [
        ("psycopg2", "2.8.6", "2.9.9"),
        ("reportlab", "3.5.0", None),
    ]
    assert found[0].note.startswith(
        "psycopg2 2.8.6 has no wheel for CPython 3.12 on manylinux_2_17_x86_64: installing it "
        "builds from source"
    )
    assert "2.9.9 is the first later release with one: pin psycopg2>=2.9.9" in found[0].note
    # No later release has one (psycopg2 on Linux): its binary twin, as valid [tool.upgrader].
    linux_only = _Index({"psycopg2": {"2.8.6": PSYCOPG2["2.8.6"]}})
    (alone,) = source_builds([("psycopg2", "2.8.6")], "3.12", linux_only, platforms=LINUX)
    fragment = alone.note.split("[tool.upgrader] ", 1)[1]
    assert tomllib.loads(fragment) == {"replace-requirements": {"psycopg2": "psycopg2-binary"}}
    # On the Python its wheel is for, nothing to say.
    assert source_builds([("psycopg2", "2.8.6")], "3.8", index, platforms=LINUX) == ()


def test_the_plan_checks_the_resolved_set_transitive_packages_included(
    tmp_path: Path, local_index: LocalIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """app 1.0 needs lib<2; lib 1.0 has a wheel for CPython 3.8 only: the hop to Python 3.12
    says lib would build from source, before anything is written."""
    import upgrader.deps.plan as plan_module

    local_index.add("Django", "4.2.2").add("app", "1.0", requires_dist=("lib<2",))
    local_index.add("lib", "1.0").build()
    for listing in (local_index.simple / "lib").iterdir():
        text = listing.read_text().replace("-py3-none-any.", "-cp38-cp38-manylinux1_x86_64.")
        listing.write_text(text)

    def resolved(*args: object, **kwargs: object) -> Resolution:
        text = "django==4.2.2\napp==1.0\nlib==1.0\n"
        pins = (("app", "1.0"), ("django", "4.2.2"), ("lib", "1.0"))
        return Resolution(Target("4.2", "3.12"), "uv", "", pins, text, ())

    monkeypatch.setattr(plan_module, "resolve_dependencies", resolved)
    root = tmp_path / "project"
    root.mkdir()
    (root / "requirements.txt").write_text("Django==4.2.2\napp==1.0\n")
    source, target = get_release("3.2"), get_release("4.2")
    assert source is not None and target is not None
    plan = plan_dependencies(
        root,
        read_declared(root),
        Hop(source, target, "3.8", "3.12"),
        index=local_index.client(tmp_path / "cache"),
        config=IndexConfig(local_index.url),
        resolve=True,
        as_of=None,
        baseline={},
    )
    assert [(b.name, b.version) for b in plan.source_builds] == [("lib", "1.0")]
    assert any(n.startswith("lib 1.0 has no wheel for CPython 3.12") for n in plan.notes)


# uv 0.13's answers in real runs (reportlab 3.5.59 and pillow 8.4.0 for Python 3.12).
UV_NO_USABLE = (
    "error: No solution found when resolving dependencies\n"
    "  cause: Because reportlab==3.5.59 has no usable wheels and you require reportlab==3.5.59, "
    "we can conclude that your requirements are unsatisfiable.\n"
)
UV_NO_ABI = (
    "error: No solution found when resolving dependencies\n"
    "  cause: Because pillow==8.4.0 has no wheels with a matching Python ABI tag (e.g., `cp312`) "
    "and you require pillow==8.4.0, we can conclude that your requirements are unsatisfiable.\n"
)


def test_uv_dry_run_names_every_package_without_a_usable_wheel(tmp_path: Path) -> None:
    """uv names one package per run: it is asked again without it until the set passes."""
    runs: list[list[str]] = []
    answers = [UV_NO_USABLE, UV_NO_ABI, ""]

    def runner(
        argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float
    ) -> RunResult:
        runs.append(list(argv))
        error = answers[len(runs) - 1]
        return RunResult(1 if error else 0, "", error)

    uv = Resolver("uv", ("uv", "pip", "compile"))
    pins = [("pillow", "8.4.0"), ("reportlab", "3.5.59"), ("lxml", "5.2.1"), ("six", "1.16.0")]
    binary = {"pillow", "reportlab", "lxml"}
    config = IndexConfig("https://pypi.org/simple/")
    found = uv_source_builds(pins, binary, Target("4.2", "3.12"), config, uv, runner=runner)
    assert found == (("reportlab", "3.5.59"), ("pillow", "8.4.0"))
    only = [argv[argv.index("--only-binary") + 1] for argv in runs]
    assert only == ["lxml,pillow,reportlab", "lxml,pillow", "lxml"]
    assert all("--python-version" in argv and "3.12" in argv for argv in runs)
    # Another failure: uv cannot say; pip-compile is not asked.
    answers[:] = ["error: network unreachable"]
    runs.clear()
    assert uv_source_builds(pins, binary, Target("4.2", "3.12"), config, uv, runner=runner) is None
    pip_compile = Resolver("pip-compile", ("pip-compile",))
    assert uv_source_builds(pins, binary, Target("4.2", "3.12"), config, pip_compile) is None


def test_binary_packages_are_those_publishing_platform_wheels() -> None:
    index = _Index({"psycopg2": PSYCOPG2, "six": {"1.16.0": ["six-1.16.0-py2.py3-none-any.whl"]}})
    assert binary_packages(["psycopg2", "six", "not-listed"], index) == {"psycopg2"}
