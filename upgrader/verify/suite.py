"""The test command a stage runs: the project's own, so that it writes structured results.

- pytest (``python -m pytest``, ``pytest``, ``py.test``) gets ``--junitxml`` into
  ``.upgrader/logs/results/{env_name}.xml``, ``-rfE`` (failing ids in the log, for the fallback),
  warnings shown, and the plugins that break old pytest releases turned off. pytest's cache
  stays on (a project's ``addopts = --ff``, ``--lf``, ``--nf`` or ``--sw`` belong to it: pytest
  >= 5.4 rejects them without it) but lives in ``.upgrader/cache/pytest/{env_name}`` and is
  cleared at the start of every run (``--cache-clear``), so each run starts as on a fresh clone
  in CI: ``--lf`` runs every test, not the last run's failures. A command that disables the
  cache itself (``-p no:cacheprovider``) keeps its choice: ``--cache-clear`` would be an
  unknown argument there. (pytest < 3.2 has no ``cache_dir`` and writes ``.cache/`` in the
  project root.)
- Any other Python command runs under ``.upgrader/result_writer.py`` (``python
  .upgrader/result_writer.py manage.py test``), which records unittest's results as JSON (see
  ``upgrader.verify.results``). Only Django's own test command (``manage.py test``,
  ``django-admin test``, ``python -m django test``) gets Django runner arguments: ``-v 2
  --noinput`` (test names in the log, no prompt for an old test database). A project's own
  script (``python runtests.py``, ``python quicktest.py``) gets nothing appended: it may reject
  unknown arguments, and the result writer makes the verbosity unnecessary.
- A command that cannot be wrapped (``python -c ...``) runs as it is; its log is parsed.

Paths are relative to the project root, where tox runs the commands (``change_dir``).
"""

from __future__ import annotations

import re
from pathlib import PurePath

from upgrader.detect.model import Project
from upgrader.errors import VerifyError
from upgrader.state import STATE_DIR
from upgrader.verify.results import RESULTS_DIR, WRITER

WRITER_COMMAND = f"{STATE_DIR}/{WRITER}"
JUNIT_XML = "/".join((STATE_DIR, *RESULTS_DIR, "{env_name}.xml"))  # tox fills in {env_name}

# tox fills in {tox_root} (.upgrader/), {/} and {env_name}; an absolute path, since pytest
# resolves a relative cache_dir from its rootdir, which need not be the project root.
PYTEST_CACHE_DIR = "{tox_root}{/}cache{/}pytest{/}{env_name}"
PYTEST_CACHE_ARGS = ("-o", f"cache_dir={PYTEST_CACHE_DIR}", "--cache-clear")
PYTEST_ARGS = (
    # "f"/"E": the ids of failed and erroring tests; pytest 3.x ignores "A" and prints none.
    "-rfE",
    *PYTEST_CACHE_ARGS,
    # setuptools >= 71 (seeded into every env) vendors typeguard with a pytest11 entry point
    # that crashes pytest < 7 at start-up; old projects pin such a pytest.
    "-p",
    "no:typeguard",
    "-W",
    "always::DeprecationWarning",
    "-W",
    "always::PendingDeprecationWarning",
    f"--junitxml={JUNIT_XML}",
)
DJANGO_ARGS = ("-v", "2", "--noinput")
_VERBOSITY = re.compile(r"^(-v\d?|--verbosity(=\d)?)$")
_PYTHON = re.compile(r"^python(\d+(\.\d+)?)?(\.exe)?$")
_PYTEST = ("pytest", "py.test")
_NO_CACHE = re.compile(r"^(-p)?no:cacheprovider$")
_DJANGO_ADMIN = ("django-admin", "django-admin.py")
# Interpreter options that take a value (``python -W error manage.py test``).
_OPTIONS_WITH_VALUE = ("-W", "-X", "--check-hash-based-pycs")

MISSING_HINT = 'Set it in pyproject.toml: [tool.upgrader] test-command = "python manage.py test"'


def _name(arg: str) -> str:
    return PurePath(arg).name


