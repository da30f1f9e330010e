"""The baseline's cut-off: the last dependency-file commit, never before the pinned Django."""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from packaging.version import Version

from upgrader.deps.era import baseline_cutoff, django_uploaded
from upgrader.deps.index import (
    CoreMetadata,
    DistFile,
    PackageIndexError,
    PackageReleases,
    ReleaseFiles,
    parse_timestamp,
)

UTC = timezone.utc


class _Index:
    """Django's listing with PEP 700 upload times (as PyPI's JSON gives them)."""

    def __init__(self, uploads: dict[str, list[str]] | None = None, fail: bool = False) -> None:
        self.uploads = uploads or {}
        self.fail = fail

    def releases(self, name: str) -> PackageReleases:
        if self.fail:
            raise PackageIndexError("cannot reach https://pypi.org/simple/django/")
        return PackageReleases(
            name,
            tuple(
                ReleaseFiles(
                    Version(v),
                    tuple(
                        DistFile(f"Django-{v}-{i}.whl", f"https://x/{v}/{i}", upload_time=t)
                        for i, t in enumerate(times)
                    ),
                )
                for v, times in self.uploads.items()
            ),
        )

    def metadata(self, name: str, release: ReleaseFiles) -> CoreMetadata:
        raise AssertionError("not needed")


def _git(root: Path, *args: str, date: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    if date:
        env["GIT_COMMITTER_DATE"] = env["GIT_AUTHOR_DATE"] = date
    subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)


def _commit(root: Path, files: dict[str, str], date: str) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    _git(root, "add", *files)
    _git(root, "commit", "-m", "c", date=date)


def _repo(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    _git(root, "init", "-q")
    return root


DJANGO_2_2_4 = {"2.2.4": ["2019-08-01T08:57:06.000Z", "2019-08-01T08:57:11.5Z"]}


def test_last_commit_touching_a_dependency_file_not_head(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    _commit(root, {"requirements.txt": "Django==2.2.4\nfaker\n"}, "2019-09-10T12:00:00+02:00")
    _commit(root, {"app/views.py": "x = 1\n"}, "2020-03-01T00:00:00+00:00")
    got = baseline_cutoff(root, Version("2.2.4"), index=_Index(DJANGO_2_2_4))
    assert got == datetime(2019, 9, 10, 10, 0, tzinfo=UTC)


def test_nested_requirement_files_and_setup_py_count(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    _commit(root, {"README": "x\n"}, "2019-01-01T00:00:00Z")
    _commit(root, {"requirements/test.txt": "pytest\n"}, "2019-10-01T00:00:00Z")
    _commit(root, {"setup.py": "from setuptools import setup\nsetup()\n"}, "2019-11-05T00:00:00Z")
    _commit(root, {"docs/x.rst": "x\n"}, "2021-01-01T00:00:00Z")
    got = baseline_cutoff(root, Version("2.2.4"), index=_Index(DJANGO_2_2_4))
    assert got == datetime(2019, 11, 5, tzinfo=UTC)


def test_head_when_no_dependency_file_was_committed(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    _commit(root, {"manage.py": "x\n"}, "2019-12-24T00:00:00Z")
    got = baseline_cutoff(root, Version("2.2.4"), index=_Index(DJANGO_2_2_4))
    assert got == datetime(2019, 12, 24, tzinfo=UTC)


def test_never_before_the_pinned_django_was_uploaded(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    # An imported history with old dates: the pin names a Django released later.
    _commit(root, {"requirements.txt": "Django==2.2.4\n"}, "2019-03-01T00:00:00Z")
    got = baseline_cutoff(root, Version("2.2.4"), index=_Index(DJANGO_2_2_4))
    # The last of the release's files, so the wheel and the sdist are both there.
    assert got == datetime(2019, 8, 1, 8, 57, 11, 500000, tzinfo=UTC)


def test_floor_from_the_series_release_date_when_the_index_cannot_say(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    _commit(root, {"requirements.txt": "Django==2.2.4\n"}, "2018-03-01T00:00:00Z")
    got = baseline_cutoff(root, Version("2.2.4"), index=_Index(fail=True))
    assert got == datetime(2019, 4, 1, tzinfo=UTC)  # Django 2.2's release date
    assert django_uploaded(Version("2.2.4"), _Index({"2.2.4": []})) == got


def test_rev_dates_the_users_branch_not_the_hops_commits(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    _commit(root, {"requirements.txt": "Django==2.2.4\n"}, "2019-09-01T00:00:00Z")
    _git(root, "tag", "before")
    _commit(root, {"requirements.txt": "Django==3.2.25\n"}, "2026-12-01T00:00:00Z")
    index = _Index(DJANGO_2_2_4)
    assert baseline_cutoff(root, Version("2.2.4"), rev="before", index=index) == datetime(
        2019, 9, 1, tzinfo=UTC
    )


def test_none_without_history(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    assert baseline_cutoff(plain, Version("2.2"), index=_Index(fail=True)) is None
    empty = _repo(tmp_path)
    assert baseline_cutoff(empty, Version("2.2"), index=_Index(fail=True)) is None


def test_upload_time_is_read_from_pep_691_json() -> None:
    from upgrader.deps.index import parse_json_listing

    files = parse_json_listing(
        {
            "files": [
                {
                    "filename": "Django-2.2.4-py3-none-any.whl",
                    "url": "https://files/Django-2.2.4-py3-none-any.whl",
                    "hashes": {},
                    "upload-time": "2019-08-01T08:57:06.370734Z",
                }
            ]
        },
        "https://pypi.org/simple/django/",
    )
    assert files[0].uploaded == datetime(2019, 8, 1, 8, 57, 6, 370734, tzinfo=UTC)
    assert parse_timestamp("not a date") is None


def test_a_project_in_a_subfolder_is_dated_by_the_files_at_the_top(tmp_path: Path) -> None:
    """django-oscar: sandbox/ is the project, ../setup.py declares Django."""
    top = _repo(tmp_path)
    _commit(
        top, {"setup.py": "setup(install_requires=['Django==2.2.4'])\n"}, "2019-09-01T00:00:00Z"
    )
    _commit(top, {"sandbox/manage.py": "x\n", "src/app.py": "x\n"}, "2019-12-01T00:00:00Z")
    got = baseline_cutoff(top / "sandbox", Version("2.2.4"), index=_Index(DJANGO_2_2_4))
    assert got == datetime(2019, 9, 1, tzinfo=UTC)


def test_reuploaded_packages_are_exempt_only_before_their_re_upload() -> None:
    from upgrader.deps.era import reuploaded_exemptions

    assert reuploaded_exemptions(datetime(2020, 3, 1, tzinfo=UTC)) == {
        "atomicwrites": datetime(2022, 7, 9, 4, 9, 10, tzinfo=UTC)
    }
    assert reuploaded_exemptions(datetime(2020, 3, 1)) == reuploaded_exemptions(
        datetime(2020, 3, 1, tzinfo=UTC)
    )  # naive: UTC
    assert reuploaded_exemptions(datetime(2023, 1, 1, tzinfo=UTC)) == {}
