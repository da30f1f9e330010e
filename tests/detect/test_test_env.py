"""The test environment of a project, read statically from tox.ini, CI files, Makefile, ini, settings."""

from __future__ import annotations

from pathlib import Path

from tests.detect.conftest import MakeTree
from upgrader.detect.model import ProjectConfig
from upgrader.detect.test_env import TestEnvironment, read_test_environment

TOX_INI = """\
[tox]
envlist = py37-django{22,32}

[testenv]
setenv =
    DJANGO_SETTINGS_MODULE = mysite.settings.test
    MEDIA_ROOT = {toxinidir}/media
    PYTHONPATH = {toxinidir}
    PYTHONWARNINGS = error
    django22: LEGACY = 1
    OTHER = {env:HOME}
passenv = DATABASE_URL, REDIS_URL
    SENTRY_*
extras = test
deps =
    -rrequirements/test.txt
    django22: Django>=2.2,<3.0
    Django
    pytest-django>=3.5
commands_pre =
    python manage.py compilemessages
commands =
    python manage.py collectstatic --noinput
    pytest {posargs}
    python manage.py check_something_after
"""


def names(env: TestEnvironment) -> dict[str, str | None]:
    return {v.name: v.value for v in env.env}


def notes(env: TestEnvironment) -> str:
    return "\n".join(f"{n.evidence}: {n.value}" for n in env.notes)


def test_nothing_declared(make_tree: MakeTree) -> None:
    assert read_test_environment(make_tree({"manage.py": ""})) == TestEnvironment()


def test_tox_ini(make_tree: MakeTree) -> None:
    root = make_tree({"tox.ini": TOX_INI})
    env = read_test_environment(root)
    assert names(env) == {
        "DJANGO_SETTINGS_MODULE": "mysite.settings.test",
        "MEDIA_ROOT": "{tox_root}{/}../media",
        "PYTHONPATH": "{tox_root}{/}..",  # a reusable app's tests import from the root
    }
    assert env.env[0].evidence.file == "tox.ini" and env.env[0].evidence.line == 6
    assert [v.name for v in env.pass_env] == ["DATABASE_URL", "REDIS_URL", "SENTRY_*"]
    assert [c.value for c in env.pre_test] == [
        "python manage.py compilemessages",
        "python manage.py collectstatic --noinput",
    ]
    assert [r.value for r in env.requirements] == [
        "-r {tox_root}{/}..{/}requirements{/}test.txt",
        "pytest-django>=3.5",
    ]  # Django is the stage's to choose
    assert [e.value for e in env.extras] == ["test"]
    text = notes(env)
    assert "'django22: LEGACY = 1' applies to some tox envs only" in text
    assert "'{env:HOME}' uses a tox substitution" in text
    assert "PYTHONWARNINGS is upgrader's own in a stage env: not copied" in text
    assert "Django>=2.2,<3.0" not in text  # a factor's Django line: the stage's Django instead


def test_config_wins_over_the_project_files(make_tree: MakeTree) -> None:
    root = make_tree({"tox.ini": TOX_INI})
    config = ProjectConfig(
        env=(("DJANGO_SETTINGS_MODULE", "mysite.settings.mine"),),
        pre_test=("npm run build",),
        test_requirements=("pytest-django==3.10",),
        extras=(),
    )
    env = read_test_environment(root, config)
    assert names(env)["DJANGO_SETTINGS_MODULE"] == "mysite.settings.mine"
    assert env.env[0].evidence.file == "pyproject.toml [tool.upgrader]"
    assert env.pre_test[0].value == "npm run build"
    assert [r.value for r in env.requirements][-1] == "-r {tox_root}{/}..{/}requirements{/}test.txt"
    assert "pytest-django==3.10" in [r.value for r in env.requirements]
    assert "pytest-django>=3.5" not in [r.value for r in env.requirements]
    assert env.extras == ()  # extras = [] means none, not "detect"


