"""Where a hop's unpinned packages start, URL requirements in the plan, INSTALLED_APPS."""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone
from pathlib import Path

from packaging.version import Version

from tests.deps.recorded import RecordedIndex
from upgrader.deps.apps import apps_in, installed_apps
from upgrader.deps.index import IndexConfig
from upgrader.deps.model import Target
from upgrader.deps.plan import plan_dependencies
from upgrader.deps.resolve import Resolver, RunResult, resolve_dependencies, rfc3339
from upgrader.detect.requirements import read_declared
from upgrader.hops import Hop, hop_path

UTC = timezone.utc


def _hops(to: str = "4.2", python: str = "3.8") -> list[Hop]:
    return hop_path(Version("2.2"), python, to=to, find_interpreter=lambda _v: None)


def _project(tmp_path: Path, requirements: str) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "requirements.txt").write_text(requirements)
    return root


def test_first_hop_starts_from_the_baseline_as_of_the_cutoff(tmp_path: Path) -> None:
    root = _project(tmp_path, "Django==2.2.13\nfaker\npytz\n")
    hop = _hops()[0]
    plan = plan_dependencies(
        root,
        read_declared(root),
        hop,
        index=RecordedIndex(),
        config=IndexConfig(),
        as_of=datetime(2020, 6, 15, tzinfo=UTC),
        installed_apps=(),
    )
    rows = {c.name: c for c in plan.choices}
    assert (rows["faker"].current, rows["faker"].chosen) == ("4.1.0", "4.1.0")
    assert rows["pytz"].chosen == "2020.1"
    assert dict(plan.baseline) == {"faker": "4.1.0", "pytz": "2020.1"}
    (note,) = [n for n in plan.notes if n.startswith("unpinned requirements start")]
    assert "as of 2020-06-15T00:00:00Z for Django 2.2.13 on Python 3.8" in note
    assert "faker 4.1.0, pytz 2020.1" in note


def test_later_hops_start_from_the_previous_choice_and_still_say_unpinned(
    tmp_path: Path,
) -> None:
    root = _project(tmp_path, "Django==2.2.13\nfaker\n")
    declared = read_declared(root)
    index = RecordedIndex()
    first, second = _hops()[:2]
    plan = plan_dependencies(
        root, declared, first, index=index, config=IndexConfig(), baseline={"faker": "4.1.0"}
    )
    again = plan_dependencies(
        root, declared, second, index=index, config=IndexConfig(), previous=plan
    )
    faker = next(c for c in again.choices if c.name == "faker")
    assert faker.chosen == "4.1.0"
    assert faker.reason.startswith("unpinned: kept at what the previous hop chose, 4.1.0")


def test_a_step_after_the_first_starts_from_the_stage_constraints(tmp_path: Path) -> None:
    root = _project(tmp_path, "Django==3.2.25\nfaker\n")
    stage = root / ".upgrader" / "constraints"
    stage.mkdir(parents=True)
    (stage / "django-3.2.txt").write_text("django==3.2.25\nfaker==4.1.0\n")
    hop = hop_path(Version("3.2"), "3.8", to="4.2", find_interpreter=lambda _v: None)[0]
    plan = plan_dependencies(
        root, read_declared(root), hop, index=RecordedIndex(), config=IndexConfig()
    )
    faker = next(c for c in plan.choices if c.name == "faker")
    assert faker.reason.startswith(
        "unpinned: kept at what the Django 3.2 stage (.upgrader/constraints/django-3.2.txt) "
        "installed, 4.1.0"
    )


def test_direct_url_requirements_are_in_the_plan(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        "Django==2.2.13\n"
        "-e git+https://github.com/x/django-foo.git@abc#egg=django-foo\n"
        "bar @ git+https://github.com/x/bar.git@v1\n"
        "-e .\n",
    )
    plan = plan_dependencies(
        root,
        read_declared(root),
        _hops()[0],
        index=RecordedIndex(),
        config=IndexConfig(),
        as_of=None,
    )
    faker = [c for c in plan.choices if c.name == "faker"]
    assert faker == []  # not declared here
    notes = [n for n in plan.notes if "direct" in n]
    assert len(notes) == 2
    assert notes[0].startswith("django-foo (requirements.txt:2: git+https://github.com/x/")
    assert "a direct editable URL requirement, kept as is" in notes[0]
    assert "unchecked for Django 3.2 on Python 3.8" in notes[1]


def test_installed_apps_are_read_from_settings(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "conf" / "settings").mkdir(parents=True)
    (root / "conf" / "settings" / "base.py").write_text(
        "INSTALLED_APPS = ['django.contrib.admin', 'markdown_deux']\n"
        "INSTALLED_APPS += ('sorl.thumbnail',)\n"
    )
    (root / "settings_local.py").write_text("INSTALLED_APPS = BASE + ['tinymce']\n")
    (root / "views.py").write_text("INSTALLED_APPS = ['not_settings']\n")
    assert installed_apps(root) == (
        "django.contrib.admin",
        "markdown_deux",
        "sorl.thumbnail",
        "tinymce",
    )
    assert apps_in("INSTALLED_APPS = [") == []


