"""The stage env's pytest run check (FINDINGS F83): a real venv holding this pytest (linked in
from the test's own environment) and tiny installed plugins; a plugin that hands
``report.longrepr`` to pytest's terminal writer (pytest-tldr 0.2.1 under pytest >= 6) breaks
the run and is named, so the declared plugin moves past that release."""

from __future__ import annotations

import importlib.metadata as md
import subprocess
import sys
from pathlib import Path

from packaging.specifiers import SpecifierSet

from upgrader.deps.importable import ProbeResult, moves_for
from upgrader.deps.runnable import RunBreak, merged, parse_run, probe

# pytest-tldr 0.2.1's print(), as it reaches pytest's TerminalWriter.write.
BROKEN_PLUGIN = """\
import pytest

_writers = []


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    from _pytest.config import create_terminal_writer

    _writers.append(create_terminal_writer(config))


def pytest_collectreport(report):
    if report.failed:
        _writers[0].write(report.longrepr)
"""

FIXED_PLUGIN = BROKEN_PLUGIN.replace("report.longrepr)", "report.longreprtext)")


def _venv(tmp_path: Path) -> tuple[Path, Path]:
    env = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return python, Path(purelib)


def _link_pytest(site: Path) -> None:
    """This environment's pytest and what it requires, linked into ``site`` with their
    dist-info (so the check reads their RECORD as an installer left it)."""
    names = ["pytest"]
    for line in md.requires("pytest") or ():
        if "extra ==" not in line and "python_version" not in line:
            names.append(line.split(";")[0].split(">")[0].split("<")[0].split("=")[0].strip())
    for name in names:
        dist = md.distribution(name)
        tops: set[str] = set()
        for f in dist.files or ():
            parts = f.parts
            if parts and parts[0] != ".." and not parts[0].endswith(".dist-info"):
                tops.add(parts[0])
            if parts and parts[0].endswith(".dist-info"):
                tops.add(parts[0])
        for top in tops:
            source = Path(str(dist.locate_file(top)))
            if source.exists() and not (site / top).exists():
                (site / top).symlink_to(source)


def _install_plugin(site: Path, name: str, version: str, module: str, text: str) -> None:
    (site / f"{module}.py").write_text(text)
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    lines.append("Requires-Dist: pytest (>=3.5.0)")
    (info / "METADATA").write_text("\n".join(lines) + "\n")
    (info / "entry_points.txt").write_text(f"[pytest11]\n{module} = {module}\n")
    record = [f"{module}.py,,", f"{info.name}/METADATA,,", f"{info.name}/RECORD,,"]
    record.append(f"{info.name}/entry_points.txt,,")
    (info / "RECORD").write_text("\n".join(record) + "\n")


def test_a_plugin_that_breaks_the_run_of_this_pytest_is_named(tmp_path: Path) -> None:
    python, site = _venv(tmp_path)
    _link_pytest(site)
    _install_plugin(site, "pytest-brokenreport", "0.2.1", "pytest_brokenreport", BROKEN_PLUGIN)
    found = probe(python)
    assert found.problem == ""
    assert len(found.breaks) == 1
    broken = found.breaks[0]
    assert isinstance(broken, RunBreak)
    assert (broken.distribution, broken.version, broken.module) == (
        "pytest-brokenreport",
        "0.2.1",
        "pytest_brokenreport",
    )
    assert broken.pytest == md.version("pytest")
    assert broken.location.startswith("pytest_brokenreport.py:")
    assert "AttributeError" in broken.error and "rsplit" in broken.error
    assert "_pytest/_io/terminalwriter.py:" in broken.error  # where pytest raised it
    described = broken.describe("3.11")
    assert described.startswith(
        f"pytest-brokenreport 0.2.1 breaks pytest {broken.pytest}'s run on Python 3.11"
    )


def test_a_plugin_that_stops_pytest_as_it_loads_is_named(tmp_path: Path) -> None:
    # pytest-rerunfailures 8.0 under pytest >= 6.1: its module imports a module pytest removed;
    # pytest exits 1 with a traceback, as a run with a failing test does.
    python, site = _venv(tmp_path)
    _link_pytest(site)
    _install_plugin(
        site, "pytest-oldrerun", "8.0", "pytest_oldrerun", "from _pytest.gone import Log\n"
    )
    found = probe(python)
    assert found.problem == ""
    (broken,) = found.breaks
    assert (broken.distribution, broken.location) == ("pytest-oldrerun", "pytest_oldrerun.py:1")
    assert broken.error == "ModuleNotFoundError: No module named '_pytest.gone'"


def test_a_plugin_that_stops_pytest_loading_does_not_hide_the_next_one(tmp_path: Path) -> None:
    # pretalx on Django 4.2 (pytest 7.0.0): pytest-rerunfailures 8.0 stops pytest as it loads,
    # and pytest-tldr 0.2.1 breaks only a run that gets as far as a report.
    python, site = _venv(tmp_path)
    _link_pytest(site)
    _install_plugin(
        site, "pytest-oldrerun", "8.0", "pytest_oldrerun", "from _pytest.gone import Log\n"
    )
    _install_plugin(site, "pytest-brokenreport", "0.2.1", "pytest_brokenreport", BROKEN_PLUGIN)
    found = probe(python)
    assert found.problem == ""
    assert [(b.distribution, b.version) for b in found.breaks] == [
        ("pytest-oldrerun", "8.0"),
        ("pytest-brokenreport", "0.2.1"),
    ]


