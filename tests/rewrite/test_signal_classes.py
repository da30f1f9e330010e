"""The rewrite stage gives signal_providing_args the project's Signal subclasses: their calls
in other modules lose ``providing_args=`` (FINDINGS F40: pretalx's EventPluginSignal)."""

from __future__ import annotations

from pathlib import Path

from tests.test_rewrite import make_hop, run, write

BASE = (
    "import django.dispatch\n\n\n"
    "class EventPluginSignal(django.dispatch.Signal):\n"
    "    def send(self, sender, **named):\n"
    "        return []\n"
)
CALLER = (
    "from pretalx.common.signals import EventPluginSignal\n\n"
    'submission_state_change = EventPluginSignal(\n    providing_args=["submission"]\n)\n'
)


def test_calls_of_the_projects_subclass_in_other_modules_are_rewritten(tmp_path: Path) -> None:
    root = tmp_path / "src"
    for package in ("pretalx", "pretalx/common", "pretalx/submission"):
        write(root, f"{package}/__init__.py", "")
    write(root, "pretalx/common/signals.py", BASE)
    caller = write(root, "pretalx/submission/signals.py", CALLER)
    result = run(root, tmp_path, hop=make_hop("3.2", "4.2"))
    assert caller.read_text() == (
        "from pretalx.common.signals import EventPluginSignal\n\n"
        "submission_state_change = EventPluginSignal()\n"
    )
    [change] = [c for c in result.changes if c.path == caller]
    assert [hit.rule for hit in change.rules] == ["signal_providing_args"]
    # The base changes: its class gains __init__(providing_args) -> the call is a manual note.
    caller.write_text(CALLER)
    own = BASE + "\n    def __init__(self, providing_args=None):\n        super().__init__()\n"
    write(root, "pretalx/common/signals.py", own)
    result = run(root, tmp_path, hop=make_hop("3.2", "4.2"))
    assert caller.read_text() == CALLER
    assert any("providing_args= passed to EventPluginSignal()" in n for n in result.notes)
