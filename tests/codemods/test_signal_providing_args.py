from __future__ import annotations

import dataclasses
from pathlib import Path, PurePosixPath

import pytest
from django_upgrade.main import main as django_upgrade

import codemods.signal_providing_args as rule_module
from codemods import RuleContext
from tests.codemods.helpers import check_noop, check_transformed, context, run_rule

RULE = "signal_providing_args"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "import django.dispatch\n\n"
            "# Sent once the order exists.\n"
            "order_placed = django.dispatch.Signal(providing_args=['order', 'request'])\n",
            "import django.dispatch\n\n"
            "# Sent once the order exists.\n"
            "order_placed = django.dispatch.Signal()\n",
            id="module-import-keyword",
        ),
        pytest.param(
            "from django.dispatch import Signal as S\n\nx = S(['a', 'b'])  # keep me\n",
            "from django.dispatch import Signal as S\n\nx = S()  # keep me\n",
            id="alias-positional",
        ),
        pytest.param(
            "import django.dispatch as d\n\nx = d.Signal(['a'], True)\n",
            "import django.dispatch as d\n\nx = d.Signal(use_caching=True)\n",
            id="module-alias-positional-use-caching-becomes-keyword",
        ),
        pytest.param(
            "from django.dispatch import Signal\n\nx = Signal(None, True)\n",
            "from django.dispatch import Signal\n\nx = Signal(use_caching=True)\n",
            id="what-django-upgrade-leaves-with-use-caching",
        ),
        pytest.param(
            "from django.dispatch.dispatcher import Signal\n\n"
            "x = Signal(\n"
            "    providing_args=['a'],\n"
            "    use_caching=True,\n"
            ")\n",
            "from django.dispatch.dispatcher import Signal\n\n"
            "x = Signal(\n"
            "    use_caching=True,\n"
            ")\n",
            id="dispatcher-module-multiline",
        ),
        pytest.param(
            "from django.dispatch import Signal\n\n"
            "x = Signal(use_caching=False, providing_args=['a'])\n",
            "from django.dispatch import Signal\n\nx = Signal(use_caching=False)\n",
            id="keyword-last",
        ),
        pytest.param(
            "from django.dispatch import Signal\n\nx = Signal(\n    providing_args=['a'],\n)\n",
            "from django.dispatch import Signal\n\nx = Signal()\n",
            id="only-argument-multiline",
        ),
        pytest.param(
            "from django import dispatch\n\n"
            "class Hub:\n"
            "    changed = dispatch.Signal(providing_args=['x'])\n",
            "from django import dispatch\n\nclass Hub:\n    changed = dispatch.Signal()\n",
            id="class-attribute-from-django-import-dispatch",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_to="3.1"))


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from blinker import Signal\n\nx = Signal(['a'])\n",
            id="look-alike-from-another-module",
        ),
        pytest.param(
            "import django.dispatch\n\nx = django.dispatch.Signal()\n",
            id="no-argument",
        ),
        pytest.param(
            "import django.dispatch\n\nx = django.dispatch.Signal(use_caching=True)\n",
            id="use-caching-only",
        ),
        pytest.param(
            "from django.dispatch import receiver\n\ndef Signal(x):\n    pass\n\nSignal(['a'])\n",
            id="local-function-named-signal",
        ),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_to="3.1"))


def test_below_its_version() -> None:
    source = "import django.dispatch\n\nx = django.dispatch.Signal(providing_args=['a'])\n"
    check_noop(RULE, source, context(django_to="3.0"))


