"""Issue 16.8: a reusable app (no manage.py, tested by its own script that configures settings in
code) and a project whose Django code lives in a subfolder of its repository are Django projects."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.detect.conftest import MINIMAL_MANAGE_PY, MakeTree, Tree, write_tree
from upgrader.detect.layout import find_root
from upgrader.errors import NotADjangoProjectError
from upgrader.hops import hop_path
from upgrader.plan import PlanOptions, build_plan
from upgrader.plan.render import render_json, render_markdown
from upgrader.project import detect_project
from upgrader.rewrite import rewrite_project

RUNTESTS = """\
#!/usr/bin/env python
import sys

import django
from django.conf import settings
from django.test.utils import get_runner

settings.configure(
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3"}},
    INSTALLED_APPS=["django.contrib.contenttypes", "taglite", "tests"],
)


def runtests():
    django.setup()
    TestRunner = get_runner(settings)
    failures = TestRunner().run_tests(["tests"])
    sys.exit(bool(failures))


if __name__ == "__main__":
    runtests()
"""

REUSABLE_APP: dict[str, str | bytes] = {
    "setup.py": (
        "from setuptools import setup\n\nsetup(\n    name='django-taglite',\n"
        "    packages=['taglite'],\n    install_requires=['Django>=2.2,<2.3'],\n"
        "    test_suite='runtests.runtests',\n)\n"
    ),
    "runtests.py": RUNTESTS,
    "taglite/__init__.py": "default_app_config = 'taglite.apps.TagliteConfig'\n",
    "taglite/apps.py": (
        "from django.apps import AppConfig\n\n\nclass TagliteConfig(AppConfig):\n"
        "    name = 'taglite'\n"
    ),
    "taglite/models.py": (
        "from django.db import models\nfrom django.utils.translation import ugettext_lazy as _\n\n\n"
        "class Tag(models.Model):\n    name = models.CharField(_('name'), max_length=50)\n"
    ),
    "tests/__init__.py": "",
    "tests/test_tags.py": "from django.test import TestCase\n\n\nclass T(TestCase):\n    pass\n",
}


def test_reusable_app_is_a_project_with_its_script_as_test_command(make_tree: MakeTree) -> None:
    root = make_tree(REUSABLE_APP)
    assert find_root(root / "taglite") == root.resolve()
    project = detect_project(root / "taglite")
    assert project.root == root.resolve()
    assert project.manage_py is None
    assert project.settings_module is None  # configured inside runtests.py
    assert project.settings_evidence is not None  # where: the settings.configure(...) call
    assert str(project.settings_evidence) == "runtests.py:8"
    assert project.app_packages == ("taglite",)
    assert project.test_runner.kind == "django"
    assert project.test_runner.command == ("python", "runtests.py")
    assert project.test_runner.evidence is not None
    assert str(project.test_runner.evidence) == "runtests.py:8"
    assert "settings.configure()" in project.test_runner.evidence.detail
    assert "setup.py test_suite" in project.test_runner.evidence.detail
    assert project.django_version.release[:2] == (2, 2)


@pytest.mark.parametrize(
    ("script", "tree", "command", "kind"),
    [
        pytest.param(
            "quicktest.py",
            {},
            ("python", "quicktest.py"),
            "django",
            id="quicktest.py",
        ),
        pytest.param(
            "tests/runtests.py",
            {},
            ("python", "tests/runtests.py"),
            "django",
            id="tests/runtests.py",
        ),
        pytest.param(
            "runtests.py",
            {
                "runtests.py": "import sys\nimport pytest\nimport django\ndjango.setup()\n"
                "sys.exit(pytest.main())\n"
            },
            ("python", "runtests.py"),
            "pytest",
            id="a script running pytest",
        ),
        pytest.param(
            "runtests.py",
            {
                "setup.cfg": "[tool:pytest]\naddopts = -q\n",
                "tox.ini": "[testenv]\ncommands = python runtests.py\n",
            },
            ("python", "runtests.py"),
            "django",
            id="tox runs the script although pytest is configured",
        ),
        pytest.param(
            "runtests.py",
            {
                "setup.cfg": "[tool:pytest]\naddopts = -q\n",
                "tox.ini": "[testenv]\ncommands = pytest\n",
            },
            ("python", "-m", "pytest"),
            "pytest",
            id="tox runs pytest",
        ),
    ],
)
def test_test_script_variants(
    make_tree: MakeTree, script: str, tree: Tree, command: tuple[str, ...], kind: str
) -> None:
    files = {k: v for k, v in REUSABLE_APP.items() if k not in ("runtests.py", "setup.py")}
    files["setup.py"] = "from setuptools import setup\nsetup(install_requires=['Django==2.2.28'])\n"
    files[script] = RUNTESTS
    files.update(tree)
    project = detect_project(make_tree(files))
    assert (project.test_runner.command, project.test_runner.kind) == (command, kind)


def test_a_script_that_names_a_settings_module_gives_it(make_tree: MakeTree) -> None:
    script = (
        "import os, sys\nimport django\nfrom django.core.management import call_command\n\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'tests.settings'\ndjango.setup()\n"
        "call_command('test')\n"
    )
    files = {**REUSABLE_APP, "runtests.py": script, "tests/settings.py": "SECRET_KEY = 'x'\n"}
    project = detect_project(make_tree(files))
    assert project.settings_module == "tests.settings"
    assert project.settings_evidence is not None
    assert str(project.settings_evidence) == "runtests.py:5"
    assert project.test_runner.command == ("python", "runtests.py")


def test_a_script_without_django_is_not_a_project(make_tree: MakeTree) -> None:
    root = make_tree({"setup.py": "setup()\n", "runtests.py": "import unittest\nunittest.main()\n"})
    with pytest.raises(NotADjangoProjectError, match="no test script using Django"):
        find_root(root)


def test_plan_and_rewrite_run_on_a_reusable_app(make_tree: MakeTree) -> None:
    """Everything downstream copes with no manage.py and no settings module."""
    root = make_tree(REUSABLE_APP)
    project = detect_project(root)
    plan = build_plan(
        project,
        PlanOptions(to="3.2", dependencies=False),
        find_interpreter=lambda _python: None,
    )
    assert [h.target for h in plan.hops] == ["3.2"]
    assert plan.current.settings is None
    assert plan.current.test_command == ("python", "runtests.py")
    assert render_json(plan) and render_markdown(plan)
    (hop,) = hop_path(project.django_version, project.python_version, to="3.2")
    result = rewrite_project(project, hop, write=True)
    models = (root / "taglite" / "models.py").read_text()
    assert "ugettext_lazy" not in models and "gettext_lazy" in models
    assert "default_app_config" not in (root / "taglite" / "__init__.py").read_text()
    assert result is not None


# --- the Django code in a subfolder of the repository -----------------------------------------


def _site(prefix: str) -> dict[str, str | bytes]:
    return {
        f"{prefix}manage.py": MINIMAL_MANAGE_PY,
        f"{prefix}mysite/__init__.py": "",
        f"{prefix}mysite/settings.py": "SECRET_KEY = 'x'\n",
        f"{prefix}requirements.txt": "Django==2.2.28\n",
    }


def test_src_layout_is_found_from_the_repository_root(tmp_path: Path) -> None:
    """pretalx's shape: src/manage.py, src/setup.py; CI at the git root runs 3.6 and 3.7."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    write_tree(
        repo,
        {
            **_site("src/"),
            "doc/conf.py": "project = 'x'\n",
            ".travis.yml": 'python:\n  - "3.6"\n  - "3.7"\n',
            ".venv/lib/manage.py": "",  # a virtualenv's files are never a project
        },
    )
    (repo / ".venv" / "pyvenv.cfg").write_text("home = /usr\n")
    for start in (repo, repo / "src", repo / "src" / "mysite"):
        project = detect_project(start)
        assert project.root == (repo / "src").resolve()
        assert project.settings_module == "mysite.settings"
        assert project.python_version == "3.7"
        assert "../.travis.yml:3" in project.python_reason