WORKFLOW = """\
name: tests
on: [push]
env:
  GLOBAL_FLAG: "yes"
  TOKEN: ${{ secrets.API_TOKEN }}
jobs:
  test:
    runs-on: ubuntu-latest
    services:
      postgres:
        image: postgres:12
    env:
      DATABASE_URL: postgres://postgres:postgres@localhost:5432/test
      SITE_URL: http://localhost:8000
      DEBUG: true
      WORKERS: 2
      PY: ${{ matrix.python }}
    steps:
      - uses: actions/checkout@v4
      - run: pip install -r requirements.txt
      - run: |
          python manage.py collectstatic --noinput
          python manage.py compilemessages
      - run: python manage.py test
        env:
          CI_SETTINGS: "1"
      - run: echo done
        env:
          NOT_FOR_TESTS: "1"
"""


def test_github_workflow_literals_only(make_tree: MakeTree) -> None:
    root = make_tree({".github/workflows/ci.yml": WORKFLOW})
    env = read_test_environment(root)
    assert names(env) == {
        "GLOBAL_FLAG": "yes",
        "SITE_URL": "http://localhost:8000",  # a URL the tests use, not a service to reach
        "DEBUG": "true",
        "WORKERS": "2",
        "CI_SETTINGS": "1",
    }
    flag = env.env[0]
    assert (flag.evidence.file, flag.evidence.line) == (".github/workflows/ci.yml", 4)
    assert [c.value for c in env.pre_test] == [
        "python manage.py collectstatic --noinput",
        "python manage.py compilemessages",
    ]
    text = notes(env)
    assert "TOKEN comes from a CI secret: never copied" in text
    assert "secrets.API_TOKEN" not in "".join(v.value or "" for v in env.env)
    assert "PY = '${{ matrix.python }}' is a CI expression" in text
    assert (
        "DATABASE_URL = 'postgres://postgres:postgres@localhost:5432/test' names a CI service"
        in text
    )


def test_gitlab_and_travis(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            ".gitlab-ci.yml": (
                "variables:\n  CI_DB: sqlite\n  SECRET: $PRIVATE\n"
                "test:\n  variables:\n    JOB_FLAG: 'on'\n"
                "  script:\n    - python manage.py compilemessages\n    - pytest\n"
            ),
            ".travis.yml": (
                "language: python\nenv:\n  global:\n    - TRAVIS_FLAG=1 OTHER=two\n"
                "    - secure: abcdef\n"
            ),
        }
    )
    env = read_test_environment(root)
    assert names(env) == {"CI_DB": "sqlite", "JOB_FLAG": "on", "TRAVIS_FLAG": "1", "OTHER": "two"}
    assert [c.value for c in env.pre_test] == ["python manage.py compilemessages"]
    assert "SECRET = '$PRIVATE' is a CI expression" in notes(env)
    assert "encrypted Travis variable" in notes(env)


def test_invalid_yaml_is_skipped(make_tree: MakeTree) -> None:
    root = make_tree({".github/workflows/ci.yml": "jobs: [\n"})
    assert read_test_environment(root) == TestEnvironment()


def test_makefile_test_target(make_tree: MakeTree) -> None:
    makefile = (
        "build:\n\techo build\n\n"
        "test:\n"
        "\tpython manage.py collectstatic --noinput\n"
        "\t@DJANGO_SETTINGS_MODULE=mysite.settings.test CI=1 HOME=$(HOME) python manage.py test\n"
    )
    env = read_test_environment(make_tree({"Makefile": makefile}))
    assert names(env) == {"DJANGO_SETTINGS_MODULE": "mysite.settings.test", "CI": "1"}
    assert env.env[0].evidence.line == 6
    assert [c.value for c in env.pre_test] == ["python manage.py collectstatic --noinput"]


def test_pytest_ini_settings_and_plugins(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            "setup.cfg": (
                "[metadata]\nname = x\n\n[tool:pytest]\n"
                "DJANGO_SETTINGS_MODULE = mysite.settings.test\naddopts = -nauto --cov=mysite\n"
            )
        }
    )
    env = read_test_environment(root)
    assert env.settings is not None and env.settings.value == "mysite.settings.test"
    assert (env.settings.evidence.file, env.settings.evidence.line) == ("setup.cfg", 5)
    assert [r.value for r in env.requirements] == ["pytest-xdist", "pytest-cov"]
    assert env.requirements[0].evidence.detail == "addopts needs pytest-xdist"