def test_unpacked_arguments_become_a_manual_note() -> None:
    ctx = context(django_to="4.2", filename="app/signals.py")
    source = "from django.dispatch import Signal\n\nx = Signal(**options)\n"
    check_noop(RULE, source, ctx)
    assert len(ctx.notes) == 1
    assert ctx.notes[0].startswith("app/signals.py:3: Signal() lost its providing_args")


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from django.dispatch import Signal\n\nx = Signal(['a'], True)\n",
            id="positional-with-use-caching",
        ),
        pytest.param(
            "from django.dispatch import Signal\n\nx = Signal(providing_args=['a'])\n",
            id="keyword",
        ),
        pytest.param(
            "import django.dispatch\n\nx = django.dispatch.Signal(providing_args=['a'])\n",
            id="module-import",
        ),
    ],
)
def test_after_django_upgrade_is_stable(source: str, tmp_path: Path) -> None:
    """django-upgrade runs first in the engine; the two together give code Django 4.0 accepts."""
    path = tmp_path / "signals.py"
    path.write_text(source)
    django_upgrade(["--target-version", "4.0", str(path)])
    ctx = context(django_to="4.0")
    once = run_rule(RULE, path.read_text(), ctx)
    assert "providing_args" not in once and "None" not in once and "['a']" not in once
    assert run_rule(RULE, once, ctx) == once
    path.write_text(once)
    assert django_upgrade(["--target-version", "4.0", str(path)]) == 0
    assert path.read_text() == once


def _no_libcst(*args: object) -> str:
    raise AssertionError("the libcst pass ran")


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from django.dispatch import Signal\n\nsaved = Signal()\nlive = Signal(use_caching=True)\n",
            id="no arguments to drop",
        ),
        pytest.param(
            "from blinker import Signal\n\nsaved = Signal(['instance'])\n", id="another Signal"
        ),
        pytest.param("Signal = make()\nsaved = Signal(['instance'])\n", id="not imported"),
        pytest.param("# Signal(providing_args=['a'])\n", id="needle in a comment"),
    ],
)
def test_files_without_a_candidate_call_skip_libcst(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rule_module, "run_rule", _no_libcst)
    assert run_rule(RULE, source, context(django_to="4.0")) is source


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from django.dispatch import Signal as S\n\nsaved = S(['instance'])\n",
            "from django.dispatch import Signal as S\n\nsaved = S()\n",
            id="alias, positional",
        ),
        pytest.param(
            "from django import dispatch as d\n\nsaved = d.dispatcher.Signal(providing_args=[])\n",
            "from django import dispatch as d\n\nsaved = d.dispatcher.Signal()\n",
            id="module alias, keyword",
        ),
        pytest.param(
            "def f():\n    import django.dispatch\n    return django.dispatch.Signal(['a'], True)\n",
            "def f():\n    import django.dispatch\n    return django.dispatch.Signal(use_caching=True)\n",
            id="imported in a function",
        ),
    ],
)
def test_candidate_calls_are_still_rewritten(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_to="4.0"))


# --- Signal subclasses (issue 17 item 4) ------------------------------------------------------

SUBCLASS = (
    "from django.dispatch import Signal\n\n\n"
    "class TaskSignal(Signal):\n"
    "    def send_later(self, sender):\n"
    "        return self.send(sender)\n\n\n"
    "class QueueSignal(TaskSignal):\n"
    "    pass\n\n\n"
)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            SUBCLASS + "done = TaskSignal(providing_args=['task'])\n",
            SUBCLASS + "done = TaskSignal()\n",
            id="subclass, keyword",
        ),
        pytest.param(
            SUBCLASS + "queued = QueueSignal(['task'], True)\n",
            SUBCLASS + "queued = QueueSignal(use_caching=True)\n",
            id="subclass of a subclass, positional",
        ),
    ],
)
def test_signal_subclasses_are_rewritten(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_to="4.0"))


def test_a_subclass_with_its_own_init_is_a_manual_item() -> None:
    source = (
        "from django.dispatch import Signal\n\n\n"
        "class TaskSignal(Signal):\n"
        "    def __init__(self, providing_args=None):\n"
        "        super().__init__(providing_args=providing_args)\n\n\n"
        "done = TaskSignal(providing_args=['task'])\n"
    )
    ctx = context(django_to="4.0")
    check_noop(RULE, source, ctx)
    assert len(ctx.notes) == 2  # the call, and the super().__init__ call
    assert all("providing_args= passed to" in note for note in ctx.notes)
    assert any(":9:" in note and "TaskSignal()" in note for note in ctx.notes)


