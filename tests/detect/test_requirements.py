"""Every dependency declaration format ``read_declared`` understands."""

from __future__ import annotations

import json

import pytest

from tests.detect.conftest import MakeTree, Tree
from upgrader.detect.requirements import DeclaredSet, poetry_to_pep440, read_declared

Row = tuple[str, str, str, str]  # name, specifier, kind, evidence ("file:line")


def rows(declared: DeclaredSet) -> list[Row]:
    return [(r.name, r.specifier, r.kind, str(r.evidence)) for r in declared.requirements]


def skipped_names(declared: DeclaredSet) -> list[str]:
    return [s.path.name for s in declared.skipped]


@pytest.mark.parametrize(
    ("tree", "expected"),
    [
        pytest.param(
            {"requirements.txt": "Django==2.2.28\npytz  # a comment\n\n# only a comment\n"},
            [
                ("django", "==2.2.28", "requirements", "requirements.txt:1"),
                ("pytz", "", "requirements", "requirements.txt:2"),
            ],
            id="requirements.txt pins and comments",
        ),
        pytest.param(
            {"requirements.txt": "Django>=2.1,\\\n    <2.3  # continued\nsix\n"},
            [
                ("django", "<2.3,>=2.1", "requirements", "requirements.txt:1"),
                ("six", "", "requirements", "requirements.txt:3"),
            ],
            id="line continuation keeps the first line number",
        ),
        pytest.param(
            {
                "requirements.txt": (
                    "--index-url https://example.org/simple\n"
                    "-i https://example.org/simple\n"
                    "--find-links ./wheels\n"
                    "Django==2.2.28 \\\n"
                    "    --hash=sha256:aaaa \\\n"
                    "    --hash=sha256:bbbb\n"
                )
            },
            [("django", "==2.2.28", "requirements", "requirements.txt:4")],
            id="hashes and index options",
        ),
        pytest.param(
            {"requirements.txt": 'celery[redis,msgpack]>=4.4; python_version < "3.8"\n'},
            [("celery", ">=4.4", "requirements", "requirements.txt:1")],
            id="extras and markers",
        ),
        pytest.param(
            {
                "requirements.txt": (
                    "-e git+https://github.com/org/app.git@v1#egg=My_App\n"
                    "-e .\n"
                    "https://example.org/pkg-1.0.tar.gz#egg=pkg\n"
                    "./vendor/thing\n"
                    "other @ https://example.org/other-2.0.zip\n"
                    "wheels/Some.Lib-1.0-py3-none-any.whl\n"
                    "https://example.org/dl/thing_two-2.1.tar.gz\n"
                )
            },
            [
                ("my-app", "", "editable", "requirements.txt:1"),
                ("", "", "editable", "requirements.txt:2"),
                ("pkg", "", "url", "requirements.txt:3"),
                ("", "", "url", "requirements.txt:4"),
                ("other", "", "url", "requirements.txt:5"),
                ("some-lib", "", "url", "requirements.txt:6"),
                ("thing-two", "", "url", "requirements.txt:7"),
            ],
            id="editable and URL lines have no specifier",
        ),
        pytest.param(
            {
                "requirements/base.txt": "Django>=2.2,<3\n",
                "requirements/dev.txt": "-r base.txt\npytest-django\n",
                "requirements/prod.txt": "-rbase.txt\n--requirement=base.txt\ngunicorn\n",
            },
            [
                ("django", "<3,>=2.2", "requirements", "requirements/base.txt:1"),
                ("pytest-django", "", "requirements", "requirements/dev.txt:2"),
                ("gunicorn", "", "requirements", "requirements/prod.txt:3"),
            ],
            id="requirements folder with includes, each file read once",
        ),
        pytest.param(
            {
                "requirements.in": "-c constraints/pins.txt\nDjango\n",
                "constraints/pins.txt": "-r more.txt\nDjango==2.2.28\n",
                "constraints/more.txt": "pytz==2019.3\n",
            },
            [
                ("django", "", "requirements", "requirements.in:2"),
                ("django", "==2.2.28", "constraints", "constraints/pins.txt:2"),
                ("pytz", "==2019.3", "constraints", "constraints/more.txt:1"),
            ],
            id="-c includes are constraints, and so is what they include",
        ),
        pytest.param(
            {
                "pyproject.toml": (
                    "[project]\n"
                    'name = "site"\n'
                    'dependencies = ["Django>=2.2,<3.0", "requests"]\n'
                    "[project.optional-dependencies]\n"
                    'test = ["pytest-django>=3.5"]\n'
                    "[dependency-groups]\n"
                    'lint = ["ruff"]\n'
                )
            },
            [
                ("django", "<3.0,>=2.2", "pep621", "pyproject.toml:3"),
                ("requests", "", "pep621", "pyproject.toml:3"),
                ("pytest-django", ">=3.5", "pep621", "pyproject.toml:5"),
                ("ruff", "", "pep735", "pyproject.toml:7"),
            ],
            id="PEP 621 dependencies, optional dependencies and PEP 735 groups",
        ),
        pytest.param(
            {
                "pyproject.toml": (
                    "[tool.poetry.dependencies]\n"
                    'python = "^3.8"\n'
                    'Django = "^2.2"\n'
                    'celery = { version = "~4.4", extras = ["redis"] }\n'
                    'pytz = "2019.*"\n'
                    'mylib = { git = "https://example.org/mylib.git" }\n'
                    'pytest = "^6.0"\n'
                    "[tool.poetry.group.dev.dependencies]\n"
                    'pytest = "6.2.5"\n'
                )
            },
            [
                ("django", "<3.0,>=2.2", "poetry", "pyproject.toml:3"),
                ("celery", "<4.5,>=4.4", "poetry", "pyproject.toml:4"),
                ("pytz", "==2019.*", "poetry", "pyproject.toml:5"),
                ("mylib", "", "url", "pyproject.toml:6"),
                ("pytest", "<7.0,>=6.0", "poetry", "pyproject.toml:7"),
                ("pytest", "==6.2.5", "poetry", "pyproject.toml:9"),
            ],
            id="Poetry tables converted to PEP 440",
        ),
        pytest.param(
            {
                "setup.py": (
                    "from setuptools import setup\n"
                    "REQUIRES = [\n"
                    '    "Django>=2.2,<3",\n'
                    "]\n"
                    "setup(\n"
                    '    name="site",\n'
                    "    install_requires=REQUIRES,\n"
                    '    extras_require={"test": ["pytest-django"]},\n'
                    ")\n"
                )
            },
            [
                ("django", "<3,>=2.2", "setup.py", "setup.py:3"),
                ("pytest-django", "", "setup.py", "setup.py:8"),
            ],
            id="setup.py install_requires through a module-level name",
        ),
        pytest.param(
            {
                "setup.py": (
                    "import setuptools\n"
                    'setuptools.setup(install_requires=["Django==2.2.28", some_call()])\n'
                )
            },
            [("django", "==2.2.28", "setup.py", "setup.py:2")],
            id="setup.py non-literal items are ignored",
        ),
        pytest.param(
            {
                "setup.cfg": (
                    "[metadata]\nname = site\n"
                    "[options]\n"
                    "install_requires =\n"
                    "    Django>=2.1,<2.3\n"
                    "    pytz\n"
                    "[options.extras_require]\n"
                    "test = pytest-django\n"
                )
            },
            [
                ("django", "<2.3,>=2.1", "setup.cfg", "setup.cfg:5"),
                ("pytz", "", "setup.cfg", "setup.cfg:6"),
                ("pytest-django", "", "setup.cfg", "setup.cfg:8"),
            ],
            id="setup.cfg install_requires and extras",
        ),
        pytest.param(
            {
                "Pipfile": (
                    "[packages]\n"
                    'django = "==2.2.28"\n'
                    'celery = {version = ">=4.4", extras = ["redis"]}\n'
                    'anything = "*"\n'
                    "[dev-packages]\n"
                    'pytest-django = "*"\n'
                    'anything = "==1.0"\n'
                )
            },
            [
                ("django", "==2.2.28", "pipfile", "Pipfile:2"),
                ("celery", ">=4.4", "pipfile", "Pipfile:3"),
                ("anything", "", "pipfile", "Pipfile:4"),
                ("pytest-django", "", "pipfile", "Pipfile:6"),
                ("anything", "==1.0", "pipfile", "Pipfile:7"),
            ],
            id="Pipfile packages and dev-packages",
        ),
        pytest.param(
            {
                "poetry.lock": (
                    '[[package]]\nname = "django"\nversion = "2.2.28"\n\n'
                    '[[package]]\nname = "pytz"\nversion = "2019.3"\n'
                )
            },
            [
                ("django", "==2.2.28", "poetry.lock", "poetry.lock:2"),
                ("pytz", "==2019.3", "poetry.lock", "poetry.lock:6"),
            ],
            id="poetry.lock",
        ),
        pytest.param(
            {
                "uv.lock": (
                    "version = 1\n"
                    '[[package]]\nname = "site"\nversion = "0.1.0"\nsource = { editable = "." }\n'
                    '[[package]]\nname = "django"\nversion = "2.2.28"\n'
                    'source = { registry = "https://pypi.org/simple" }\n'
                )
            },
            [("django", "==2.2.28", "uv.lock", "uv.lock:7")],
            id="uv.lock without the project itself",
        ),
        pytest.param(
            {
                "Pipfile.lock": json.dumps(
                    {
                        "_meta": {},
                        "default": {"django": {"version": "==2.2.28", "hashes": []}},
                        "develop": {"pytest": {"version": "==6.2.5"}},
                    },
                    indent=4,
                )
            },
            [
                ("django", "==2.2.28", "pipfile.lock", "Pipfile.lock:4"),
                ("pytest", "==6.2.5", "pipfile.lock", "Pipfile.lock:10"),
            ],
            id="Pipfile.lock",
        ),
    ],
)
def test_read_declared(make_tree: MakeTree, tree: Tree, expected: list[Row]) -> None:
    declared = read_declared(make_tree(tree))
    assert rows(declared) == expected
    assert declared.skipped == ()


