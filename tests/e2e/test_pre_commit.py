"""The ``upgrader-check`` pre-commit hook, run by the real pre-commit from this repository.

``pre-commit try-repo`` installs the hook as a user's ``.pre-commit-config.yaml`` would (a
virtualenv with this repository ``pip install``-ed, uncommitted changes included) and runs it on
a sample project's files: it passes on clean files and fails, naming the file and the rule, on
a file that uses an API the target Django removed.

pre-commit is taken from the test environment when it is there (the ``test`` extra), else
installed into a virtualenv of the test's own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PRE_COMMIT_VERSION = "4.7.0"
PRE_COMMIT_UV_VERSION = "4.4.1"

pytestmark = pytest.mark.e2e


def _pre_commit(folder: Path) -> list[str]:
    """pre-commit beside the test's Python, else one in a virtualenv of the test's own (with
    pre-commit-uv, so the hook's environment is built by uv in seconds rather than by pip)."""
    beside = Path(sys.executable).parent / "pre-commit"
    if beside.is_file():
        return [str(beside)]
    venv = folder / "pre-commit-venv"
    uv = [sys.executable, "-m", "uv"]  # uv is one of upgrader's own dependencies
    subprocess.run([*uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True)
    packages = [f"pre-commit=={PRE_COMMIT_VERSION}", f"pre-commit-uv=={PRE_COMMIT_UV_VERSION}"]
    python = str(venv / "bin" / "python")
    subprocess.run([*uv, "pip", "install", "-q", "--python", python, *packages], check=True)
    return [str(venv / "bin" / "pre-commit")]


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))


SAMPLE = {
    "requirements.txt": "Django==2.2.28\n",
    "manage.py": """
        import os
        import sys

        if __name__ == "__main__":
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_cfg.settings")
            from django.core.management import execute_from_command_line

            execute_from_command_line(sys.argv)
        """,
    "site_cfg/__init__.py": "",
    "site_cfg/settings.py": """
        SECRET_KEY = "x"
        INSTALLED_APPS = ["shop"]
        ROOT_URLCONF = "site_cfg.urls"
        USE_TZ = True
        DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
        """,
    "site_cfg/urls.py": """
        from django.urls import path

        urlpatterns = []
        """,
    "shop/__init__.py": "",
    "shop/templates/shop/index.html": "{% load static %}<img src=\"{% static 'a.png' %}\">\n",
}


def _git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


def test_the_hook_passes_clean_files_and_fails_on_a_removed_api(tmp_path: Path) -> None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs git and this repository's git checkout")
    pre_commit = _pre_commit(tmp_path)
    sample = tmp_path / "sample"
    _write(sample, SAMPLE)
    _git(sample, "init", "-q")
    _git(sample, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*pre_commit, "try-repo", str(REPO), "upgrader-check", "--files", *files],
            cwd=sample,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    clean = try_repo("site_cfg/settings.py", "site_cfg/urls.py", "shop/templates/shop/index.html")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout

    _write(sample, {"shop/urls.py": "from django.conf.urls import url\n\nurlpatterns = []\n"})
    _git(sample, "add", ".")
    broken = try_repo("shop/urls.py", "site_cfg/urls.py")
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "Failed" in broken.stdout
    assert "shop/urls.py:1: conf-urls-url" in broken.stdout
    assert "site_cfg/urls.py" not in broken.stdout.split("- exit code")[-1]
