"""What a built plan says at a glance: the hops it cannot make, its manual items in order."""

from __future__ import annotations

from collections.abc import Sequence

from upgrader.plan.model import ManualItem, Plan


def road_blocks(plan: Plan) -> list[str]:
    """One sentence per hop that cannot be made as planned: the packages that block it and why.

    A package missing from the index is a blocked package too (the index lists no release).
    ``upgrader plan`` exits 1 when this is not empty.
    """
    return [
        f"Django {hop.target} is blocked by "
        + "; ".join(f"{b.name or 'the dependency set'} ({b.reason})" for b in hop.blocked)
        for hop in plan.hops
        if hop.blocked
    ]


def manual_items_sorted(items: Sequence[ManualItem]) -> list[ManualItem]:
    return sorted(items, key=lambda m: (m.file, m.line, m.id))
