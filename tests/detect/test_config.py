"""``[tool.upgrader]``: parsed values, and errors naming pyproject.toml and the key."""

from __future__ import annotations

import pytest

from tests.detect.conftest import MakeTree
from upgrader.detect.config import ConfigError, read_config
from upgrader.detect.config_check import check_against_project
from upgrader.detect.model import ReviewedItem
from upgrader.detect.sources import ProjectReader
from upgrader.errors import UpgraderError
from upgrader.project import ProjectConfig


def test_full_table(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            "pyproject.toml": (
                "[tool.upgrader]\n"
                'exclude = ["legacy/*", "*/migrations/*"]\n'
                'test-runner = "pytest"\n'
                "test-command = \"python -m pytest -k 'not slow'\"\n"
                'python = "3.10"\n'
                'settings = "mysite.settings.dev"\n'
            )
        }
    )
    assert read_config(ProjectReader(root)) == ProjectConfig(
        exclude=("legacy/*", "*/migrations/*"),
        test_runner="pytest",
        test_command=("python", "-m", "pytest", "-k", "not slow"),
        python="3.10",
        settings="mysite.settings.dev",
    )


def test_stage_environment_keys(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            "manage.py": "",  # the pre-test command runs it
            "pyproject.toml": (
                "[tool.upgrader]\n"
                'env = {CI = "true", WORKERS = 2, DEBUG = false}\n'
                'pre-test = ["python manage.py collectstatic --noinput"]\n'
                'test-requirements = ["pytest-xdist", "factory-boy<3"]\n'
                "extras = []\n"
                'build-constraints = ["setuptools<58"]\n'
                "[tool.upgrader.replace-requirements]\n"
                '"django-foo" = "django-foo==1.4"\n'
                '"git+https://example.org/x/bar.git" = ""\n'
            ),
        }
    )
    config = read_config(ProjectReader(root))
    assert config.env == (("CI", "true"), ("WORKERS", "2"), ("DEBUG", "false"))
    assert config.pre_test == ("python manage.py collectstatic --noinput",)
    assert config.test_requirements == ("pytest-xdist", "factory-boy<3")
    assert config.extras == ()  # named and empty: no extras at all (None: detect them)
    assert config.build_constraints == ("setuptools<58",)
    assert config.replace_requirements == (
        ("django-foo", "django-foo==1.4"),
        ("git+https://example.org/x/bar.git", ""),
    )
    assert ProjectConfig().extras is None


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(None, id="no pyproject.toml"),
        pytest.param('[project]\nname = "x"\n', id="no [tool.upgrader]"),
        pytest.param("[tool.upgrader]\n", id="empty table"),
        pytest.param("[tool.upgrader\n", id="invalid TOML is skipped, not fatal"),
    ],
)
def test_defaults(make_tree: MakeTree, content: str | None) -> None:
    root = make_tree({} if content is None else {"pyproject.toml": content})
    assert read_config(ProjectReader(root)) == ProjectConfig()


@pytest.mark.parametrize(
    ("table", "key"),
    [
        pytest.param('exclude = "legacy/*"', "exclude", id="exclude not a list"),
        pytest.param("exclude = [1]", "exclude", id="exclude not strings"),
        pytest.param('test-runner = "nose"', "test-runner", id="unknown runner"),
        pytest.param("test-command = []", "test-command", id="command not a string"),
        pytest.param(
            'test-command = "pytest \'unclosed"', "test-command", id="command unsplittable"
        ),
        pytest.param("python = 3.10", "python", id="python as a float"),
        pytest.param('python = "3"', "python", id="python without minor"),
        pytest.param('settings = "my-site/settings.py"', "settings", id="settings not a module"),
        pytest.param('test_runner = "pytest"', "test_runner", id="unknown key (typo)"),
        pytest.param('env = ["CI=true"]', "env", id="env not a table"),
        pytest.param('env = {"1X" = "a"}', "env", id="env bad name"),
        pytest.param('env = {X = ["a"]}', "env", id="env value not a string"),
        pytest.param('env = {X = "a\\nb"}', "env", id="env value with a newline"),
        pytest.param('pre-test = "make assets"', "pre-test", id="pre-test not a list"),
        pytest.param('pre-test = ["echo \'x"]', "pre-test", id="pre-test unsplittable"),
        pytest.param('test-requirements = ["pytest-xdist>>1"]', "test-requirements", id="bad req"),
        pytest.param('extras = "test"', "extras", id="extras not a list"),
        pytest.param('extras = ["te st"]', "extras", id="extras bad name"),
        pytest.param('build-constraints = ["setuptools<<58"]', "build-constraints", id="bad cap"),
        pytest.param('replace-requirements = ["x"]', "replace-requirements", id="map not a table"),
        pytest.param(
            'replace-requirements = {x = "x=="}', "replace-requirements", id="map to a bad req"
        ),
        pytest.param("replace-requirements = {x = 1}", "replace-requirements", id="map to int"),
        pytest.param("target = 4.2", "target", id="target as a float"),
        pytest.param('target = "1.8"', "target", id="target upgrader does not know"),
        pytest.param('target = "4.2.3"', "target", id="target a patch release"),
        pytest.param('target = "next"', "target", id="target an unknown word"),
        pytest.param('reviewed = "x a.py"', "reviewed", id="reviewed not a list"),
        pytest.param('reviewed = ["model-choice-iterator-value"]', "reviewed", id="no path"),
        pytest.param('reviewed = ["no-such-id a.py"]', "reviewed", id="unknown catalogue id"),
        pytest.param(
            'reviewed = ["model-choice-iterator-value ../a.py"]', "reviewed", id="path outside"
        ),
    ],
)
def test_invalid_values(make_tree: MakeTree, table: str, key: str) -> None:
    root = make_tree({"pyproject.toml": f"[tool.upgrader]\n{table}\n"})
    with pytest.raises(ConfigError) as info:
        read_config(ProjectReader(root))
    error = info.value
    assert isinstance(error, UpgraderError)
    assert "pyproject.toml" in error.message
    assert f"[tool.upgrader] {key} " in error.message
    assert error.hint