def test_include_loop_is_read_once_and_its_closing_line_named(make_tree: MakeTree) -> None:
    declared = read_declared(
        make_tree(
            {
                "requirements.txt": "-r requirements-dev.txt\nDjango==2.2.28\n",
                "requirements-dev.txt": "pytest\n-r requirements.txt\n",
            }
        )
    )
    assert rows(declared) == [
        ("pytest", "", "requirements", "requirements-dev.txt:1"),
        ("django", "==2.2.28", "requirements", "requirements.txt:2"),
    ]
    # The walk starts at requirements-dev.txt (sorted first): requirements.txt closes the loop.
    assert [(s.path.name, s.reason) for s in declared.skipped] == [
        (
            "requirements.txt",
            "line 1: -r requirements-dev.txt leads back to requirements-dev.txt "
            "(requirements-dev.txt -> requirements.txt -> requirements-dev.txt), an include "
            "loop: not followed (remove one of its -r/-c lines)",
        )
    ]


def test_a_file_including_itself_is_named(make_tree: MakeTree) -> None:
    declared = read_declared(
        make_tree({"requirements/base.txt": "Django==2.2.28\n-c ../requirements/base.txt\n"})
    )
    assert [str(r.evidence) for r in declared.requirements] == ["requirements/base.txt:1"]
    assert [s.reason for s in declared.skipped] == [
        "line 2: -c base.txt leads back to this file itself, an include loop: not followed "
        "(remove one of its -r/-c lines)"
    ]


