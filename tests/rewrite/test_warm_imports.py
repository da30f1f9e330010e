"""A rewrite whose files are all cache hits imports neither libcst nor a rule module."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.test_rewrite import write

REPO = Path(__file__).resolve().parents[2]

_CHILD = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    sys.path.insert(0, {repo!r})
    from tests.test_rewrite import make_hop, make_project
    from upgrader.rewrite import rewrite_project

    root, cache = Path(sys.argv[1]), Path(sys.argv[2])
    result = rewrite_project(
        make_project(root), make_hop("2.2", "5.2"), write=False, cache_dir=cache, jobs=1
    )
    rules = sorted(
        name for name in sys.modules
        if name.startswith("codemods.") and not name.rpartition(".")[2].startswith("_")
    )
    json.dump(
        {{
            "hits": result.cache_hits,
            "files": result.files_checked,
            "changed": sorted(str(c.path) for c in result.changes),
            "libcst": sorted(n for n in sys.modules if n == "libcst" or n.startswith("libcst.")),
            "rules": rules,
        }},
        sys.stdout,
    )
    """
)


def _child(root: Path, cache: Path) -> dict[str, object]:
    code = _CHILD.format(repo=str(REPO))
    done = subprocess.run(
        [sys.executable, "-c", code, str(root), str(cache)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    payload = json.loads(done.stdout)
    assert isinstance(payload, dict)
    return payload


def test_a_warm_run_imports_no_libcst_and_no_rule_module(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    # What the warm path reads before it looks in the cache: Signal subclasses (for
    # signal_providing_args), the URLconf (for template_logout_link's templates), settings.
    write(root, "site/__init__.py", "")
    write(
        root,
        "site/settings.py",
        "ROOT_URLCONF = 'site.urls'\nMIDDLEWARE_CLASSES = []\nUSE_L10N = True\n",
    )
    write(
        root,
        "site/urls.py",
        "from django.contrib.auth import views\nfrom django.urls import path\n"
        "urlpatterns = [path('out/', views.LogoutView.as_view(), name='logout')]\n",
    )
    write(
        root,
        "site/signals.py",
        "from django.dispatch import Signal\n\n\nclass MySignal(Signal):\n    pass\n\n\n"
        "done = MySignal(providing_args=['x'])\n",
    )
    write(
        root,
        "site/views.py",
        "from django.shortcuts import render_to_response\n\n\n"
        "def view(request):\n    if request.is_ajax():\n        return render_to_response('a.html')\n",
    )
    write(root, "site/templates/a.html", "<a href=\"{% url 'logout' %}\">out</a>\n")
    cache = tmp_path / "cache"
    cold = _child(root, cache)
    assert cold["hits"] == 0
    assert cold["libcst"], "the cold run rewrites with libcst: this test would prove nothing"
    assert cold["changed"]
    warm = _child(root, cache)
    assert warm["hits"] == warm["files"] == cold["files"]
    assert warm["changed"] == cold["changed"]
    assert warm["libcst"] == []
    assert warm["rules"] == []


def test_the_pool_imports_the_rules_before_it_forks(tmp_path: Path) -> None:
    # Selection no longer imports them: without this each forked worker imports libcst and
    # every rule module itself (the cold run cost ~0.2 s more CPU per worker).
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        "from upgrader.rewrite import parallel\n"
        "assert 'libcst' not in sys.modules\n"
        "parallel._preload_tools(('render_to_response', 'signal_providing_args'))\n"
        "assert 'libcst' in sys.modules\n"
        "assert 'codemods.render_to_response' in sys.modules\n"
        "assert 'codemods.signal_providing_args' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