def test_not_a_table(make_tree: MakeTree) -> None:
    root = make_tree({"pyproject.toml": '[tool]\nupgrader = "yes"\n'})
    with pytest.raises(ConfigError, match=r"pyproject.toml: \[tool.upgrader\] must be a table"):
        read_config(ProjectReader(root))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(b'[tool.upgrader\nexclude = ["vendor/*"]\n', "invalid TOML", id="toml"),
        pytest.param(bytes(range(256)), "not valid utf-8", id="binary"),
    ],
)
def test_unreadable_pyproject_is_an_error_when_strict(
    make_tree: MakeTree, data: bytes, reason: str
) -> None:
    """A command that writes must not drop the exclude an unreadable pyproject.toml held."""
    root = make_tree({})
    (root / "pyproject.toml").write_bytes(data)
    reader = ProjectReader(root)
    with pytest.raises(ConfigError, match=r"pyproject\.toml cannot be read: ") as info:
        read_config(reader, strict=True)
    assert reason in info.value.message
    assert "PEP 263" not in info.value.message
    assert info.value.hint and "[tool.upgrader] exclude" in info.value.hint
    assert info.value.path == root / "pyproject.toml"
    # Not strict (plan): the defaults, and the file stays a Skipped entry of the reader.
    lenient = ProjectReader(root)
    assert read_config(lenient) == ProjectConfig()
    assert [s.path.name for s in lenient.skipped] == ["pyproject.toml"]


def test_dangling_pyproject_link_is_an_error_when_strict(make_tree: MakeTree) -> None:
    root = make_tree({})
    (root / "pyproject.toml").symlink_to("gone.toml")
    with pytest.raises(ConfigError, match=r"gone\.toml, which is missing"):
        read_config(ProjectReader(root), strict=True)


@pytest.mark.parametrize(
    "tree",
    [
        pytest.param({}, id="no pyproject.toml"),
        pytest.param({"pyproject.toml": '[project]\nname = "x"\n'}, id="no [tool.upgrader]"),
    ],
)
def test_strict_is_quiet_without_a_problem(make_tree: MakeTree, tree: dict[str, str]) -> None:
    assert read_config(ProjectReader(make_tree(tree)), strict=True) == ProjectConfig()


@pytest.mark.parametrize(("value", "read"), [("5.2", "5.2"), ("LTS", "lts"), ("latest", "latest")])
def test_target_is_read(make_tree: MakeTree, value: str, read: str) -> None:
    root = make_tree({"pyproject.toml": f'[tool.upgrader]\ntarget = "{value}"\n'})
    config = read_config(ProjectReader(root))
    assert config.target == read


SETUP_WITH_EXTRAS = (
    "from setuptools import setup\n"
    "setup(name='x', extras_require={'test': ['pytest'], 'mysql': ['mysqlclient']})\n"
)


