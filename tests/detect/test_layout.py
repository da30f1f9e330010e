"""Project root, manage.py, settings module and files, template folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.detect.conftest import MINIMAL_MANAGE_PY, MakeTree, Tree
from upgrader.detect.config import read_config
from upgrader.detect.layout import Layout, find_layout, find_root, find_template_dirs
from upgrader.detect.sources import ProjectReader
from upgrader.errors import NotADjangoProjectError
from upgrader.files import project_files


def layout_of(root: Path) -> Layout:
    reader = ProjectReader(root)
    return find_layout(reader, read_config(reader))


def template_dirs(root: Path) -> list[str]:
    reader = ProjectReader(root)
    layout = find_layout(reader, read_config(reader))
    found = find_template_dirs(reader, layout, project_files(reader.root))
    return [p.relative_to(reader.root).as_posix() for p in found]


SETTINGS = {"mysite/__init__.py": "", "mysite/settings.py": "", "mysite/test_settings.py": ""}


@pytest.mark.parametrize(
    ("tree", "module", "evidence"),
    [
        pytest.param(
            {"manage.py": MINIMAL_MANAGE_PY},
            "mysite.settings",
            "manage.py:5",
            id="manage.py setdefault",
        ),
        pytest.param(
            {"manage.py": 'import os\nos.environ["DJANGO_SETTINGS_MODULE"] = "mysite.settings"\n'},
            "mysite.settings",
            "manage.py:2",
            id="manage.py assignment",
        ),
        pytest.param(
            {
                "manage.py": "from os import environ\nenviron.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
            },
            "mysite.settings",
            "manage.py:2",
            id="bare environ",
        ),
        pytest.param(
            {
                "manage.py": "import sys\n",
                "mysite/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
            },
            "mysite.settings",
            "mysite/wsgi.py:2",
            id="wsgi.py",
        ),
        pytest.param(
            {
                "manage.py": "",
                "mysite/asgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
            },
            "mysite.settings",
            "mysite/asgi.py:2",
            id="asgi.py",
        ),
        pytest.param(
            {
                "manage.py": "",
                "pytest.ini": "[pytest]\nDJANGO_SETTINGS_MODULE = mysite.test_settings\n",
            },
            "mysite.test_settings",
            "pytest.ini:2",
            id="pytest.ini",
        ),
        pytest.param(
            {
                "manage.py": "",
                "setup.cfg": "[tool:pytest]\nDJANGO_SETTINGS_MODULE = mysite.settings\n",
            },
            "mysite.settings",
            "setup.cfg:2",
            id="setup.cfg",
        ),
        pytest.param(
            {
                "manage.py": "",
                "pyproject.toml": '[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = "mysite.settings"\n',
            },
            "mysite.settings",
            "pyproject.toml:2",
            id="pyproject pytest options",
        ),
        pytest.param(
            {"manage.py": "", "tox.ini": "[pytest]\nDJANGO_SETTINGS_MODULE = mysite.settings\n"},
            "mysite.settings",
            "tox.ini:2",
            id="tox.ini pytest section",
        ),
        pytest.param(
            {
                "manage.py": "",
                "tox.ini": "[testenv]\nsetenv =\n    DJANGO_SETTINGS_MODULE=mysite.test_settings\n",
            },
            "mysite.test_settings",
            "tox.ini:3",
            id="tox setenv",
        ),
        pytest.param(
            {
                "manage.py": MINIMAL_MANAGE_PY,
                "pyproject.toml": '[tool.upgrader]\nsettings = "mysite.test_settings"\n',
            },
            "mysite.test_settings",
            "pyproject.toml",
            id="[tool.upgrader] settings wins",
        ),
        pytest.param(
            {
                "manage.py": MINIMAL_MANAGE_PY.replace("mysite.settings", "gone.settings"),
                "pytest.ini": "[pytest]\nDJANGO_SETTINGS_MODULE = mysite.settings\n",
            },
            "mysite.settings",
            "pytest.ini:2",
            id="a declaration whose module exists wins",
        ),
    ],
)
def test_settings_module(make_tree: MakeTree, tree: Tree, module: str, evidence: str) -> None:
    root = make_tree({**SETTINGS, **tree})
    layout = layout_of(root)
    assert layout.settings_module == module
    assert layout.settings_file == root / (module.replace(".", "/") + ".py")
    assert layout.settings_files == (layout.settings_file,)
    assert str(layout.settings_evidence) == evidence
    assert layout.manage_py == root / "manage.py"


def test_settings_module_without_file(make_tree: MakeTree) -> None:
    root = make_tree({"manage.py": MINIMAL_MANAGE_PY})
    layout = layout_of(root)
    assert (layout.settings_module, layout.settings_file, layout.settings_files) == (
        "mysite.settings",
        None,
        (),
    )


def test_no_settings_module(make_tree: MakeTree) -> None:
    layout = layout_of(make_tree({"manage.py": "print('hello')\n"}))
    assert (layout.settings_module, layout.settings_evidence) == (None, None)


PACKAGE = {
    "mysite/__init__.py": "",
    "mysite/settings/__init__.py": "from .base import *\n",
    "mysite/settings/base.py": "",
    "mysite/settings/dev.py": "from .base import *\n",
    "mysite/settings/prod.py": "from .base import *\n",
    "mysite/settings/notes.txt": "",
}
PACKAGE_FILES = ("__init__.py", "base.py", "dev.py", "prod.py")


@pytest.mark.parametrize(
    ("module", "settings_file"),
    [
        pytest.param("mysite.settings", "mysite/settings/__init__.py", id="package"),
        pytest.param("mysite.settings.dev", "mysite/settings/dev.py", id="module of a package"),
    ],
)
def test_settings_package(make_tree: MakeTree, module: str, settings_file: str) -> None:
    manage = MINIMAL_MANAGE_PY.replace("mysite.settings", module)
    root = make_tree({"manage.py": manage, **PACKAGE})
    layout = layout_of(root)
    assert layout.settings_file == root / settings_file
    assert layout.settings_files == tuple(root / "mysite/settings" / n for n in PACKAGE_FILES)


def test_src_layout(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            "pyproject.toml": '[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = "mysite.settings"\n',
            "src/mysite/__init__.py": "",
            "src/mysite/settings.py": "",
        }
    )
    assert find_root(root / "src" / "mysite") == root.resolve()
    assert layout_of(root).settings_file == root / "src/mysite/settings.py"


@pytest.mark.parametrize(
    ("tree", "start", "root"),
    [
        pytest.param({"manage.py": "", "polls/models.py": ""}, "polls", ".", id="from a subfolder"),
        pytest.param(
            {"manage.py": "", "polls/models.py": ""}, "polls/models.py", ".", id="from a file"
        ),
        pytest.param(
            {"web/manage.py": "", "web/mysite/settings.py": "", "README": ""},
            "web",
            "web",
            id="nested project",
        ),
        pytest.param(
            {"setup.cfg": "[tool:pytest]\nDJANGO_SETTINGS_MODULE = mysite.settings\n", **SETTINGS},
            "mysite",
            ".",
            id="setup.cfg and settings module, no manage.py",
        ),
        pytest.param(
            {"pyproject.toml": '[tool.upgrader]\nsettings = "mysite.settings"\n', **SETTINGS},
            ".",
            ".",
            id="[tool.upgrader] settings, no manage.py",
        ),
    ],
)
def test_find_root(make_tree: MakeTree, tree: Tree, start: str, root: str) -> None:
    project = make_tree(tree)
    assert find_root(project / start) == (project / root).resolve()


@pytest.mark.parametrize(
    "tree",
    [
        pytest.param({"README.md": "hello"}, id="empty folder"),
        pytest.param({"pyproject.toml": '[project]\nname = "lib"\n'}, id="a library"),
        pytest.param(
            {"setup.cfg": "[tool:pytest]\nDJANGO_SETTINGS_MODULE = gone.settings\n"},
            id="settings module that does not exist",
        ),
    ],
)
def test_not_a_django_project(make_tree: MakeTree, tree: Tree) -> None:
    root = make_tree(tree)
    with pytest.raises(NotADjangoProjectError, match="not a Django project") as info:
        find_root(root)
    assert str(root.resolve()) in info.value.message
    assert "manage.py" in info.value.message
    assert info.value.hint


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(NotADjangoProjectError, match="does not exist"):
        find_root(tmp_path / "nowhere")


OS_PATH_SETTINGS = """\
import os
BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [os.path.join(BASE_DIR, "templates"), os.path.join(BASE_DIR, "missing")],
        "APP_DIRS": True,
    },
]
"""

PATHLIB_SETTINGS = """\
from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
TEMPLATES = [{"DIRS": [BASE_DIR / "templates", str(BASE_DIR.joinpath("more", "templates"))]}]
"""

STRING_SETTINGS = """\
TEMPLATE_ROOT = "templates"
TEMPLATES = [{"DIRS": ("templates", TEMPLATE_ROOT + "/../other", f"{x}/nope")}]
"""


@pytest.mark.parametrize(
    ("tree", "expected"),
    [
        pytest.param({"mysite/settings.py": OS_PATH_SETTINGS}, ["templates"], id="os.path.join"),
        pytest.param(
            {"mysite/settings.py": PATHLIB_SETTINGS, "more/templates/x.html": ""},
            ["templates", "more/templates"],
            id="pathlib",
        ),
        pytest.param(
            {"mysite/settings.py": STRING_SETTINGS, "other/x.html": ""},
            ["templates", "other"],
            id="plain strings, relative to the root",
        ),
        pytest.param(
            {
                "mysite/settings/__init__.py": "",
                "mysite/settings/base.py": (
                    "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parents[2]\n"
                ),
                "mysite/settings/dev.py": (
                    'from .base import *\nTEMPLATES = [{"DIRS": [BASE_DIR / "templates"]}]\n'
                ),
            },
            ["templates"],
            id="BASE_DIR from another settings module",
        ),
        pytest.param(
            {
                "mysite/settings.py": "TEMPLATES = [{'DIRS': [], 'APP_DIRS': True}]\n",
                "polls/__init__.py": "",
                "polls/templates/polls/index.html": "",
                "docs/templates/page.html": "",
            },
            ["polls/templates"],
            id="app templates, not other folders",
        ),
    ],
)
def test_template_dirs(make_tree: MakeTree, tree: Tree, expected: list[str]) -> None:
    module = "mysite.settings.dev" if "mysite/settings/dev.py" in tree else "mysite.settings"
    manage = MINIMAL_MANAGE_PY.replace("mysite.settings", module)
    root = make_tree(
        {"manage.py": manage, "mysite/__init__.py": "", "templates/base.html": "", **tree}
    )
    assert template_dirs(root) == expected


def test_template_dir_outside_the_project_is_left_out(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            "manage.py": MINIMAL_MANAGE_PY,
            "mysite/__init__.py": "",
            "mysite/settings.py": 'TEMPLATES = [{"DIRS": ["/", "../"]}]\n',
        }
    )
    assert template_dirs(root) == []


def test_configured_settings_that_do_not_exist_are_an_error(make_tree: MakeTree) -> None:
    from upgrader.detect.config import ConfigError

    root = make_tree(
        {
            "manage.py": MINIMAL_MANAGE_PY,
            **SETTINGS,
            "pyproject.toml": '[project]\nname = "x"\n\n[tool.upgrader]\nsettings = "mysite.nope"\n',
        }
    )
    with pytest.raises(ConfigError) as caught:
        layout_of(root)
    error = caught.value
    assert error.exit_code == 2
    assert str(root / "pyproject.toml") + ":5" in error.message
    assert "[tool.upgrader] settings names 'mysite.nope'" in error.message
    assert "mysite/nope.py" in error.message
    assert error.hint is not None
    assert (
        'manage.py:5 names mysite.settings: write [tool.upgrader] settings = "mysite.settings"'
        in (error.hint)
    )


def test_configured_settings_missing_with_nothing_else_found(make_tree: MakeTree) -> None:
    from upgrader.cli import main

    root = make_tree(
        {"manage.py": "print('hello')\n", "pyproject.toml": '[tool.upgrader]\nsettings = "gone"\n'}
    )
    assert main(["plan", str(root), "--from", "2.2", "--no-dependencies", "--no-rewrites"]) == 2


SANDBOX_MANAGE_PY = MINIMAL_MANAGE_PY.replace('"mysite.settings"', '"settings"')
OSCAR_LIKE = {
    "setup.py": "from setuptools import setup\nsetup(name='shop', install_requires=['Django>=2.2,<3.2'])\n",
    "src/shop/__init__.py": "",
    "src/shop/views.py": "from django.utils.encoding import force_text\n\nX = force_text('a')\n",
    "sandbox/__init__.py": "",
    "sandbox/manage.py": SANDBOX_MANAGE_PY,
    "sandbox/settings.py": "INSTALLED_APPS = ['shop']\n",
    "tests/__init__.py": "",
}


def test_a_package_repository_with_a_sandbox_is_rooted_at_the_repository(
    make_tree: MakeTree,
) -> None:
    root = make_tree(OSCAR_LIKE)
    # From the repository, from the sandbox and from inside the package: the same project.
    for start in (root, root / "sandbox", root / "src" / "shop"):
        assert find_root(start) == root
    layout = layout_of(root)
    assert layout.manage_py == root / "sandbox" / "manage.py"
    assert (layout.settings_module, layout.settings_file) == (
        "sandbox.settings",
        root / "sandbox" / "settings.py",
    )
    assert str(layout.settings_evidence) == "sandbox/manage.py:5"


def test_the_sandbox_is_lifted_only_for_a_packaged_src_layout(make_tree: MakeTree) -> None:
    # A pyproject.toml of tool settings only does not package anything: the sandbox stays.
    tools_only = {k: v for k, v in OSCAR_LIKE.items() if k != "setup.py"}
    root = make_tree({**tools_only, "pyproject.toml": "[tool.black]\nline-length = 99\n"})
    assert find_root(root) == root / "sandbox"
    assert find_root(root / "sandbox") == root / "sandbox"


def test_a_pyproject_project_table_packages_the_repository(make_tree: MakeTree) -> None:
    tools_only = {k: v for k, v in OSCAR_LIKE.items() if k != "setup.py"}
    root = make_tree({**tools_only, "pyproject.toml": '[project]\nname = "shop"\n'})
    assert find_root(root / "sandbox") == root


def test_pretalx_src_with_its_own_setup_py_stays_the_root(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            "tox.ini": "[tox]\nenvlist = py38\n",
            "src/setup.py": "from setuptools import setup\nsetup(name='pretalx')\n",
            "src/manage.py": MINIMAL_MANAGE_PY.replace("mysite", "pretalx"),
            "src/pretalx/__init__.py": "",
            "src/pretalx/settings.py": "",
        }
    )
    assert find_root(root) == root / "src"
    assert find_root(root / "src") == root / "src"
    assert layout_of(root / "src").settings_module == "pretalx.settings"


def test_rewrite_of_a_sandboxed_package_rewrites_the_package(
    make_tree: MakeTree, capsys: pytest.CaptureFixture[str]
) -> None:
    from upgrader.cli import main

    root = make_tree(OSCAR_LIKE)
    assert main(["rewrite", str(root), "--from", "2.2", "--to", "4.2", "--dry-run"]) == 0
    err = capsys.readouterr().err
    assert "would rewrite src/shop/views.py" in err
