"""``upgrader ci --provider github|gitlab``: a CI matrix with one job per Django stage of the plan.

The stages are the project's current Django, every stop of its hop path to the target (``--to``,
else ``[tool.upgrader] target``, else the newest LTS, as ``plan`` walks it) and every stage that
already has a locked set. Every job runs the stage's tox environment from ``.upgrader/tox.ini``
(``tox -c .upgrader/tox.ini -e django42``), the environment ``upgrader verify --stage 4.2`` runs,
so the team can keep every stage of the migration green while it is in flight.

Stages not reached yet have no locked set (``upgrader step`` resolves one per hop). Their job is a
**preview**: the project's own requirements, as its current stage installs them, with Django
overridden to the stage's series (``UV_OVERRIDE``, a file in ``.upgrader/constraints/``; the tox
environment first checks that the Django it got is the stage's, so a preview never passes on the
old Django). A preview job may fail without failing the pipeline (``continue-on-error`` /
``allow_failure``): it shows how far the code is from the stage. Once a hop locks the stage,
``upgrader ci`` makes it a normal job (regenerate after each hop).

- GitHub Actions: ``.github/workflows/upgrader.yml``: one job with a ``strategy.matrix`` of stages;
  actions pinned by commit SHA (tag in a comment); ``actions/setup-python`` installs the stage's
  Python, ``astral-sh/setup-uv`` installs uv with its cache (keyed per stage on the dependency
  files), and tox with tox-uv, both pinned, run on ``TOX_PYTHON``. Stages on a Python older than
  3.8 run on ``ubuntu-22.04`` (setup-python has no such Python for newer images).
- GitLab CI: ``.gitlab-ci.upgrader.yml`` (to ``include:`` from the project's ``.gitlab-ci.yml``,
  which upgrader never edits): a ``parallel: matrix:`` job over the locked stages and one over the
  previews (``allow_failure: true``), ``image: python:X.Y``, uv's cache in ``.cache/uv``.

The YAML is written by hand from a fixed shape (no YAML library needed); every value that is not
a plain word is quoted. An existing file is replaced only when upgrader wrote it (its first line
is the marker), so a hand-written workflow of the same name is never clobbered.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Collection, Sequence
from pathlib import Path

from packaging.version import Version

from upgrader.detect.python_version import GENERATED_MARKER
from upgrader.errors import UsageError
from upgrader.files import write_text_atomic
from upgrader.hops import hop_path
from upgrader.project import Project
from upgrader.releases import Release, get_release, newest_lts, released, series_name
from upgrader.state import ensure_state_dir
from upgrader.verify.toxconfig import (
    CONSTRAINTS_DIR,
    Stage,
    ToxEnv,
    constraints_path,
    python_variable,
    tox_env,
    write_tox_ini,
)

PROVIDERS = ("github", "gitlab")
MARKER = GENERATED_MARKER  # the first line of every file written here (detection skips them)
DEFAULT_OUTPUT = {
    "github": Path(".github/workflows/upgrader.yml"),
    "gitlab": Path(".gitlab-ci.upgrader.yml"),
}
# The Python that runs tox itself (tox-uv needs a recent one; the stage's Python may be older).
TOX_PYTHON = "3.12"
TOX_VERSION = "4.67.16"
TOX_UV_VERSION = "1.37.9"
UV_VERSION = "0.13.9"
JOB_TIMEOUT_MINUTES = 30
# Pinned by commit (a tag can be moved); the tag is written beside it. Node 24 releases.
ACTIONS = {
    "checkout": ("actions/checkout", "3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
    "setup-python": ("actions/setup-python", "5fda3b95a4ea91299a34e894583c3862153e4b97", "v7.0.0"),
    "setup-uv": ("astral-sh/setup-uv", "20cfd1bf945f4377ade1205e4dbc17946fc9a30d", "v10.0.1"),
}
# GitHub-hosted runners: actions/setup-python has Pythons older than 3.8 on ubuntu-22.04 only.
OLD_PYTHON_RUNNER = ("3.8", "ubuntu-22.04")
# The oldest Python CI can install (no CI image or runner offers 3.6 with uv): a stage on an
# older Python runs on the nearest supported one from this.
CI_MIN_PYTHON = "3.7"
# What a preview stage's tox environment reads: uv's override file (relative to .upgrader/).
PREVIEW_FILE = "preview-django-{name}.txt"


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value)


def _uses(key: str) -> str:
    repo, sha, tag = ACTIONS[key]
    return f"{repo}@{sha} # {tag}"


def _tox_install() -> str:
    return (
        f"uv tool install --python {TOX_PYTHON} tox=={TOX_VERSION} --with tox-uv=={TOX_UV_VERSION}"
    )


def _runner(python: str) -> str:
    old, image = OLD_PYTHON_RUNNER
    return image if Version(python) < Version(old) else "ubuntu-latest"


def render_github(stages: Sequence[Stage], previews: Collection[str] = ()) -> str:
    """The workflow: one matrix job over ``stages``; envs in ``previews`` may fail."""
    lines = [
        f"{MARKER} (`upgrader ci --provider github`): one job per Django stage.",
        "# Each job runs the stage's tox environment from .upgrader/tox.ini, as",
        "# `upgrader verify --stage X.Y` does. Regenerate after each hop (`upgrader ci`), don't edit.",
        "# A preview stage has no locked dependency set yet (`upgrader step` resolves it): it",
        "# installs the project's requirements with Django overridden to the stage, and may fail",
        "# without failing the workflow.",
        "name: Django upgrade stages",
        "",
        "on:",
        "  push:",
        "  pull_request:",
        "  workflow_dispatch:",
        "",
        "permissions:",
        "  contents: read",
        "",
        "jobs:",
        "  stage:",
        "    name: ${{ format('Django {0} on Python {1}{2}', matrix.django, matrix.stage-python,"
        " matrix.preview && ' (preview)' || '') }}",
        "    runs-on: ${{ matrix.os }}",
        f"    timeout-minutes: {JOB_TIMEOUT_MINUTES}",
        "    continue-on-error: ${{ matrix.preview }}",
        "    strategy:",
        "      fail-fast: false",
        "      matrix:",
        "        include:",
    ]
    for stage in stages:
        # stage-python, not python: detection reads a workflow's python keys as the project's.
        lines += [
            f"          - django: {_q(stage.release.name)}",
            f"            stage-python: {_q(stage.python)}",
            f"            env: {stage.env}",
            f"            os: {_runner(stage.python)}",
            f"            preview: {'true' if stage.env in previews else 'false'}",
            f"            python-variable: {python_variable(stage.env)}",
        ]
    lines += [
        "    steps:",
        f"      - uses: {_uses('checkout')}",
        "        with:",
        "          persist-credentials: false",
        "      - name: Set up the stage's Python",
        f"        uses: {_uses('setup-python')}",
        "        with:",
        "          python-version: ${{ matrix.stage-python }}",
        "      - name: Set up uv (cached per stage)",
        f"        uses: {_uses('setup-uv')}",
        "        with:",
        f"          version: {_q(UV_VERSION)}",
        "          enable-cache: true",
        "          cache-suffix: ${{ matrix.env }}",
        "          cache-dependency-glob: |",
        "            .upgrader/constraints/**",
        "            **/*requirements*.txt",
        "            **/pyproject.toml",
        "            **/setup.py",
        "            **/setup.cfg",
        "      - name: Install tox",
        f"        run: {_tox_install()}",
        "      - name: Run the tests",
        "        env:",
        "          # The stage's interpreter is the one set up above, whatever tox.ini defaults to.",
        "          STAGE_PYTHON_VARIABLE: ${{ matrix.python-variable }}",
        "          STAGE_PYTHON: python${{ matrix.stage-python }}",
        "          STAGE_ENV: ${{ matrix.env }}",
        '        run: env "$STAGE_PYTHON_VARIABLE=$STAGE_PYTHON" tox -c .upgrader/tox.ini -e "$STAGE_ENV"',
    ]
    return "\n".join(lines) + "\n"


def render_gitlab(stages: Sequence[Stage], previews: Collection[str] = ()) -> str:
    """The pipeline: a matrix job over the locked stages, one over the previews."""
    lines = [
        f"{MARKER} (`upgrader ci --provider gitlab`): one job per Django stage.",
        "# Include it from .gitlab-ci.yml:  include: {local: .gitlab-ci.upgrader.yml}",
        "# Each job runs the stage's tox environment from .upgrader/tox.ini, as",
        "# `upgrader verify --stage X.Y` does. Regenerate after each hop (`upgrader ci`), don't edit.",
        "# A preview stage has no locked dependency set yet (`upgrader step` resolves it): it",
        "# installs the project's requirements with Django overridden to the stage, and may fail",
        "# without failing the pipeline.",
        "stages:",
        "  - test",
        "",
        ".upgrader-stage:",
        "  stage: test",
        '  image: "python:$PYTHON"',
        f"  timeout: {JOB_TIMEOUT_MINUTES} minutes",
        "  variables:",
        '    UV_CACHE_DIR: "$CI_PROJECT_DIR/.cache/uv"',
        '    UV_TOOL_BIN_DIR: "/usr/local/bin"',
        "  cache:",
        '    key: "upgrader-uv-$UPGRADER_ENV"',
        "    paths:",
        "      - .cache/uv",
        "  before_script:",
        f'    - curl -LsSf "https://astral.sh/uv/{UV_VERSION}/install.sh"'
        " | env UV_INSTALL_DIR=/usr/local/bin sh",
        f"    - {_tox_install()}",
        "  script:",
        '    - tox -c .upgrader/tox.ini -e "$UPGRADER_ENV"',
    ]
    groups = [
        ("upgrader-stages", [s for s in stages if s.env not in previews], False),
        ("upgrader-preview", [s for s in stages if s.env in previews], True),
    ]
    for job, chosen, preview in groups:
        if not chosen:
            continue
        lines += ["", f"{job}:", "  extends: .upgrader-stage"]
        if preview:
            lines.append("  allow_failure: true")
        lines += ["  parallel:", "    matrix:"]
        for stage in chosen:
            lines += [
                f"      - UPGRADER_ENV: {stage.env}",
                f"        PYTHON: {_q(stage.python)}",
                f"        DJANGO: {_q(stage.release.name)}",
                f"        {python_variable(stage.env)}: {_q('python' + stage.python)}",
            ]
    return "\n".join(lines) + "\n"


RENDERERS = {"github": render_github, "gitlab": render_gitlab}


def ci_stage(release: Release, python: str | None) -> Stage:
    """The stage of ``release`` on ``python`` or the nearest supported Python CI can install."""
    supported = [p for p in release.python_versions if Version(p) >= Version(CI_MIN_PYTHON)]
    prefer = python
    if prefer is not None and Version(prefer) < Version(CI_MIN_PYTHON) and supported:
        prefer = supported[0]
    return Stage.for_release(release, prefer)


def _plan_releases(project: Project, to: str | None) -> list[Release]:
    """The stops of the project's hop path to ``to`` (default: [tool.upgrader] target, else lts)."""
    configured = project.config.target
    spec = to or (configured if isinstance(configured, str) else None) or "lts"
    current = get_release(project.django_version)
    if spec == "lts" and current is not None and current.version >= newest_lts().version:
        return []  # at (or past) the newest LTS already: nothing planned
    hops = hop_path(project.django_version, project.python_version, to=spec, via="lts")
    return [hop.target for hop in hops]


