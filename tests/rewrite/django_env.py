"""A real Django in a cached virtual environment, to run rewritten code under the target Django.

``django_python("5.2")`` returns the Python of a venv with ``django==5.2.*`` installed, made once
per machine with uv under ``$UPGRADER_TEST_VENVS`` (default ``~/.cache/upgrader-tests``) and
reused while it still imports that Django. ``run_django(python, root, settings, code)`` runs
``code`` after ``django.setup()`` with ``root`` on ``sys.path``: what ``manage.py`` would do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from upgrader import interpreters

INSTALL_TIMEOUT = 300
PYTHON = "3.12"  # supported by Django 4.2 to 6.0


def _cache_root() -> Path:
    explicit = os.environ.get("UPGRADER_TEST_VENVS")
    return Path(explicit) if explicit else Path.home() / ".cache" / "upgrader-tests"


def _uv() -> str | None:
    beside = Path(sys.executable).with_name("uv")
    return str(beside) if beside.exists() else shutil.which("uv")


def _works(python: Path, series: str) -> bool:
    if not python.exists():
        return False
    probe = subprocess.run(
        [str(python), "-c", "import django; print(django.__version__)"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return probe.returncode == 0 and probe.stdout.startswith(series + ".")


def django_python(series: str) -> Path:
    """The Python of a cached venv holding Django ``series`` (skips when it cannot be made)."""
    venv = _cache_root() / f"django-{series}-py{PYTHON}"
    python = venv / "bin" / "python"
    if _works(python, series):
        return python
    uv = _uv()
    interpreter = interpreters.find(PYTHON)
    if uv is None or interpreter is None:
        pytest.skip(f"needs uv and a Python {PYTHON} to install Django {series}")
    shutil.rmtree(venv, ignore_errors=True)
    venv.parent.mkdir(parents=True, exist_ok=True)
    for command in (
        [uv, "venv", "--quiet", "--python", str(interpreter.path), str(venv)],
        [uv, "pip", "install", "--quiet", "--python", str(python), f"django=={series}.*"],
    ):
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr
    assert _works(python, series)
    return python


def run_django(
    python: Path, root: Path, settings: str, code: str
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` under ``python`` after importing ``settings`` and ``django.setup()``."""
    script = (
        "import os, sys\n"
        f"sys.path.insert(0, {str(root)!r})\n"
        f"os.environ['DJANGO_SETTINGS_MODULE'] = {settings!r}\n"
        "import django\n"
        "django.setup()\n" + textwrap.dedent(code)
    )
    return subprocess.run(
        [str(python), "-c", script],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
