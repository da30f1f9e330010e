"""The dependency stage and third-party upgrade steps (F18, F19): a hop moving
django-crispy-forms past 2.0 on a bootstrap4 project gets crispy-bootstrap4 chosen, resolved
and written beside it, and one note per step; write_dependencies locks pipenv for the hop's
Python."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from tests.deps.conftest import LocalIndex, django_classifiers
from upgrader.deps.index import IndexConfig
from upgrader.deps.model import Choice, Target
from upgrader.deps.plan import DependencyPlan, plan_dependencies, write_dependencies
from upgrader.deps.resolve import Resolver, RunResult, find_uv
from upgrader.deps.upgrade_step_rows import _CRISPY_NOTES
from upgrader.detect.requirements import read_declared
from upgrader.hops import Hop
from upgrader.releases import get_release

OURS = f"{sys.version_info.major}.{sys.version_info.minor}"
SETTINGS = 'INSTALLED_APPS = ["django.contrib.admin", "crispy_forms"]\n'
BOOTSTRAP4 = 'CRISPY_TEMPLATE_PACK = "bootstrap4"\n'


def _hop(source: str, target: str) -> Hop:
    found_source, found_target = get_release(source), get_release(target)
    assert found_source is not None and found_target is not None
    return Hop(found_source, found_target, OURS, OURS)


@pytest.fixture
def index(local_index: LocalIndex) -> LocalIndex:
    for version in ("3.2.25", "4.2.2", "5.0.1"):
        local_index.add("Django", version)
    local_index.add(
        "django-crispy-forms",
        "1.12.0",
        requires_dist=("Django<4.0,>=2.2",),
        classifiers=django_classifiers("3.2"),
    )
    local_index.add(
        "django-crispy-forms",
        "2.1",
        requires_dist=("Django>=4.2",),
        classifiers=django_classifiers("4.2", "5.0"),
    )
    local_index.add(
        "crispy-bootstrap4",
        "2022.1",
        requires_dist=("Django>=3.2", "django-crispy-forms>=1.14.0"),
        classifiers=django_classifiers("4.2", "5.0"),
    )
    return local_index.build()


def _project(tmp_path: Path, requirements: str, settings: str) -> Path:
    root = tmp_path / "project"
    (root / "app").mkdir(parents=True)
    (root / "requirements.txt").write_text(requirements)
    (root / "app" / "settings.py").write_text(settings)
    return root


def _plan(
    root: Path,
    index: LocalIndex,
    tmp_path: Path,
    hop: Hop | None = None,
    previous: DependencyPlan | None = None,
    **kwargs: object,
) -> DependencyPlan:
    return plan_dependencies(
        root,
        read_declared(root),
        hop or _hop("3.2", "4.2"),
        index=index.client(tmp_path / "cache"),
        config=IndexConfig(index.url),
        previous=previous,
        baseline_run=None,
        **kwargs,  # type: ignore[arg-type]
    )


CRISPY_1 = "Django==3.2.25\ndjango-crispy-forms==1.12.0\n"


def test_the_crispy_2_hop_adds_the_bootstrap4_pack(index: LocalIndex, tmp_path: Path) -> None:
    root = _project(tmp_path, CRISPY_1, SETTINGS + BOOTSTRAP4)
    plan = _plan(root, index, tmp_path)
    chosen = {c.name: (c.current, c.chosen) for c in plan.choices}
    assert chosen == {
        "django": ("3.2.25", "4.2.2"),
        "django-crispy-forms": ("1.12.0", "2.1"),
        "crispy-bootstrap4": (None, "2022.1"),
    }
    (companion,) = [c for c in plan.choices if c.name == "crispy-bootstrap4"]
    assert companion.reason.startswith(
        f"added: django-crispy-forms 2.0 moved it out ({_CRISPY_NOTES}); unpinned"
    )
    (step,) = plan.upgrade_steps
    assert (step.package, step.version, step.add_requirements) == (
        "django-crispy-forms",
        "2.0",
        ("crispy-bootstrap4",),
    )
    assert plan.companions == ("crispy-bootstrap4",)
    assert plan.packages["crispy-bootstrap4"] == "2022.1"
    [note] = [n for n in plan.notes if n.startswith("upgrade step of")]
    assert note == (
        "upgrade step of django-crispy-forms 2.0: add crispy-bootstrap4 to the requirements and "
        "'crispy_bootstrap4' to INSTALLED_APPS: django-crispy-forms 2.0 moved the bootstrap4 "
        "template pack (CRISPY_TEMPLATE_PACK) into it; the hop's dependency set gets "
        "crispy-bootstrap4 2022.1; the hop's settings rewrite makes the edit "
        f"(settings_crispy_template_pack_app) (source: {_CRISPY_NOTES})"
    )
    assert note in plan.to_json()["notes"]  # what plan and step print
    (item,) = plan.step_items  # for the hop's manual items (plan/stages, step stages)
    assert (item.id, item.file, item.line) == ("django-crispy-forms-2.0", "app/settings.py", 1)
    assert item.suggestion.startswith("add 'crispy_bootstrap4' to INSTALLED_APPS")


def test_the_companion_is_written_beside_the_package_that_asked(
    index: LocalIndex, tmp_path: Path
) -> None:
    root = _project(
        tmp_path, "Django==3.2.25\ndjango-crispy-forms==1.12.0  # forms\n", SETTINGS + BOOTSTRAP4
    )
    plan = _plan(root, index, tmp_path)
    result = write_dependencies(root, read_declared(root), plan)
    assert (root / "requirements.txt").read_text() == (
        "Django==4.2.2\ndjango-crispy-forms==2.1  # forms\ncrispy-bootstrap4==2022.1\n"
    )
    assert result.changed == (root / "requirements.txt",)


def test_no_companion_when_the_pack_is_set_up_or_declared(
    index: LocalIndex, tmp_path: Path
) -> None:
    installed = SETTINGS.replace('"crispy_forms"]', '"crispy_forms", "crispy_bootstrap4"]')
    root = _project(tmp_path, CRISPY_1, installed + BOOTSTRAP4)
    plan = _plan(root, index, tmp_path)
    assert (plan.upgrade_steps, plan.companions, plan.step_items) == ((), (), ())
    assert "crispy-bootstrap4" not in plan.packages
    assert not [n for n in plan.notes if n.startswith("upgrade step of")]

    # Declared already, its app not yet in INSTALLED_APPS: the step stays, no second line.
    declared = tmp_path / "declared"
    declared.mkdir()
    root = _project(declared, CRISPY_1 + "crispy-bootstrap4==2022.1\n", SETTINGS + BOOTSTRAP4)
    plan = _plan(root, index, tmp_path)
    assert [s.version for s in plan.upgrade_steps] == ["2.0"]
    assert plan.companions == ()
    write_dependencies(root, read_declared(root), plan)
    assert (root / "requirements.txt").read_text() == (
        "Django==4.2.2\ndjango-crispy-forms==2.1\ncrispy-bootstrap4==2022.1\n"
    )


def test_no_step_without_the_pack_setting_is_a_manual_note(
    index: LocalIndex, tmp_path: Path
) -> None:
    root = _project(tmp_path, CRISPY_1, SETTINGS)
    plan = _plan(root, index, tmp_path)
    (step,) = plan.upgrade_steps
    assert not step.mechanical and plan.companions == ()
    assert "crispy-bootstrap4" not in plan.packages
    [note] = [n for n in plan.notes if n.startswith("upgrade step of")]
    assert "ships no template pack: set CRISPY_TEMPLATE_PACK" in note
    assert "dependency set gets" not in note and note.endswith(f"(source: {_CRISPY_NOTES})")


def test_the_next_hop_of_the_plan_keeps_the_companion(index: LocalIndex, tmp_path: Path) -> None:
    root = _project(tmp_path, CRISPY_1, SETTINGS + BOOTSTRAP4)
    first = _plan(root, index, tmp_path)
    second = _plan(root, index, tmp_path, hop=_hop("4.2", "5.0"), previous=first)
    chosen = {c.name: (c.current, c.chosen) for c in second.choices}
    assert chosen["crispy-bootstrap4"] == ("2022.1", "2022.1")  # where the first hop left it
    (companion,) = [c for c in second.choices if c.name == "crispy-bootstrap4"]
    assert "kept at what the previous hop chose, 2022.1" in companion.reason
    assert chosen["django-crispy-forms"] == ("2.1", "2.1")
    assert second.upgrade_steps == () and second.companions == ("crispy-bootstrap4",)


@pytest.mark.skipif(find_uv() is None, reason="uv is not installed")
def test_the_companion_is_in_the_resolved_set(index: LocalIndex, tmp_path: Path) -> None:
    root = _project(tmp_path, CRISPY_1, SETTINGS + BOOTSTRAP4)
    uv = Resolver("uv", (str(find_uv()), "pip", "compile"))
    plan = _plan(root, index, tmp_path, resolve=True, resolver=uv, cache_dir=tmp_path / "uv")
    assert plan.resolution is not None, plan.notes
    assert plan.resolution.version_of("crispy-bootstrap4") == "2022.1"
    assert plan.resolution.version_of("django-crispy-forms") == "2.1"


_PIPFILE = '[packages]\ndjango = "==3.2.25"\n\n[requires]\npython_version = "3.8"\n'
_PIPFILE_LOCK = '{"_meta": {}, "default": {"django": {"version": "==3.2.25"}}, "develop": {}}'


class _Calls:
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(
        self, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float
    ) -> RunResult:
        self.calls.append(list(argv))
        return RunResult(0, "", "")


def test_write_dependencies_locks_pipenv_for_the_hops_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "Pipfile").write_text(_PIPFILE)
    (tmp_path / "Pipfile.lock").write_text(_PIPFILE_LOCK)
    monkeypatch.setattr("upgrader.deps.write_apply.shutil.which", lambda name: f"/bin/{name}")
    monkeypatch.setattr("upgrader.deps.write_apply.interpreters.find", lambda python: None)
    plan = DependencyPlan(
        Target("4.2", "3.10"), (Choice("django", "3.2.25", "4.2.2", "test", "test"),)
    )
    runner = _Calls()
    write_dependencies(tmp_path, read_declared(tmp_path), plan, runner=runner)
    assert runner.calls == [["/bin/pipenv", "lock", "--python", "3.10"]]
    assert '"==4.2.2"' in (tmp_path / "Pipfile").read_text()


def test_the_plan_lists_the_recaptcha_testing_item_from_pytest_env(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    # djangogirls' 3.2 hop (F31): django-recaptcha 1.4.0 -> 3.0.0 while pytest.ini's
    # pytest-env sets RECAPTCHA_TESTING=True, which 1.5.0 stopped reading.
    for version in ("2.2.28", "3.2.25"):
        local_index.add("Django", version)
    local_index.add("django-recaptcha", "1.4.0", classifiers=django_classifiers("2.0"))
    local_index.add("django-recaptcha", "3.0.0", classifiers=django_classifiers("2.2", "3.2"))
    index = local_index.build()
    root = _project(tmp_path, "Django==2.2.28\ndjango-recaptcha==1.4.0\n", SETTINGS)
    (root / "pytest.ini").write_text("[pytest]\nenv =\n    RECAPTCHA_TESTING=True\n")
    plan = _plan(root, index, tmp_path, hop=_hop("2.2", "3.2"))
    assert {c.name: c.chosen for c in plan.choices}["django-recaptcha"] == "3.0.0"
    (item,) = plan.step_items
    assert (item.id, item.file, item.line) == ("django-recaptcha-1.5.0", "pytest.ini", 3)
    assert [n for n in plan.notes if n.startswith("upgrade step of django-recaptcha 1.5.0")]