# pytest-rerunfailures 9.1.1's rerun, cut down: after a failed run it resets pytest's setup
# state to a list, and pytest >= 7's is a dict (10.0 resets it to a dict). The break shows in
# the setup of the next test run: the traceback has pytest's frames only.
RERUN_PLUGIN = """\
from _pytest.runner import runtestprotocol


def pytest_configure(config):
    config.addinivalue_line("markers", "flaky(reruns=0): rerun a failing test")


def pytest_runtest_protocol(item, nextitem):
    mark = item.get_closest_marker("flaky")
    if mark is None:
        return None
    item.ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    reruns = mark.kwargs.get("reruns", 0)
    for run in range(reruns + 1):
        reports = runtestprotocol(item, nextitem=nextitem, log=False)
        if run == reruns or not any(r.failed for r in reports):
            break
        RESET
    for report in reports:
        item.ihook.pytest_runtest_logreport(report=report)
    item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
    return True
"""


def test_a_rerun_plugin_that_breaks_the_next_test_is_named_by_leaving_it_out(
    tmp_path: Path,
) -> None:
    # pretalx on Django 4.2 (pytest 7.0.0, pytest-rerunfailures 9.1.1): its flaky test failed
    # once and the 735 tests after it on that worker errored in their setup.
    python, site = _venv(tmp_path)
    _link_pytest(site)
    broken = RERUN_PLUGIN.replace("RESET", "item.session._setupstate.stack = list()")
    _install_plugin(site, "pytest-rerunfailures", "9.1.1", "pytest_rerunfailures", broken)
    _install_plugin(site, "pytest-fixedreport", "0.2.2", "pytest_fixedreport", FIXED_PLUGIN)
    found = probe(python)
    assert found.problem == ""
    (rerun,) = found.breaks
    assert (rerun.distribution, rerun.version, rerun.module) == (
        "pytest-rerunfailures",
        "9.1.1",
        "pytest_rerunfailures",
    )
    assert rerun.error.startswith("AttributeError: 'list' object has no attribute 'items' (")
    assert "_pytest/runner.py:" in rerun.error  # where pytest raised it
    assert rerun.location == "a run with it (one without it completes)"


def test_a_rerun_plugin_that_keeps_the_setup_state_is_clean(tmp_path: Path) -> None:
    python, site = _venv(tmp_path)
    _link_pytest(site)
    fixed = RERUN_PLUGIN.replace("RESET", "pass")
    _install_plugin(site, "pytest-rerunfailures", "10.0", "pytest_rerunfailures", fixed)
    found = probe(python)
    assert (found.problem, found.breaks) == ("", ())


def test_plugins_that_run_and_an_env_without_pytest_are_clean(tmp_path: Path) -> None:
    python, site = _venv(tmp_path)
    assert probe(python) == ProbeResult((), f"{sys.version_info[0]}.{sys.version_info[1]}")
    _link_pytest(site)
    _install_plugin(site, "pytest-fixedreport", "0.2.2", "pytest_fixedreport", FIXED_PLUGIN)
    found = probe(python)
    assert found.problem == ""
    assert found.breaks == ()


def test_a_run_break_moves_the_declared_plugin_past_its_release() -> None:
    result = parse_run(
        {
            "breaks": [
                [
                    "pytest-tldr",
                    "0.2.1",
                    "pytest_tldr",
                    "AttributeError: 'ReprExceptionInfo' object has no attribute 'rsplit' "
                    "(_pytest/_io/terminalwriter.py:146)",
                    "pytest_tldr.py:124",
                    "",
                ]
            ],
            "requires": {"pytest-tldr": ["pytest-tldr", "0.2.1", ["pytest (>=3.5.0)"]]},
            "pytest": "7.0.0",
            "python": "3.8",
            "problem": "",
        }
    )
    (move,) = moves_for(result.breaks, {"pytest-tldr", "pytest"}, _NoIndex(), "3.8")
    assert move.package == "pytest-tldr"
    assert move.constraint is not None
    assert move.constraint.spec == SpecifierSet(">0.2.1")
    assert move.note.startswith("pytest-tldr 0.2.1 breaks pytest 7.0.0's run on Python 3.8")


def test_merged_keeps_every_break_and_a_problem_only_without_one() -> None:
    broken = RunBreak("pytest-tldr", "0.2.1", "pytest_tldr", "E", "pytest_tldr.py:1", pytest="7")
    runs = ProbeResult((broken,), "3.8")
    imports = ProbeResult((), "3.8", "the import check failed: x")
    assert merged(imports, runs).breaks == (broken,)
    assert merged(imports, ProbeResult((), "3.8", "y")).problem == "the import check failed: x; y"


class _NoIndex:
    """moves_for reads the index only for a break held by another package: never here."""

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"the index was read: {name}")
