from __future__ import annotations

from pathlib import Path

from upgrader.project import detect_project
from upgrader.settings_modules import settings_modules

MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', '{module}')\n"


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def names(root: Path) -> list[str]:
    return [
        p.relative_to(root.resolve()).as_posix() for p in settings_modules(detect_project(root))
    ]


def test_plain_settings_file_with_siblings_and_star_imports(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "manage.py": MANAGE.format(module="site_cfg.settings"),
            "requirements.txt": "Django==2.2.28\n",
            "site_cfg/__init__.py": "",
            "site_cfg/settings.py": "from common.defaults import *\nDEBUG = False\n",
            "site_cfg/test_settings.py": "from .settings import *\n",
            "site_cfg/urls.py": "urlpatterns = []\n",
            "common/__init__.py": "",
            "common/defaults.py": "USE_TZ = True\n",
            "common/other.py": "X = 1\n",
        },
    )
    assert names(tmp_path) == [
        "common/defaults.py",
        "site_cfg/settings.py",
        "site_cfg/test_settings.py",
    ]


def test_settings_package(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "manage.py": MANAGE.format(module="site_cfg.settings.prod"),
            "requirements.txt": "Django==2.2.28\n",
            "site_cfg/__init__.py": "",
            "site_cfg/settings/__init__.py": "",
            "site_cfg/settings/base.py": "DEBUG = True\n",
            "site_cfg/settings/prod.py": "from .base import *\n",
            "site_cfg/urls.py": "urlpatterns = []\n",
        },
    )
    assert names(tmp_path) == [
        "site_cfg/settings/__init__.py",
        "site_cfg/settings/base.py",
        "site_cfg/settings/prod.py",
    ]