def test_several_projects_below_are_named(make_tree: MakeTree) -> None:
    root = make_tree({**_site("shop/"), **_site("blog/")})
    with pytest.raises(NotADjangoProjectError, match="several Django projects") as info:
        find_root(root)
    assert "blog, shop" in info.value.message
    assert "upgrader plan blog" in (info.value.hint or "")


def test_a_reusable_app_with_an_example_project_is_the_app(make_tree: MakeTree) -> None:
    """The app's own script decides before an example project below is looked for."""
    root = make_tree({**REUSABLE_APP, **_site("example/")})
    assert find_root(root) == root.resolve()


@pytest.mark.parametrize(
    ("tree", "command", "evidence"),
    [
        pytest.param(
            {".travis.yml": "script:\n  - python quicktest.py taglite\n"},
            ("python", "quicktest.py", "taglite"),
            ".travis.yml:2",
            id="travis script",
        ),
        pytest.param(
            {
                "tox.ini": "[testenv]\ncommands =\n    coverage run {toxinidir}/quicktest.py taglite {posargs}\n"
            },
            ("python", "quicktest.py", "taglite"),
            "tox.ini:3",
            id="tox commands with coverage",
        ),
        pytest.param(
            {
                ".github/workflows/t.yml": "jobs:\n  t:\n    steps:\n      - run: python quicktest.py taglite && coverage xml\n"
            },
            ("python", "quicktest.py", "taglite"),
            ".github/workflows/t.yml:4",
            id="workflow run",
        ),
        pytest.param({}, ("python", "quicktest.py"), "quicktest.py:8", id="no invocation"),
    ],
)
def test_the_projects_own_arguments_to_its_script(
    make_tree: MakeTree, tree: Tree, command: tuple[str, ...], evidence: str
) -> None:
    """quicktest.py takes the apps to test (argparse nargs='+'): without them it exits 2."""
    files = {k: v for k, v in REUSABLE_APP.items() if k not in ("runtests.py", "setup.py")}
    files["setup.py"] = "from setuptools import setup\nsetup(install_requires=['Django==2.2.28'])\n"
    files["quicktest.py"] = RUNTESTS
    files.update(tree)
    runner = detect_project(make_tree(files)).test_runner
    assert runner.command == command
    assert str(runner.evidence) == evidence


def test_the_configure_call_is_the_evidence_wherever_it_is(make_tree: MakeTree) -> None:
    """django-simple-history's runtests.py: django.setup() inside a function defined before
    the module-level settings.configure(**DEFAULT_SETTINGS)."""
    script = (
        "import django\nfrom django.conf import settings\n\n\ndef main():\n"
        "    django.setup()\n\n\nDEFAULTS = dict(INSTALLED_APPS=['taglite'])\n"
        "if not settings.configured:\n    settings.configure(**DEFAULTS)\n"
    )
    project = detect_project(make_tree({**REUSABLE_APP, "runtests.py": script}))
    assert str(project.settings_evidence) == "runtests.py:11"


def test_a_linter_naming_the_script_is_not_its_invocation(make_tree: MakeTree) -> None:
    files = {k: v for k, v in REUSABLE_APP.items() if k != "setup.py"}
    files["setup.py"] = "from setuptools import setup\nsetup(install_requires=['Django==2.2.28'])\n"
    files[".travis.yml"] = "script:\n  - black runtests.py --check\n  - python runtests.py\n"
    runner = detect_project(make_tree(files)).test_runner
    assert runner.command == ("python", "runtests.py")
