"""Manual items the developer reviewed as not applying (``[tool.upgrader] reviewed``).

A static finding can be wrong for a project (FINDINGS F22: pretalx's own widget's ``value``
is no ``ModelChoiceIteratorValue``); ``reviewed = ["<catalogue id> <path>[:<line>]"]`` says
so. :func:`split_reviewed` is the one place a hop's manual items are split into open and
reviewed, for the plan and the step alike: a reviewed item no longer keeps a hop from done,
and the report lists it as reviewed. ``upgrader check`` leaves out the findings an entry names
(:func:`is_reviewed`), so the pre-commit hook does not fail on them either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from upgrader.detect.model import ReviewedItem
from upgrader.plan.model import ManualItem


class Located(Protocol):
    """What an entry names: a manual item, or a finding of ``upgrader check``."""

    @property
    def id(self) -> str: ...

    @property
    def file(self) -> str: ...

    @property
    def line(self) -> int: ...


def is_reviewed(item: Located, reviewed: Iterable[ReviewedItem]) -> bool:
    """Whether an entry names ``item``: its id and file, and its line when the entry has one."""
    return any(
        r.id == item.id and r.file == item.file and r.line in (None, item.line) for r in reviewed
    )


def split_reviewed(
    items: Sequence[ManualItem], reviewed: Sequence[ReviewedItem]
) -> tuple[tuple[ManualItem, ...], tuple[ManualItem, ...]]:
    """``items`` as (open, reviewed), each in the order given."""
    if not reviewed:
        return tuple(items), ()
    done = tuple(i for i in items if is_reviewed(i, reviewed))
    return tuple(i for i in items if i not in done), done
