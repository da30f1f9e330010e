"""Which Django the project runs today: pins, locks, ranges, conflicts, ``--from``."""

from __future__ import annotations

import pytest
from packaging.version import Version

from tests.detect.conftest import MakeTree, Tree
from upgrader.detect.django_version import (
    find_django_version,
    highest_allowed,
    highest_known_release,
    stale_lock_files,
    stale_locks,
)
from upgrader.detect.requirements import read_declared
from upgrader.errors import DetectionError, UsageError


@pytest.mark.parametrize(
    ("specifier", "expected"),
    [
        pytest.param("==2.2.28", "2.2.28", id="exact pin"),
        pytest.param("===2.2.28", "2.2.28", id="arbitrary equality"),
        pytest.param(">=2.1,<2.3", "2.2", id="range: highest allowed series"),
        pytest.param(">=2.0,<3", "2.2", id="below a major version"),
        pytest.param("<2.2.5", "2.2", id="patch-level upper bound"),
        pytest.param(">=2.2.10,<3.0", "2.2", id="patch-level lower bound"),
        pytest.param("~=2.2.0", "2.2", id="compatible release"),
        pytest.param("~=3.0", "3.2", id="compatible release of a major"),
        pytest.param("==3.1.*", "3.1", id="wildcard"),
        pytest.param("<=4.1", "4.1", id="inclusive bound"),
        pytest.param(">=2.0", None, id="unbounded"),
        pytest.param("", None, id="no specifier"),
        pytest.param("<1.5", None, id="no known release allowed"),
    ],
)
def test_highest_allowed(specifier: str, expected: str | None) -> None:
    assert highest_allowed(specifier) == (Version(expected) if expected else None)


def test_highest_known_release_skips_announced() -> None:
    release = highest_known_release("<100")
    assert release is not None
    assert release.status == "released"


@pytest.mark.parametrize(
    ("tree", "version", "source"),
    [
        pytest.param(
            {"requirements.txt": "Django==2.2.28\n"}, "2.2.28", "requirements.txt:1", id="pin"
        ),
        pytest.param(
            {"requirements.txt": "Django>=2.1,<2.3\n"},
            "2.2",
            "requirements.txt:1",
            id="range means its highest known series",
        ),
        pytest.param(
            {
                "setup.py": "setup(install_requires=['Django>=2.0'])\n",
                "requirements.in": "Django<3\n",
            },
            "2.2",
            "requirements.in:1",
            id="ranges are intersected",
        ),
        pytest.param(
            {
                "requirements.txt": "Django>=2.1,<2.3\n",
                "poetry.lock": '[[package]]\nname = "django"\nversion = "2.1.15"\n',
            },
            "2.1.15",
            "poetry.lock:2",
            id="lock wins over range",
        ),
        pytest.param(
            {
                "requirements.txt": "Django==2.2.20\n",
                "uv.lock": '[[package]]\nname = "django"\nversion = "2.2.28"\n',
                "poetry.lock": '[[package]]\nname = "django"\nversion = "2.2.1"\n',
            },
            "2.2.28",
            "uv.lock:2",
            id="conflicting lock and pin: uv.lock wins",
        ),
        pytest.param(
            {
                "requirements.txt": "-c constraints.txt\nDjango==2.2.1\n",
                "constraints.txt": "Django==2.2.28\n",
            },
            "2.2.28",
            "constraints.txt:1",
            id="constraints pin wins over requirements pin",
        ),
        pytest.param(
            {
                "requirements.in": "Django>=2.2,<3\n",
                "requirements.txt": "django==2.2.28 --hash=sha256:aa\n",
            },
            "2.2.28",
            "requirements.txt:1",
            id="compiled pin wins over its .in range",
        ),
        pytest.param(
            {
                "requirements.txt": "Django>=3.0,<3.2\n",
                "Pipfile": '[packages]\ndjango = "==2.2.28"\n',
            },
            "2.2.28",
            "Pipfile:2",
            id="conflicting pin and range: pin wins",
        ),
    ],
)
def test_find_django_version(make_tree: MakeTree, tree: Tree, version: str, source: str) -> None:
    declared = read_declared(make_tree(tree))
    found = find_django_version(declared)
    assert found.version == Version(version)
    assert found.source is not None
    assert str(found.source.evidence) == source
    assert len(found.requirements) == len(declared.named("django"))