def ci_stages(
    project: Project, releases: Sequence[Release] = (), *, to: str | None = None
) -> list[Stage]:
    """The stages CI runs: the current Django, every stop of the plan to ``to``, every stage with
    a locked set, and ``releases`` (``--stage``). Each runs on the project's Python when the
    release supports it, else the nearest supported (3.7 at the oldest, see ``CI_MIN_PYTHON``)."""
    chosen: dict[str, Release] = {}
    current = get_release(project.django_version)
    if current is not None:
        chosen[current.name] = current
    for release in _plan_releases(project, to):
        chosen[release.name] = release
    for release in (*released(include_announced=True), *releases):
        if release in releases or constraints_path(project.root, release).is_file():
            chosen[release.name] = release
    ordered = sorted(chosen.values(), key=lambda release: release.version)
    return [ci_stage(release, project.python_version) for release in ordered]


def is_preview(project: Project, stage: Stage) -> bool:
    """True when ``stage`` has no locked set and is not the project's current Django."""
    if series_name(project.django_version) == stage.release.name:
        return False
    return not constraints_path(project.root, stage.release).is_file()


def django_check(release: Release) -> tuple[str, ...]:
    """A command that fails unless the environment's Django is ``release``'s series."""
    wanted = tuple(int(part) for part in release.name.split("."))
    code = (
        f"import sys, django; sys.exit(0 if django.VERSION[:{len(wanted)}] == {wanted!r} else "
        f'"Django " + django.get_version() + " is installed, not {release.name} '
        '(the preview stage overrides Django with UV_OVERRIDE, which needs tox-uv)")'
    )
    return ("python", "-c", code)


