"""Whether the stage env's pytest plugins run under the pytest the set installs (FINDINGS F83).

A pytest plugin declares ``pytest>=3.5.0`` with no upper bound and imports cleanly, yet breaks
under a pytest released after it: pytest-tldr 0.2.1 hands ``report.longrepr`` (a
``ReprExceptionInfo``) to the terminal writer, which py's writer turned into text and pytest
6.0's own writer does not (``AttributeError: 'ReprExceptionInfo' object has no attribute
'rsplit'``, ``_pytest/_io/terminalwriter.py``). It only shows when a test fails or a module
does not collect, so pretalx's Django 4.2 stage (pytest 5.4 -> 7.0 for pytest-django 4.6)
stopped before any result and hid the collection error underneath.

``probe`` runs the stage env's pytest, with every installed plugin loaded as the project's run
loads them (entry points), over a throw-away directory holding a passing test, a failing one
and a module that does not collect (its own ``pytest.ini``: none of the project's options),
with a witness plugin of its own that records what the run reported. A run that ends in an
internal error, an exit code other than 0 or 1, or without reporting the three outcomes
(pytest-rerunfailures 8.0 imports ``_pytest.resultlog``, gone in pytest 6.1: pytest exits 1 as
it loads the plugins) is a break of the plugin owning the innermost frame of the traceback
inside site-packages that is neither pytest's nor one of its own requirements' (pluggy, py,
iniconfig); with no such frame, a note says what pytest printed last. A plugin found broken
is left out of the next run (``-p no:NAME``, its ``pytest11`` entry points), so one that stops
pytest as it loads does not hide the next (pretalx's 4.2 set: pytest-rerunfailures 8.0, then
pytest-tldr 0.2.1), up to ``RUNS`` runs. With pytest-rerunfailures installed, a test its
``flaky`` mark reruns once and one after it run too: 9.1.1 resets pytest's setup state to a
list after a rerun, pytest 7's is a dict, and every later test errors in its setup with pytest's
own frames only (pretalx's 4.2 stage: 735 errors after its one flaky test). A run that breaks
with no plugin frame to name (or a test erroring in its setup or teardown) is run again leaving
out each plugin in turn: the one whose absence lets it complete is the break, with the first
setup error and where pytest raised it. A break is an
``ImportBreak`` (``RunBreak``), so the dependency phase moves the declared plugin past that
release like an import break (``upgrader.deps.importable.moves_for``). No pytest installed:
nothing to check.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from upgrader.deps.importable import ImportBreak, ProbeResult, parse_probe

PROBE_TIMEOUT = 120.0

# Run by the stage env's Python (3.6 and later: no importlib.metadata): argv[1] is where the
# JSON answer goes. The answer has parse_probe's shape, plus "pytest" (its version, "" when it
# is not installed) and "problem" (a run that broke with no plugin frame to name).
PROBE = r"""
import json, os, re, subprocess, sys, sysconfig, tempfile

paths = sysconfig.get_paths()
site = []
for p in (paths["purelib"], paths["platlib"]):
    for form in (os.path.abspath(p) + os.sep, os.path.realpath(p) + os.sep):
        if form not in site:
            site.append(form)

def key_of(name):
    return re.sub(r"[-_.]+", "-", name).lower()

def metadata(info):
    name, version, requires = "", "", []
    try:
        with open(os.path.join(info, "METADATA"), encoding="utf-8", errors="replace") as f:
            for line in f:
                if not line.strip():
                    break
                if line.startswith("Name:"):
                    name = line[5:].strip()
                elif line.startswith("Version:"):
                    version = line[8:].strip()
                elif line.startswith("Requires-Dist:"):
                    requires.append(line[14:].strip())
    except OSError:
        pass
    return name, version, requires

