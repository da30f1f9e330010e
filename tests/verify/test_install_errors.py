"""Why a stage's dependencies did not install: the package and the fix, from real installer output."""

from __future__ import annotations

from pathlib import Path

import pytest

from upgrader.detect.sources import tomllib  # tomli on Python 3.10
from upgrader.verify.install_errors import explain_install_failure

# Recorded from uv 0.13 (through tox-uv) and pip 24, on Python 3.7.
UV_GIT = """\
django22: install_deps /p/.upgrader> uv pip install -r /p/.upgrader/../requirements.txt
\x1b[31mUsing Python 3.7.16 environment at: cache/tox/django22
   Updating https://github.invalid/x/foo.git (HEAD)
error: Failed to download and build `django-foo @ git+https://github.invalid/x/foo.git`
  cause: Git operation failed
  cause: failed to clone into: /root/.cache/uv/git-v2/db/c25679395df1b7bd
  cause: process didn't exit successfully: `/usr/bin/git fetch --force --update-head-ok 'https://github.invalid/x/foo.git' '+HEAD:refs/remotes/origin/HEAD'` (exit status: 128)
         --- stderr
         fatal: unable to access 'https://github.invalid/x/foo.git/': Could not resolve host: github.invalid
\x1b[39mdjango22: exit 1 (0.45 seconds)
"""
PIP_EGG_GIT = """\
Obtaining django-bar from git+https://git.example.org/bar.git#egg=django-bar
  Cloning https://git.example.org/bar.git to ./src/django-bar
  fatal: could not read Username for 'https://git.example.org': No such device or address
error: subprocess-exited-with-error
"""
UV_2TO3 = """\
Using Python 3.7.16 environment at: v37b
error: Failed to build `anyjson==0.3.3`
  cause: The build backend returned an error
  cause: Call to `setuptools.build_meta:__legacy__.get_requires_for_build_wheel` failed (exit status: 1)

         [stderr]
         error in anyjson setup command: use_2to3 is invalid.

hint: Build failures usually indicate a problem with the package or the build environment
"""
UV_COMMAND_TEST = """\
error: Failed to build `django-oldapp==0.9`
  cause: The build backend returned an error
         [stderr]
         Traceback (most recent call last):
           File "<string>", line 14, in <module>
         ModuleNotFoundError: No module named 'setuptools.command.test'
"""
UV_PG_CONFIG = """\
error: Failed to build `psycopg2==2.8.6`
  cause: The build backend returned an error
         Error: pg_config executable not found.
"""
PIP_INVALID_METADATA = """\
WARNING: Ignoring version 4.4.7 of celery since it has invalid metadata:
Requested celery==4.4.7 from https://files/celery-4.4.7-py2.py3-none-any.whl has invalid metadata: Expected end or semicolon (after version specifier)
    pytz>dev
        ~~~~^
ERROR: Could not find a version that satisfies the requirement celery==4.4.7
ERROR: No matching distribution found for celery==4.4.7
"""
UV_CUTOFF = """\
error: No solution found when resolving dependencies
  cause: Because there is no version of atomicwrites==1.4.0 and you require atomicwrites==1.4.0, we can conclude that your requirements are unsatisfiable.

hint: `atomicwrites` was filtered by `exclude-newer` to only include packages uploaded before 2021-09-20T10:41:35Z. The requested version, v1.4.0, was published at 2022-07-09T04:09:09.073Z.
"""
# uv 0.13, pytest==4.6.9 on Python 3.8 with exclude-newer = 2020-03-01 (a real run).
UV_TRANSITIVE_CUTOFF = """\
error: No solution found when resolving dependencies
  cause: Because there are no versions of atomicwrites and pytest==4.6.9 depends on atomicwrites>=1.0, we can conclude that pytest==4.6.9 cannot be used.
         And because you require pytest==4.6.9, we can conclude that your requirements are unsatisfiable.

hint: `atomicwrites` was filtered by `exclude-newer` to only include packages uploaded before 2020-03-01T00:00:00Z. The latest version satisfying the requirement is v1.4.1, published at 2022-07-08T18:31:40.459Z. Consider using `exclude-newer-package` to override the cutoff for this package.
"""
UV_MISSING = """\
error: No solution found when resolving dependencies
  cause: Because there is no version of upgrader-no-such-package-anywhere==1.0 and you require upgrader-no-such-package-anywhere==1.0, we can conclude that your requirements are unsatisfiable.
"""


def _toml_in(hint: str) -> dict[str, object]:
    """The [tool.upgrader] fragment a hint gives, parsed: every hint must be valid input."""
    fragment = hint.split("[tool.upgrader] ", 1)[1].split(" (or", 1)[0].rstrip(".")
    parsed = tomllib.loads(fragment)
    return parsed


def test_unreachable_git_requirement_says_how_to_map_it() -> None:
    failure = explain_install_failure(UV_GIT)
    assert failure is not None
    assert failure.package == "django-foo @ git+https://github.invalid/x/foo.git"
    assert failure.cause == "git+https://github.invalid/x/foo.git cannot be fetched"
    assert _toml_in(failure.hint) == {"replace-requirements": {"django-foo": "django-foo==X.Y"}}


