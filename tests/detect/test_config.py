"""``[tool.upgrader]``: parsed values, and errors naming pyproject.toml and the key."""

from __future__ import annotations

import pytest

from tests.detect.conftest import MakeTree
from upgrader.detect.config import ConfigError, read_config
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
