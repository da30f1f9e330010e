"""`upgrader plan` says in its exit code whether the road is clear: 1 when a hop is blocked."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.deps.conftest import LocalIndex
from upgrader.cli import main


@pytest.fixture
def index_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LocalIndex:
    index = LocalIndex(tmp_path / "index")
    for version in ("2.2.28", "3.2.25"):
        index.add("Django", version, requires_python=">=3.6")
    index.add("plugin", "1.0", requires_dist=("Django<3.0",))
    index.build()
    for name in ("PIP_FIND_LINKS", "PIP_EXTRA_INDEX_URL", "UV_INDEX_URL", "UV_EXTRA_INDEX_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_INDEX_URL", index.url)
    monkeypatch.setenv("UPGRADER_CACHE_DIR", str(tmp_path / "cache"))
    return index


def _project(root: Path, requirements: str) -> Path:
    (root / "site_cfg").mkdir(parents=True)
    (root / "manage.py").write_text(
        "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_cfg.settings')\n"
    )
    (root / "site_cfg" / "__init__.py").write_text("")
    (root / "site_cfg" / "settings.py").write_text("SECRET_KEY = 'x'\n")
    (root / "requirements.txt").write_text(requirements)
    (root / ".python-version").write_text("3.8\n")
    return root


@pytest.mark.parametrize(
    ("requirements", "code", "said"),
    [
        pytest.param("Django==2.2.28\n", 0, None, id="clear"),
        pytest.param("Django==2.2.28\nghost==1.0\n", 1, "ghost", id="missing-from-the-index"),
        pytest.param("Django==2.2.28\nplugin==1.0\n", 1, "plugin", id="blocked"),
    ],
)
def test_plan_exits_1_when_a_hop_is_blocked(
    tmp_path: Path,
    index_env: LocalIndex,
    capsys: pytest.CaptureFixture[str],
    requirements: str,
    code: int,
    said: str | None,
) -> None:
    root = _project(tmp_path / "proj", requirements)
    assert main(["plan", str(root), "--to", "3.2", "--no-rewrites", "--format", "json"]) == code
    out, err = capsys.readouterr()
    data = json.loads(out)  # the plan is printed either way
    blocked = [b["name"] for hop in data["hops"] for b in hop["blocked"]]
    if said is None:
        assert blocked == [] and "blocked" not in err
    else:
        assert said in blocked
        assert f"Django 3.2 is blocked by {said}" in err
