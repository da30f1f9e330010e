"""FINDINGS F77: six before 1.16.0 has no ``find_spec`` on its meta path importer, which Python
3.12's import system needs: ``six.moves`` does not import. An unpinned six kept at what the
previous stage installed (simple-history's 1.13.0) moves to 1.16.0 on the hop to Python 3.12."""

from __future__ import annotations

from pathlib import Path

from tests.deps.conftest import LocalIndex
from tests.deps.helpers import declared
from tests.deps.test_choose import _django, _only
from upgrader.deps import known
from upgrader.deps.choose import Target, choose_versions


def test_the_table_says_six_1_16_from_python_3_12() -> None:
    row = known.python_minimum("six", "3.12")
    assert row is not None and row.minimum == "1.16.0"
    assert known.python_minimum("Six", "3.11") is None


def test_an_unpinned_six_kept_at_1_13_moves_on_python_3_12(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    _django(local_index)
    for version in ("1.13.0", "1.15.0", "1.16.0", "1.17.0"):
        local_index.add("six", version, requires_python=">=2.7, !=3.0.*, !=3.1.*")
    client = local_index.build().client(tmp_path / "cache")
    for python, chosen in (("3.10", "1.13.0"), ("3.12", "1.16.0")):
        result = choose_versions(
            [declared("six")],
            Target(django="4.2", python=python),
            client,
            baseline={"six": "1.13.0"},
        )
        choice = _only(result, "six")
        assert choice.chosen == chosen, (python, choice.reason)
    assert "first to run on Python 3.12" in choice.reason
