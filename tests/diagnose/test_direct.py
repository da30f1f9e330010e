"""The diagnosis' own envs (``upgrader.diagnose.direct``): real uv on local wheels, offline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.deps.conftest import Dist, build_wheel
from upgrader.deps.resolve import find_uv
from upgrader.diagnose.direct import (
    READY,
    direct_command,
    prepare,
    run_tests,
    substitute,
)
from upgrader.releases import get_release
from upgrader.stage_envs import env_python
from upgrader.verify.toxconfig import Stage, ToxEnv

COMMAND = (
    "python",
    ".upgrader/result_writer.py",
    "manage.py",
    "test",
    "--junitxml={tox_root}{/}logs{/}{env_name}.xml",
)


def stage_env(**changes: object) -> ToxEnv:
    release = get_release("3.2")
    assert release is not None
    values: dict[str, object] = {
        "stage": Stage(release, "3.8"),
        "deps": (),
        "commands": (COMMAND,),
        "set_env": (("PYTHONDONTWRITEBYTECODE", "1"), ("UV_CONFIG_FILE", "{tox_root}{/}uv.toml")),
        "runner": "django",
    }
    values.update(changes)
    return ToxEnv(**values)  # type: ignore[arg-type]


def test_the_stage_command_is_filled_in_as_tox_would_with_the_selection(tmp_path: Path) -> None:
    line = direct_command(stage_env(), tmp_path, ["app.tests.T.test_a"])
    assert line is not None
    command, set_env = line
    tox_root = tmp_path / ".upgrader"
    assert command == [
        *COMMAND[:4],
        f"--junitxml={tox_root}/logs/django32.xml",
        "app.tests.T.test_a",
    ]
    assert set_env == {"PYTHONDONTWRITEBYTECODE": "1", "UV_CONFIG_FILE": f"{tox_root}/uv.toml"}


def test_a_stage_that_needs_tox_is_left_to_tox(tmp_path: Path) -> None:
    assert substitute("{env:HOME}", tox_root=tmp_path, env="django32") is None
    pre = stage_env(commands_pre=(("python", "manage.py", "collectstatic"),))
    assert direct_command(pre, tmp_path, []) is None
    unknown = stage_env(set_env=(("DB", "{env:DATABASE_URL:sqlite://}"),))
    assert direct_command(unknown, tmp_path, []) is None


def test_no_stage_env_no_direct_envs(tmp_path: Path) -> None:
    assert prepare(tmp_path, "django32", find_uv()) is None
    assert prepare(tmp_path, "django32", None) is None


def _version(python: Path) -> str:
    code = "import plantedpkg; print(plantedpkg.__version__)"
    return subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.mark.skipif(find_uv() is None, reason="uv is not installed")
def test_a_trial_set_gets_its_own_env_and_the_stage_env_is_left_as_it_was(tmp_path: Path) -> None:
    uv = find_uv()
    assert uv is not None
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    for version in ("1.0", "2.0"):
        build_wheel(Dist("plantedpkg", version), wheels)
    index = ("--no-index", f"--find-links {wheels}")
    root = tmp_path / "project"
    stage = root / ".upgrader" / "cache" / "tox" / "django32"
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(stage)], check=True)
    install = ["pip", "install", "-q", "--python", str(stage / "bin" / "python"), "--no-index"]
    subprocess.run([uv, *install, "--find-links", str(wheels), "plantedpkg==2.0"], check=True)
    envs = prepare(root, "django32", uv)
    assert envs is not None
    assert "plantedpkg==2.0\n" in envs.base

    python, why = envs.python_for({"plantedpkg": "1.0"}, index, root)
    assert python is not None, why
    assert _version(python) == "1.0"
    stage_python = env_python(stage)
    assert stage_python is not None and _version(stage_python) == "2.0"
    ready = python.parent.parent / READY
    assert "plantedpkg==1.0" in ready.read_text()

    again, _ = envs.python_for({"plantedpkg": "1.0"}, index, root)
    assert again == python  # the same set: the same env, not made again

    same, _ = envs.python_for({"plantedpkg": "2.0"}, (), root)
    assert same == env_python(stage)  # the stage env's own set: its interpreter, nothing made

    missing, why = envs.python_for({"plantedpkg": "3.0"}, index, root)
    assert missing is None and "plantedpkg" in why

    log = tmp_path / "logs" / "trial.log"
    code = "import os, plantedpkg; print(plantedpkg.__version__, os.environ['MARK'])"
    exit_code = run_tests(python, ["python", "-c", code], {"MARK": "set"}, tmp_path, log, 60.0)
    assert exit_code == 0
    assert "1.0 set" in log.read_text()