def test_every_declaration_is_evidence(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            "requirements.txt": "Django>=3.0,<3.2\n",
            "Pipfile": '[packages]\ndjango = "==2.2.28"\n',
            "setup.py": "setup(install_requires=['Django'])\n",
        }
    )
    found = find_django_version(read_declared(root))
    assert [(r.kind, r.specifier, r.version) for r in found.requirements] == [
        ("requirements", "<3.2,>=3.0", Version("3.1")),
        ("setup.py", "*", None),
        ("pipfile", "==2.2.28", Version("2.2.28")),
    ]


@pytest.mark.parametrize(
    ("tree", "message"),
    [
        pytest.param({"requirements.txt": "Django\n"}, "without an upper bound", id="unpinned"),
        pytest.param(
            {"requirements.txt": "Django>=2.0\n"}, "without an upper bound", id="unbounded"
        ),
        pytest.param(
            {"requirements.txt": "-e git+https://x.org/django.git#egg=Django\n"},
            "without an upper bound",
            id="only a VCS checkout",
        ),
        pytest.param({"requirements.txt": "pytz\n"}, "no Django requirement", id="none"),
        pytest.param({}, "no Django requirement", id="no declarations at all"),
        pytest.param(
            {
                "requirements.txt": "Django<2.2\n",
                "setup.py": "setup(install_requires=['Django>=3'])",
            },
            "allow no known release together",
            id="ranges that exclude each other",
        ),
    ],
)
def test_unknown_version_asks_for_from(make_tree: MakeTree, tree: Tree, message: str) -> None:
    declared = read_declared(make_tree(tree))
    with pytest.raises(DetectionError, match=message) as info:
        find_django_version(declared)
    assert info.value.hint is not None
    assert "--from" in info.value.hint


@pytest.mark.parametrize(
    "tree",
    [
        pytest.param({"requirements.txt": "Django\n"}, id="unpinned"),
        pytest.param({"requirements.txt": "Django==2.2.28\n"}, id="pinned"),
        pytest.param({}, id="undeclared"),
    ],
)
def test_from_overrides_everything(make_tree: MakeTree, tree: Tree) -> None:
    declared = read_declared(make_tree(tree))
    found = find_django_version(declared, django_from="2.1")
    assert found.version == Version("2.1")
    assert found.source is None
    assert len(found.requirements) == len(declared.named("django"))


def test_from_is_validated(make_tree: MakeTree) -> None:
    with pytest.raises(UsageError, match="not a Django version"):
        find_django_version(read_declared(make_tree({})), django_from="two.two")


DUAL_PYTHON = 'Django==1.11.29; python_version < "3"\nDjango==2.2.28; python_version >= "3"\npytz\n'


@pytest.mark.parametrize(
    ("python", "version"),
    [
        pytest.param("2.7", "1.11.29", id="Python 2 line"),
        pytest.param("3.8", "2.2.28", id="Python 3 line"),
        pytest.param(None, "1.11.29", id="Python unknown: first pin"),
    ],
)
def test_markers_select_by_python(make_tree: MakeTree, python: str | None, version: str) -> None:
    declared = read_declared(make_tree({"requirements.txt": DUAL_PYTHON}))
    found = find_django_version(declared, python=python)
    assert found.version == Version(version)
    assert len(found.requirements) == 2


def test_no_django_found_names_the_declaration_files_it_could_not_use(
    make_tree: MakeTree,
) -> None:
    """The pin may sit in a file that could not be read: the error says which, and why."""
    root = make_tree({"requirements.txt": "-r requirements/base.txt\n"})
    (root / "requirements" / "base.txt").parent.mkdir()
    (root / "requirements" / "base.txt").write_bytes(b"# caf\xe9\nDjango==2.2.28\n")
    with pytest.raises(DetectionError) as info:
        find_django_version(read_declared(root))
    message = info.value.message
    assert message.startswith("no Django requirement found")
    assert "requirements/base.txt (not valid utf-8 (byte 5): save it as UTF-8)" in message
    assert info.value.hint is not None and "--from X.Y" in info.value.hint
    assert "named above" in info.value.hint


