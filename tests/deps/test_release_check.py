"""A release chosen to escape a removed import must itself be free of it (F23: pretalx's rules
2.2 imports force_text, removed in Django 4.0; rules 3.0 still does; 3.1 is the first that
does not). The candidates' own wheels (or sdists) come from a local index and are read, never
installed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.deps.conftest import LocalIndex
from tests.deps.helpers import declared
from tests.deps.test_removed_api import install
from upgrader.deps import choose
from upgrader.deps.breaking import BaselineRun, BreakingWarning, is_breaking
from upgrader.deps.choose import Blocked, Choice, Target, choose_versions
from upgrader.deps.index import PackageIndexError
from upgrader.deps.plan import plan_dependencies
from upgrader.deps.removed_api import release_removed_imports, removed_imports
from upgrader.detect.requirements import read_declared
from upgrader.hops import Hop
from upgrader.releases import get_release
from upgrader.verify.deprecations import DeprecationFinding

BROKEN = "from django.utils.encoding import force_text\n\n\ndef view():\n    return force_text(1)\n"
FIXED = "from django.utils.encoding import force_str\n\n\ndef view():\n    return force_str(1)\n"
SHIMMED = (
    "try:\n    from django.utils.encoding import force_text\n"
    "except ImportError:\n    from django.utils.encoding import force_str as force_text\n"
)
VIEWS = "rules/contrib/views.py"
TARGET = Target("4.2", "3.10")


def _warning(tmp_path: Path) -> DeprecationFinding:
    """The finding the static check of rules 2.2's installed files makes (as in a stage env)."""
    site = tmp_path / "site"
    if not site.exists():
        install(site, "rules", "2.2", {"rules/__init__.py": "", VIEWS: BROKEN})
    (found,) = removed_imports(site, "3.2", "4.2")
    assert found.message == "imports `django.utils.encoding.force_text`"
    return found


def _rules(local_index: LocalIndex, texts: dict[str, str], *, sdist: bool = False) -> LocalIndex:
    local_index.add("Django", "4.2.20", requires_python=">=3.8")
    local_index.add("rules", "2.2", files=((VIEWS, BROKEN),))
    for version, text in texts.items():
        local_index.add("rules", version, files=((VIEWS, text),), sdist_only=sdist)
    return local_index.build()


def _choose(local_index: LocalIndex, tmp_path: Path, *, offline: bool = False) -> Choice | Blocked:
    client = local_index.client(tmp_path / "cache", offline=offline)
    finding = _warning(tmp_path)
    breaking = {"rules": BreakingWarning("rules", finding, "2.2")}
    decls = [declared("Django==3.2.25"), declared("rules==2.2")]
    result = choose_versions(decls, TARGET, client, breaking=breaking)
    found: list[Choice | Blocked] = [c for c in result.choices if c.name == "rules"]
    found += [b for b in result.blocked if b.name == "rules"]
    assert len(found) == 1
    return found[0]


