from __future__ import annotations

from pathlib import Path

import pytest

from upgrader.project import detect_project
from upgrader.python_declarations import update_python_declarations

BASE = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_cfg.settings')\n",
    "site_cfg/__init__.py": "",
    "site_cfg/settings.py": "SECRET_KEY = 'x'\n",
    "requirements.txt": "Django==4.2.30\n",
}


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in {**BASE, **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {".python-version": "3.8\n"}, {".python-version": "3.10\n"}, id="python-version"
        ),
        pytest.param(
            {".python-version": "3.8.18\n"},
            {".python-version": "3.10.13\n"},
            id="python-version-patch",
        ),
        pytest.param(
            {"runtime.txt": "python-3.8.18\n"}, {"runtime.txt": "python-3.10.13\n"}, id="runtime"
        ),
        pytest.param(
            {
                "Dockerfile": "FROM python:3.9-slim AS base\r\nRUN pip install -r requirements.txt\r\n"
            },
            {
                "Dockerfile": "FROM python:3.10-slim AS base\r\nRUN pip install -r requirements.txt\r\n"
            },
            id="dockerfile-crlf-kept",
        ),
    ],
)
def test_declarations_follow_the_hop(
    tmp_path: Path, files: dict[str, str], expected: dict[str, str]
) -> None:
    write(tmp_path, files)
    project = detect_project(tmp_path)
    update = update_python_declarations(project, "3.10", "3.10.13")
    assert set(update.changed) == set(expected)
    for rel, text in expected.items():
        assert (tmp_path / rel).read_bytes().decode() == text
    assert detect_project(tmp_path).python_version == "3.10"
    again = update_python_declarations(detect_project(tmp_path), "3.10", "3.10.13")
    assert again.changed == ()


def test_requires_python_lower_bound_is_raised_not_lowered(tmp_path: Path) -> None:
    pyproject = (
        '[project]\nname = "site"\nversion = "1"\n'
        'requires-python = ">=3.7"  # keep me\ndependencies = ["Django>=4.2,<4.3"]\n'
    )
    write(tmp_path, {"pyproject.toml": pyproject})
    update_python_declarations(detect_project(tmp_path), "3.10")
    assert 'requires-python = ">=3.10"  # keep me' in (tmp_path / "pyproject.toml").read_text()
    update_python_declarations(detect_project(tmp_path), "3.8")
    assert 'requires-python = ">=3.10"' in (tmp_path / "pyproject.toml").read_text()


def test_ci_matrices_are_left_with_a_note(tmp_path: Path) -> None:
    workflow = "jobs:\n  test:\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: '3.8'\n"
    write(tmp_path, {".github/workflows/ci.yml": workflow})
    update = update_python_declarations(detect_project(tmp_path), "3.10")
    assert update.changed == ()
    assert any("still says Python 3.8" in note for note in update.notes)
    assert (tmp_path / ".github/workflows/ci.yml").read_text() == workflow
