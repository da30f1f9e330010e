"""A hop's manual items on the step side: the upgrade steps its recorded dependency changes
cross (closed once the settings have them), and the items ``[tool.upgrader] reviewed`` names."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_step import PROJECT_FILES, FakeStages, git, step
from upgrader.hops import Hop
from upgrader.plan import DependencyChange, ManualItem
from upgrader.project import Project, detect_project
from upgrader.releases import get_release
from upgrader.reviewed import split_reviewed
from upgrader.step import COMPLETE, MANUAL_OPEN, DependencyOutcome, StepOptions, load_state
from upgrader.step.stages import DefaultHopStages, step_manual_items

MIDDLEWARE = "allauth.account.middleware.AccountMiddleware"
SETTINGS = (
    "SECRET_KEY = 'x'\n"
    "INSTALLED_APPS = [\n"
    "    'django.contrib.auth',\n"
    "    'allauth',\n"
    "    'allauth.account',\n"
    "]\n"
    "MIDDLEWARE = [\n"
    "    'django.contrib.sessions.middleware.SessionMiddleware',\n"
    "]\n"
)
WITH_MIDDLEWARE = SETTINGS.replace(
    "SessionMiddleware',\n", f"SessionMiddleware',\n    '{MIDDLEWARE}',\n"
)
ALLAUTH = DependencyChange("django-allauth", "0.55.0", "65.7.0", "newest for Django 4.2")


def make_repo(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(root.parent, "init", "-q", "-b", "main", str(root))
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "initial")
    return root


def allauth_project(tmp_path: Path, settings: str = SETTINGS) -> Path:
    return make_repo(tmp_path / "proj", {**PROJECT_FILES, "site_cfg/settings.py": settings})


def test_a_crossed_step_is_an_item_at_the_middleware_line_until_the_settings_have_it(
    tmp_path: Path,
) -> None:
    root = allauth_project(tmp_path)
    [item] = step_manual_items(detect_project(root), (ALLAUTH,))
    assert (item.id, item.file, item.line) == ("django-allauth-0.56.0", "site_cfg/settings.py", 7)
    assert MIDDLEWARE in item.suggestion and item.removed_in == "django-allauth 0.56.0"
    # Not crossed (already past 0.56 before the hop), or not chosen: no item.
    past = DependencyChange("django-allauth", "0.57.0", "65.7.0", "")
    dropped = DependencyChange("django-allauth", "0.55.0", None, "")
    assert step_manual_items(detect_project(root), (past, dropped)) == ()
    (root / "site_cfg" / "settings.py").write_text(WITH_MIDDLEWARE)
    assert step_manual_items(detect_project(root), (ALLAUTH,)) == ()


class MovesAllauth(FakeStages):
    """The stand-in dependency stage moves allauth past 0.56; the manual items are the real
    upgrade-step judgement of what the state recorded."""

    def dependencies(self, project: Project, hop: Hop, options: StepOptions) -> DependencyOutcome:
        outcome = super().dependencies(project, hop, options)
        return DependencyOutcome(
            changes=(*outcome.changes, ALLAUTH),
            blocked=(),
            packages={**outcome.packages, "django-allauth": "65.7.0"},
            constraints=outcome.constraints,
            files=outcome.files,
            commands_to_run=(),
            notes=(),
        )

    def manual(
        self,
        project: Project,
        hop: Hop,
        packages: dict[str, str],
        dependencies: tuple[DependencyChange, ...],
    ) -> tuple[ManualItem, ...]:
        return step_manual_items(project, dependencies)


def test_a_hop_moving_allauth_without_its_middleware_ends_open_and_continue_closes_it(
    tmp_path: Path,
) -> None:
    root = allauth_project(tmp_path)
    result = step(root, MovesAllauth())
    assert (result.exit_code, result.manual_open) == (1, 1), result.message
    last = load_state(root).history[-1]
    assert last.status == MANUAL_OPEN
    [item] = last.manual
    assert (item.id, item.file, item.line) == ("django-allauth-0.56.0", "site_cfg/settings.py", 7)
    report = json.loads((root / ".upgrader" / "reports" / "django-3.2" / "report.json").read_text())
    assert [m["id"] for m in report["manual"]] == ["django-allauth-0.56.0"]
    # The developer adds the middleware; --continue judges the recorded changes again: done.
    (root / "site_cfg" / "settings.py").write_text(WITH_MIDDLEWARE)
    stages = MovesAllauth()
    result = step(root, stages, resume=True)
    assert (result.exit_code, result.manual_open) == (0, 0), result.message
    assert stages.calls == ["verify 3.2"]  # the dependency phase did not run again
    state = load_state(root)
    assert state.current is None and [h.status for h in state.history] == [COMPLETE]


REVIEWED_ID = "model-choice-iterator-value"


class FindsAWidget(FakeStages):
    """Two catalogue items in app/widgets.py, at lines 2 and 5."""

    def manual(
        self,
        project: Project,
        hop: Hop,
        packages: dict[str, str],
        dependencies: tuple[DependencyChange, ...],
    ) -> tuple[ManualItem, ...]:
        return tuple(
            ManualItem(REVIEWED_ID, "app/widgets.py", line, "value is no str", "use .value", "")
            for line in (2, 5)
        )


def reviewed_project(tmp_path: Path, reviewed: str) -> Path:
    files = {
        **PROJECT_FILES,
        "app/widgets.py": "x = 1\n" * 5,
        "pyproject.toml": f"[tool.upgrader]\nreviewed = [{reviewed}]\n",
    }
    return make_repo(tmp_path / "proj", files)


def test_reviewed_items_do_not_keep_a_hop_from_done_and_the_report_lists_them(
    tmp_path: Path,
) -> None:
    root = reviewed_project(tmp_path, f'"{REVIEWED_ID} app/widgets.py"')
    result = step(root, FindsAWidget())
    assert (result.exit_code, result.manual_open) == (0, 0), result.message
    last = load_state(root).history[-1]
    assert last.status == COMPLETE and last.manual == ()
    assert [(i.id, i.line) for i in last.reviewed] == [(REVIEWED_ID, 2), (REVIEWED_ID, 5)]
    report = json.loads((root / ".upgrader" / "reports" / "django-3.2" / "report.json").read_text())
    assert (report["status"], report["manual"]) == ("done", [])
    # The report lists them as reviewed (their own field and section), not in its notes.
    assert [(i["id"], i["file"], i["line"]) for i in report["reviewed"]] == [
        (REVIEWED_ID, "app/widgets.py", 2),
        (REVIEWED_ID, "app/widgets.py", 5),
    ]
    assert not [n for n in report["notes"] if "reviewed" in n]
    markdown = (root / ".upgrader" / "reports" / "django-3.2" / "report.md").read_text()
    assert "### Reviewed as not applying (2)" in markdown
    assert f"- [x] `app/widgets.py:5` `{REVIEWED_ID}`: value is no str" in markdown
    html = (root / ".upgrader" / "reports" / "django-3.2" / "report.html").read_text()
    assert "<h3>Reviewed as not applying (2)</h3>" in html


def test_a_reviewed_line_leaves_the_file_s_other_items_open(tmp_path: Path) -> None:
    root = reviewed_project(tmp_path, f'"{REVIEWED_ID} app/widgets.py:5"')
    result = step(root, FindsAWidget())
    assert (result.exit_code, result.manual_open) == (1, 1), result.message
    last = load_state(root).history[-1]
    assert [i.line for i in last.manual] == [2] and [i.line for i in last.reviewed] == [5]


def test_the_real_stage_lists_the_scan_s_items_and_the_open_steps(tmp_path: Path) -> None:
    views = "from django.conf.urls import url\nurlpatterns = [url(r'^$', lambda r: r)]\n"
    root = allauth_project(tmp_path)
    (root / "app" / "views.py").write_text(views)
    project = detect_project(root)
    source, target = get_release("3.2"), get_release("4.2")
    assert source is not None and target is not None
    hop = Hop(source, target, "3.8", "3.8")
    found = DefaultHopStages().manual(project, hop, {"django": "4.2.20"}, (ALLAUTH,))
    ids = [i.id for i in found]
    assert "django-allauth-0.56.0" in ids
    assert any(i.file == "app/views.py" for i in found)  # the scan's item (url() removed in 4.0)
    assert DefaultHopStages().manual(project, hop, {"django": "4.2.20"}, ()) == tuple(
        i for i in found if i.id != "django-allauth-0.56.0"
    )


# A widget whose create_option() uses value as a dict key, given choices nowhere in sight.
WIDGET = (
    "from django.forms import CheckboxSelectMultiple\n"
    "\n"
    "INFO = {}\n"
    "\n"
    "class LanguagesWidget(CheckboxSelectMultiple):\n"
    "    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):\n"
    "        opt = super().create_option(name, value, label, selected, index, subindex, attrs)\n"
    "        opt['official'] = INFO[value]\n"
    "        return opt\n"
)


def test_a_reviewed_entry_names_the_real_scan_s_item(tmp_path: Path) -> None:
    root = make_repo(
        tmp_path / "proj",
        {
            **PROJECT_FILES,
            "app/widgets.py": WIDGET,
            "pyproject.toml": f'[tool.upgrader]\nreviewed = ["{REVIEWED_ID} app/widgets.py"]\n',
        },
    )
    project = detect_project(root)
    source, target = get_release("2.2"), get_release("3.2")
    assert source is not None and target is not None
    found = DefaultHopStages().manual(project, Hop(source, target, "3.8", "3.8"), {}, ())
    assert [(i.id, i.file) for i in found if i.id == REVIEWED_ID] == [
        (REVIEWED_ID, "app/widgets.py")
    ]
    open_, reviewed = split_reviewed(found, project.config.reviewed)
    assert [i.id for i in reviewed] == [REVIEWED_ID]
    assert REVIEWED_ID not in [i.id for i in open_]