def preview_path(root: Path, release: Release) -> Path:
    """The override file of a preview stage: .upgrader/constraints/preview-django-4.2.txt."""
    return constraints_path(root, release).with_name(PREVIEW_FILE.format(name=release.name))


def preview_env(project: Project, stage: Stage) -> ToxEnv:
    """The tox environment of a stage without a locked set: the current stage's (the project's
    own requirements, test requirements and set-up), with Django overridden to the stage's series
    and without the current stage's era cut-off (the stage needs newer releases)."""
    release = stage.release
    if release.status != "released":
        raise UsageError(
            f"Django {release.name} is not released yet: no CI stage can install it",
            hint=f"Leave out --stage {release.name} until it is out.",
        )
    env = tox_env(dataclasses.replace(project, django_version=release.version), stage)
    era = {
        value.replace("{tox_root}{/}", "").replace("{/}", "/")
        for key, value in env.set_env
        if key == "UV_CONFIG_FILE"
    }
    name = f"{CONSTRAINTS_DIR}/{preview_path(project.root, release).name}"
    override = (
        f"{MARKER}: the Django {release.name} preview stage installs the project's own "
        "requirements\n# with Django overridden to this series (UV_OVERRIDE); `upgrader step` "
        "replaces it with a locked set.\n"
        f"Django~={release.name}.0\n"
    )
    files = [(path, text) for path, text in env.files if path not in era]
    return dataclasses.replace(
        env,
        set_env=(
            *((key, value) for key, value in env.set_env if key != "UV_CONFIG_FILE"),
            ("UV_OVERRIDE", "{tox_root}{/}" + name.replace("/", "{/}")),
        ),
        files=tuple(sorted((*files, (name, override)))),
        commands_pre=(django_check(release), *env.commands_pre),
    )


