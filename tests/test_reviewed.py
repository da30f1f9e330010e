"""``upgrader.reviewed``: a hop's manual items split into open and reviewed."""

from __future__ import annotations

from pathlib import Path

from tests.verify.tinyproject import make_tiny_project
from upgrader.detect.model import ReviewedItem
from upgrader.plan import build_plan
from upgrader.plan.model import ManualItem, PlanOptions
from upgrader.project import detect_project
from upgrader.reviewed import is_reviewed, split_reviewed

ID = "model-choice-iterator-value"


def item(file: str, line: int, item_id: str = ID) -> ManualItem:
    return ManualItem(item_id, file, line, "summary", "suggestion", "https://docs/")


def test_an_entry_without_a_line_reviews_every_item_of_its_id_in_the_file() -> None:
    items = (item("a/widgets.py", 3), item("a/widgets.py", 9), item("a/forms.py", 3))
    open_, reviewed = split_reviewed(items, (ReviewedItem(ID, "a/widgets.py"),))
    assert reviewed == items[:2]
    assert open_ == items[2:]


def test_an_entry_with_a_line_reviews_that_line_only() -> None:
    items = (item("a/widgets.py", 3), item("a/widgets.py", 9))
    open_, reviewed = split_reviewed(items, (ReviewedItem(ID, "a/widgets.py", 9),))
    assert (open_, reviewed) == (items[:1], items[1:])


def test_the_id_must_match_too() -> None:
    other = item("a/widgets.py", 3, "url-conf")
    assert not is_reviewed(other, (ReviewedItem(ID, "a/widgets.py"),))
    assert split_reviewed((other,), (ReviewedItem(ID, "a/widgets.py"),)) == ((other,), ())


def test_nothing_reviewed_leaves_every_item_open() -> None:
    items = (item("a/widgets.py", 3),)
    assert split_reviewed(items, ()) == (items, ())


def test_plan_lists_a_reviewed_item_as_a_note_not_as_manual(tmp_path: Path) -> None:
    """What plan lists is what step meets: the plan's real stages apply the same split."""
    root = tmp_path / "p"
    make_tiny_project(root)
    (root / "notes" / "old_urls.py").write_text("from django.conf.urls import url\n")

    def manual(pyproject: str) -> tuple[list[tuple[str, str]], list[str]]:
        (root / "pyproject.toml").write_text(pyproject)
        plan = build_plan(
            detect_project(root), PlanOptions(to="4.2", rewrites=False, dependencies=False)
        )
        items = [(m.id, m.file) for h in plan.hops for m in h.manual]
        return items, [n for h in plan.hops for n in h.notes]

    items, _notes = manual("")
    assert ("conf-urls-url", "notes/old_urls.py") in items
    items, notes = manual('[tool.upgrader]\nreviewed = ["conf-urls-url notes/old_urls.py"]\n')
    assert ("conf-urls-url", "notes/old_urls.py") not in items
    assert any("reviewed as not applying" in n and "notes/old_urls.py:1" in n for n in notes)