def test_a_loop_between_two_top_level_files_is_found_whichever_is_read_first(
    make_tree: MakeTree,
) -> None:
    """Both files are roots of the walk: a breadth-first walk that marks files as seen never
    meets the loop; the depth-first check does."""
    declared = read_declared(
        make_tree(
            {
                "requirements/a.txt": "-r b.txt\n",
                "requirements/b.txt": "-r c.txt\nDjango==2.2.28\n",
                "requirements/c.txt": "-r a.txt\n",
            }
        )
    )
    assert [(s.path.name, s.reason.split(",")[0]) for s in declared.skipped] == [
        (
            "c.txt",
            "line 1: -r a.txt leads back to requirements/a.txt (requirements/a.txt -> "
            "requirements/b.txt -> requirements/c.txt -> requirements/a.txt)",
        )
    ]


def test_a_file_included_twice_is_no_loop(make_tree: MakeTree) -> None:
    declared = read_declared(
        make_tree(
            {
                "requirements.txt": "-r requirements/dev.txt\n-r requirements/base.txt\n",
                "requirements/dev.txt": "-r base.txt\npytest\n",
                "requirements/base.txt": "Django==2.2.28\n",
            }
        )
    )
    assert declared.skipped == ()
    assert len(declared.named("django")) == 1