def test_a_candidate_that_still_imports_the_name_is_stepped_over(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    _rules(local_index, {"3.0": BROKEN, "3.0.1": BROKEN, "3.1": FIXED, "3.2": FIXED})
    choice = _choose(local_index, tmp_path)
    assert isinstance(choice, Choice) and choice.chosen == "3.1"
    assert choice.reason.startswith(
        "pinned ==2.2; rules 2.2 breaks on Django 4.2: its rules/contrib/views.py:1 imports "
        "`django.utils.encoding.force_text`, removed in Django 4.0; "
    )
    assert choice.reason.endswith(
        "rules 3.0 still breaks: its rules/contrib/views.py:1 imports "
        "`django.utils.encoding.force_text`; rules 3.0.1 still breaks: its "
        "rules/contrib/views.py:1 imports `django.utils.encoding.force_text`; "
        "rules 3.1: the first release whose files no longer import force_text"
    )
    assert "read rules-3.1-py3-none-any.whl: no import of a removed name" in choice.evidence


def test_the_first_newer_release_checked_clean_is_named(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    """A guarded import (try/except ImportError) is a shim: 3.0 is clean."""
    _rules(local_index, {"3.0": SHIMMED, "3.1": FIXED})
    choice = _choose(local_index, tmp_path)
    assert isinstance(choice, Choice) and choice.chosen == "3.0"
    assert choice.reason.endswith("; rules 3.0: its files no longer import force_text")
    assert "still breaks" not in choice.reason


def test_every_newer_release_still_importing_it_blocks_the_hop(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    _rules(local_index, {"3.0": BROKEN, "3.1": BROKEN})
    blocked = _choose(local_index, tmp_path)
    assert isinstance(blocked, Blocked) and blocked.newest_available == "3.1"
    assert blocked.reason.startswith(
        "rules 2.2 (every newer release that works with Django 4.2 breaks too, up to 3.1) "
        "breaks on Django 4.2: its rules/contrib/views.py:1 imports "
    )
    assert "rules 3.1 still breaks: its rules/contrib/views.py:1 imports" in blocked.reason
    assert is_breaking(blocked.reason)


def test_the_releases_read_are_bounded(
    local_index: LocalIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(choose, "RELEASE_CHECKS", 2)
    _rules(local_index, {"3.0": BROKEN, "3.0.1": BROKEN, "3.1": FIXED})
    blocked = _choose(local_index, tmp_path)
    assert isinstance(blocked, Blocked)
    assert blocked.reason.startswith(
        "rules 2.2 (no release checked clean up to 3.1, 2 newer releases read; the newest is "
        "3.1) breaks on Django 4.2: "
    )
    assert is_breaking(blocked.reason)


def test_sdists_are_read_below_their_folder_without_docs_or_build_scripts(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    local_index.add(
        "rules",
        "3.0",
        sdist_only=True,
        files=((f"src/{VIEWS}", BROKEN), ("docs/conf.py", BROKEN)),
    )
    local_index.add(
        "rules",
        "3.1",
        sdist_only=True,
        files=((f"src/{VIEWS}", FIXED), ("docs/conf.py", BROKEN), ("runtests.py", BROKEN)),
    )
    client = _rules(local_index, {}).client(tmp_path / "cache")
    releases = client.releases("rules")
    old, new = releases.get("3.0"), releases.get("3.1")
    assert old is not None and new is not None
    scan = release_removed_imports(client, old, "4.2")
    assert scan.filename == "rules-3.0.tar.gz"
    assert [f.location for f in scan.findings] == ["rules/contrib/views.py:1"]
    assert release_removed_imports(client, old, "3.2").clean  # not removed yet on 3.2
    assert release_removed_imports(client, new, "4.2").clean
    choice = _choose(local_index, tmp_path)
    assert isinstance(choice, Choice) and choice.chosen == "3.1"
    assert "read rules-3.1.tar.gz" in choice.evidence


def test_downloads_are_cached_and_offline_an_unread_release_is_said(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    _rules(local_index, {"3.0": BROKEN, "3.1": FIXED})
    client = local_index.client(tmp_path / "cache")
    for name in ("django", "rules"):  # listings and PEP 658 metadata cached, no release file
        for release in client.releases(name).releases:
            client.metadata(name, release)
    assert not (tmp_path / "cache/v1/files").exists()
    offline = _choose(local_index, tmp_path, offline=True)
    assert isinstance(offline, Choice) and offline.chosen == "3.0"
    assert "rules 3.0's files were not checked for removed imports: " in offline.reason
    assert "--offline forbids fetching it" in offline.reason
    online = _choose(local_index, tmp_path)
    assert isinstance(online, Choice) and online.chosen == "3.1"
    for wheel in (local_index.root / "files").glob("rules-*.whl"):
        wheel.unlink()  # the cache now has what was read
    again = _choose(local_index, tmp_path, offline=True)
    assert again == online


def test_a_file_that_does_not_match_its_sha256_is_refused(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    client = _rules(local_index, {"3.0": FIXED}).client(tmp_path / "cache")
    release = client.releases("rules").get("3.0")
    assert release is not None
    (dist,) = release.files
    wheel = local_index.root / "files" / dist.filename
    assert dist.sha256 == hashlib.sha256(wheel.read_bytes()).hexdigest()
    wheel.write_bytes(wheel.read_bytes() + b"cut")
    with pytest.raises(PackageIndexError, match="does not match the sha256 its index gives"):
        client.download(dist)
    scan = release_removed_imports(client, release, "4.2")
    assert not scan.clean and "does not match the sha256" in scan.problem


def test_the_plan_steps_over_a_candidate_that_still_imports_it(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    """Plan and step both choose through ``plan_dependencies``: one answer."""
    _rules(local_index, {"3.0": BROKEN, "3.1": FIXED})
    root = tmp_path / "project"
    root.mkdir()
    (root / "requirements.txt").write_text("Django==3.2.25\nrules==2.2\n")
    (root / "views.py").write_text("from rules.contrib.views import view\n")  # what it loads
    source, target = get_release("3.2"), get_release("4.2")
    assert source is not None and target is not None
    plan = plan_dependencies(
        root,
        read_declared(root),
        Hop(source, target, "3.10", "3.10"),
        index=local_index.client(tmp_path / "cache"),
        as_of=None,
        baseline={},
        installed_apps=(),
        baseline_run=BaselineRun("3.2", "django32", (_warning(tmp_path),)),
    )
    assert plan.blocked == ()
    rules = next(c for c in plan.choices if c.name == "rules")
    assert rules.chosen == "3.1"
    assert "rules 3.1: the first release whose files no longer import force_text" in rules.reason