def test_pyproject_pytest_ini_options(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            "pyproject.toml": (
                '[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = "s.test"\n'
                'addopts = ["-n", "4"]\n'
            )
        }
    )
    env = read_test_environment(root)
    assert env.settings is not None and env.settings.value == "s.test"
    assert [r.value for r in env.requirements] == ["pytest-xdist"]


def test_pytest_env_lines_are_read_not_set(make_tree: MakeTree) -> None:
    # djangogirls' pytest.ini: pytest-env sets these itself; the stage must not set them again.
    root = make_tree(
        {
            "pytest.ini": (
                "[pytest]\nDJANGO_SETTINGS_MODULE=djangogirls.settings\n"
                "addopts = --ff --nomigrations\nenv =\n    OPBEAT_DISABLE_SEND=true\n"
                "    D:RECAPTCHA_TESTING=True\n    not a variable\n"
            ),
            "tox.ini": "[testenv]\nsetenv =\n    RECAPTCHA_TESTING=False\n    OTHER=1\n",
        }
    )
    env = read_test_environment(root)
    assert [(v.name, v.value) for v in env.ini_env] == [
        ("OPBEAT_DISABLE_SEND", "true"),
        ("RECAPTCHA_TESTING", "True"),
    ]
    assert (env.ini_env[1].evidence.file, env.ini_env[1].evidence.line) == ("pytest.ini", 6)
    assert [v.name for v in env.env] == ["RECAPTCHA_TESTING", "OTHER"]  # tox's, as before
    assert [(v.name, v.value) for v in env.variables()] == [
        ("OPBEAT_DISABLE_SEND", "true"),
        ("RECAPTCHA_TESTING", "True"),  # pytest-env sets it after tox: its value wins
        ("OTHER", "1"),
    ]


def test_pyproject_pytest_env_list(make_tree: MakeTree) -> None:
    root = make_tree({"pyproject.toml": '[tool.pytest.ini_options]\nenv = ["A=1", "R:B=x y"]\n'})
    env = read_test_environment(root)
    assert [(v.name, v.value) for v in env.ini_env] == [("A", "1"), ("B", "x y")]


def test_test_extras_by_name(make_tree: MakeTree) -> None:
    root = make_tree({"setup.py": ""})
    env = read_test_environment(root, declared_extras=["mysql", "Testing", "postgres", "dev"])
    assert [e.value for e in env.extras] == ["Testing", "dev"]


SETTINGS = """\
import os
import environ

env = environ.Env()
DEBUG = os.environ.get("DEBUG_MODE") == "1"
if os.getenv("GITHUB_ACTIONS"):
    DATABASES = {"default": env.db("DATABASE_URL")}
SECRET_KEY = os.environ["SECRET_KEY"]
X = env.bool("FEATURE_X", default=False)
label = str("NOT_A_VARIABLE")
"""

STATIC_SETTINGS = """\
import os

if 'GITHUB_ACTIONS' in os.environ:
    STATICFILES_DIRS = ['static/source']
elif os.environ.get('DEBUG'):
    STATICFILES_DIRS = ['static/local']
"""


def test_settings_reads_are_passed_through(make_tree: MakeTree) -> None:
    root = make_tree({"mysite/settings.py": SETTINGS, ".github/workflows/ci.yml": "jobs: {}\n"})
    env = read_test_environment(root, settings_files=[root / "mysite" / "settings.py"])
    assert [v.name for v in env.pass_env] == [
        "DEBUG_MODE",
        "GITHUB_ACTIONS",
        "DATABASE_URL",
        "SECRET_KEY",
        "FEATURE_X",
    ]
    assert env.pass_env[1].evidence.file == "mysite/settings.py"
    assert env.pass_env[1].evidence.line == 6
    # The flag selects a database (a CI service, not running here): not set, but noted.
    assert env.env == ()
    (note,) = env.notes
    assert "it selects DATABASES (a CI service)" in note.value
    assert 'env = {GITHUB_ACTIONS = "true"}' in note.value
    assert str(note.evidence) == "mysite/settings.py:6"