def test_exclude_newer_is_passed_to_uv_in_whole_seconds(tmp_path: Path) -> None:
    seen: list[list[str]] = []

    def runner(argv: object, **_kwargs: object) -> RunResult:
        assert isinstance(argv, list)
        seen.append(argv)
        return RunResult(0, "django==2.2.13\nfaker==4.1.0\n", "")

    moment = datetime(2019, 8, 1, 8, 57, 11, 500000, tzinfo=UTC)
    resolve_dependencies(
        (),
        Target("2.2", "3.7"),
        index=IndexConfig(),
        resolver=Resolver("uv", ("uv", "pip", "compile")),
        runner=runner,
        extra=["faker"],
        exclude_newer=moment,
    )
    argv = seen[0]
    assert argv[argv.index("--exclude-newer") + 1] == "2019-08-01T08:57:12Z"
    assert rfc3339(datetime(2020, 1, 1)) == "2020-01-01T00:00:00Z"


def test_the_cutoff_dates_a_real_history(tmp_path: Path) -> None:
    root = _project(tmp_path, "Django==2.2.13\nfaker\n")
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
        "GIT_AUTHOR_DATE": "2020-06-15T00:00:00Z",
        "GIT_COMMITTER_DATE": "2020-06-15T00:00:00Z",
        "PATH": "/usr/bin:/bin",
    }
    for args in (["init", "-q"], ["add", "requirements.txt"], ["commit", "-qm", "deps"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, env=env)
    plan = plan_dependencies(
        root, read_declared(root), _hops()[0], index=RecordedIndex(), config=IndexConfig()
    )
    assert dict(plan.baseline) == {"faker": "4.1.0"}


UV_FILTERED = """  x No solution found when resolving dependencies:
  `-> Because only the following versions of atomicwrites are available:
          atomicwrites<=1.4.1
      and pytest==4.5.0 depends on atomicwrites>=1.0, we can conclude that pytest==4.5.0 cannot
      be used.

      hint: `atomicwrites` was filtered by `exclude-newer` to only include packages uploaded
      before 2019-12-09T13:37:16Z. The latest version satisfying the requirement is v1.4.1.
"""


def test_a_package_reuploaded_since_the_cutoff_is_taken_as_today(tmp_path: Path) -> None:
    root = _project(tmp_path, "Django==2.2.13\npytest==4.5.0\nfaker\n")
    calls: list[list[str]] = []

    def runner(argv: object, **_kwargs: object) -> RunResult:
        assert isinstance(argv, list)
        calls.append(argv)
        if len(calls) == 1:
            return RunResult(1, "", UV_FILTERED)
        return RunResult(0, "atomicwrites==1.4.1\nfaker==4.0.3\npytest==4.5.0\n", "")

    from upgrader.deps import start as start_module  # where the baseline is resolved

    real = resolve_dependencies

    def resolve(*args: object, **kwargs: object) -> object:
        return real(*args, runner=runner, **kwargs)  # type: ignore[arg-type]

    import pytest

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(start_module, "resolve_dependencies", resolve)
        plan = plan_dependencies(
            root,
            read_declared(root),
            _hops()[0],
            index=RecordedIndex(),
            config=IndexConfig(),
            as_of=datetime(2020, 6, 15, tzinfo=UTC),
            resolve=True,
            resolver=Resolver("uv", ("uv", "pip", "compile")),
            installed_apps=(),
        )
    first, second = calls[0], calls[1]
    assert "--exclude-newer-package" not in first
    assert second[second.index("--exclude-newer") + 1] == "2020-06-15T00:00:00Z"
    assert second[second.index("--exclude-newer-package") + 1].startswith("atomicwrites=")
    # The resolver's answer wins over the metadata's (4.1.0): it sees every requirement.
    assert dict(plan.baseline) == {"faker": "4.0.3"}
    (note,) = [n for n in plan.notes if n.startswith("unpinned requirements start")]
    assert "atomicwrites taken as today" in note


def test_without_history_the_reason_says_so(tmp_path: Path) -> None:
    root = _project(tmp_path, "Django==2.2.13\nfaker\n")
    plan = plan_dependencies(
        root, read_declared(root), _hops()[0], index=RecordedIndex(), config=IndexConfig()
    )
    faker = next(c for c in plan.choices if c.name == "faker")
    assert faker.chosen == "35.2.2"  # the newest for Python 3.8
    assert faker.reason.startswith(
        "unpinned: kept at what the baseline resolves to today (no git history to date it), 35.2.2"
    )
    assert any(n.startswith("no git history to date the baseline") for n in plan.notes)


def test_an_index_that_cannot_answer_blocks_instead_of_crashing(tmp_path: Path) -> None:
    from upgrader.deps.index import CoreMetadata, PackageIndexError, PackageReleases, ReleaseFiles

    class Gone:
        def releases(self, name: str) -> PackageReleases:
            raise PackageIndexError(f"{name} is not in the metadata cache")

        def metadata(self, name: str, release: ReleaseFiles) -> CoreMetadata:
            raise PackageIndexError(f"{name} is not in the metadata cache")

    root = _project(tmp_path, "Django>=2.2,<3\nfaker\n")
    plan = plan_dependencies(
        root, read_declared(root), _hops()[0], index=Gone(), config=IndexConfig(), as_of=None
    )
    assert [b.name for b in plan.blocked] == ["django"]
