"""``python -m upgrader.diagnose.toxargs <tox arguments>``: tox with the tests to run as posargs.

``verify_stage`` starts tox through ``ToxInvocation.executable``; a diagnosis names this module
there, with the selection (a JSON list of test ids, the runner's labels) in ``SELECTION_ENV``, so
the stage's own command (``... manage.py test -v 2 --noinput {posargs}``) runs only those tests.
"""

from __future__ import annotations

import json
import os
import sys

SELECTION_ENV = "UPGRADER_DIAGNOSE_TESTS"


def command(argv: list[str], environ: dict[str, str]) -> list[str]:
    """The tox command line for ``argv`` with the selection in ``environ`` after ``--``."""
    tests = json.loads(environ.get(SELECTION_ENV) or "[]")
    if not isinstance(tests, list):
        raise SystemExit(f"{SELECTION_ENV} must be a JSON list of test ids")
    tail = ["--", *(str(t) for t in tests)] if tests else []
    return [sys.executable, "-m", "tox", *argv, *tail]


def main() -> None:  # pragma: no cover - replaces the process
    environ = dict(os.environ)
    line = command(sys.argv[1:], environ)
    environ.pop(SELECTION_ENV, None)
    os.execve(line[0], line, environ)


if __name__ == "__main__":  # pragma: no cover
    main()
