"""``LiveLog``: what a tox run is doing, read from its output as it arrives (for the progress line).

The test output is the real runners' (tests/verify/fixtures/), preceded by the phase lines tox
prints, and fed in chunks that split lines anywhere, as a log read while it is written does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from upgrader.verify.parse import LiveLog, count_requirements

FIXTURES = Path(__file__).parent / "fixtures"


def phases(tmp_path: Path, packages: int) -> tuple[str, str, str]:
    requirements = tmp_path / "django22.txt"
    lines = [f"package{n}==1.0  # via x" for n in range(packages)]
    requirements.write_text("# locked\n--index-url https://x\n" + "\n".join(lines) + "\n\n")
    return (
        "django22: venv /p/.upgrader> uv venv -p /usr/bin/python3.8 /p/.upgrader/cache/tox/django22\n",
        f"django22: install_deps {tmp_path}> uv pip install -r {requirements.name}\n",
        "django22: commands[0] /p/.upgrader/..> python manage.py test -v 2 --noinput\n",
    )


def feed_in_chunks(live: LiveLog, text: str, size: int) -> None:
    for start in range(0, len(text), size):
        live.feed(text[start : start + size])


def test_the_phases_and_the_package_count(tmp_path: Path) -> None:
    venv, install, commands = phases(tmp_path, 37)
    live = LiveLog("django22")
    assert live.describe() == "starting tox"
    live.feed(venv)
    assert live.describe() == "creating the environment"
    live.feed(install)
    assert live.describe() == "installing 37 packages"
    live.feed(commands)
    assert live.describe() == "running tests"


@pytest.mark.parametrize("size", [1, 7, 100000])
def test_django_runner_counts_tests_as_they_start(tmp_path: Path, size: int) -> None:
    text = "".join(phases(tmp_path, 3)) + (FIXTURES / "django-2.2-py3.8-failing.txt").read_text()
    live = LiveLog("django22")
    feed_in_chunks(live, text, size)
    assert live.describe() == "running tests: 5 done, 1 failed"


def test_django_found_gives_the_total(tmp_path: Path) -> None:
    fixture = (FIXTURES / "django-4.2-py3.12-failing.txt").read_text()
    live = LiveLog("django22")
    live.feed("".join(phases(tmp_path, 3)))
    first_test = fixture.index("test_fails (")
    live.feed(fixture[:first_test])
    assert live.describe() == "running tests: 1/5 done"
    live.feed(fixture[first_test:])
    assert live.describe() == "running tests: 5/5 done, 1 failed"


def test_pytest_marks_count_while_the_line_fills_up(tmp_path: Path) -> None:
    live = LiveLog("django22")
    live.feed("".join(phases(tmp_path, 3)) + "collected 5 items\n\n")
    live.feed("notes/tests.py .F")
    assert live.describe() == "running tests: 2/5 done, 1 failed"
    live.feed(".s.                       [100%]\n")
    assert live.describe() == "running tests: 5/5 done, 1 failed"


def test_pytest_fixture_whole(tmp_path: Path) -> None:
    text = "".join(phases(tmp_path, 3)) + (FIXTURES / "pytest-4.2-py3.12-failing.txt").read_text()
    live = LiveLog("django22")
    feed_in_chunks(live, text, 13)
    assert live.describe() == "running tests: 5/5 done, 1 failed"


def test_pytest_verbose_lines(tmp_path: Path) -> None:
    live = LiveLog("django22")
    live.feed("".join(phases(tmp_path, 3)))
    live.feed("a/test_x.py::test_one PASSED   [ 50%]\na/test_x.py::test_two FAILED   [100%]\n")
    assert live.describe() == "running tests: 2 done, 1 failed"


def test_unittest_dots_of_a_project_script(tmp_path: Path) -> None:
    live = LiveLog("django22")
    live.feed("".join(phases(tmp_path, 3)).replace("manage.py test -v 2 --noinput", "runtests.py"))
    live.feed("..E.")
    assert live.describe() == "running tests: 4 done, 1 failed"


def test_another_envs_lines_and_output_before_the_tests_are_not_counted(tmp_path: Path) -> None:
    live = LiveLog("django42")
    live.feed("".join(phases(tmp_path, 3)))  # all of django22's
    live.feed("test_x (a.B) ... ok\n")
    assert live.describe() == "starting tox"


def test_requirement_count_of_a_missing_file(tmp_path: Path) -> None:
    assert count_requirements(str(tmp_path / "nowhere.txt")) is None
    live = LiveLog("django22")
    live.feed("django22: install_deps /p> uv pip install -r /nowhere/x.txt\n")
    assert live.describe() == "installing dependencies"
