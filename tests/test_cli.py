from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import jsonschema
import pytest

from upgrader.cli import main
from upgrader.report import MANUAL_OPEN
from upgrader.step import IN_PROGRESS, NEEDS_ATTENTION, HopState, ProjectState, save_state

SCHEMA = json.loads(
    (Path(__file__).resolve().parent.parent / "upgrader/schema/plan-1.schema.json").read_text()
)

TRAP = "open({marker!r}, 'w').write('ran'); raise RuntimeError('project code was executed')\n"


def write_project(root: Path) -> Path:
    """A Django 2.2 project whose every module explodes (and leaves a marker) when run."""
    marker = root.parent / "EXECUTED"
    trap = TRAP.format(marker=str(marker))
    files = {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_cfg.settings')\n"
        + trap,
        "requirements.txt": "Django==2.2.28\n",
        ".python-version": "3.8\n",
        "site_cfg/__init__.py": trap,
        "site_cfg/settings.py": trap + "SECRET_KEY = 'x'\nUSE_L10N = True\n",
        "site_cfg/urls.py": "from django.conf.urls import url\nurlpatterns = [url(r'^$', lambda r: None)]\n",
        "shop/__init__.py": "",
        "shop/views.py": "def v(request):\n    return request.is_ajax()\n",
        "shop/templates/shop/base.html": "{% load staticfiles %}<p>{% ifequal a b %}x{% endifequal %}</p>\n",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return marker


def test_plan_json_on_a_project_that_must_not_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "proj"
    marker = write_project(root)
    code = main(["plan", str(root), "--format", "json", "--no-dependencies", "--to", "latest"])
    out, err = capsys.readouterr()
    assert code == 0, err
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    assert data["current"]["django"] == "2.2.28"
    assert data["current"]["python"] == "3.8"
    assert [(h["from"], h["to"], h["python"]) for h in data["hops"]] == [
        ("2.2", "3.2", "3.8"),
        ("3.2", "4.2", "3.8"),
        ("4.2", "5.2", "3.10"),
        ("5.2", "6.1", "3.12"),
    ]
    first = {r["rule"] for r in data["hops"][0]["rewrites"]}
    assert {"django-upgrade:django_urls", "template_load_static", "template_ifequal"} <= first
    assert "request_is_ajax" in {r["rule"] for h in data["hops"] for r in h["rewrites"]}
    assert not marker.exists(), "plan executed project code"
    # The project itself is untouched.
    assert "is_ajax" in (root / "shop" / "views.py").read_text()


def test_markdown_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "proj"
    write_project(root)
    assert (
        main(["plan", str(root), "--format", "markdown", "--no-dependencies", "--no-rewrites"]) == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("# Django upgrade plan: 2.2 → 3.2 → 4.2 → 5.2")
    assert "### Manual items" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(["plan", "{tmp}", "--to", "2.0"], "older than", id="backwards-target"),
        pytest.param(["plan", "{tmp}/nowhere"], "not a Django project", id="not-django"),
        pytest.param(["plan", "{tmp}", "--from", "banana"], "not a Django version", id="bad-from"),
    ],
)
def test_user_errors_exit_2_with_message_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    root = tmp_path / "proj"
    write_project(root)
    (tmp_path / "nowhere").mkdir()
    args = [a.replace("{tmp}", str(root if a == "{tmp}" else tmp_path)) for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err.replace("\n", " ")
    assert "Traceback" not in err


def test_unpinned_django_asks_for_from(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "proj"
    write_project(root)
    (root / "requirements.txt").write_text("Django\n")
    assert main(["plan", str(root), "--no-dependencies", "--no-rewrites"]) == 2
    assert "--from" in capsys.readouterr().err
    assert main(["plan", str(root), "--no-dependencies", "--no-rewrites", "--from", "2.2"]) == 0


def test_module_entry_point_and_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "upgrader", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("upgrader ")


def test_check_exits_1_while_removed_apis_are_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "proj"
    write_project(root)
    assert main(["check", str(root), "--target", "4.0"]) == 1
    out = capsys.readouterr().out
    assert "site_cfg/urls.py:1: conf-urls-url" in out
    assert main(["check", str(root), "--target", "2.2"]) == 0


@pytest.mark.parametrize("command", [["check", "--target", "4.0"], ["rewrite", "--to", "3.2"]])
def test_check_and_rewrite_name_the_declarations_detection_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    root = tmp_path / "proj"
    write_project(root)
    (root / "tox.ini").write_text("[tox\nenvlist = py38\n")
    (root / "runtime.txt").write_text("python-banana\n")
    main([command[0], str(root), *command[1:]])
    err = capsys.readouterr().err.replace("\n", " ")
    assert "skipped tox.ini: invalid INI syntax" in err
    assert "skipped runtime.txt: line 1: 'python-banana' is not a Python runtime" in err


def test_a_broken_pyproject_is_a_warning_for_plan_and_an_error_for_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "proj"
    write_project(root)
    (root / "pyproject.toml").write_text('[tool.upgrader\nexclude = ["vendor/*"]\n')
    assert main(["plan", str(root), "--no-dependencies", "--no-rewrites"]) == 0
    assert "skipped pyproject.toml: invalid TOML" in capsys.readouterr().err.replace("\n", " ")
    for argv in (["check", str(root)], ["rewrite", str(root), "--to", "3.2", "--dry-run"]):
        assert main(argv) == 2
        err = capsys.readouterr().err.replace("\n", " ")
        assert "pyproject.toml cannot be read: invalid TOML" in err, argv
        assert "hint: Fix pyproject.toml" in err


@pytest.mark.parametrize("value", ["banana", "3", "٣.١٢", "3.12 "])
def test_check_refuses_a_python_that_is_not_a_version_before_reading_the_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    assert main(["check", str(tmp_path / "missing"), "--python", value]) == 2
    err = capsys.readouterr().err
    assert f"--python {value!r} is not a Python version" in err
    assert "hint: Write it like 3.12." in err


def test_status_and_rollback_without_any_hop(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "proj"
    write_project(root)
    assert main(["status", str(root)]) == 0
    out = capsys.readouterr().out
    assert "Django now: 2.2.28" in out and "3.2 -> 4.2 -> 5.2" in out
    assert main(["rollback", str(root)]) == 2
    assert "no hop to roll back" in capsys.readouterr().err


def test_status_and_rollback_read_past_a_broken_pyproject(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The hop being undone may be what broke it: neither read-only status nor rollback refuses.
    root = tmp_path / "proj"
    write_project(root)
    (root / "pyproject.toml").write_text("[tool.upgrader\nexclude = ['x']\n")
    assert main(["status", str(root)]) == 0
    assert "Django now: 2.2.28" in capsys.readouterr().out
    assert main(["rollback", str(root)]) == 2
    err = capsys.readouterr().err
    assert "no hop to roll back" in err and "cannot be read" not in err
    assert main(["rewrite", str(root), "--to", "3.2", "--dry-run"]) == 2  # a writer still refuses


def test_step_refuses_a_folder_that_is_not_a_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "proj"
    write_project(root)
    assert main(["step", str(root)]) == 2
    err = capsys.readouterr().err
    assert "not in a git repository" in err and "--no-git" in err


def test_codemods_list_names_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    from codemods import all_rules

    assert main(["codemods", "list"]) == 0
    out = capsys.readouterr().out
    assert all(rule.id in out for rule in all_rules())


def _hostile_tree(root: Path) -> None:
    """A project with a symlink loop, a folder linking to itself and modules too deep to read."""
    write_project(root)
    (root / "shop" / "a.py").symlink_to("b.py")
    (root / "shop" / "b.py").symlink_to("a.py")
    (root / "shop" / "again").symlink_to(".")
    deep = "from django.conf.urls import url\nX = {}\n"
    (root / "shop" / "walk.py").write_text(deep.format(" + ".join(["1"] * 1_000)))
    (root / "shop" / "parse.py").write_text(deep.format(" + ".join(["1"] * 100_000)))


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["plan", "--no-dependencies"], id="plan"),
        pytest.param(["check", "--target", "4.2"], id="check"),
        pytest.param(["rewrite", "--to", "3.2", "--dry-run"], id="rewrite"),
    ],
)
def test_symlink_loops_and_deep_modules_are_skipped_never_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    root = tmp_path / "proj"
    _hostile_tree(root)
    code = main([argv[0], str(root), *argv[1:]])
    _, err = capsys.readouterr()
    assert code in (0, 1), err
    assert "internal error" not in err
    for name in ("shop/a.py", "shop/b.py", "shop/parse.py"):
        assert name in err, err
    assert "symlink loop" in err
    if argv[0] != "rewrite":  # the rewrite stage parses with libcst, which walks 1,000 terms
        assert "shop/walk.py" in err


def _hop(status: str) -> HopState:
    return HopState(
        source="2.2",
        target="3.2",
        python_from="3.8",
        python="3.8",
        git=False,
        branch=None,
        base_commit=None,
        base_branch=None,
        started="2026-01-01T00:00:00+00:00",
        status=status,
    )


@pytest.mark.parametrize(
    ("current", "history", "code"),
    [
        pytest.param(None, ("done",), 0, id="last hop done"),
        pytest.param(None, (MANUAL_OPEN,), 1, id="last hop with manual items open"),
        pytest.param(None, (MANUAL_OPEN, "done"), 0, id="an earlier hop's items do not count"),
        pytest.param(NEEDS_ATTENTION, ("done",), 1, id="hop under way needs attention"),
        pytest.param(IN_PROGRESS, (), 0, id="hop under way resumes by itself"),
    ],
)
def test_status_exits_1_when_the_last_hop_waits_for_the_developer(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    current: str | None,
    history: tuple[str, ...],
    code: int,
) -> None:
    root = tmp_path / "proj"
    write_project(root)
    save_state(
        root,
        ProjectState(
            current=_hop(current) if current else None,
            history=tuple(_hop(s) for s in history),
        ),
    )
    assert main(["status", str(root)]) == code
    assert "Django now: 2.2.28" in capsys.readouterr().out


def test_step_and_status_help_document_their_exit_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for command in ("step", "status"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out
        assert "exit codes:" in out
        assert "\n  1  the " in out and "manual items" in out
    with pytest.raises(SystemExit):
        main(["step", "--help"])
    out = capsys.readouterr().out
    assert "`makemigrations --check` not clean" in out and "2  refused, nothing kept" in out


@pytest.mark.parametrize(
    ("hop", "args", "says"),
    [
        pytest.param(None, (), "no hop of", id="no hop"),
        pytest.param(_hop("done"), (), "no hop of", id="a hop that does not need attention"),
        pytest.param(_hop(NEEDS_ATTENTION), (), "ran without git", id="a hop without git"),
        pytest.param(None, ("--budget", "0"), "--budget must be a positive", id="no budget"),
    ],
)
def test_diagnose_refuses_what_it_cannot_explain_with_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    hop: HopState | None,
    args: tuple[str, ...],
    says: str,
) -> None:
    root = tmp_path / "proj"
    write_project(root)
    save_state(root, ProjectState(current=hop))
    assert main(["diagnose", str(root), *args]) == 2
    captured = capsys.readouterr()
    assert says in captured.err
    assert "Traceback" not in captured.err


def test_diagnose_help_documents_its_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["diagnose", "--help"])
    out = capsys.readouterr().out
    assert "exit codes:" in out and "--revert-breaking" in out and "--budget" in out