requires = {}
owners = {}  # first path component in site-packages ("pytest_tldr.py", "_pytest") -> key
plugins = {}  # key -> its pytest11 entry point names ("tldr")
for folder in site:
    try:
        entries = sorted(os.listdir(folder))
    except OSError:
        continue
    for entry in entries:
        if not entry.endswith(".dist-info"):
            continue
        info = os.path.join(folder, entry)
        name, version, lines = metadata(info)
        if not name:
            continue
        key = key_of(name)
        if key in requires:
            continue
        requires[key] = [name, version, lines]
        try:
            with open(os.path.join(info, "entry_points.txt"), encoding="utf-8") as f:
                section = ""
                for row in f:
                    row = row.strip()
                    if row.startswith("["):
                        section = row.strip("[] ")
                    elif section == "pytest11" and "=" in row:
                        plugins.setdefault(key, []).append(row.split("=", 1)[0].strip())
        except OSError:
            pass
        try:
            with open(os.path.join(info, "RECORD"), encoding="utf-8", errors="replace") as f:
                for row in f:
                    first = row.split(",", 1)[0].replace("\\", "/").split("/", 1)[0]
                    if first and not first.endswith((".dist-info", ".data")) and first != "..":
                        owners.setdefault(first, key)
        except OSError:
            pass

RUNS = 4  # a plugin found broken is left out of the next run, to find the next one
answer = {"breaks": [], "requires": requires, "pytest": "", "problem": "",
          "python": "%d.%d" % sys.version_info[:2]}