def test_a_ci_flag_that_selects_no_service_is_set_as_on_ci(make_tree: MakeTree) -> None:
    root = make_tree(
        {"mysite/settings.py": STATIC_SETTINGS, ".github/workflows/ci.yml": "jobs: {}\n"}
    )
    env = read_test_environment(root, settings_files=[Path("mysite/settings.py")])
    (flag,) = env.env
    assert (flag.name, flag.value) == ("GITHUB_ACTIONS", "true")
    assert str(flag.evidence) == "mysite/settings.py:3"
    assert "selects STATICFILES_DIRS" in flag.evidence.detail
    assert [v.name for v in env.pass_env] == ["DEBUG"]


def test_a_ci_flag_read_outside_a_test_is_only_noted(make_tree: MakeTree) -> None:
    settings = "import os\nON_CI = os.environ.get('GITHUB_ACTIONS')\n"
    root = make_tree({"s.py": settings, ".github/workflows/ci.yml": "jobs: {}\n"})
    env = read_test_environment(root, settings_files=[Path("s.py")])
    assert env.env == ()
    assert "cannot be read statically" in env.notes[0].value


def test_ci_flag_left_alone_without_that_ci(make_tree: MakeTree) -> None:
    root = make_tree({"mysite/settings.py": STATIC_SETTINGS})
    env = read_test_environment(root, settings_files=[Path("mysite/settings.py")])
    assert env.env == () and env.notes == ()
    assert "GITHUB_ACTIONS" in [v.name for v in env.pass_env]


def requirements(env: TestEnvironment) -> list[str]:
    return [item.value for item in env.requirements]


def test_travis_install_steps_are_test_requirements(make_tree: MakeTree) -> None:
    """F10 (healthchecks): ``mock`` came only from the CI's install step."""
    root = make_tree(
        {
            ".travis.yml": (
                "language: python\ninstall:\n  - pip install -r requirements.txt\n"
                "  - pip install braintree coveralls mock mysqlclient reportlab apprise\n"
                "script:\n  - coverage run manage.py test\n"
            )
        }
    )
    env = read_test_environment(root)
    assert requirements(env) == ["braintree", "mock", "reportlab", "apprise"]
    item = env.requirements[1]
    assert (item.evidence.file, item.evidence.line, item.evidence.detail) == (
        ".travis.yml",
        4,
        "install",
    )
    assert "the CI installs mysqlclient, which builds against MySQL's client library" in notes(env)
    assert 'test-requirements = ["mysqlclient"]' in notes(env)


def test_github_and_gitlab_pip_install_lines(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            ".github/workflows/ci.yml": (
                "jobs:\n  test:\n    steps:\n      - run: |\n"
                "          python -m pip install --upgrade pip tox\n"
                "          pip install -e . -U 'factory-boy>=3' -i https://example.org/simple"
                " $EXTRA && echo done\n"
                "          pip install -r requirements/test.txt Django==2.2 ./vendor/x.whl\n"
                "      - run: pytest\n"
            ),
            ".gitlab-ci.yml": (
                "before_script:\n  - pip install freezegun\n"
                "test:\n  script:\n    - uv pip install responses\n    - pytest\n"
            ),
        }
    )
    assert requirements(read_test_environment(root)) == ["factory-boy>=3", "responses", "freezegun"]


