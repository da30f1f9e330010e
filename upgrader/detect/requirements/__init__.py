"""Every dependency a project declares or locks, read statically from every format it may use.

``read_declared(root)`` returns a ``DeclaredSet``: one ``DeclaredRequirement`` per declaration of
any package (not only Django), each with the file and line it came from, plus the files it had
to skip. Detection uses it to find the current Django; the dependency stage reuses it.

Sources, and the ``kind`` each declaration gets:

- ``requirements``/``constraints``: ``requirements*.txt``, ``requirements*.in`` and
  ``requirements/*.txt|.in`` with their ``-r``/``-c`` includes (paths relative to the including
  file; a file reached through ``-c`` holds constraints; a loop is read once and the ``-r``
  line closing it named in ``skipped``). Comments, ``\\`` continuations, markers, extras and
  per-requirement options (``--hash``) are handled; global options (``--index-url``,
  ``--find-links``, ...) are ignored for now.
- ``editable``/``url``: ``-e`` lines, bare URLs or paths, ``name @ url`` and Poetry/Pipfile
  ``git``/``path``/``url`` tables, in any of the formats: no specifier, ``url`` says where
  (``name`` is ``""`` when nothing names the package, e.g. ``-e .``).
- ``pep621``: ``[project] dependencies`` and ``optional-dependencies`` (the group in
  ``evidence.detail``); ``pep735``: ``[dependency-groups]``.
- ``poetry``: ``[tool.poetry.dependencies]``, groups and ``dev-dependencies``; Poetry's ``^``,
  ``~``, ``X.Y.*`` and bare versions are converted to PEP 440 (``raw`` keeps the original).
- ``setup.py``: ``install_requires``/``extras_require`` of the ``setup(...)`` call, read with
  ``ast`` (literal lists, or a module-level name bound to one); never run.
- ``setup.cfg``: ``[options] install_requires`` and ``[options.extras_require]``.
- ``pipfile``: ``Pipfile`` ``[packages]`` and ``[dev-packages]``.
- ``poetry.lock``, ``pipfile.lock``, ``uv.lock``: exact versions (``==X.Y.Z``).

``read_tests_require(root)`` reads ``tests_require`` (``setup.py``, ``setup.cfg``) apart: test
requirements of the test environment (``upgrader.detect.test_env``), not dependencies.

Where each format is read: ``requirements_txt``, ``pyproject`` (PEP 621, PEP 735, Poetry),
``setup_files`` (setup.py, setup.cfg, ``tests_require``), ``locks`` (Pipfile and the lock files);
``declared`` holds the types and the ``Collector`` every reader adds to.

A project in a subfolder of its own repository (``src/manage.py``, django-oscar's
``sandbox/``; ``sources.enclosing_repository`` says when) also has the files at the repository's
top read, after its own; their evidence is relative to the project (``../requirements.txt``).
"""

from __future__ import annotations

from pathlib import Path

from upgrader.detect.requirements.declared import (
    DIRECT_KINDS,
    LOCK_KINDS,
    Collector,
    DeclaredRequirement,
    DeclaredSet,
)
from upgrader.detect.requirements.locks import read_pipfile, read_pipfile_lock, read_toml_lock
from upgrader.detect.requirements.pyproject import poetry_to_pep440, read_pyproject
from upgrader.detect.requirements.requirements_txt import (
    read_requirements_files,
    requirement_file_roots,
)
from upgrader.detect.requirements.setup_files import (
    read_setup_cfg,
    read_setup_py,
    read_tests_require,
)
from upgrader.detect.sources import ProjectReader, enclosing_repository

__all__ = [
    "DIRECT_KINDS",
    "LOCK_KINDS",
    "DeclaredRequirement",
    "DeclaredSet",
    "poetry_to_pep440",
    "read_declared",
    "read_tests_require",
]


def read_declared(root: Path, *, reader: ProjectReader | None = None) -> DeclaredSet:
    """Every requirement the project at ``root`` declares or locks (read, never executed)."""
    reader = reader if reader is not None else ProjectReader(root)
    root = reader.root
    collector = Collector(reader)
    top = enclosing_repository(root)
    folders = [root] if top is None else [root, top]
    # One pass over every requirements file, so a file both include is read once.
    read_requirements_files(collector, [p for f in folders for p in requirement_file_roots(f)])
    for folder in folders:
        read_pyproject(collector, folder)
        read_setup_py(collector, folder)
        read_setup_cfg(collector, folder)
        read_pipfile(collector, folder)
        read_toml_lock(collector, folder, "poetry.lock", "poetry.lock")
        read_pipfile_lock(collector, folder)
        read_toml_lock(collector, folder, "uv.lock", "uv.lock")
    skipped = tuple(s for s in reader.skipped if s.path in collector.consulted)
    return DeclaredSet(tuple(collector.found), tuple(collector.files), skipped, root)