def _split_python(command: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """``python [options] target...`` as (interpreter and options, target...), else None.

    The target is ``-m module ...`` or a script; None also for ``-c`` and a bare ``python``.
    """
    if not command or not _PYTHON.match(_name(command[0])):
        return None
    index = 1
    while index < len(command):
        arg = command[index]
        if arg == "-m":
            return (command[:index], command[index:]) if index + 1 < len(command) else None
        if arg == "-c" or arg == "-" or arg.startswith("-c"):
            return None
        if arg in _OPTIONS_WITH_VALUE:
            index += 2
            continue
        if arg.startswith("-"):
            if arg.startswith("-m"):  # "-mpytest"
                return command[:index], ("-m", arg[2:], *command[index + 1 :])
            index += 1
            continue
        return command[:index], command[index:]
    return None


def _target(command: tuple[str, ...]) -> tuple[str, ...]:
    """What runs the tests: the command without ``python [options]`` (``-m pytest``, ``manage.py test``)."""
    split = _split_python(command)
    return split[1] if split is not None else command


def command_file(command: tuple[str, ...]) -> str | None:
    """The file of the project a command runs, as written: the script of ``python [options]
    script.py ...``, or a program given by path (``./runtests.py``, ``scripts/build.sh``); None
    for a module (``-m``), ``-c``, or a program found on PATH (``make``, ``npm``)."""
    split = _split_python(command)
    if split is not None:
        target = split[1]
        return None if target[:1] == ("-m",) else target[0]
    if not command or _PYTHON.match(_name(command[0])):
        return None
    program = command[0]
    return program if "/" in program or "\\" in program else None


def is_pytest(command: tuple[str, ...]) -> bool:
    target = _target(command)
    if target[:1] == ("-m",):
        return len(target) > 1 and target[1] in _PYTEST
    return bool(target) and _name(target[0]) in _PYTEST


def is_django_test(command: tuple[str, ...]) -> bool:
    """Django's own test command: ``manage.py test``, ``django-admin test``, ``-m django test``.

    Also behind a wrapper that runs it (``coverage run manage.py test``).
    """
    target = _target(command)
    for index, arg in enumerate(target):
        module = arg == "django" and index > 0 and target[index - 1] == "-m"
        if not (module or _name(arg) == "manage.py" or _name(arg) in _DJANGO_ADMIN):
            continue
        rest = target[index + 1 :]
        # the sub-command: the first argument that is not an option
        words = [word for word in rest if not word.startswith("-")]
        return words[:1] == ["test"]
    return False


def wrap(command: tuple[str, ...]) -> tuple[str, ...] | None:
    """``command`` run under the result writer, or None when it cannot be (``python -c``)."""
    split = _split_python(command)
    if split is not None:
        interpreter, target = split
        return (*interpreter, WRITER_COMMAND, *target)
    if command and _PYTHON.match(_name(command[0])):
        return None  # python -c / python - / a bare python
    # An executable (django-admin, ./runtests.py, coverage): the writer runs it in-process when
    # it is a Python script, and executes it as it is otherwise.
    return ("python", WRITER_COMMAND, *command) if command else None


def pytest_args(command: tuple[str, ...]) -> tuple[str, ...]:
    """What a pytest ``command`` gets (``PYTEST_ARGS``), less the cache's arguments when the
    command turns the cacheprovider off itself (``-p no:cacheprovider``, ``-pno:cacheprovider``)."""
    if any(_NO_CACHE.match(arg) for arg in command):
        return tuple(arg for arg in PYTEST_ARGS if arg not in PYTEST_CACHE_ARGS)
    return PYTEST_ARGS


def suite_command(project: Project) -> tuple[str, ...]:
    """The project's test command, made to write structured results (see the module doc)."""
    command = tuple(project.test_runner.command)
    if not command:
        raise VerifyError(
            f"no test command is known for {project.root}",
            hint=MISSING_HINT,
            path=project.root,
        )
    if is_pytest(command):
        return command + pytest_args(command)
    extra: tuple[str, ...] = ()
    if is_django_test(command):
        verbosity = any(_VERBOSITY.match(arg) for arg in command)
        extra = ("--noinput",) if verbosity else DJANGO_ARGS
        if "--noinput" in command or "--no-input" in command:
            extra = tuple(arg for arg in extra if arg != "--noinput")
    return (wrap(command) or command) + extra