def test_ci_services_are_noted(make_tree: MakeTree) -> None:
    """F16 (djangogirls): the tests need the workflow's postgres service; the plan says so."""
    root = make_tree(
        {
            ".github/workflows/django.yml": (
                "jobs:\n  build:\n    services:\n      postgres:\n        image: postgres:10.8\n"
                "        ports:\n          - 5432:5432\n      cache:\n        image: redis:6\n"
                "    steps:\n      - run: pytest\n"
                "  lint:\n    services:\n      postgres:\n        image: postgres:10.8\n"
                "        ports:\n          - 5432:5432\n"
            ),
            ".gitlab-ci.yml": (
                "services:\n  - mysql:8.0\n"
                "test:\n  services:\n    - name: redis:7\n      alias: cache\n"
                "  script:\n    - pytest\n"
            ),
        }
    )
    env = read_test_environment(root)
    services = [n for n in env.notes if "service" in n.value]
    assert [n.value.split(":")[0] for n in services] == [
        "the project's CI runs a postgres service (postgres",
        "the project's CI runs a redis service (redis",
        "the project's CI runs a redis service (redis",
        "the project's CI runs a mysql service (mysql",
    ]
    first = services[0]
    assert first.value.startswith(
        "the project's CI runs a postgres service (postgres:10.8 on 5432:5432): its tests need "
        "PostgreSQL running, and nothing here starts it"
    )
    assert 'env = {DATABASE_URL = "postgres://user:password@host/db"}' in first.value
    assert (first.evidence.file, first.evidence.line, first.evidence.detail) == (
        ".github/workflows/django.yml",
        4,
        "jobs.build.services",
    )
    assert services[3].evidence.detail == "services"


def test_tox_factor_deps_are_the_test_requirements_of_their_stage(make_tree: MakeTree) -> None:
    """F6 (simple-history): tox.ini's ``django22:`` lines are the 2.2 stage's test requirements
    (``django{22,30}:``, ``dj22:``, ``py37-django22:`` forms); Django itself is the stage's."""
    root = make_tree(
        {
            "tox.ini": (
                "[testenv]\ndeps =\n    coverage\n    django22: Django>=2.2,<2.3\n"
                "    django{22,30}: django-discover-runner\n    dj111: mock==1.0.1\n"
                "    py37-django30: mock==2.0\n    py{36,37}-dj{2.2}: freezegun\n"
                "    !django22: selenium\n    postgres: psycopg2\n    django22-postgres: x\n"
            )
        }
    )
    env = read_test_environment(root)
    assert [(r.value, r.series) for r in env.requirements] == [
        ("coverage", ()),
        ("django-discover-runner", ("2.2", "3.0")),
        ("mock==1.0.1", ("1.11",)),
        ("mock==2.0", ("3.0",)),
        ("freezegun", ("2.2",)),
    ]
    factor = env.requirements[1].evidence
    assert (factor.file, factor.line) == ("tox.ini", 5)
    assert factor.detail == "deps, django{22,30}: the Django 2.2, 3.0 stages"

    def stage(series: str) -> list[str]:
        return [r.value for r in env.requirements_for(series)]

    assert stage("2.2") == ["coverage", "django-discover-runner", "freezegun"]
    assert stage("3.0") == ["coverage", "django-discover-runner", "mock==2.0"]
    assert stage("3.2") == stage("3.0")  # no django32 factor: the newest one before it
    assert stage("1.8") == ["coverage"]  # no factor that old
    text = notes(env)
    for left_out in ("!django22: selenium", "postgres: psycopg2", "django22-postgres: x"):
        assert f"{left_out!r} applies to some tox envs only: left out" in text


def test_tests_require_are_test_requirements(make_tree: MakeTree) -> None:
    """F6: setup.py's tests_require (literal or a module-level name) and setup.cfg's are test
    requirements with their line; the Django line is replaced by each stage's Django (a note)."""
    root = make_tree(
        {
            "setup.py": (
                "from setuptools import setup\n"
                "TESTS = ['Django>=1.11', 'mock==1.0.1']\n"
                "setup(name='app', install_requires=['six'], tests_require=TESTS + ['six'])\n"
            ),
            "setup.cfg": "[options]\ntests_require =\n    freezegun>=0.3\n",
        }
    )
    env = read_test_environment(root)
    assert [(r.value, str(r.evidence)) for r in env.requirements] == [
        ("mock==1.0.1", "setup.py:2"),
        ("six", "setup.py:3"),
        ("freezegun>=0.3", "setup.cfg:3"),
    ]
    assert notes(env) == (
        "setup.py:2: 'Django>=1.11': each stage installs its own Django in its place"
    )