def test_unreachable_egg_requirement_from_pip() -> None:
    failure = explain_install_failure(PIP_EGG_GIT)
    assert failure is not None
    assert "git+https://git.example.org/bar.git#egg=django-bar" in failure.cause
    assert _toml_in(failure.hint) == {"replace-requirements": {"django-bar": "django-bar==X.Y"}}


@pytest.mark.parametrize(
    ("log", "package", "cap"),
    [
        pytest.param(UV_2TO3, "anyjson==0.3.3", "setuptools<58", id="use_2to3"),
        pytest.param(UV_COMMAND_TEST, "django-oldapp==0.9", "setuptools<72", id="command.test"),
    ],
)
def test_old_setup_py_gets_a_build_constraint(log: str, package: str, cap: str) -> None:
    failure = explain_install_failure(log)
    assert failure is not None and failure.package == package
    assert package in failure.cause
    assert _toml_in(failure.hint.split(", or pin")[0]) == {"build-constraints": [cap]}


def test_system_library() -> None:
    failure = explain_install_failure(UV_PG_CONFIG)
    assert failure is not None and failure.package == "psycopg2==2.8.6"
    assert "pg_config" in failure.cause
    assert _toml_in(failure.hint) == {"replace-requirements": {"psycopg2": "psycopg2-binary"}}


def test_metadata_new_pip_rejects() -> None:
    failure = explain_install_failure(PIP_INVALID_METADATA)
    assert failure is not None and failure.package == "celery==4.4.7"
    assert "pytz>dev" in failure.cause
    assert "tox-uv" in failure.hint


def test_a_pin_newer_than_the_cutoff() -> None:
    failure = explain_install_failure(UV_CUTOFF)
    assert failure is not None and failure.package == "atomicwrites==1.4.0"
    assert "2021-09-20T10:41:35Z" in failure.cause


def test_a_dependency_with_no_file_before_the_cutoff() -> None:
    failure = explain_install_failure(UV_TRANSITIVE_CUTOFF)
    assert failure is not None and failure.package == "atomicwrites"
    assert "2020-03-01T00:00:00Z" in failure.cause
    assert "(atomicwrites==1.4.1;" in failure.hint


def test_a_release_the_index_does_not_have() -> None:
    failure = explain_install_failure(UV_MISSING)
    assert failure is not None
    assert failure.package == "upgrader-no-such-package-anywhere==1.0"
    assert _toml_in(failure.hint) == {
        "replace-requirements": {
            "upgrader-no-such-package-anywhere": "upgrader-no-such-package-anywhere==X.Y"
        }
    }


def test_unknown_output() -> None:
    assert explain_install_failure("something else went wrong\n") is None


def test_build_failure_is_only_a_build_failure() -> None:
    from upgrader.verify.install_errors import build_failure

    conflict = (
        "  x No solution found when resolving dependencies:\n"
        "  `-> Because stuck==1.1 depends on django<4.0 and you require django==4.2.*, we can "
        "conclude that your requirements are unsatisfiable.\n"
    )
    assert build_failure(conflict) is None
    failed = build_failure(
        "error: Failed to build `django-allauth==0.46.0`\n  cause: The build backend returned "
        "an error\n    ImportError: cannot import name 'convert_path' from 'setuptools' "
        "(/root/.cache/uv/builds-v0/x/lib/python3.11/site-packages/setuptools/__init__.py)\n"
    )
    assert failed is not None and failed.package == "django-allauth==0.46.0"
    assert 'build-constraints = ["setuptools<70"]' in failed.hint


FIXTURES = Path(__file__).parent / "fixtures"


def test_tox_recreating_the_env_is_not_the_error() -> None:
    """Recorded with tox 4 and tox-uv: the pins changed (sqlparse dropped, Django<5 added), so
    tox says "recreate env because requirements removed: sqlparse" before uv fails; the cause
    is uv's conflict, not tox's reason for rebuilding."""
    log = (FIXTURES / "tox-uv-recreate-conflict.log").read_text()
    assert "recreate env because requirements removed: sqlparse" in log
    failure = explain_install_failure(log)
    assert failure is not None
    assert failure.cause == (
        "the stage's requirements conflict: Because you require django==5.2.* and django<5, we "
        "can conclude that your requirements are unsatisfiable."
    )
    assert "removed" not in failure.cause


def test_an_unknown_installer_error_is_quoted() -> None:
    text = (
        "django52: recreate env because requirements removed: sqlparse\n"
        "django52: install_deps> uv pip install -r requirements.txt\n"
        "error: Distribution not found at: file:///wheels/site-1.0-py3-none-any.whl\n"
        "django52: exit 2 (0.06 seconds)\n"
    )
    failure = explain_install_failure(text)
    assert failure is not None and failure.package is None
    assert failure.cause == (
        "the installer says: Distribution not found at: file:///wheels/site-1.0-py3-none-any.whl"
    )
