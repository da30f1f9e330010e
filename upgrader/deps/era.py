"""The moment as of which a project's baseline dependencies are resolved.

An unpinned requirement (``faker``, ``pytz``, a reusable app's ``install_requires``) means "what
pip gave the project when it last installed": resolving it today gives releases that no longer
support the project's old Python or Django, so the baseline cannot even be built. The baseline is
therefore resolved *as of* a cut-off (``uv pip compile --exclude-newer``, ``UV_EXCLUDE_NEWER``):

1. the committer date of the last commit (from ``rev``, default ``HEAD``) that touched a file
   declaring dependencies (every file ``read_declared`` read, plus the usual names, so a file
   deleted since still counts): that is when the project last decided its dependency set;
2. else (no dependency file was ever committed) the committer date of ``rev`` itself;
3. never earlier than the upload of the project's Django release (``django_version``, from the
   index's PEP 700 ``upload-time``; else the series' release date in ``upgrader.releases``): a
   cut-off before it would exclude the very Django the project pins (a history rewritten or
   imported with old dates, a pin set in a file outside the usual names);
4. ``None`` when there is no git history to date anything by (not a repository, no commits, git
   missing): the caller then resolves as of today.

The committer date (not the author date) is used: it is when the change landed on the branch,
after any rebase. The result is an aware datetime in UTC. There is no upper bound: a project
whose dependency files were touched last month is resolved as of last month, as it really runs.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from packaging.version import Version

from upgrader import releases
from upgrader.deps.index import IndexConfig, PackageIndex, PackageIndexError, parse_timestamp
from upgrader.deps.model import MetadataSource
from upgrader.detect.requirements import read_declared
from upgrader.detect.sources import git_root
from upgrader.git import Git, GitError

# Files that declare or lock dependencies wherever they are in the tree (git pathspec globs).
DEPENDENCY_PATHSPECS = (
    ":(glob)**/requirements*.txt",
    ":(glob)**/requirements*.in",
    ":(glob)**/requirements/*.txt",
    ":(glob)**/requirements/*.in",
    ":(glob)**/constraints*.txt",
    "setup.py",
    "setup.cfg",
    "pyproject.toml",
    "Pipfile",
    "Pipfile.lock",
    "poetry.lock",
    "uv.lock",
)


def _git_date(git: Git, rev: str, paths: tuple[str, ...] = ()) -> datetime | None:
    args = ["log", "-1", "--format=%cI", rev]
    if paths:
        args += ["--", *paths]
    try:
        out = git.run(*args, check=False).strip()
    except GitError:
        return None
    moment = parse_timestamp(out.splitlines()[0] if out else None)
    return moment.astimezone(timezone.utc) if moment is not None else None


def _dependency_paths(root: Path) -> tuple[str, ...]:
    """The pathspecs of every dependency file: the usual names, and the ones ``read_declared`` read."""
    found = list(DEPENDENCY_PATHSPECS)
    top = git_root(root)
    for path in read_declared(root).files:
        absolute = (path if path.is_absolute() else root / path).resolve()
        if top is None or not absolute.is_relative_to(top):
            continue  # outside the repository: git cannot date it
        # ``../requirements.txt`` for a project in a subfolder (read_declared reads the top).
        rel = Path(os.path.relpath(absolute, root.resolve())).as_posix()
        found.append(f":(literal){rel}")
    return tuple(dict.fromkeys(found))


def django_uploaded(version: Version, index: MetadataSource | None = None) -> datetime | None:
    """When ``version`` of Django was uploaded: the index's PEP 700 ``upload-time``, else the
    release date of its series from ``upgrader.releases`` (midnight UTC), else None."""
    source = index if index is not None else PackageIndex(IndexConfig())
    try:
        release = source.releases("django").get(version)
    except PackageIndexError:
        release = None
    times = [t for t in (f.uploaded for f in release.files) if t is not None] if release else []
    if times:
        return max(times).astimezone(timezone.utc)  # every file of the release is out by then
    row = releases.get_release(version)
    if row is None or len(row.released.split("-")) != 3:
        return None
    return datetime.fromisoformat(row.released).replace(tzinfo=timezone.utc)


def baseline_cutoff(
    root: Path,
    django_version: Version,
    *,
    rev: str = "HEAD",
    index: MetadataSource | None = None,
) -> datetime | None:
    """The moment (UTC) as of which the baseline's dependencies resolve; None without history.

    ``rev``: the commit whose history dates the project (the user's branch before any hop);
    ``index``: where Django's upload time is read (default: PyPI through upgrader's cache).
    """
    git = Git(root)
    if not git.is_repository():
        return None
    moment = _git_date(git, rev, _dependency_paths(root)) or _git_date(git, rev)
    if moment is None:
        return None
    floor = django_uploaded(django_version, index)
    if floor is not None and moment < floor:
        return floor
    return moment


# Packages whose every release was uploaded again long after it came out, so a cut-off before
# the re-upload leaves none (uv: "`atomicwrites` was filtered by `exclude-newer`"), and whose
# files are the same releases as before: each is resolved as of the re-upload instead. Read from
# PyPI's upload times (PEP 700): atomicwrites 0.1.0-1.4.0, released 2014-2020, all carry
# 2022-07-09T03:54-04:09Z (1.4.1, 2022-07-08, is older than them); pytest <= 4.6 requires it.
REUPLOADED: dict[str, datetime] = {
    "atomicwrites": datetime(2022, 7, 9, 4, 9, 10, tzinfo=timezone.utc),
}


def reuploaded_exemptions(cutoff: datetime) -> dict[str, datetime]:
    """The ``REUPLOADED`` packages a resolve as of ``cutoff`` must take as of their re-upload
    (uv's ``--exclude-newer-package`` / ``exclude-newer-package``), by canonical name."""
    if cutoff.tzinfo is None:
        cutoff = cutoff.replace(tzinfo=timezone.utc)
    return {name: moment for name, moment in REUPLOADED.items() if cutoff < moment}