MANIFEST_SETTINGS = """\
STATIC_ROOT = "staticfiles"
STATICFILES_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
"""


def test_a_manifest_storage_gets_collectstatic_before_the_tests(make_tree: MakeTree) -> None:
    """F3 (locallibrary): whitenoise's manifest storage and no collectstatic anywhere: 21 of 40
    tests errored with "Missing staticfiles manifest entry"; the command is now detected."""
    root = make_tree({"manage.py": "", "site/settings.py": MANIFEST_SETTINGS})
    env = read_test_environment(root, settings_files=[Path("site/settings.py")])
    assert [c.value for c in env.pre_test] == ["python manage.py collectstatic --noinput"]
    evidence = env.pre_test[0].evidence
    assert (evidence.file, evidence.line) == ("site/settings.py", 2)
    assert evidence.detail.startswith(
        "STATICFILES_STORAGE is a manifest storage (CompressedManifestStaticFilesStorage)"
    )


def test_storages_and_a_project_subclass_of_a_manifest_storage(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            "manage.py": "",
            "site/__init__.py": "",
            "site/storage.py": (
                "from django.contrib.staticfiles.storage import ManifestStaticFilesStorage as M\n"
                "class Base(M):\n    pass\n"
                "class Strict(Base):\n    manifest_strict = False\n"
                "class Plain(object):\n    pass\n"
            ),
            "site/settings.py": (
                'STATIC_ROOT = "s"\nSTORAGES = {"staticfiles": {"BACKEND": "site.storage.Strict"}}\n'
            ),
            "other/settings.py": (
                'STATIC_ROOT = "s"\nSTORAGES = {}\n'
                'STORAGES["staticfiles"] = {"BACKEND": "site.storage.Plain"}\n'
            ),
        }
    )
    env = read_test_environment(root, settings_files=[Path("site/settings.py")])
    assert [c.value for c in env.pre_test] == ["python manage.py collectstatic --noinput"]
    assert env.pre_test[0].evidence.detail.startswith("STORAGES is a manifest storage (Strict)")
    # A storage class of the project that is no manifest storage: nothing added, nothing noted.
    other = read_test_environment(root, settings_files=[Path("other/settings.py")])
    assert other.pre_test == () and "manifest" not in notes(other)


def test_collectstatic_is_not_added_twice_nor_against_the_users_pre_test(tmp_path: Path) -> None:
    from tests.detect.conftest import write_tree

    files = {"manage.py": "", "site/settings.py": MANIFEST_SETTINGS}
    settings = [Path("site/settings.py")]
    tox = "[testenv]\ncommands_pre = python manage.py collectstatic --noinput -v 0\n"
    root = write_tree(tmp_path / "tox", {**files, "tox.ini": tox})
    env = read_test_environment(root, settings_files=settings)
    assert [c.value for c in env.pre_test] == ["python manage.py collectstatic --noinput -v 0"]
    # pre-test = [] in [tool.upgrader] turns the detected command off.
    off = write_tree(
        tmp_path / "off", {**files, "pyproject.toml": "[tool.upgrader]\npre-test = []\n"}
    )
    assert read_test_environment(off, ProjectConfig(), settings_files=settings).pre_test == ()
    # A reusable app has no manage.py to run it: a note with what to do.
    app = write_tree(tmp_path / "app", {"site/settings.py": MANIFEST_SETTINGS})
    env = read_test_environment(app, settings_files=settings)
    assert env.pre_test == ()
    assert "there is no manage.py to run it: add the command to [tool.upgrader] pre-test" in (
        notes(env)
    )
    # No STATIC_ROOT: collectstatic would fail before every test; a note instead.
    bare = write_tree(
        tmp_path / "bare", {"manage.py": "", "site/settings.py": MANIFEST_SETTINGS.splitlines()[1]}
    )
    env = read_test_environment(bare, settings_files=settings)
    assert env.pre_test == () and "and no STATIC_ROOT: add the command" in notes(env)