def test_no_django_found_without_skipped_files_keeps_its_message(make_tree: MakeTree) -> None:
    with pytest.raises(DetectionError) as info:
        find_django_version(read_declared(make_tree({"requirements.txt": "pytz\n"})))
    assert "could not use" not in info.value.message
    assert info.value.hint == (
        "Pass the version the project runs today with --from X.Y (e.g. --from 2.2), "
        "or declare Django in one of those files."
    )


_PIPFILE_LOCK = '{\n  "default": {\n    "django": {\n      "version": "==2.2.6"\n    }\n  }\n}\n'


@pytest.mark.parametrize(
    ("tree", "version", "source", "stale"),
    [
        pytest.param(
            {"Pipfile": '[packages]\ndjango = "==3.2.25"\n', "Pipfile.lock": _PIPFILE_LOCK},
            "3.2.25",
            "Pipfile:2",
            ["Pipfile.lock is stale (pins 2.2.6, Pipfile says ==3.2.25): run `pipenv lock`"],
            id="djangox after a hop without pipenv: Pipfile decides",
        ),
        pytest.param(
            {"Pipfile": '[packages]\ndjango = ">=3.2,<4.0"\n', "Pipfile.lock": _PIPFILE_LOCK},
            "3.2",
            "Pipfile:2",
            ["Pipfile.lock is stale (pins 2.2.6, Pipfile says <4.0,>=3.2): run `pipenv lock`"],
            id="a range the lock falls outside: the range decides, no conflict",
        ),
        pytest.param(
            {"Pipfile": '[packages]\ndjango = ">=2.2,<3.0"\n', "Pipfile.lock": _PIPFILE_LOCK},
            "2.2.6",
            "Pipfile.lock:3",
            [],
            id="a lock inside its declaration's range still decides",
        ),
        pytest.param(
            {
                "pyproject.toml": '[tool.poetry.dependencies]\ndjango = "^4.2"\n',
                "poetry.lock": '[[package]]\nname = "django"\nversion = "3.2.25"\n',
            },
            "4.2",
            "pyproject.toml:2",
            [
                "poetry.lock is stale (pins 3.2.25, pyproject.toml says <5.0,>=4.2): "
                "run `poetry lock`"
            ],
            id="poetry.lock behind its caret constraint",
        ),
        pytest.param(
            {
                "requirements.txt": "Django==3.2.25\n",
                "Pipfile.lock": _PIPFILE_LOCK,
            },
            "2.2.6",
            "Pipfile.lock:3",
            [],
            id="a requirements.txt pin is not the lock's declaration: the lock decides",
        ),
    ],
)
def test_stale_lock_does_not_decide(
    make_tree: MakeTree, tree: Tree, version: str, source: str, stale: list[str]
) -> None:
    declared = read_declared(make_tree(tree))
    found = find_django_version(declared)
    assert found.version == Version(version)
    assert found.source is not None
    assert str(found.source.evidence) == source
    assert [s.message for s in found.stale] == stale
    assert [s.message for s in stale_locks(found.requirements)] == stale


def test_a_lock_matching_its_declaration_is_not_stale(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            "Pipfile": '[packages]\ndjango = "==3.2.25"\n',
            "Pipfile.lock": '{"default": {"django": {"version": "==3.2.25"}}}\n',
        }
    )
    found = find_django_version(read_declared(root), django_from="2.2")
    assert found.version == Version("2.2")
    assert found.stale == ()


def test_stale_lock_files_for_any_package(make_tree: MakeTree) -> None:
    lock = (
        '{\n  "default": {\n    "django": {\n      "version": "==3.2.25"\n    },\n'
        '    "django-allauth": {\n      "version": "==0.41.0"\n    }\n  }\n}\n'
    )
    pipfile = '[packages]\ndjango = "==3.2.25"\ndjango-allauth = "==0.55.0"\n'
    root = make_tree({"Pipfile": pipfile, "Pipfile.lock": lock})
    declared = read_declared(root).requirements
    assert stale_lock_files(declared) == frozenset({"Pipfile.lock"})  # allauth 0.41.0 is out
    fresh = make_tree({"Pipfile": pipfile.replace("0.55.0", "0.41.0"), "Pipfile.lock": lock})
    assert stale_lock_files(read_declared(fresh).requirements) == frozenset()