def test_an_imported_subclass_called_with_providing_args_is_a_manual_item() -> None:
    source = "from .base import TaskSignal\n\ndone = TaskSignal(providing_args=['task'])\n"
    ctx = context(django_to="4.0")
    check_noop(RULE, source, ctx)
    [note] = ctx.notes
    assert "providing_args= passed to TaskSignal()" in note


# --- Signal subclasses of the project's other modules (FINDINGS F40: pretalx) -----------------

PRETALX_BASE = (
    "import django.dispatch\n\n\n"
    "class EventPluginSignal(django.dispatch.Signal):\n"
    "    def send(self, sender, **named):\n"
    "        return []\n\n\n"
    "class OwnInit(django.dispatch.Signal):\n"
    "    def __init__(self, providing_args=None):\n"
    "        super().__init__()\n"
)


def test_the_projects_signal_subclasses_are_read_across_modules() -> None:
    modules = [
        ("src/pretalx/common/signals.py", PRETALX_BASE),
        (
            "src/pretalx/orga/signals.py",
            "from pretalx.common.signals import EventPluginSignal, OwnInit\n\n\n"
            "class Nav(EventPluginSignal):\n    pass\n\n\n"
            "class Custom(OwnInit):\n    pass\n",
        ),
        ("src/pretalx/other.py", "x = 1  # no Signal here\n"),
    ]

    def is_package(folder: PurePosixPath) -> bool:
        return folder.parts[:2] == ("src", "pretalx")

    assert rule_module.project_signal_classes(modules, is_package) == {
        "pretalx.common.signals.EventPluginSignal": False,
        "pretalx.common.signals.OwnInit": True,
        "pretalx.orga.signals.Nav": False,
        "pretalx.orga.signals.Custom": True,  # inherits OwnInit.__init__
    }
    assert rule_module.module_name("src/pretalx/orga/signals.py", is_package) == (
        "pretalx.orga.signals"
    )
    assert rule_module.module_name("src/pretalx/__init__.py", is_package) == "pretalx"


def _with_project(**classes: bool) -> RuleContext:
    ctx = context(django_to="4.0")
    return dataclasses.replace(ctx, signal_classes=classes)


def test_calls_of_a_subclass_from_another_module_are_rewritten() -> None:
    before = (
        "from pretalx.common.signals import EventPluginSignal\n\n"
        'submission_state_change = EventPluginSignal(\n    providing_args=["submission"]\n)\n'
    )
    after = (
        "from pretalx.common.signals import EventPluginSignal\n\n"
        "submission_state_change = EventPluginSignal()\n"
    )
    ctx = _with_project(**{"pretalx.common.signals.EventPluginSignal": False})
    check_transformed(RULE, before, after, ctx)
    # Without the project's classes (or with its own __init__) it stays a manual note.
    check_noop(RULE, before, context(django_to="4.0"))
    own = _with_project(**{"pretalx.common.signals.EventPluginSignal": True})
    check_noop(RULE, before, own)
    assert any("providing_args= passed to EventPluginSignal()" in note for note in own.notes)


def test_an_in_file_subclass_of_an_imported_one_is_followed() -> None:
    head = (
        "from pretalx.common.signals import OwnInit, Plain\n\n\nclass Mine(Plain):\n    pass\n\n\n"
    )
    ctx = _with_project(
        **{"pretalx.common.signals.Plain": False, "pretalx.common.signals.OwnInit": True}
    )
    check_transformed(RULE, head + "a = Mine(providing_args=['x'])\n", head + "a = Mine()\n", ctx)
    head = head.replace("Mine(Plain)", "Mine(OwnInit)")
    check_noop(RULE, head + "a = Mine(providing_args=['x'])\n", ctx)
