"""End to end: each sample project's hops resolved against the real package index, then
installed and imported with each hop's Django and Python (when this machine has that Python)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from packaging.version import Version

from upgrader import interpreters
from upgrader.deps.plan import DependencyPlan, plan_dependencies
from upgrader.deps.resolve import find_uv, write_constraints
from upgrader.detect.requirements import read_declared
from upgrader.hops import hop_path
from upgrader.project import detect_project

SAMPLES = Path(__file__).resolve().parents[2] / "sample_projects"
IMPORTS = {
    "shop": "import django, rest_framework, django_filters, pytest_django",
    "polls": "import django",
    "newsroom": "import django, pytz",
}

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(find_uv() is None, reason="uv is not installed"),
]


@pytest.mark.parametrize("sample", [pytest.param(name, id=name) for name in sorted(IMPORTS)])
def test_sample_hops_resolve_install_and_import(tmp_path: Path, sample: str) -> None:
    root = SAMPLES / sample
    if not root.is_dir():
        pytest.skip(f"sample project {sample} missing")
    project = detect_project(root)
    declared = read_declared(root)
    hops = hop_path(
        project.django_version, project.python_version, to="5.2", find_interpreter=interpreters.find
    )
    assert [h.target.name for h in hops] == ["3.2", "4.2", "5.2"]
    previous: DependencyPlan | None = None
    uv = str(find_uv())
    for hop in hops:
        plan = plan_dependencies(
            root, declared, hop, previous=previous, resolve=True, cache_dir=tmp_path / "uv-cache"
        )
        assert plan.blocked == (), plan.blocked
        assert plan.resolution is not None
        django = plan.resolution.version_of("django")
        assert django is not None and django.startswith(hop.target.name + ".")
        chosen = {c.name: c.chosen for c in plan.choices}
        assert chosen["django"] == django
        memcached = any(d.name == "python-memcached" for d in declared.requirements)
        if memcached and hop.target.version >= Version("4.1"):  # MemcachedCache removed in 4.1
            assert plan.resolution.version_of("python-memcached") is None
            assert plan.resolution.version_of("pymemcache") is not None
        constraints = write_constraints(plan.resolution, tmp_path / "constraints")
        previous = plan
        if hop.interpreter is None:
            continue
        venv = tmp_path / f"venv-{hop.target.name}"
        run = [uv, "--no-config"]
        subprocess.run([*run, "venv", "--python", str(hop.interpreter.path), str(venv)], check=True)
        subprocess.run(
            [
                *run,
                "pip",
                "install",
                "--python",
                str(venv / "bin" / "python"),
                "-r",
                str(constraints),
            ],
            check=True,
            cwd=tmp_path,
        )
        imported = subprocess.run(
            [
                str(venv / "bin" / "python"),
                "-c",
                f"{IMPORTS[sample]}; print(django.get_version())",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        assert imported.stdout.strip() == django