def test_an_include_that_is_a_folder_is_named(make_tree: MakeTree) -> None:
    root = make_tree({"requirements.txt": "-r deps\nDjango==2.2.28\n", "deps/x.txt": ""})
    declared = read_declared(root)
    assert [(s.path.name, "not a regular file" in s.reason) for s in declared.skipped] == [
        ("deps", True)
    ]


def test_extras_markers_and_raw_are_kept(make_tree: MakeTree) -> None:
    line = 'celery[redis,msgpack]>=4.4; python_version < "3.8"'
    declared = read_declared(make_tree({"requirements.txt": line + " --hash=sha256:ab\n"}))
    (celery,) = declared.requirements
    assert celery.extras == ("msgpack", "redis")
    assert celery.marker == 'python_version < "3.8"'
    assert celery.raw == line


def test_direct_reference_keeps_its_marker(make_tree: MakeTree) -> None:
    line = 'other[x] @ https://example.org/other-2.0.zip ; python_version < "3.8"'
    (other,) = read_declared(make_tree({"requirements.txt": line + "\n"})).requirements
    assert (other.name, other.kind, other.extras) == ("other", "url", ("x",))
    assert other.marker == 'python_version < "3.8"'
    assert other.url == "https://example.org/other-2.0.zip"


def test_url_is_recorded(make_tree: MakeTree) -> None:
    declared = read_declared(make_tree({"requirements.txt": "-e git+https://x.org/a.git#egg=a\n"}))
    assert declared.requirements[0].url == "git+https://x.org/a.git"


def test_named_is_canonical(make_tree: MakeTree) -> None:
    declared = read_declared(make_tree({"requirements.txt": "Pytest_Django==4.5\n"}))
    assert [r.specifier for r in declared.named("pytest.django")] == ["==4.5"]


def test_files_lists_the_sources(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            "requirements.txt": "-r requirements/base.txt\n",
            "requirements/base.txt": "Django==2.2.28\n",
            "setup.py": "print('no setup call')\n",
        }
    )
    declared = read_declared(root)
    assert declared.files == (root / "requirements.txt", root / "requirements/base.txt")


@pytest.mark.parametrize(
    ("tree", "skipped", "expected"),
    [
        pytest.param(
            {"requirements.txt": "-r missing.txt\nDjango==2.2.28\n"},
            "missing.txt",
            [("django", "==2.2.28", "requirements", "requirements.txt:2")],
            id="missing include",
        ),
        pytest.param(
            {"requirements.txt": "Django==2.2.28\nnot a requirement!!\n"},
            "requirements.txt",
            [("django", "==2.2.28", "requirements", "requirements.txt:1")],
            id="invalid line, the rest is read",
        ),
        pytest.param(
            {"requirements.txt": b"Django==2.2.28\n# caf\xe9\n", "setup.cfg": ""},
            "requirements.txt",
            [],
            id="non-UTF-8 requirements file",
        ),
        pytest.param(
            {"setup.py": "setup(install_requires=['Django==2.2'\n", "Pipfile": "[packages\n"},
            "setup.py",
            [],
            id="setup.py syntax error",
        ),
        pytest.param(
            {"pyproject.toml": "[project\ndependencies = []\n", "requirements.txt": "six\n"},
            "pyproject.toml",
            [("six", "", "requirements", "requirements.txt:1")],
            id="invalid TOML",
        ),
        pytest.param(
            {"Pipfile.lock": "{not json", "requirements.txt": "six\n"},
            "Pipfile.lock",
            [("six", "", "requirements", "requirements.txt:1")],
            id="invalid JSON lock",
        ),
        pytest.param(
            {"pyproject.toml": '[tool.poetry.dependencies]\nDjango = "^2.2 || ^3.0"\n'},
            "pyproject.toml",
            [],
            id="Poetry constraint without a PEP 440 equivalent",
        ),
    ],
)
def test_bad_input_is_skipped(
    make_tree: MakeTree, tree: Tree, skipped: str, expected: list[Row]
) -> None:
    declared = read_declared(make_tree(tree))
    assert skipped in skipped_names(declared)
    assert rows(declared) == expected
    assert all(s.reason for s in declared.skipped)


