"""``providing_args=`` given to a ``Signal`` subclass the rewrite cannot see (FINDINGS F40).

pretalx defines ``EventPluginSignal(django.dispatch.Signal)`` in ``pretalx/common/signals.py`` and
calls ``EventPluginSignal(providing_args=[...])`` in nine other modules, which import nothing from
Django. The rewrite drops the argument only where it sees the class keep ``Signal.__init__`` (the
same file); the rest must be manual items of the hop that crosses 4.0, or the hop's tests stop at
import with ``TypeError: __init__() got an unexpected keyword argument 'providing_args'``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from packaging.version import Version

from tests.codemods.helpers import context, run_rule
from tests.findings.test_scan import make_project
from upgrader.findings import scan_project, scan_source
from upgrader.findings.selection import relevant

ID = "signal-providing-args"
IMPORTED = (
    "from pretalx.common.signals import EventPluginSignal\n"
    "\n"
    "submission_state_change = EventPluginSignal(\n"
    '    providing_args=["submission", "old_state", "user"]\n'
    ")\n"
)
DEFINED = (
    "import django.dispatch\n"
    "\n"
    "class EventPluginSignal(django.dispatch.Signal):\n"
    "    def send(self, sender, **named):\n"
    "        return []\n"
    "\n"
    "register_data_exporters = EventPluginSignal(providing_args=[])\n"
)


def lines(source: str, filename: str = "app/signals.py") -> list[int]:
    return [f.line for f in scan_source(textwrap.dedent(source), filename) if f.id == ID]


def test_an_imported_subclass_is_an_item() -> None:
    assert lines(IMPORTED) == [3]


def test_signal_itself_is_one_item_not_two() -> None:
    assert lines("from django.dispatch import Signal\ns = Signal(providing_args=['a'])\n") == [2]
    assert lines(
        "from django.dispatch.dispatcher import Signal\ns = Signal(providing_args=[])\n"
    ) == [2]


def test_a_subclass_with_its_own_init_and_its_super_call_are_items() -> None:
    source = """\
        from django.dispatch import Signal

        class TaskSignal(Signal):
            def __init__(self, name, providing_args=None):
                super().__init__(providing_args=providing_args)
                self.name = name

        done = TaskSignal("done", providing_args=["task"])
        """
    assert lines(source) == [5, 8]


def test_other_calls_are_not_items() -> None:
    assert (
        lines("from pretalx.common.signals import EventPluginSignal\ns = EventPluginSignal()\n")
        == []
    )
    assert lines("from x import f\nf(arguments=[1])\n") == []


def test_what_the_rewrite_leaves_is_the_item_and_the_hop_crossing_4_0_breaks_on_it() -> None:
    hop = context(django_from="3.2", django_to="4.2", filename="pretalx/common/signals.py")
    rewritten = run_rule("signal_providing_args", DEFINED, hop)
    assert "providing_args" not in rewritten  # the class in the file keeps Signal.__init__
    assert lines(rewritten) == []
    imported = run_rule(
        "signal_providing_args", IMPORTED, context(django_from="3.2", django_to="4.2")
    )
    assert imported == IMPORTED  # the class is in another module: left, and noted
    findings = scan_source(imported, "pretalx/submission/signals.py")
    hop_42 = relevant(findings, Version("3.2"), Version("4.2"))
    assert [f.id for f in hop_42.breaking] == [ID]
    hop_32 = relevant(findings, Version("2.2"), Version("3.2"))
    assert [f.id for f in hop_32.deprecated] == [ID] and not hop_32.breaking


def test_a_module_that_never_names_django_is_scanned(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "manage.py": "import os\n",
            "proj/__init__.py": "",
            "proj/settings.py": "USE_TZ = True\n",
            "pretalx/common/signals.py": DEFINED,
            "pretalx/submission/signals.py": IMPORTED,
        },
    )
    found = {(f.file, f.line) for f in scan_project(project).findings if f.id == ID}
    assert ("pretalx/submission/signals.py", 3) in found
