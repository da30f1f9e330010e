"""``upgrader.reviewed``: a hop's manual items split into open and reviewed."""

from __future__ import annotations

from upgrader.detect.model import ReviewedItem
from upgrader.plan.model import ManualItem
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