def test_symlink_leaving_the_tree_is_skipped(make_tree: MakeTree) -> None:
    root = make_tree({"setup.cfg": ""})
    outside = root.parent / "elsewhere.txt"
    outside.write_text("Django==1.0\n")
    (root / "requirements.txt").symlink_to(outside)
    declared = read_declared(root)
    assert declared.requirements == ()
    assert [(s.path.name, "outside the project" in s.reason) for s in declared.skipped] == [
        ("requirements.txt", True)
    ]


@pytest.mark.parametrize(
    ("poetry", "pep440"),
    [
        pytest.param("^2.2", ">=2.2,<3.0", id="caret"),
        pytest.param("^2.2.3", ">=2.2.3,<3.0.0", id="caret with patch"),
        pytest.param("^0.2.3", ">=0.2.3,<0.3.0", id="caret below 1.0"),
        pytest.param("^0.0.3", ">=0.0.3,<0.0.4", id="caret below 0.1"),
        pytest.param("~2.2", ">=2.2,<2.3", id="tilde"),
        pytest.param("~2.2.5", ">=2.2.5,<2.3.0", id="tilde with patch"),
        pytest.param("~2", ">=2,<3", id="tilde major only"),
        pytest.param("~=2.2", "~=2.2", id="compatible release kept"),
        pytest.param("2.2.*", "==2.2.*", id="wildcard"),
        pytest.param("2.2.28", "==2.2.28", id="bare version"),
        pytest.param("=2.2.28", "==2.2.28", id="single equals"),
        pytest.param(">=2.1,<2.3", ">=2.1,<2.3", id="comma range"),
        pytest.param(">=2.1 <2.3", ">=2.1,<2.3", id="space range"),
        pytest.param(">= 2.1, < 2.3", ">=2.1,<2.3", id="spaces after operators"),
        pytest.param("===2.2.28", "===2.2.28", id="arbitrary equality"),
        pytest.param("*", "", id="any"),
        pytest.param("^2.2 || ^3.0", None, id="or has no equivalent"),
        pytest.param("^x.y", None, id="nonsense"),
    ],
)
def test_poetry_to_pep440(poetry: str, pep440: str | None) -> None:
    assert poetry_to_pep440(poetry) == pep440


@pytest.mark.parametrize(
    ("tree", "raw"),
    [
        pytest.param(
            {"Pipfile": '[packages]\ndjango = "==2.2.28"  # LTS\n'},
            'django = "==2.2.28"  # LTS',
            id="Pipfile",
        ),
        pytest.param(
            {"pyproject.toml": '[tool.poetry.dependencies]\nDjango = { version = "^2.2" }\n'},
            'Django = { version = "^2.2" }',
            id="Poetry",
        ),
        pytest.param(
            {"poetry.lock": '[[package]]\nname = "django"\nversion = "2.2.28"\n'},
            "django==2.2.28",
            id="lock",
        ),
    ],
)
def test_raw_of_table_entries(make_tree: MakeTree, tree: Tree, raw: str) -> None:
    (declared,) = read_declared(make_tree(tree)).requirements
    assert declared.raw == raw


def test_include_outside_the_root_is_read(make_tree: MakeTree) -> None:
    root = make_tree({"requirements.txt": "-r ../shared/base.txt\n"})
    (root.parent / "shared").mkdir()
    (root.parent / "shared/base.txt").write_text("Django==2.2.28\n")
    assert rows(read_declared(root)) == [
        ("django", "==2.2.28", "requirements", "../shared/base.txt:1")
    ]


def test_setup_cfg_file_directive(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            "setup.cfg": "[options]\ninstall_requires = file: deps/base.txt\n",
            "deps/base.txt": "Django==2.2.28\n",
        }
    )
    assert rows(read_declared(root)) == [("django", "==2.2.28", "requirements", "deps/base.txt:1")]


def test_invalid_pipfile_specifier_is_skipped(make_tree: MakeTree) -> None:
    declared = read_declared(make_tree({"Pipfile": '[packages]\ndjango = "2.2"\nsix = "*"\n'}))
    assert rows(declared) == [("six", "", "pipfile", "Pipfile:3")]
    assert [(s.path.name, "line 2" in s.reason) for s in declared.skipped] == [("Pipfile", True)]