def test_pipes_get_no_spinner_even_with_force_color_and_no_color_drops_colour(
    tmp_path: Path,
) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "CI")}
    command = [sys.executable, "-m", "upgrader", "check", str(tmp_path)]  # not a project
    forced = subprocess.run(
        command, capture_output=True, text=True, env={**env, "FORCE_COLOR": "1"}
    )
    assert forced.returncode == 2
    assert "\x1b[1;31merror:" in forced.stderr  # colours, as asked
    assert "Checking for removed APIs" not in forced.stderr  # no spinner frames in a pipe
    plain = subprocess.run(command, capture_output=True, text=True, env={**env, "NO_COLOR": "1"})
    assert plain.returncode == 2 and plain.stderr.startswith("error: ")
    assert "\x1b[" not in plain.stderr


def test_a_terminal_gets_a_spinner_without_colour_under_no_color(tmp_path: Path) -> None:
    """On a pseudo-terminal `check` shows what it does at once; NO_COLOR takes the colours out."""
    import os
    import pty
    import re

    root = tmp_path / "proj"
    write_project(root)
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "CI")}
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "upgrader", "check", str(root), "--target", "4.0"],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        env={**env, "NO_COLOR": "1", "TERM": "xterm", "COLUMNS": "100"},
    )
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert process.wait() == 1
    text = output.decode("utf-8", "replace")
    assert "Checking for removed APIs (0 s)" in text
    assert "site_cfg/urls.py:1: conf-urls-url" in text
    assert not re.search(r"\x1b\[[0-9;]*3[0-9](?:;[0-9]+)*m", text)  # no foreground colour