if "pytest" in requires:
    answer["pytest"] = requires["pytest"][1]
    core = {"pytest"}
    for line in requires["pytest"][2]:
        found = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", line)
        if found:
            core.add(key_of(found.group(0)))
    work = tempfile.mkdtemp(prefix="upgrader-pytest-")
    # Loaded with -p: what the run reported, written when the session finishes.
    WITNESS = (
        "import json, os\n"
        "seen = {'passed': 0, 'failed': 0, 'uncollectable': 0, 'errors': 0}\n"
        "def pytest_collectreport(report):\n"
        "    if report.failed:\n"
        "        seen['uncollectable'] += 1\n"
        "def pytest_runtest_logreport(report):\n"
        "    if report.when == 'call' and report.outcome in seen:\n"
        "        seen[report.outcome] += 1\n"
        "    elif report.when != 'call' and report.failed:\n"
        "        seen['errors'] += 1\n"
        "        crash = getattr(report.longrepr, 'reprcrash', None)\n"
        "        if crash is not None and 'crash' not in seen:\n"
        "            seen['crash'] = [str(crash.path), crash.lineno, str(crash.message)]\n"
        "def pytest_sessionfinish(session):\n"
        "    here = os.path.dirname(os.path.abspath(__file__))\n"
        "    with open(os.path.join(here, 'witness.json'), 'w') as f:\n"
        "        json.dump(seen, f)\n"
    )
    files = {
        "pytest.ini": "[pytest]\n",
        "test_upgrader_passes.py": "def test_passes():\n    pass\n",
        "test_upgrader_fails.py": "def test_fails():\n    assert 1 == 2\n",
        "test_upgrader_uncollectable.py": "raise RuntimeError('upgrader: does not collect')\n",
        "upgrader_run_witness.py": WITNESS,
    }
    if "pytest-rerunfailures" in requires:
        # A test its flaky mark reruns, then one more: pytest-rerunfailures 9.1.1 resets
        # pytest's setup state to a list, and pytest >= 7's is a dict (pretalx's flaky test).
        files["test_upgrader_a_rerun.py"] = (
            "import pytest\n"
            "RUNS = []\n"
            "@pytest.mark.flaky(reruns=1)\n"
            "def test_rerun_passes():\n"
            "    RUNS.append(1)\n"
            "    assert len(RUNS) > 1\n"
            "def test_after_rerun():\n"
            "    pass\n"
        )
    for name, text in files.items():
        with open(os.path.join(work, name), "w") as f:
            f.write(text)
    env = dict(os.environ)
    for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_CONFIGURATION", "PYTEST_ADDOPTS",
                 "PYTEST_PLUGINS", "PYTEST_DISABLE_PLUGIN_AUTOLOAD"):
        env.pop(name, None)
    def run_without(disabled):
        # (exit code, output, INTERNALERROR lines, whether the run reported the three outcomes
        # and no error in a test's setup or teardown, what it reported); None: it did not end.
        witness = os.path.join(work, "witness.json")
        if os.path.exists(witness):
            os.remove(witness)
        command = [sys.executable, "-m", "pytest", "-c", os.path.join(work, "pytest.ini"),
                   "--rootdir", work, "-p", "no:cacheprovider", "-p", "upgrader_run_witness",
                   "--continue-on-collection-errors"]
        for name in disabled:
            command += ["-p", "no:" + name]
        try:
            run = subprocess.run(
                command + [work], cwd=work, env=env, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=float(sys.argv[2]))
        except subprocess.TimeoutExpired:
            return None
        code, text = run.returncode, run.stdout.decode("utf-8", "replace")
        internal = [l[len("INTERNALERROR>"):] for l in text.splitlines()
                    if l.startswith("INTERNALERROR>")]
        try:
            with open(witness) as f:
                seen = json.load(f)
        except (OSError, ValueError):
            seen = {}
        complete = (all(seen.get(k, 0) >= 1 for k in ("passed", "failed", "uncollectable"))
                    and not seen.get("errors", 0))
        return code, text, internal, code in (0, 1) and not internal and complete, seen

    disabled = []  # the entry points of the plugins found broken: the next run goes without
    for _attempt in range(RUNS):
        ran = run_without(disabled)
        if ran is None:
            answer["problem"] = "pytest %s did not finish a run of three tests" % answer["pytest"]
            break
        code, text, internal, clean, seen = ran
        if clean:
            break
        lines = internal or text.splitlines()
        named = None  # (owner, first path component, "where", line index)
        cores = []  # (line index, "where") of pytest's own frames
        for at, line in enumerate(lines):
            found = (re.search(r'File "([^"]+)", line (\d+)', line)
                     or re.match(r"\s*(\S+\.py):(\d+): [A-Za-z_<]", line))
            if not found:
                continue
            path, number = os.path.join(work, found.group(1)), found.group(2)
            inside = None
            for form in (os.path.abspath(path), os.path.realpath(path)):
                inside = next((form[len(s):] for s in site if form.startswith(s)), None)
                if inside is not None:
                    break
            if inside is None:
                continue
            first = inside.split(os.sep, 1)[0]
            owner = owners.get(first)
            if owner is None:
                continue
            if owner in core:
                cores.append((at, inside + ":" + number))
            else:
                named = (owner, first, inside + ":" + number, at)
        pattern = re.compile(r"\s*(?:E\s+)?([A-Za-z_][\w.]*(?:Error|Exception)\b.*)$")
        errors = [(at, m.group(1).strip()) for at, m in
                  ((at, pattern.match(l)) for at, l in enumerate(lines)) if m]
        if named is None:
            # No plugin frame in the traceback (pytest-rerunfailures 9.1.1 left pytest's state
            # broken in an earlier call): the plugin whose absence lets the run complete.
            for key in sorted(plugins):
                if key in core or any(n in disabled for n in plugins[key]):
                    continue
                again = run_without(disabled + plugins[key])
                if again is not None and again[3]:
                    module = next((f for f, o in sorted(owners.items()) if o == key), key)
                    named = (key, module, "a run with it (one without it completes)", -1)
                    break
            crash = seen.get("crash")
            if named is not None and crash:
                # The first error in a test's setup or teardown, where it was raised.
                path, number, message = crash
                path = os.path.abspath(os.path.join(work, path))
                inside = next((path[len(s):] for s in site if path.startswith(s)), path)
                error = message.splitlines()[0] if message else "exit code %d" % code
                module = named[1][:-3] if named[1].endswith(".py") else named[1]
                answer["breaks"].append([named[0], requires[named[0]][1], module,
                                         "%s (%s:%s)" % (error, inside, number), named[2], ""])
                disabled += plugins[named[0]]
                continue
        if named is None or any(b[0] == named[0] for b in answer["breaks"]):
            if not answer["breaks"]:
                tail = [l.strip() for l in lines if l.strip()][-1:] or ["no output"]
                answer["problem"] = ("pytest %s did not run a passing, a failing and an "
                                     "uncollectable test (exit code %d): %s"
                                     % (answer["pytest"], code, tail[0][:200]))
            break
        owner, first, where, at = named
        after = [(i, e) for i, e in errors if i > at]
        until, error = after[0] if after else (len(lines), "exit code %d" % code)
        # The innermost of pytest's frames the plugin called into, where it was raised.
        raised = ([w for i, w in cores if at < i < until] or [""])[-1]
        module = first[:-3] if first.endswith(".py") else first
        if raised:
            error = error + " (" + raised + ")"
        answer["breaks"].append([owner, requires[owner][1], module, error, where, ""])
        if not plugins.get(owner):
            break  # not a plugin pytest loads by name: it cannot run without it
        disabled += plugins[owner]