def test_ci_variables_for_a_ci_service_are_kept_and_name_it(make_tree: MakeTree) -> None:
    """F16 follow-up (djangogirls): POSTGRES_HOST=localhost and its siblings are right once a
    PostgreSQL runs here too: they stay in the stage env, and the plan says which service."""
    root = make_tree(
        {
            ".github/workflows/django.yml": (
                "env:\n  POSTGRES_HOST: localhost\n  POSTGRES_DB: test\n  SECRET_KEY: x\n"
                "  CACHE_HOST: 127.0.0.1\n"
                "jobs:\n  build:\n    services:\n      postgres:\n        image: postgres:10.8\n"
                "        ports:\n          - 5432:5432\n    steps:\n      - run: pytest\n"
            ),
            ".travis.yml": "env:\n  global:\n    - REDIS_HOST=localhost\n",
        }
    )
    env = read_test_environment(root)
    assert names(env) == {
        "POSTGRES_HOST": "localhost",
        "POSTGRES_DB": "test",
        "SECRET_KEY": "x",
        "CACHE_HOST": "127.0.0.1",
        "REDIS_HOST": "localhost",
    }
    detail = {v.name: v.evidence.detail for v in env.env}
    service = "for the CI's postgres service (postgres:10.8 on 5432:5432): start one"
    assert detail["POSTGRES_HOST"] == f"env, {service}"
    assert detail["POSTGRES_DB"] == f"env, {service}"
    assert detail["CACHE_HOST"] == "env"  # a cache: not what a postgres service serves
    assert detail["SECRET_KEY"] == "env"
    assert detail["REDIS_HOST"] == "env.global"  # Travis runs no service named in that file


def test_a_pip_install_ends_at_the_end_of_its_shell_command(make_tree: MakeTree) -> None:
    """simple-history's .travis.yml: ``if [[ ... ]]; then pip install black==19.10b0; fi`` made
    ``fi`` a test requirement."""
    root = make_tree(
        {
            ".travis.yml": (
                "install:\n"
                "  - if [[ $PY == '3.7' ]]; then pip install black==19.10b0; fi\n"
                "  - pip install freezegun&&echo done\n"
                "  - pip install 'mock; python_version < \"3\"' responses || true\n"
            )
        }
    )
    assert requirements(read_test_environment(root)) == [
        "freezegun",
        'mock; python_version < "3"',
        "responses",
    ]


def test_a_ci_variable_that_selects_the_cis_django_is_left_out(make_tree: MakeTree) -> None:
    """simple-history's Travis matrix: DJANGO="Django>=1.11,<1.12" (its first row) is what CI
    pip-installs, not a variable of the tests; each stage has its own Django."""
    root = make_tree(
        {".travis.yml": 'env:\n  - DJANGO="Django>=1.11,<1.12" MODE=ci\n  - DJANGO="Django>=2.2"\n'}
    )
    env = read_test_environment(root)
    assert names(env) == {"MODE": "ci"}
    assert "DJANGO = 'Django>=1.11,<1.12' selects the CI's Django: left out" in notes(env)


def test_catalogues_without_a_compiled_mo_are_noted(make_tree: MakeTree) -> None:
    po = "locale/fr/LC_MESSAGES/django.po"
    root = make_tree({"manage.py": "", po: "", "locale/de/LC_MESSAGES/django.po": ""})
    (root / "locale/de/LC_MESSAGES/django.mo").write_bytes(b"")
    text = notes(read_test_environment(root))
    assert f"{po}: 1 translation catalogue(s) have no compiled .mo (e.g. {po})" in text
    assert "[tool.upgrader] pre-test" in text
    (root / "tox.ini").write_text("[testenv]\ncommands_pre = python manage.py compilemessages\n")
    assert "compiled .mo" not in notes(read_test_environment(root))
