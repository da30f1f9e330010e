"""The sample projects install from their own declarations and pass their own tests on Django 2.2.

For each project in ``sample_projects/``: copy it to a temporary folder, create a virtual
environment with the Python the project declares (``runtime.txt``, ``.python-version`` or the
``Dockerfile``), install only what it declares (``requirements.txt`` or ``pip install .``), then
run ``manage.py check``, ``makemigrations --check`` and the project's own test command.

The mutation tests prove the suites are meaningful: each breaks one deprecated code path the way
a wrong rewrite would (drops an ``is_ajax()`` branch, changes a template tag's output, attaches a
pytz zone with ``replace()``...) and asserts that the project's own tests fail.

Nothing is cached between runs except pip's own download cache.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock

from tests.conftest import SAMPLE_PROJECTS
from upgrader import interpreters

pytestmark = pytest.mark.e2e

INSTALL_TIMEOUT = 900.0
RUN_TIMEOUT = 600.0
# Left behind by local runs of a sample project; never part of the project.
_IGNORE = shutil.ignore_patterns(
    "__pycache__", "*.pyc", "db.sqlite3", "media", "staticfiles", "build", "*.egg-info", ".venv"
)
# Variables of the process running this suite that must not leak into a project's own run.
_SCRUBBED_ENV = (
    "DJANGO_SETTINGS_MODULE",
    "PYTHONPATH",
    "PYTHONHOME",
    "VIRTUAL_ENV",
    "PYTEST_ADDOPTS",
    "PYTEST_PLUGINS",
)


@dataclass(frozen=True)
class SampleProject:
    """How one sample project declares its Python and dependencies, and runs its tests."""

    name: str
    python_file: str  # the file that declares the Python version
    python: str  # the feature version that file declares
    install: tuple[str, ...]  # arguments to `pip install`, run in the project folder
    test_command: tuple[str, ...]  # run with the environment's python, in the project folder
    runner: str  # "django" | "pytest": how to read the number of tests that ran
    min_tests: int


PROJECTS = {
    "polls": SampleProject(
        name="polls",
        python_file="runtime.txt",
        python="3.8",
        install=("-r", "requirements.txt"),
        test_command=("manage.py", "test"),
        runner="django",
        min_tests=30,
    ),
    "shop": SampleProject(
        name="shop",
        python_file=".python-version",
        python="3.8",
        install=("-r", "requirements.txt"),
        test_command=("-m", "pytest", "-p", "no:cacheprovider"),
        runner="pytest",
        min_tests=60,
    ),
    "newsroom": SampleProject(
        name="newsroom",
        python_file="Dockerfile",
        python="3.9",
        install=(".",),
        test_command=("manage.py", "test"),
        runner="django",
        min_tests=60,
    ),
}


def declared_python(root: Path, python_file: str) -> str | None:
    """The feature version ("3.8") a project declares in ``python_file``, or None."""
    text = (root / python_file).read_text(encoding="utf-8")
    patterns = {
        "runtime.txt": r"^python-(\d+\.\d+)",
        ".python-version": r"^(\d+\.\d+)",
        "Dockerfile": r"^FROM\s+python:(\d+\.\d+)",
    }
    match = re.search(patterns[python_file], text, re.MULTILINE)
    return match.group(1) if match else None


@dataclass(frozen=True)
class Installed:
    """A copy of a sample project with its own virtual environment, dependencies installed."""

    project: SampleProject
    root: Path
    python: Path

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return run([str(self.python), *args], cwd=cwd or self.root, timeout=RUN_TIMEOUT)


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED_ENV}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def run(args: list[str], *, cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def output_of(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit status {result.returncode}\n--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"


def copy_project(name: str, destination: Path) -> Path:
    root = destination / name
    shutil.copytree(SAMPLE_PROJECTS / name, root, ignore=_IGNORE)
    return root


def count_tests_run(runner: str, result: subprocess.CompletedProcess[str]) -> int:
    """How many tests a finished run reports: Django's "Ran N tests", pytest's "N passed"."""
    text = result.stdout + result.stderr
    if runner == "django":
        match = re.search(r"^Ran (\d+) tests? in ", text, re.MULTILINE)
        return int(match.group(1)) if match else 0
    return sum(int(n) for n in re.findall(r"(\d+) (?:passed|failed|error)", text))


def reports_failures(runner: str, result: subprocess.CompletedProcess[str]) -> bool:
    """True when the run finished and reported failing tests (not when it could not start)."""
    text = result.stdout + result.stderr
    if runner == "django":
        return re.search(r"^FAILED \((failures|errors)=\d+", text, re.MULTILINE) is not None
    return re.search(r"\b\d+ (failed|error)", text) is not None


def build_environment(project: SampleProject, base: Path) -> Installed:
    """Copy ``project`` into ``base``, create its virtual environment and install its deps."""
    python = declared_python(SAMPLE_PROJECTS / project.name, project.python_file)
    assert python == project.python, f"{project.name}/{project.python_file} declares {python}"
    interpreter = interpreters.find(python)
    if interpreter is None:
        pytest.skip(
            f"sample project {project.name!r} declares Python {python} in "
            f"{project.python_file}, and no Python {python} interpreter was found. "
            + interpreters.install_hint(python)
        )
    root = copy_project(project.name, base)
    venv = base / "venv"
    created = run(
        [str(interpreter.path), "-m", "venv", str(venv)], cwd=base, timeout=INSTALL_TIMEOUT
    )
    assert created.returncode == 0, output_of(created)
    env_python = venv / "bin" / "python"
    installed_deps = run(
        [str(env_python), "-m", "pip", "install", "--quiet", *project.install],
        cwd=root,
        timeout=INSTALL_TIMEOUT,
    )
    assert installed_deps.returncode == 0, output_of(installed_deps)
    return Installed(project=project, root=root, python=env_python)


@pytest.fixture(scope="module")
def installed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Installed:
    """The project named by the test's parameter, installed once for this test run.

    Under pytest-xdist every worker has its own temporary folder below one shared per-run
    folder; the environment is built there once, under a lock, and shared by the workers.
    Nothing outlives the run (pytest's temporary-folder retention aside).
    """
    project = PROJECTS[request.param]
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    base = shared / f"sample-{project.name}"
    with FileLock(str(shared / f"sample-{project.name}.lock")):
        ready = base / "installed.ok"
        if ready.exists():
            return Installed(
                project=project, root=base / project.name, python=base / "venv" / "bin" / "python"
            )
        if base.exists():  # a previous attempt in this run failed half-way
            shutil.rmtree(base)
        base.mkdir()
        environment = build_environment(project, base)
        ready.write_text("ok\n", encoding="utf-8")
        return environment


# Each project's environment is built once per module (per worker under xdist) and shared by
# its tests: the fixture is parametrized indirectly, with the project's name.
EACH_PROJECT = pytest.mark.parametrize("installed", sorted(PROJECTS), indirect=True)


@EACH_PROJECT
def test_runs_on_the_declared_python_and_django_2_2(installed: Installed) -> None:
    result = installed.run(
        "-c", "import sys, django; print('%d.%d' % sys.version_info[:2], django.get_version())"
    )
    assert result.returncode == 0, output_of(result)
    assert result.stdout.split() == [installed.project.python, "2.2.28"]


@EACH_PROJECT
def test_system_check_is_clean(installed: Installed) -> None:
    result = installed.run("manage.py", "check")
    assert result.returncode == 0, output_of(result)
    assert "System check identified no issues (0 silenced)." in result.stdout


@EACH_PROJECT
def test_migrations_match_the_models(installed: Installed) -> None:
    result = installed.run("manage.py", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, output_of(result)
    assert "No changes detected" in result.stdout


@EACH_PROJECT
def test_own_test_suite_passes(installed: Installed) -> None:
    project = installed.project
    result = installed.run(*project.test_command)
    assert result.returncode == 0, output_of(result)
    assert not reports_failures(project.runner, result), output_of(result)
    count = count_tests_run(project.runner, result)
    assert count >= project.min_tests, f"only {count} tests ran\n{output_of(result)}"


@dataclass(frozen=True)
class Mutation:
    """One wrong edit of a deprecated code path, and the project tests that must catch it."""

    id: str  # what goes wrong, e.g. "polls-is-ajax-branch-removed"
    project: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]  # arguments after the project's test command


MUTATIONS = [
    Mutation(
        "polls-is-ajax-branch-removed",
        "polls",
        "polls/views.py",
        "request.is_ajax()",
        "False",
        ("polls.tests.VoteViewTests",),
    ),
    Mutation(
        "polls-ifequal-output-changed",
        "polls",
        "polls/templates/polls/results.html",
        "{% ifequal choice.votes 1 %}vote{% else %}votes{% endifequal %}",
        "votes",
        ("polls.tests.QuestionResultsViewTests",),
    ),
    Mutation(
        "polls-length-is-rewritten-wrongly",
        "polls",
        "polls/templates/polls/index.html",
        '{% if latest_question_list|length_is:"1" %}',
        "{% if latest_question_list|length > 1 %}",
        ("polls.tests.QuestionIndexViewTests",),
    ),
    Mutation(
        "shop-signal-receiver-lost",
        "shop",
        "orders/receivers.py",
        "@receiver(order_placed)\ndef reserve_stock",
        "def reserve_stock",
        ("tests/test_orders.py",),
    ),
    Mutation(
        "shop-positional-save-update-fields-dropped",
        "shop",
        "orders/models.py",
        "self.save(False, False, None, ['status'])",
        "self.save(False, False)",
        ("tests/test_models.py",),
    ),
    Mutation(
        "shop-csrf-scheme-added-before-django-4",
        "shop",
        "shop/settings.py",
        "CSRF_TRUSTED_ORIGINS = ['blog.example.com']",
        "CSRF_TRUSTED_ORIGINS = ['https://blog.example.com']",
        ("tests/test_accounts.py",),
    ),
    Mutation(
        "shop-list-route-url-changed",
        "shop",
        "catalog/api.py",
        "@list_route(methods=['get'])",
        "@list_route(methods=['get'], url_path='low-stock')",
        ("tests/test_api.py",),
    ),
    Mutation(
        "shop-ajax-required-check-removed",
        "shop",
        "shop/decorators.py",
        "        if not request.is_ajax():\n",
        "        if False:\n",
        ("tests/test_orders.py",),
    ),
    Mutation(
        "newsroom-pytz-localize-replaced-by-replace",
        "newsroom",
        "newsroom/timeutils.py",
        "tz.localize(naive, is_dst=None)",
        "naive.replace(tzinfo=tz)",
        ("newsroom.tests", "events.tests"),
    ),
    Mutation(
        "newsroom-timezone-conversion-broken",
        "newsroom",
        "newsroom/timeutils.py",
        "return tz.normalize(value.astimezone(tz))",
        "return value.astimezone(pytz.utc)",
        ("newsroom.tests", "events.tests"),
    ),
    Mutation(
        "newsroom-is-ajax-branch-removed",
        "newsroom",
        "articles/views.py",
        "request.is_ajax()",
        "False",
        ("articles.tests.test_views.ArticleDetailTests",),
    ),
    Mutation(
        "newsroom-ifequal-output-removed",
        "newsroom",
        "templates/includes/_section_nav.html",
        '{% ifequal section.slug current %} class="active"{% endifequal %}',
        "",
        ("articles.tests.test_views.PageTests",),
    ),
]


@pytest.mark.parametrize(
    ("installed", "mutation"),
    [pytest.param(m.project, m, id=m.id) for m in MUTATIONS],
    indirect=["installed"],
)
def test_breaking_a_deprecated_code_path_fails_the_project_tests(
    installed: Installed, mutation: Mutation, tmp_path: Path
) -> None:
    assert mutation.project == installed.project.name
    root = copy_project(mutation.project, tmp_path)
    target = root / mutation.file
    source = target.read_text(encoding="utf-8")
    assert mutation.old in source, f"{mutation.file} no longer contains {mutation.old!r}"
    target.write_text(source.replace(mutation.old, mutation.new), encoding="utf-8")

    result = installed.run(*installed.project.test_command, *mutation.tests, cwd=root)

    assert result.returncode != 0, output_of(result)
    assert reports_failures(installed.project.runner, result), output_of(result)