with open(sys.argv[1], "w") as out:
    json.dump(answer, out)
"""


@dataclass(frozen=True)
class RunBreak(ImportBreak):
    """A pytest plugin that imports but breaks the run of the stage env's pytest."""

    pytest: str = ""  # the pytest release it breaks under

    def describe(self, python: str) -> str:
        held = "; ".join(f"{n} {v} requires {line}" for n, v, line in self.required_by)
        text = (
            f"{self.distribution} {self.version} breaks pytest {self.pytest}'s run on Python "
            f"{python} (a passing, a failing and an uncollectable test): {self.error} in "
            f"{self.location}"
        )
        return f"{text}; {held}" if held else text


def probe(python: Path, *, timeout: float = PROBE_TIMEOUT) -> ProbeResult:
    """Run the stage env's pytest (``python``: the stage env's) with its installed plugins over
    a passing, a failing and an uncollectable test; a plugin that breaks the run is a break."""
    with tempfile.TemporaryDirectory(prefix="upgrader-run-") as tmp:
        answer = Path(tmp) / "answer.json"
        script = Path(tmp) / "probe.py"
        script.write_text(PROBE, encoding="utf-8")
        try:
            result = subprocess.run(
                [str(python), "-I", str(script), str(answer), str(max(timeout - 10.0, 10.0))],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
                cwd=tmp,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return ProbeResult((), "", f"the pytest run check did not finish: {exc}")
        if not answer.exists():
            last = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
            return ProbeResult((), "", f"the pytest run check failed: {last[0][:200]}")
        data = json.loads(answer.read_text(encoding="utf-8"))
    return parse_run(data)


def parse_run(data: dict[str, object]) -> ProbeResult:
    """The run check's JSON answer as ``RunBreak``s, each with who requires the plugin."""
    parsed = parse_probe(data)
    pytest = str(data.get("pytest", ""))
    breaks = tuple(
        RunBreak(
            b.distribution,
            b.version,
            b.module,
            b.error,
            b.location,
            b.required_by,
            b.app,
            pytest=pytest,
        )
        for b in parsed.breaks
    )
    problem = parsed.problem or str(data.get("problem", ""))
    return ProbeResult(breaks, parsed.python, problem)


def merged(imports: ProbeResult, runs: ProbeResult) -> ProbeResult:
    """The import check's and the run check's results as one: every break; a problem is said
    only once neither found a break (the next round says it)."""
    breaks = (*imports.breaks, *runs.breaks)
    if breaks:
        return ProbeResult(breaks, imports.python or runs.python)
    problem = "; ".join(p for p in (imports.problem, runs.problem) if p)
    return ProbeResult((), imports.python or runs.python, problem)
