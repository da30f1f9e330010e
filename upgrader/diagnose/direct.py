"""A diagnosis' own environment, cloned from the hop's stage env; trials run without tox.

The hop's stage env (``.upgrader/cache/tox/djangoNN``) has exactly the hop's set installed.
``prepare`` reads it (``uv pip freeze``; nothing is ever installed in it). A trial whose set is
that set runs with the stage env's interpreter; any other set gets an env of its own in
``.upgrader/cache/diagnose/djangoNN-<hash>`` with the same interpreter (``uv venv``, then
``uv pip sync`` of the stage env's set with the trial's pins: exact, offline first, from uv's
cache, a fraction of a second), kept for later diagnoses (the ``KEEP`` most recent per stage).
``run_tests`` runs the stage's own test command (the one ``.upgrader/tox.ini`` runs, with its
``set_env``) with that interpreter, in the worktree: no tox run, no env recreated when a
trial's pins change.

Only a stage tox would run as written here qualifies (``direct_command``): no ``commands_pre``,
and no tox substitution beyond ``{tox_root}``, ``{/}`` and ``{env_name}``; anything else, or a
stage env that is missing or holds something that is not a ``name==version`` pin, is left to
the trial's tox run.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from upgrader.deps.resolve import parse_pins
from upgrader.files import write_atomic
from upgrader.stage_envs import env_dir, env_python
from upgrader.verify.run import _run_logged
from upgrader.verify.toxconfig import UPGRADER_DIR, ToxEnv

DIAGNOSE_ENVS = ("cache", "diagnose")
SYNC_FILE = "diagnose/requirements-sync.txt"
READY = "upgrader-diagnose-set.txt"  # written last: the env holds this set
KEEP = 8  # envs kept per stage
UV_TIMEOUT = 300.0
_SUBSTITUTION = re.compile(r"\{[^{}]*\}")
# What tox itself would not pass to the command, or would set for the env.
_DROPPED = ("PYTHONWARNINGS", "PYTHONHOME", "PYTHONPATH", "VIRTUAL_ENV", "__PYVENV_LAUNCHER__")


def substitute(value: str, *, tox_root: Path, env: str) -> str | None:
    """``value`` with the tox substitutions a stage uses filled in; None for any other."""
    known = {"{tox_root}": str(tox_root), "{/}": os.sep, "{env_name}": env}

    def fill(match: re.Match[str]) -> str:
        return known.get(match[0], "\0")

    filled = _SUBSTITUTION.sub(fill, value)
    return None if "\0" in filled else filled


def direct_command(
    tox_env: ToxEnv, project_root: Path, selection: Sequence[str]
) -> tuple[list[str], dict[str, str]] | None:
    """The stage's test command and ``set_env`` as tox would run them in ``project_root``, or
    None when the stage needs tox (``commands_pre``, a substitution not known here)."""
    if tox_env.commands_pre or len(tox_env.commands) != 1:
        return None
    tox_root = project_root / UPGRADER_DIR
    parts = [substitute(part, tox_root=tox_root, env=tox_env.name) for part in tox_env.commands[0]]
    values = {
        key: substitute(value, tox_root=tox_root, env=tox_env.name)
        for key, value in tox_env.set_env
    }
    if any(part is None for part in parts) or any(v is None for v in values.values()):
        return None
    command = [part for part in parts if part is not None] + list(selection)
    return command, {key: value for key, value in values.items() if value is not None}


def _uv(uv: str, *args: str) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(
            [uv, *args], capture_output=True, text=True, timeout=UV_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None


@dataclass(frozen=True)
class DirectEnvs:
    """The diagnosis' envs of one stage: one per trial set, in ``folder``, each made with the
    stage env's interpreter from ``base`` (its installed set, ``name==version`` lines) and the
    trial's pins. A set already made (by this diagnosis or an earlier one) is reused as it is:
    swapping Django inside one env (uninstalling thousands of files) is slower than a new env
    from uv's cache."""

    uv: str
    stage_python: Path
    folder: Path
    env: str
    base: str

    def directory(self, pins: Mapping[str, str], index: Sequence[str]) -> Path:
        key = "\n".join(
            [
                *_interpreter(self.stage_python.parent.parent),
                *index,
                *(f"{n}=={v}" for n, v in sorted(pins.items())),
            ]
        )
        return self.folder / f"{self.env}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"

    def python_for(
        self, pins: Mapping[str, str], index: Sequence[str], scratch: Path
    ) -> tuple[Path | None, str]:
        """The interpreter of the env that holds exactly ``pins`` (made now when missing);
        (None, why) when uv cannot make it. The stage env's own set runs in the stage env:
        only its interpreter is started, nothing is installed there."""
        if dict(parse_pins(self.base)) == dict(pins):
            return self.stage_python, ""
        directory = self.directory(pins, index)
        python = env_python(directory)
        if python is not None and (directory / READY).is_file():
            os.utime(directory)  # used: the last to be pruned
            return python, ""
        shutil.rmtree(directory, ignore_errors=True)  # half made by an interrupted run
        self._prune()
        made = _uv(self.uv, "venv", "--quiet", "--python", str(self.stage_python), str(directory))
        python = env_python(directory)
        if made is None or made.returncode != 0 or python is None:
            said = "" if made is None else " ".join((made.stderr or made.stdout).split())
            return None, f"uv could not create {directory}: {said[:300] or 'it did not finish'}"
        path = scratch / UPGRADER_DIR / SYNC_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "".join(f"{line}\n" for line in index) + "".join(
            f"{name}=={version}\n" for name, version in sorted(pins.items())
        )
        write_atomic(path, text.encode())
        args = ("pip", "sync", "--python", str(python), "--color", "never", str(path))
        result = _uv(self.uv, *args, "--offline")  # from uv's cache: what the hop installed
        if result is not None and result.returncode != 0:
            result = _uv(self.uv, *args)
        if result is None or result.returncode != 0:
            said = "" if result is None else " ".join((result.stderr or result.stdout).split())
            return None, f"the trial's set did not install in {directory}: {said[:300]}"
        (directory / READY).write_text(text, encoding="utf-8")
        return python, ""

    def _prune(self) -> None:
        """Keep the ``KEEP - 1`` most recently used envs of the stage (a new one comes)."""
        made = sorted(
            (p for p in self.folder.glob(f"{self.env}-*") if p.is_dir()),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for old in made[KEEP - 1 :]:
            shutil.rmtree(old, ignore_errors=True)


def run_tests(
    python: Path,
    command: Sequence[str],
    set_env: Mapping[str, str],
    cwd: Path,
    log: Path,
    timeout: float,
) -> int | None:
    """Run ``command`` in ``cwd`` with the env of ``python`` first on PATH and ``set_env``; its
    exit code, None when it timed out (the log has its output)."""
    environ = {k: v for k, v in os.environ.items() if k not in _DROPPED}
    environ["PATH"] = os.pathsep.join([str(python.parent), environ.get("PATH", "")])
    environ["VIRTUAL_ENV"] = str(python.parent.parent)
    environ.setdefault("NO_COLOR", "1")
    environ.update(set_env)
    line = list(command)
    if line and line[0] in ("python", "python3"):
        line[0] = str(python)
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(f"# upgrader diagnose: $ {' '.join(line)}\n", encoding="utf-8")
    return _run_logged(line, cwd=cwd, env=environ, log=log, timeout=timeout)


def _interpreter(directory: Path) -> tuple[str, str]:
    """The base interpreter of the env at ``directory`` (its ``pyvenv.cfg``)."""
    try:
        text = (directory / "pyvenv.cfg").read_text("utf-8", errors="replace")
    except OSError:
        return ("", "")
    values = {
        key.strip(): value.strip()
        for key, _sep, value in (line.partition("=") for line in text.splitlines())
    }
    return values.get("home", ""), values.get("version_info", values.get("version", ""))


def prepare(root: Path, env: str, uv: str | None) -> DirectEnvs | None:
    """The diagnosis' envs of stage ``env`` of the project at ``root``, made from the hop's
    stage env when it exists; None when it does not (or uv cannot read it)."""
    if uv is None:
        return None
    stage_python = env_python(env_dir(root, env))
    if stage_python is None:
        return None
    frozen = _uv(uv, "pip", "freeze", "--python", str(stage_python), "--color", "never")
    if frozen is None or frozen.returncode != 0:
        return None
    lines = [line.strip() for line in frozen.stdout.splitlines() if line.strip()]
    if not lines or len(parse_pins("\n".join(lines))) != len(lines):
        return None  # an editable or a direct URL: tox installs that
    folder = root.joinpath(UPGRADER_DIR, *DIAGNOSE_ENVS)
    return DirectEnvs(uv, stage_python, folder, env, "\n".join(lines) + "\n")
