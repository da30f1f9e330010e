"""What both rewrite benchmarks share: the corpora they download and the project and hop they time.

``fetch(requirement)`` downloads a source distribution once from the configured package index
into ``~/.cache/upgrader/benchmark-corpus/`` (``$UPGRADER_CACHE_DIR`` / ``$XDG_CACHE_HOME`` move
it; outside the repository, where git would treat it as ignored repository files) and extracts it.
``make_project`` and ``stage_hop`` are the 2.2 -> 5.2 hop ``run.py`` and ``compare.py`` time.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

from packaging.version import Version

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from upgrader.hops import Hop  # noqa: E402
from upgrader.project import Project, TestRunner  # noqa: E402
from upgrader.releases import get_release  # noqa: E402
from upgrader.rewrite import default_cache_dir  # noqa: E402

CORPORA = {"wagtail": "wagtail==2.9", "django": "Django>=5.2,<5.3"}
PIP_DOWNLOAD = (
    sys.executable,
    "-m",
    "pip",
    "download",
    "--quiet",
    "--no-deps",
    "--no-binary",
    ":all:",
)


def fetch(requirement: str) -> Path:
    """``requirement``'s source distribution, extracted once under the cache folder."""
    folder = default_cache_dir() / "benchmark-corpus"
    stem = requirement.split("=")[0].split(">")[0].split("<")[0].lower().replace("-", "_")
    pin = requirement.partition("==")[2]

    def found() -> list[Path]:
        return sorted(
            p
            for p in folder.iterdir()
            if p.is_dir()
            and p.name.lower().replace("-", "_").startswith(stem)
            and (not pin or p.name.endswith(f"-{pin}"))
        )

    folder.mkdir(parents=True, exist_ok=True)
    if found():
        return found()[-1]
    subprocess.run([*PIP_DOWNLOAD, requirement, "-d", str(folder)], check=True)
    for archive in folder.glob("*.tar.gz"):
        if archive.name.lower().replace("-", "_").startswith(stem):
            with tarfile.open(archive) as tar:
                tar.extractall(folder, filter="data")
    return found()[-1]


def make_project(root: Path, python: str = "3.8") -> Project:
    """A Django 2.2 project at ``root`` on ``python`` (no settings: every file is plain code)."""
    return Project(
        root=root,
        manage_py=None,
        settings_module=None,
        settings_file=None,
        django_version=Version("2.2"),
        django_requirements=(),
        python_version=python,
        python_declarations=(),
        test_runner=TestRunner("django", ("python", "manage.py", "test")),
    )


def stage_hop(python_from: str = "3.8", python_to: str = "3.10") -> Hop:
    """The 2.2 -> 5.2 hop, from ``python_from`` to ``python_to``."""
    source, target = get_release("2.2"), get_release("5.2")
    assert source is not None and target is not None
    return Hop(source, target, python_from, python_to)
