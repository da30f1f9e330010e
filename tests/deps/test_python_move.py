"""A hop that moves Python: a binary package whose kept release predates the new Python and was
not made for it moves to the first release that was (FINDINGS F29: psycopg2 2.8.4 on 3.12)."""

from __future__ import annotations

from packaging.version import Version

from tests.deps.helpers import declared
from upgrader.deps.choose import choose_versions
from upgrader.deps.index import CoreMetadata, DistFile, PackageIndexError, PackageReleases
from upgrader.deps.listing import ReleaseFiles
from upgrader.deps.model import Choice, Choices, Target

LINUX = ["manylinux_2_17_x86_64", "manylinux2014_x86_64", "linux_x86_64"]

# name -> version -> (upload day, files, Python classifiers)
Rows = dict[str, dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]]

ROWS: Rows = {
    "django": {
        "6.1": ("2026-08-01", ("django-6.1-py3-none-any.whl",), ("3.12",)),
    },
    # psycopg2 publishes Windows wheels only: on Linux every release installs from its sdist.
    "psycopg2": {
        "2.8.4": (
            "2019-10-20",
            ("psycopg2-2.8.4.tar.gz", "psycopg2-2.8.4-cp38-cp38-win_amd64.whl"),
            ("3.7", "3.8"),
        ),
        "2.9.1": (
            "2021-06-16",
            ("psycopg2-2.9.1.tar.gz", "psycopg2-2.9.1-cp39-cp39-win_amd64.whl"),
            ("3.8", "3.9"),
        ),
        "2.9.9": (
            "2023-10-03",
            ("psycopg2-2.9.9.tar.gz", "psycopg2-2.9.9-cp312-cp312-win_amd64.whl"),
            ("3.11", "3.12"),
        ),
    },
    # Declares 3.12 by classifier only (no wheel for it anywhere).
    "lib": {
        "1.0": ("2020-01-01", ("lib-1.0.tar.gz", "lib-1.0-cp38-cp38-win_amd64.whl"), ("3.8",)),
        "1.1": ("2022-01-01", ("lib-1.1.tar.gz", "lib-1.1-cp310-cp310-win_amd64.whl"), ()),
        "1.2": ("2024-01-01", ("lib-1.2.tar.gz",), ("3.12",)),
    },
    # Uploaded after Python 3.12 came out, declaring nothing: nothing says it was made without it.
    "late": {
        "1.0": ("2024-03-01", ("late-1.0.tar.gz", "late-1.0-cp311-cp311-win_amd64.whl"), ()),
        "2.0": ("2025-03-01", ("late-2.0.tar.gz", "late-2.0-cp312-cp312-win_amd64.whl"), ()),
    },
    # Pure Python: its wheel installs on any Python; a classifier never moves it.
    "requests": {
        "2.22.0": ("2019-05-16", ("requests-2.22.0-py2.py3-none-any.whl",), ("3.7",)),
        "2.31.0": ("2023-05-22", ("requests-2.31.0-py3-none-any.whl",), ("3.12",)),
    },
}


class _Index:
    def __init__(self, rows: Rows) -> None:
        self.rows = rows

    def releases(self, name: str) -> PackageReleases:
        if name not in self.rows:
            raise PackageIndexError(f"{name} is not on the index")
        return PackageReleases(
            name,
            tuple(
                ReleaseFiles(
                    Version(version),
                    tuple(
                        DistFile(f, f"https://x/{f}", upload_time=f"{day}T12:00:00Z") for f in files
                    ),
                )
                for version, (day, files, _pythons) in self.rows[name].items()
            ),
        )

    def metadata(self, name: str, release: ReleaseFiles) -> CoreMetadata:
        _day, _files, pythons = self.rows[name][str(release.version)]
        return CoreMetadata(
            name,
            release.version,
            classifiers=tuple(f"Programming Language :: Python :: {p}" for p in pythons),
        )


def _choose(*raw: str, python_from: str | None) -> Choices:
    return choose_versions(
        [declared("Django==5.2"), *(declared(r) for r in raw)],
        Target("6.1", "3.12"),
        _Index(ROWS),
        platforms=LINUX,
        python_from=python_from,
    )


def _only(result: Choices, name: str) -> Choice:
    (found,) = [c for c in result.choices if c.name == name]
    return found


def test_a_binary_release_older_than_the_new_python_moves_to_the_first_made_for_it() -> None:
    result = _choose("psycopg2==2.8.4", "lib==1.0", python_from="3.10")
    psycopg2 = _only(result, "psycopg2")
    assert psycopg2.chosen == "2.9.9"  # the first with a cp312 wheel (for Windows)
    assert (
        "psycopg2 2.8.4 predates Python 3.12 and has neither a wheel for it nor a classifier "
        "declaring it"
    ) in psycopg2.reason
    assert "2.9.9 is the first release that declares Python 3.12" in psycopg2.reason
    # Still an sdist on Linux: said, as before.
    assert "only an sdist fits CPython 3.12 on manylinux_2_17_x86_64" in psycopg2.reason
    assert _only(result, "lib").chosen == "1.2"  # the classifier is enough


def test_nothing_moves_without_a_python_move_or_for_what_came_after_it() -> None:
    kept = _choose("psycopg2==2.8.4", python_from="3.12")
    assert _only(kept, "psycopg2").chosen == "2.8.4"  # the project already ran it there
    later = _choose("late==1.0", "requests==2.22.0", python_from="3.10")
    assert _only(later, "late").chosen == "1.0"  # uploaded after 3.12 came out
    assert _only(later, "requests").chosen == "2.22.0"  # pure Python: its wheel fits any
    assert "predates" not in _only(later, "requests").reason
