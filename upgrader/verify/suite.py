"""The test command a stage runs: the project's own, with the arguments that make its output readable.

Django's runner gets ``-v 2 --noinput`` (test ids in the output, no prompt); pytest gets ``-rA``,
warnings shown, and the plugins that break old pytest releases turned off.
"""

from __future__ import annotations

import re

from upgrader.errors import VerifyError
from upgrader.project import Project
from upgrader.verify.parse import PYTEST

PYTEST_ARGS = (
    "-rA",
    "-p",
    "no:cacheprovider",
    # setuptools >= 71 (seeded into every env) vendors typeguard with a pytest11 entry point
    # that crashes pytest < 7 at start-up; old projects pin such a pytest.
    "-p",
    "no:typeguard",
    "-W",
    "always::DeprecationWarning",
    "-W",
    "always::PendingDeprecationWarning",
)
DJANGO_ARGS = ("-v", "2", "--noinput")
_VERBOSITY = re.compile(r"^(-v\d?|--verbosity(=\d)?)$")


def suite_command(project: Project) -> tuple[str, ...]:
    """The project's test command with the arguments that make its output readable to us."""
    runner = project.test_runner
    command = tuple(runner.command)
    if not command:
        raise VerifyError(
            f"no test command is known for {project.root}",
            hint='Set it in pyproject.toml: [tool.upgrader] test_command = ["python", "manage.py", "test"]',
            path=project.root,
        )
    if runner.kind == PYTEST:
        return command + PYTEST_ARGS
    if any(_VERBOSITY.match(arg) for arg in command):
        return (*command, "--noinput")
    return command + DJANGO_ARGS