def write_ci(
    project: Project,
    provider: str,
    stages: Sequence[Stage],
    *,
    output: Path | None = None,
) -> Path:
    """Write ``.upgrader/tox.ini`` (a preview environment for each stage without a locked set;
    ``write_tox_ini`` adds the ``result_writer.py`` its commands run) and the workflow; the
    workflow's path.

    ``output`` is relative to the project root unless absolute. Raises ``UsageError`` for an
    unknown provider, no stages, or an existing file at ``output`` that upgrader did not write.
    """
    if provider not in RENDERERS:
        raise UsageError(
            f"unknown CI provider {provider!r}", hint=f"Choose one of: {', '.join(PROVIDERS)}."
        )
    if not stages:
        raise UsageError("no Django stages to write CI jobs for", hint="Pass at least one stage.")
    root = project.root
    path = output if output is not None else DEFAULT_OUTPUT[provider]
    path = path if path.is_absolute() else root / path
    if path.exists():
        first = path.read_text("utf-8", errors="replace").split("\n", 1)[0]
        if not first.startswith(MARKER):
            raise UsageError(
                f"{path} exists and was not written by upgrader: left alone",
                hint="Pass --output with another file name.",
                path=path,
            )
    ordered = sorted(stages, key=lambda stage: stage.release.version)
    previews = {stage.env for stage in ordered if is_preview(project, stage)}
    envs = [
        preview_env(project, stage) if stage.env in previews else tox_env(project, stage)
        for stage in ordered
    ]
    ensure_state_dir(root)
    write_tox_ini(root, envs)  # and .upgrader/result_writer.py, which its commands run
    for stage in ordered:  # a stage locked since the last run: its preview override is stale
        stale = preview_path(root, stage.release)
        ours = stale.is_file() and stale.read_text("utf-8", errors="replace").startswith(MARKER)
        if stage.env not in previews and ours:
            stale.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, RENDERERS[provider](ordered, previews))
    return path