class _RecordedStep:
    """Stands in for upgrader.step.Step: records what the command line passes it."""

    seen: ClassVar[dict[str, object]] = {}

    def __init__(self, path: Path, options: object, **kwargs: object) -> None:
        _RecordedStep.seen = {"options": options, **kwargs}
        self.root = path

    def run(self) -> object:
        from types import SimpleNamespace

        return SimpleNamespace(message="recorded", hop=None, exit_code=0)


@pytest.mark.parametrize(
    ("flags", "diagnose", "budget"),
    [
        pytest.param([], True, 900.0, id="default"),
        pytest.param(["--no-diagnose"], False, 900.0, id="no-diagnose"),
        pytest.param(["--diagnose-budget", "120"], True, 120.0, id="budget"),
    ],
)
def test_step_passes_the_diagnosis_flags_and_the_diagnosis(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    flags: list[str],
    diagnose: bool,
    budget: float,
) -> None:
    import upgrader.step
    from upgrader.cli import _step_diagnosis

    monkeypatch.setattr(upgrader.step, "Step", _RecordedStep)
    assert main(["step", str(tmp_path), *flags]) == 0
    options = _RecordedStep.seen["options"]
    assert isinstance(options, upgrader.step.StepOptions)
    assert (options.diagnose, options.diagnose_budget) == (diagnose, budget)
    assert _RecordedStep.seen["diagnose"] is _step_diagnosis
    assert "recorded" in capsys.readouterr().out


def test_a_diagnose_budget_that_is_not_positive_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["step", str(tmp_path), "--diagnose-budget", "0"]) == 2
    assert (
        "--diagnose-budget must be a positive number of seconds, not 0" in capsys.readouterr().err
    )


def test_the_default_diagnosis_budget_is_the_one_of_step_and_diagnose() -> None:
    from upgrader.cli import DIAGNOSE_BUDGET
    from upgrader.diagnose import DEFAULT_BUDGET
    from upgrader.step import DIAGNOSE_BUDGET as STEP_BUDGET

    assert DIAGNOSE_BUDGET == DEFAULT_BUDGET == STEP_BUDGET