OSCAR_SETUP_PY = """\
from setuptools import find_packages, setup

install_requires = [
    'django>=2.2,<3.2',
    # PIL is required for image fields
    'pillow>=6.0',
]

sorl_thumbnail_version = 'sorl-thumbnail>=12.6,<12.7'

test_requires = [
    'WebTest>=2.0,<2.1',
    sorl_thumbnail_version,
]

setup(
    name='django-oscar',
    install_requires=install_requires,
    extras_require={
        'test': test_requires,
        'sorl-thumbnail': [sorl_thumbnail_version],
    },
)
"""


def test_project_in_a_subfolder_reads_the_repository_top(make_tree: MakeTree) -> None:
    """django-oscar 3.0.0: the project is sandbox/ (its manage.py); Django is declared in the
    setup.py at the top of the repository, as a module-level list passed by name."""
    repo = make_tree(
        {
            ".git/HEAD": "ref: refs/heads/main\n",
            "setup.py": OSCAR_SETUP_PY,
            "requirements.txt": "-e .[test]\n",
            "sandbox/manage.py": "",
            "sandbox/settings.py": "",
            "src/oscar/__init__.py": "",
        }
    )
    declared = read_declared(repo / "sandbox")
    assert rows(declared) == [
        ("", "", "editable", "../requirements.txt:1"),
        ("django", "<3.2,>=2.2", "setup.py", "../setup.py:4"),
        ("pillow", ">=6.0", "setup.py", "../setup.py:6"),
        ("webtest", "<2.1,>=2.0", "setup.py", "../setup.py:12"),
        ("sorl-thumbnail", "<12.7,>=12.6", "setup.py", "../setup.py:9"),
        ("sorl-thumbnail", "<12.7,>=12.6", "setup.py", "../setup.py:9"),
    ]
    assert [r.evidence.detail for r in declared.named("sorl-thumbnail")] == [
        "extras_require: test",
        "extras_require: sorl-thumbnail",
    ]
    assert sorted(p.name for p in declared.files) == ["requirements.txt", "setup.py"]


def test_project_at_the_repository_top_reads_only_its_own_files(make_tree: MakeTree) -> None:
    root = make_tree({".git/HEAD": "", "requirements.txt": "Django==2.2.28\n"})
    (root.parent / "requirements.txt").write_text("Django==1.11\n")
    assert rows(read_declared(root)) == [
        ("django", "==2.2.28", "requirements", "requirements.txt:1")
    ]


def test_monorepo_subfolder_does_not_read_the_top(make_tree: MakeTree) -> None:
    """Two Django projects side by side: the top's files are about something else."""
    repo = make_tree(
        {
            ".git/HEAD": "",
            "requirements.txt": "Django==1.11\n",
            "one/manage.py": "",
            "one/requirements.txt": "Django==2.2.28\n",
            "two/manage.py": "",
        }
    )
    assert rows(read_declared(repo / "one")) == [
        ("django", "==2.2.28", "requirements", "requirements.txt:1")
    ]


def test_tests_require_is_read_apart_from_the_declarations(make_tree: MakeTree) -> None:
    """F6: tests_require is no dependency of the package (its Django>=1.11 must not decide the
    project's Django); read_tests_require reads it for the test environment."""
    from upgrader.detect.requirements import read_tests_require

    root = make_tree(
        {
            "setup.py": (
                "from setuptools import setup\n"
                "setup(install_requires=['six'], tests_require=['Django>=1.11', 'mock==1.0.1'])\n"
            ),
            "setup.cfg": "[options]\ntests_require =\n    freezegun\n    not a requirement!\n",
        }
    )
    declared = read_declared(root)
    assert [r.name for r in declared.requirements] == ["six"]
    found = read_tests_require(root)
    assert [(r.name, r.specifier, r.kind, str(r.evidence)) for r in found] == [
        ("django", ">=1.11", "tests_require", "setup.py:2"),
        ("mock", "==1.0.1", "tests_require", "setup.py:2"),
        ("freezegun", "", "tests_require", "setup.cfg:3"),
    ]