@pytest.mark.parametrize(
    ("tree", "key", "says"),
    [
        pytest.param(
            {"pyproject.toml": '[tool.upgrader]\ntest-command = "python runtests.py"\n'},
            "test-command",
            "runs 'python runtests.py', but the project has no runtests.py",
            id="test script missing",
        ),
        pytest.param(
            {"pyproject.toml": '[tool.upgrader]\npre-test = ["./scripts/build.sh --fast"]\n'},
            "pre-test",
            "runs './scripts/build.sh --fast', but the project has no ./scripts/build.sh",
            id="pre-test program by path missing",
        ),
        pytest.param(
            {
                "pyproject.toml": (
                    '[tool.upgrader]\npre-test = ["python -W error manage.py collectstatic"]\n'
                )
            },
            "pre-test",
            "but the project has no manage.py",
            id="pre-test python script missing",
        ),
        pytest.param(
            {
                "mysite/settings.py": "",
                "pyproject.toml": (
                    '[tool.upgrader]\nenv = {DJANGO_SETTINGS_MODULE = "mysite.settings.ci"}\n'
                ),
            },
            "env",
            "sets DJANGO_SETTINGS_MODULE=mysite.settings.ci, which is not a module of the project",
            id="env settings module missing",
        ),
        pytest.param(
            {
                "setup.py": SETUP_WITH_EXTRAS,
                "pyproject.toml": '[tool.upgrader]\nextras = ["tests"]\n',
            },
            "extras",
            "names 'tests', which the project's package does not declare (it declares test, mysql)",
            id="extra not declared",
        ),
        pytest.param(
            {"pyproject.toml": '[tool.upgrader]\nextras = ["test"]\n'},
            "extras",
            "names 'test', which the project's package does not declare (it declares none)",
            id="extras without a package",
        ),
        pytest.param(
            {
                "shop/forms.py": "",
                "pyproject.toml": (
                    '[tool.upgrader]\nreviewed = ["model-choice-iterator-value shop/form.py:3"]\n'
                ),
            },
            "reviewed",
            "holds 'model-choice-iterator-value shop/form.py:3', but the project has no file "
            "shop/form.py",
            id="reviewed path missing",
        ),
    ],
)
def test_values_the_project_contradicts(
    make_tree: MakeTree, tree: dict[str, str], key: str, says: str
) -> None:
    root = make_tree(tree)
    reader = ProjectReader(root)
    with pytest.raises(ConfigError) as info:
        check_against_project(read_config(reader), reader)
    message = info.value.message
    assert message.startswith(f"{root / 'pyproject.toml'}:2: [tool.upgrader] {key} ")
    assert says in message
    assert info.value.hint


@pytest.mark.parametrize(
    "tree",
    [
        pytest.param(
            {
                "runtests.py": "",
                "scripts/build.sh": "",
                "pyproject.toml": (
                    "[tool.upgrader]\n"
                    'test-command = "python runtests.py --parallel"\n'
                    'pre-test = ["./scripts/build.sh", "make assets", "npm run build", '
                    '"python -m pip check", "python -c \\"print(1)\\""]\n'
                ),
            },
            id="files present, programs on PATH, modules",
        ),
        pytest.param(
            {
                "src/mysite/settings/ci.py": "",
                "pyproject.toml": (
                    '[tool.upgrader]\nenv = {DJANGO_SETTINGS_MODULE = "mysite.settings.ci"}\n'
                ),
            },
            id="settings module under src",
        ),
        pytest.param(
            {
                "tests/settings.py": "",
                "pyproject.toml": (
                    "[tool.upgrader]\n"
                    'env = {DJANGO_SETTINGS_MODULE = "settings", PYTHONPATH = "tests"}\n'
                ),
            },
            id="settings module on the env's PYTHONPATH",
        ),
        pytest.param(
            {
                "setup.py": SETUP_WITH_EXTRAS,
                "pyproject.toml": '[tool.upgrader]\nextras = ["Test", "mysql"]\n',
            },
            id="declared extras, any spelling",
        ),
        pytest.param(
            {
                "setup.py": "from setuptools import setup\nsetup(name='x', extras_require=EXTRAS)\n",
                "pyproject.toml": '[tool.upgrader]\nextras = ["test"]\n',
            },
            id="extras not readable statically: not judged",
        ),
    ],
)
def test_values_the_project_agrees_with(make_tree: MakeTree, tree: dict[str, str]) -> None:
    reader = ProjectReader(make_tree(tree))
    config = read_config(reader)
    assert config != ProjectConfig()
    check_against_project(config, reader)  # raises ConfigError on a contradiction


def test_reviewed_entries_are_read_with_an_optional_line(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            "shop/forms.py": "",
            "pyproject.toml": (
                "[tool.upgrader]\n"
                "reviewed = [\n"
                '  "model-choice-iterator-value shop/forms.py:12",\n'
                '  "model-choice-iterator-value ./shop/forms.py",\n'
                '  "model-choice-iterator-value shop/forms.py:12",\n'
                "]\n"
            ),
        }
    )
    reader = ProjectReader(root)
    config = read_config(reader)
    assert config.reviewed == (
        ReviewedItem("model-choice-iterator-value", "shop/forms.py", 12),
        ReviewedItem("model-choice-iterator-value", "shop/forms.py", None),
    )
    check_against_project(config, reader)  # the file exists


def test_an_unknown_reviewed_id_is_named_at_its_line(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            "shop/forms.py": "",
            "pyproject.toml": '[tool.upgrader]\npython = "3.8"\nreviewed = ["modelchoice shop/forms.py"]\n',
        }
    )
    with pytest.raises(ConfigError) as info:
        read_config(ProjectReader(root))
    assert info.value.message.startswith(f"{root / 'pyproject.toml'}:3: [tool.upgrader] reviewed ")
    assert "'modelchoice' is not a catalogue id upgrader knows" in info.value.message
    assert "docs/coverage.md" in (info.value.hint or "")
