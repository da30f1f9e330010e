"""Walk real public Django 2.x projects to 5.2 and then to the newest release with `upgrader step`.

Not a test and never run in CI: it clones public repositories, installs real packages from the
index and runs each project's own test suite at every hop, which takes from minutes to hours.

Usage (from the repository root):

    .venv/bin/python benchmarks/realworld/walk.py [--mirror /work/.mirror] [--only NAME,...]
        [--workdir /tmp/upgrader-realworld] [--upgrader .venv/bin/upgrader] [--timeout 3600]
    .venv/bin/python benchmarks/realworld/walk.py --render      # README.md from results/ only

For each project of ``PROJECTS`` it

1. clones the repository from its public URL, or from ``--mirror DIR`` when
   ``DIR/<owner>+<name>/repo`` (a bare repository, as the `fetch` tool leaves them) or
   ``DIR/<owner>+<name>`` exists, and checks out the pinned commit on a branch ``benchmark``;
2. applies the project's declared set-up changes (each one a manual intervention, committed as
   ``benchmark: ...`` so the walk starts from a clean tree);
3. runs ``upgrader plan --to latest --format json`` and keeps it (the manual items each hop is
   announced with, and the Python and interpreter per hop);
4. runs ``upgrader step --to 5.2`` until the project is at 5.2, then ``upgrader step --to latest``
   until it is at the newest release; the first step (only, unless
   ``--accept-failing-every-step``) passes ``--accept-failing`` so a red baseline is recorded
   rather than refused (the table shows it) and later hops are judged against it; a hop that stops (non-zero
   exit or "needs attention") ends the walk for that project, unless the project declares an
   intervention for that hop, which is applied before ``upgrader step --continue``;
5. writes ``results/<name>.json`` (every command, exit code, wall time, output tail, the hop
   reports) and re-renders ``README.md`` from every results file.

Plain Python 3.10+, the standard library and the tools it drives (git, upgrader) only.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
RESULTS = HERE / "results"
README = HERE / "README.md"


@dataclasses.dataclass(frozen=True)
class Change:
    """One manual intervention: what a user had to do by hand, and the change itself."""

    hop: str  # "setup" (before the first step) or the hop's target, e.g. "3.2"
    description: str
    apply: Callable[[Path], None]
    plan_item: str | None = None  # the plan's manual item id that announces it, if any


@dataclasses.dataclass(frozen=True)
class Service:
    """A server the project's tests need, as its CI runs it (e.g. a workflow's ``services:``).

    Only ``postgresql`` is known: walk.py runs Debian's PostgreSQL (``apt-get install -y
    postgresql`` when it is missing) as a throw-away cluster of its own in the workdir, on
    ``port``, with the CI's user, password and database, and stops it after the walk.
    """

    kind: str  # "postgresql"
    user: str = "postgres"
    password: str = "postgres"
    database: str = "postgres"
    port: int = 5432
    source: str = ""  # where the project's CI declares it


@dataclasses.dataclass(frozen=True)
class Project:
    name: str
    repo: str  # owner/name on GitHub
    commit: str
    date: str  # the commit's date
    shape: str  # layout, dependency style, test runner
    notes: str = ""
    from_version: str | None = None  # --from, when the project does not pin Django
    changes: tuple[Change, ...] = ()
    services: tuple[Service, ...] = ()

    @property
    def url(self) -> str:
        return f"https://github.com/{self.repo}.git"


def _write(relative: str, text: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    return apply


def _append(relative: str, text: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / relative
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text)

    return apply


# djangogirls' replacement for RECAPTCHA_TESTING (F31), as the django-recaptcha-1.5.0 item says.
DJANGOGIRLS_RECAPTCHA_FIXTURE = '''

@pytest.fixture(autouse=True)
def recaptcha_passes(monkeypatch):
    """django-recaptcha 1.5+ has no RECAPTCHA_TESTING: a 'PASSED' response passes, as it did."""
    try:
        from django_recaptcha import client, fields
    except ImportError:
        from captcha import client, fields

    def submit(recaptcha_response, **kwargs):
        return client.RecaptchaResponse(is_valid=recaptcha_response == "PASSED")

    monkeypatch.setattr(fields.client, "submit", submit)
'''


class NotNeeded(Exception):
    """An intervention whose text is no longer in the tree: the tool made the change itself."""


def _replace(relative: str, pattern: str, replacement: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        changed, count = re.subn(pattern, lambda _: replacement, text)
        if count == 0:
            raise NotNeeded(f"{pattern!r} not found in {relative}")
        path.write_text(changed, encoding="utf-8")

    return apply


def _all(*edits: Callable[[Path], None]) -> Callable[[Path], None]:
    """Several edits as one intervention (one fix a user makes in several places); not needed
    only when none of them is."""

    def apply(root: Path) -> None:
        missing = []
        for edit in edits:
            try:
                edit(root)
            except NotNeeded as absent:
                missing.append(str(absent))
        if len(missing) == len(edits):
            raise NotNeeded("; ".join(missing))

    return apply


def _pipenv_lock(root: Path) -> None:
    """What the hop's report asks (``Run to refresh lock files: pipenv lock``), done with a pipenv
    that runs on the hop's Python (the newest pipenv needs Python 3.8+), through uvx."""
    report = _latest_report(root) or {}
    lock = root / "Pipfile.lock"
    if lock.is_file():
        locked = json.loads(lock.read_text(encoding="utf-8")).get("default", {}).get("django", {})
        version = str(locked.get("version", "")).lstrip("=")
        if version.startswith(str(report.get("to", "?")) + "."):
            raise NotNeeded(f"Pipfile.lock already locks django {version}")
    # the hop's own stage env is a venv of the hop's Python (a bare "3.7" finds pyenv's shim)
    stage = "django" + str(report.get("to", "")).replace(".", "")
    env = _stage_env(Path(report.get("project", root)), {"command": ["-e", stage]})
    python = str(env or report.get("python") or "3")
    uvx = str(REPO / ".venv" / "bin" / "uvx")
    done = subprocess.run(
        [uvx, "--python", python, "--from", "pipenv<2024", "pipenv", "lock", "--python", python],
        cwd=root,
        # a fresh pipenv virtualenv per hop: the one from the last hop has the last hop's Python
        env=dict(os.environ, WORKON_HOME=str(root.parent / "_pipenv" / str(report.get("to")))),
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if done.returncode != 0:
        raise SystemExit(f"benchmark: pipenv lock failed: {_tail(done.stderr, 5)}")


PROJECTS: tuple[Project, ...] = (
    Project(
        name="locallibrary",
        repo="mdn/django-locallibrary-tutorial",
        commit="6118f089be35ca024679aaee1484ec5a02651257",
        date="2020-10-27",
        shape="tutorial site; requirements.txt (Django==2.1.5); runtime.txt python-3.7.0; "
        "manage.py test",
        notes="MDN's Django tutorial, last commit on Django 2.x; since 2026-12-04 without the "
        "set-up changes of earlier runs: the pre-test collectstatic is detected (F3) and its "
        "untracked output stays out of the commits (F8), so neither is an intervention any more",
        changes=(
            Change(
                hop="5.2",
                description="logout link in catalog/templates/base_generic.html made a POST form "
                "(LogoutView answers GET with 405 since Django 5.0)",
                apply=_replace(
                    "catalog/templates/base_generic.html",
                    r'<a href="\{% url \'logout\'%\}\?next=\{\{request.path\}\}">Logout</a>',
                    '<form method="post" action="{% url \'logout\' %}?next={{request.path}}">'
                    '{% csrf_token %}<button type="submit">Logout</button></form>',
                ),
                plan_item="logout-get catalog/templates/base_generic.html:33",
            ),
        ),
    ),
    Project(
        name="djangox",
        repo="wsvincent/djangox",
        commit="0202a99fa68dbe39fc053af735ba67017b68f0e7",
        date="2019-10-21",
        shape="starter project; Pipfile + Pipfile.lock (django==2.2.6, allauth, crispy-forms); "
        "manage.py test",
        notes="last commit before the move to Django 3.0; its test suite is empty (0 tests)",
        changes=(
            # The tool does the rest now: the setuptools cap for Python <= 3.8 (setuptools<70),
            # Pipfile.lock through uv's pipenv (F17), allauth's AccountMiddleware (F18) and
            # crispy's pack app (F19); the walks of 2026-12-04 needed each by hand.
            Change(
                hop="5.2",
                description="logout link in templates/_base.html made a POST form (the plan's "
                "manual item; the link is allauth's account_logout, which also takes POST, so "
                "the item did not apply: FINDINGS F21)",
                apply=_replace(
                    "templates/_base.html",
                    r'<a class="dropdown-item" href="\{% url \'account_logout\' %\}">Log out</a>',
                    '<form method="post" action="{% url \'account_logout\' %}">{% csrf_token %}'
                    '<button class="dropdown-item" type="submit">Log out</button></form>',
                ),
                plan_item="logout-get templates/_base.html:37",
            ),
        ),
    ),
    Project(
        name="simple-history",
        repo="jazzband/django-simple-history",
        commit="57507748205a5dd2340893940c624749f1ba503d",
        date="2019-12-03",
        shape="reusable app; setup.py (Django unpinned), tox.ini; runtests.py configures its own "
        "settings; no manage.py",
        notes="Django is not pinned (a reusable app): the walk passes --from 2.2 (tox.ini's "
        "django22 factor); since 2026-12-04 as published: the requirements.txt set-up change "
        "(F6) and the 3.2 SECRET_KEY intervention (F13, F24) are the tool's work now",
        from_version="2.2",
        changes=(
            Change(
                hop="3.2",
                description="simple_history/models.py transform_field sets field.db_collation = "
                "None after re-classing a FileField copy as TextField (Django 3.2's "
                "TextField.__init__ sets db_collation; upstream's fix f5ffdd5): the plan's "
                "manual item field-init-db-collation (FINDINGS F70)",
                apply=_replace(
                    "simple_history/models.py",
                    r"(?m)^    field\.auto_now_add = False\n",
                    "    field.auto_now_add = False\n    field.db_collation = None\n",
                ),
                plan_item="field-init-db-collation simple_history/models.py:541",
            ),
            Change(
                hop="3.2",
                description="simple_history/tests/tests/test_models.py iterates "
                "model_state.fields.items() (ModelState.fields is a dict since Django 3.1; "
                "upstream's fix ebded52): the plan's manual item model-state-fields-dict "
                "(FINDINGS F71)",
                apply=_replace(
                    "simple_history/tests/tests/test_models.py",
                    r"for name, field in model_state\.fields:",
                    "for name, field in model_state.fields.items():",
                ),
                plan_item="model-state-fields-dict simple_history/tests/tests/test_models.py:1113",
            ),
            Change(
                hop="4.2",
                description="simple_history/registry_tests/tests.py: TestMigrate becomes a "
                "TransactionTestCase (runtests.py disables every app's migrations, so from Django "
                "4.1 the test database has no django_migrations table and the test's migrate "
                "must create it inside the TestCase's transaction, which SQLite refuses; "
                "upstream's fix 0c749b4): the plan's manual item test-db-no-migrations-table "
                "(FINDINGS F73)",
                apply=_all(
                    _replace(
                        "simple_history/registry_tests/tests.py",
                        r"(?m)^from django\.test import TestCase, override_settings$",
                        "from django.test import TestCase, TransactionTestCase, override_settings",
                    ),
                    _replace(
                        "simple_history/registry_tests/tests.py",
                        r"(?m)^class TestMigrate\(TestCase\):$",
                        "class TestMigrate(TransactionTestCase):",
                    ),
                ),
                plan_item="test-db-no-migrations-table simple_history/registry_tests/tests.py:215",
            ),
            Change(
                hop="5.2",
                description="simple_history/models.py transform_field also sets field.unique = "
                "False on Django 5.1+ (Field.unique is a cached_property from 5.1, so "
                "field._unique = False left the history tables UNIQUE: 27 IntegrityErrors; "
                "upstream's fix 9b668d7): the plan's manual item field-unique-cached (FINDINGS F74)",
                apply=_replace(
                    "simple_history/models.py",
                    r"(?m)^        field\._unique = False\n",
                    "        if django.VERSION >= (5, 1):\n"
                    "            field.unique = False\n"
                    "        field._unique = False\n",
                ),
                plan_item="field-unique-cached simple_history/models.py:551",
            ),
            Change(
                hop="5.2",
                description="runtests.py's settings.configure() gets USE_TZ=False, the default "
                "before Django 5.0 (8 naive-datetime failures on 5.2; settings_use_tz_explicit "
                "reads settings modules, not a configure() call: FINDINGS F75); not needed since "
                "32e5af6, whose configure_use_tz codemod writes it",
                apply=_replace(
                    "runtests.py",
                    r"(?m)^        settings\.configure\(\*\*DEFAULT_SETTINGS, "
                    r'SECRET_KEY="not-secret-for-tests"\)$',
                    '        settings.configure(**DEFAULT_SETTINGS, SECRET_KEY="not-secret-for-tests", '
                    "USE_TZ=False)",
                ),
            ),
            Change(
                hop="5.2",
                description="simple_history/tests/tests/test_admin.py: the expected render "
                "context takes log_entries as ANY (Django 5.0's AdminSite.each_context() adds "
                "log_entries, a QuerySet, which never equals another; upstream's e8cc2b2): a "
                "test-only comparison, FINDINGS F76",
                apply=_replace(
                    "simple_history/tests/tests/test_admin.py",
                    r"(?m)^        context\.update\(admin_site\.each_context\(request\)\)\n",
                    "        context.update(admin_site.each_context(request))\n"
                    '        context["log_entries"] = ANY\n',
                ),
                plan_item="admin-each-context-log-entries "
                "simple_history/tests/tests/test_admin.py:474",
            ),
        ),
    ),
    Project(
        name="djangogirls",
        repo="DjangoGirls/djangogirls",
        commit="464e3555f40d5867b27d2884652c8a2ef4d44af2",
        date="2021-09-20",
        shape="site; pip-tools requirements.in/.txt (django==2.2.24); pytest-django with "
        "pytest.ini env",
        notes="last commit on Django 2.2; PostgreSQL as its CI's service (F16), started by walk.py",
        services=(
            Service(
                "postgresql",
                user="postgres",
                password="postgres",
                database="djangogirls",
                source=".github/workflows/django.yml: services.postgres (postgres:10.8, 5432:5432)",
            ),
        ),
        changes=(
            Change(
                hop="3.2",
                description="RECAPTCHA_TESTING dropped from pytest.ini's env and replaced by an "
                "autouse fixture in tests/conftest.py that mocks django-recaptcha's check "
                "('PASSED' passes, as the switch did; django-recaptcha 1.5.0 removed it, F31)",
                apply=_all(
                    _replace("pytest.ini", r"\n[ \t]*RECAPTCHA_TESTING=True", ""),
                    _append("tests/conftest.py", DJANGOGIRLS_RECAPTCHA_FIXTURE),
                ),
                plan_item="django-recaptcha-1.5.0 pytest.ini:6",
            ),
            Change(
                hop="4.2",
                description="django-recaptcha 4.0's package rename: 'captcha' -> "
                "'django_recaptcha' in INSTALLED_APPS and core/forms.py's import (the 3.2 "
                "fixture takes either name)",
                apply=_all(
                    _replace("djangogirls/settings.py", r"'captcha',", "'django_recaptcha',"),
                    _replace(
                        "core/forms.py", r"from captcha\.fields", "from django_recaptcha.fields"
                    ),
                ),
                plan_item="django-recaptcha-4.0.0 djangogirls/settings.py:33",
            ),
        ),
    ),
    Project(
        name="healthchecks",
        repo="healthchecks/healthchecks",
        commit="87b232074c8bf4a1fdd8a6884f829fa85ce59e64",
        date="2019-12-02",
        shape="service; requirements.txt (Django==2.2.8); Travis CI on Python 3.5-3.8; "
        "manage.py test; ~16k lines",
        notes="last commit on Django 2.2; since 2026-12-04 without the set-up change "
        "test-requirements mock (.travis.yml's install step is read now: F10); since 2026-12-05 "
        "without the 5.2 zoneinfo move (its own pytz uses are notes while it declares pytz: F26)",
        changes=(
            Change(
                hop="3.2",
                description="hc/accounts/tests/test_project.py expects &#x27; for an apostrophe "
                "(Django 3.0's escape() uses html.escape())",
                apply=_replace(
                    "hc/accounts/tests/test_project.py",
                    r"Alice&#39;s Project",
                    "Alice&#x27;s Project",
                ),
                plan_item="html-escape-apostrophe hc/accounts/tests/test_project.py:86",
            ),
            Change(
                hop="6.1",
                description="psycopg2 2.8.4 -> 2.9.9 and requests 2.22.0 -> 2.25.1 in "
                "requirements.txt (the 6.1 hop moves to Python 3.12 and kept both: 2.8.4's sdist "
                "does not compile against 3.12's C API, and requests 2.22's urllib3<1.26 pins "
                "urllib3 1.25.11, whose vendored six does not import on 3.12: FINDINGS F29)",
                apply=_all(
                    _replace("requirements.txt", r"psycopg2==2\.8\.4\n", "psycopg2==2.9.9\n"),
                    _replace("requirements.txt", r"requests==2\.22\.0\n", "requests==2.25.1\n"),
                ),
            ),
        ),
    ),
    Project(
        name="pretalx",
        repo="pretalx/pretalx",
        commit="bf82ae5ee95bb0860bc667278a2a6eb96ee91a3e",
        date="2020-02-08",
        shape="conference system; src/ layout, src/setup.py (Django>=2.2.1,<2.3.0); pytest with "
        "-nauto (pytest-xdist); large",
        notes="Django code in src/; the walk runs from the repository root",
        changes=(
            Change(
                hop="3.2",
                description="src/tests/orga/test_templatetags.py expects &#x27; for an apostrophe "
                "(Django 3.0's escape() uses html.escape())",
                apply=_replace("src/tests/orga/test_templatetags.py", r"&#39;", "&#x27;"),
                plan_item="html-escape-apostrophe tests/orga/test_templatetags.py:32",
            ),
            Change(
                hop="3.2",
                description="three tests read response._headers (removed in Django 3.2): "
                "response['location'] instead (FINDINGS F20)",
                apply=_all(
                    _replace(
                        "src/tests/agenda/views/test_agenda_schedule.py",
                        r'response\._headers\["location"\]\[1\]',
                        'response["location"]',
                    ),
                    _replace(
                        "src/tests/orga/views/test_orga_views_submission.py",
                        r'_, redirected_page_url = response\._headers\["location"\]',
                        'redirected_page_url = response["location"]',
                    ),
                ),
            ),
            Change(
                hop="4.2",
                description="providing_args dropped from the nine EventPluginSignal(...) calls "
                "(a Signal subclass from pretalx/common/signals.py; Django 4.0's Signal raises "
                "TypeError for it; the rewrite drops it only where the class is in the same "
                "file, and the plan lists the rest as signal-providing-args items: FINDINGS F40)",
                apply=_all(
                    *(
                        _replace(
                            f"src/pretalx/{app}/signals.py",
                            r"EventPluginSignal\(\s*providing_args=\[[^\]]*\]\s*\)",
                            "EventPluginSignal()",
                        )
                        for app in ("agenda", "cfp", "orga", "submission")
                    )
                ),
                plan_item="signal-providing-args pretalx/agenda/signals.py:3",
            ),
            Change(
                hop="4.2",
                description="the sourceMappingURL comment of the vendored "
                "bootstrap-colorpicker.min.js dropped (its .map is not shipped; Django 4.0's "
                "ManifestStaticFilesStorage follows it and collectstatic stops: FINDINGS F42)",
                apply=_replace(
                    "src/pretalx/static/vendored/colorpicker/js/bootstrap-colorpicker.min.js",
                    r"\n//# sourceMappingURL=bootstrap-colorpicker\.min\.js\.map",
                    "",
                ),
                plan_item="staticfiles-js-source-map "
                "pretalx/static/vendored/colorpicker/js/bootstrap-colorpicker.min.js:10",
            ),
        ),
    ),
)


# -- running things


def _run(
    args: list[str], cwd: Path, timeout: float, env: dict[str, str] | None = None
) -> dict[str, Any]:
    started = time.monotonic()
    try:
        done = subprocess.run(
            args,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            errors="replace",
        )
        code, out, err = done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired as exc:
        code = -1
        out = exc.stdout if isinstance(exc.stdout, str) else (exc.stdout or b"").decode()
        err = f"(benchmark: timed out after {timeout:.0f} s)"
    return {
        "command": args,
        "exit_code": code,
        "seconds": round(time.monotonic() - started, 1),
        "stdout": out,
        "stderr": err,
    }


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout.strip()


def _source(project: Project, mirror: Path | None) -> str:
    if mirror is not None:
        folder = mirror / project.repo.replace("/", "+")
        for candidate in (folder / "repo", folder):
            if (candidate / "HEAD").exists() or (candidate / ".git").exists():
                return str(candidate)
    return project.url


def _clone(project: Project, mirror: Path | None, workdir: Path) -> Path:
    root = workdir / project.name
    if root.exists():
        shutil.rmtree(root)
    workdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "clone", "-q", _source(project, mirror), str(root)], check=True)
    _git(root, "checkout", "-q", "-B", "benchmark", project.commit)
    _git(root, "config", "user.name", "upgrader benchmark")
    _git(root, "config", "user.email", "benchmark@example.invalid")
    _git(root, "config", "commit.gpgsign", "false")
    return root


def _apply(root: Path, change: Change) -> None:
    change.apply(root)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "--allow-empty", "-m", f"benchmark: {change.description}")


class ServiceError(Exception):
    """A service the project declares could not be started here."""


def _pg_bin() -> Path:
    """The newest installed PostgreSQL server's ``bin`` (Debian's layout), installed if missing."""

    def found() -> Path | None:
        versions = sorted(
            (p for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")),
            key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
        )
        return versions[-1].parent if versions else None

    binary = found()
    if binary is None:
        done = subprocess.run(
            ["apt-get", "install", "-y", "postgresql"], capture_output=True, text=True
        )
        binary = found()
        if binary is None:
            raise ServiceError(f"apt-get install -y postgresql failed: {_tail(done.stderr, 5)}")
    return binary


def _port_in_use(port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _as_postgres(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """``args`` as the ``postgres`` user when walk.py runs as root (initdb refuses root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *args], capture_output=True, text=True, **kwargs)


def _start_postgresql(service: Service, folder: Path) -> dict[str, Any]:
    """A cluster of our own in ``folder`` (fresh each walk), listening on localhost:port, with
    the CI's user (a superuser: Django's test runner creates and drops the test database),
    password and database; what was started, for the results."""
    if _port_in_use(service.port):
        raise ServiceError(
            f"port {service.port} is in use: another server runs there; stop it, walk.py "
            "starts its own"
        )
    binary = _pg_bin()
    if folder.exists():
        shutil.rmtree(folder)
    data, sockets = folder / "data", folder / "sockets"
    sockets.mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(sockets, "postgres")
    started = time.monotonic()
    steps = [
        [str(binary / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
        [
            str(binary / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(folder / "server.log"),
            "-w",
            "-o",
            f"-p {service.port} -k {sockets} -c listen_addresses=localhost -c fsync=off",
            "start",
        ],
    ]
    for args in steps:
        done = _as_postgres(args, timeout=120)
        if done.returncode != 0:
            raise ServiceError(
                f"{Path(args[0]).name} failed: {_tail(done.stderr or done.stdout, 5)}"
            )
    psql = [str(binary / "psql"), "-h", str(sockets), "-p", str(service.port), "-U", "postgres"]
    password = service.password.replace("'", "''")
    sql = [
        f"ALTER ROLE postgres PASSWORD '{password}'"
        if service.user == "postgres"
        else f"CREATE ROLE \"{service.user}\" LOGIN SUPERUSER PASSWORD '{password}'",
    ]
    if service.database != "postgres":
        sql.append(f'CREATE DATABASE "{service.database}" OWNER "{service.user}"')
    for statement in sql:
        done = _as_postgres([*psql, "-v", "ON_ERROR_STOP=1", "-c", statement], timeout=60)
        if done.returncode != 0:
            raise ServiceError(f"psql failed: {_tail(done.stderr, 5)}")
    version = _as_postgres([str(binary / "postgres"), "--version"]).stdout.strip()
    return {
        "kind": service.kind,
        "version": version,
        "port": service.port,
        "user": service.user,
        "database": service.database,
        "source": service.source,
        "started_by": "walk.py (its own cluster in the workdir; stopped after the walk)",
        "seconds": round(time.monotonic() - started, 1),
        "folder": str(folder),
        "bin": str(binary),
    }


def _stop_service(started: dict[str, Any]) -> None:
    data = Path(started["folder"]) / "data"
    _as_postgres([str(Path(started["bin"]) / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"])


def _start_services(project: Project, workdir: Path) -> list[dict[str, Any]]:
    started: list[dict[str, Any]] = []
    try:
        for index, service in enumerate(project.services):
            if service.kind != "postgresql":
                raise ServiceError(f"walk.py cannot start a {service.kind!r} service")
            folder = workdir / "_services" / f"{project.name}-{service.kind}-{index}"
            started.append(_start_postgresql(service, folder))
    except ServiceError:
        for done in started:
            _stop_service(done)
        raise
    return started


def _tool_commit() -> str:
    return _git(REPO, "rev-parse", "--short", "HEAD")


def _tool(args: argparse.Namespace) -> tuple[list[str], dict[str, str], str]:
    """The upgrader command, its environment, and the tool commit it runs.

    By default the tool's committed HEAD is cloned to ``<workdir>/_tool-<commit>`` and run with
    the dev venv's interpreter (``PYTHONPATH`` puts the clone before the editable install), so a
    result belongs to one commit even while others edit the working tree. ``--live`` runs
    ``--upgrader`` as it is (the working tree, committed or not).
    """
    env = dict(os.environ)
    if args.live:
        return [str(Path(args.upgrader).resolve())], env, _tool_commit() + " (live tree)"
    commit = _tool_commit()
    tree = args.workdir / f"_tool-{commit}"
    if not tree.exists():
        args.workdir.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "clone", "-q", str(REPO), str(tree)], check=True)
        _git(tree, "checkout", "-q", commit)
    env["PYTHONPATH"] = str(tree)
    python = Path(args.upgrader).resolve().parent / "python"
    return [str(python), "-m", "upgrader"], env, commit


def _latest_report(root: Path) -> dict[str, Any] | None:
    # the project may live in a subfolder of the repository (src/): its .upgrader/ is there
    found = [*root.glob(".upgrader/reports/django-*/report.json")]
    found += root.glob("*/.upgrader/reports/django-*/report.json")
    reports = sorted(found, key=lambda p: p.stat().st_mtime)
    if not reports:
        return None
    loaded: dict[str, Any] = json.loads(reports[-1].read_text(encoding="utf-8"))
    return loaded


def _plan_manual(plan: dict[str, Any] | None) -> dict[str, list[str]]:
    if not plan:
        return {}
    return {
        str(hop["to"]): [f"{m['id']} {m['file']}:{m['line']}" for m in hop.get("manual", [])]
        for hop in plan.get("hops", [])
    }


_NO_HOP = re.compile(r"already at the target|no hop to make")


# -- issue 17's "Done when", checked on each hop


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _version_key(text: str) -> Any:
    """A comparable version (packaging's, which the dev venv has), or None if unparsable."""
    try:
        from packaging.version import InvalidVersion, Version
    except ImportError:  # pragma: no cover - the dev venv has packaging
        return None
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _pins(text: str) -> dict[str, str]:
    """``name==version`` lines of a requirements/freeze text (comments, extras, markers off)."""
    pins = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].split(";", 1)[0].strip()
        found = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*(\S+)$", line)
        if found:
            pins[_norm(found.group(1))] = found.group(2)
    return pins


def _uv(args: argparse.Namespace) -> str:
    return str(Path(args.upgrader).resolve().parent / "uv")


def _stage_env(project_dir: Path, run: dict[str, Any] | None) -> Path | None:
    """The interpreter of the tox env a test run used (``-e djangoNN``), if it still exists."""
    command = [str(c) for c in (run or {}).get("command") or []]
    if "-e" not in command or command.index("-e") + 1 >= len(command):
        return None
    return _env_python(project_dir, command[command.index("-e") + 1])


def _env_python(project_dir: Path, env: str) -> Path | None:
    python = project_dir / ".upgrader" / "cache" / "tox" / env / "bin" / "python"
    return python if python.exists() else None


def _installed(args: argparse.Namespace, python: Path | None) -> dict[str, str]:
    if python is None:
        return {}
    done = subprocess.run(
        [_uv(args), "pip", "freeze", "--python", str(python)],
        capture_output=True,
        text=True,
        check=False,
    )
    return _pins(done.stdout)


def _older_than(chosen: dict[str, str], baseline: dict[str, str]) -> list[str]:
    """Check (a): packages whose chosen version is older than the baseline's installed one."""
    older = []
    for name, version in sorted(chosen.items()):
        base = baseline.get(name)
        new_key, base_key = _version_key(version), _version_key(base or "")
        if base and new_key is not None and base_key is not None and new_key < base_key:
            older.append(f"{name} {base}→{version}")
    return older


def _claims(
    report: dict[str, Any] | None, plan_hop: dict[str, Any] | None, message: str
) -> list[dict[str, str]]:
    """Blocker claims of a hop: the report's and the plan's ``blocked``, and a stop's message."""
    claims: dict[tuple[str, str, str], dict[str, str]] = {}
    for source, hop in (("step", report), ("plan", plan_hop)):
        if not hop:
            continue
        django, python = str(hop["to"]), str(hop.get("python"))
        for item in hop.get("blocked") or []:
            if item.get("name"):
                claims.setdefault(
                    (_norm(item["name"]), django, python),
                    {
                        "source": source,
                        "name": item["name"],
                        "django": django,
                        "python": python,
                        "claim": str(item.get("reason", "")),
                    },
                )
    for django, python, name in re.findall(
        r"no dependency set works with Django (\S+) on Python ([0-9.]+): ([A-Za-z0-9._-]+)",
        message,
    ):
        claims.setdefault(
            (_norm(name), django, python),
            {"source": "step message", "name": name, "django": django, "python": python},
        )
    return list(claims.values())


def _check_claim(args: argparse.Namespace, claim: dict[str, str], workdir: Path) -> dict[str, str]:
    """Check (b): try to resolve the set the claim says cannot exist (the package with the
    stage's Django on the stage's Python), with uv pip compile; a resolution proves it false."""
    workdir.mkdir(parents=True, exist_ok=True)
    wanted = workdir / f"claim-{_norm(claim['name'])}-{claim['django']}.in"
    wanted.write_text(f"django~={claim['django']}.0\n{claim['name']}\n", encoding="utf-8")
    caps = workdir / "build-caps.txt"
    caps.write_text("setuptools<72\n", encoding="utf-8")
    command = [
        _uv(args),
        "pip",
        "compile",
        str(wanted),
        "--python-version",
        claim["python"],
        "--no-header",
        "--quiet",
    ]
    python = tuple(int(x) for x in re.findall(r"\d+", claim["python"])[:2])
    if python and python <= (3, 8):  # the tool's own era cap for old Pythons' sdists
        command += ["--build-constraint", str(caps)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=900)
    resolved = _pins(done.stdout)
    about_code = re.search(r"import|removed|renamed|abandoned", claim.get("claim", ""))
    if done.returncode == 0:
        version = resolved.get(_norm(claim["name"]), "?")
        found = f"{claim['name']}=={version} with django=={resolved.get('django')}"
        # a claim about the package's code (it imports a removed API) is not refuted by
        # metadata that admits the pair: say so instead of calling it false
        verdict = f"installs ({found}): " + (
            "the claim is about its code, not checkable by resolution" if about_code else "false"
        )
    else:
        verdict = "holds: " + " ".join(_tail(done.stderr, 6).split())[:300]
    return claim | {"verdict": verdict, "command": " ".join(command)}


def _failing_ids(run: dict[str, Any] | None) -> set[str]:
    return {*(run or {}).get("failures", []), *(run or {}).get("error_ids", [])}


_TRACE_PATH = re.compile(r'File "([^"]+\.py)", line \d+|^(\S+\.py):\d+:', re.MULTILINE)


def _rewritten_red(report: dict[str, Any], project_dir: Path) -> dict[str, Any]:
    """Check (c): the hop's new failures whose traceback goes through a file the rewrite changed."""
    changed = sorted({f for r in report.get("rewrites", []) for f in r.get("files", [])})
    before, after = report.get("tests_before"), report.get("tests_after")
    new = sorted(_failing_ids(after) - _failing_ids(before))
    log_name = (after or {}).get("log")
    log = project_dir / log_name if log_name else None
    text = log.read_text(encoding="utf-8", errors="replace") if log and log.is_file() else ""
    blocks = re.split(r"^(?:={20,}|_{5,} .* _{5,})$", text, flags=re.MULTILINE)

    def through(block: str) -> list[str]:
        """The rewritten file the traceback's innermost project frame is in (not site-packages)."""
        paths = [a or b for a, b in _TRACE_PATH.findall(block)]
        own = [p for p in paths if "site-packages" not in p and "/lib/python" not in p]
        return [f for f in changed if own and own[-1].endswith(f)][:1]

    hits: dict[str, list[str]] = {}
    for test in new:
        # pytest ids: file.py::test_name[params]; Django's: module.Class.test_name
        name = re.split(r"[\[(]", test.split("::")[-1])[0].strip()
        leaf = name.rsplit(".", 1)[-1] or test
        for block in blocks:
            if leaf in "\n".join(block.strip().splitlines()[:3]) and through(block):
                hits[test] = through(block)
                break
    result: dict[str, Any] = {
        "rewritten_files": len(changed),
        "new_failing": len(new),
        "into_rewritten": hits,
    }
    if after is not None and not after.get("passed") and not _failing_ids(after):
        # no test ran: does the run's traceback go through a rewritten file?
        result["no_tests_ran_through"] = through(text)
    return result


def _new_failing(report: dict[str, Any]) -> list[str]:
    return sorted(
        _failing_ids(report.get("tests_after")) - _failing_ids(report.get("tests_before"))
    )


def _diagnose(
    tool_command: list[str], root: Path, env: dict[str, str], args: argparse.Namespace
) -> dict[str, Any]:
    """Check (c) proper: ``upgrader diagnose`` bisects the hop (dependencies, then the rewrite
    file by file) re-running the failing tests; a cause whose changes are rewrite files is a
    rewrite that turned those tests red."""
    budget = f"{args.diagnose_budget:.0f}"
    run = _run(
        [*tool_command, "diagnose", str(root), "--format", "json", "--budget", budget],
        root,
        args.diagnose_budget + 600,
        env,
    )
    out: dict[str, Any] = {"exit_code": run["exit_code"], "seconds": run["seconds"]}
    try:
        data = json.loads(run["stdout"])
    except json.JSONDecodeError:
        return out | {"stderr": _tail(run["stderr"], 15)}
    causes = data.get("causes", [])
    out["causes"] = [
        {
            "tests": cause.get("tests", []),
            "changes": [
                f"{c.get('kind')}: {c.get('name')}"
                + (f" ({', '.join(c['rules'])})" if c.get("rules") else "")
                for c in cause.get("changes", [])
            ],
            "isolated": cause.get("isolated"),
        }
        for cause in causes
    ]
    out["rewrite_causes"] = [
        c
        for c, raw in zip(out["causes"], causes, strict=True)
        if any(ch.get("kind") == "rewrite" for ch in raw.get("changes", []))
    ]
    return out


def _hop_checks(
    args: argparse.Namespace,
    report: dict[str, Any],
    baseline: dict[str, str],
    plan_hop: dict[str, Any] | None,
    message: str,
) -> dict[str, Any]:
    project_dir = Path(report["project"])
    locked_file = project_dir / ".upgrader" / "constraints" / f"django-{report['to']}.txt"
    locked = _pins(locked_file.read_text(encoding="utf-8")) if locked_file.is_file() else {}
    # a run that stopped before any test may record no tox command: the hop's env by its name
    hop_env = "django" + str(report["to"]).replace(".", "")
    python = _stage_env(project_dir, report.get("tests_after")) or _env_python(project_dir, hop_env)
    installed = _installed(args, python)
    claims = _claims(report, plan_hop, message)
    return {
        "a_older_than_baseline": {
            "locked": _older_than(locked, baseline),
            "installed": _older_than(installed, baseline),
            "locked_file": str(locked_file) if locked else None,
            "installed_count": len(installed),
        },
        "b_blockers": [
            _check_claim(args, c, args.workdir / "_claims" / project_dir.name) for c in claims
        ],
        "c_rewrite_red": _rewritten_red(report, project_dir),
    }


def _open_item(report: dict[str, Any] | None, change: Change) -> None:
    """Raise NotNeeded when ``change`` answers a plan item the hop's report does not have open."""
    if change.plan_item is None or report is None:
        return
    item_id, _, where = change.plan_item.partition(" ")
    path = where.rpartition(":")[0] or where
    if not any(m.get("id") == item_id and m.get("file") == path for m in report.get("manual", [])):
        raise NotNeeded(f"the hop's report has no open item {item_id} in {path}")


def _not_needed(result: dict[str, Any], hop: str | None, change: Change, absent: Exception) -> None:
    """An intervention of earlier runs that this run did not need (the tool made the change)."""
    result.setdefault("not_needed", []).append(
        {"hop": hop, "description": change.description, "absent": str(absent)}
    )


def walk(project: Project, args: argparse.Namespace) -> dict[str, Any]:
    """The walk of ``project`` with the services it declares running around it."""
    try:
        services = _start_services(project, args.workdir)
    except ServiceError as exc:
        result: dict[str, Any] = {
            "project": dataclasses.asdict(project) | {"changes": None},
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "tool_commit": _tool_commit(),
            "command": " ".join(sys.argv),
            "interventions": [],
            "plan": None,
            "steps": [],
            "stopped": {
                "hop": None,
                "target": "5.2",
                "exit_code": -1,
                "message": f"service: {exc}",
            },
        }
        _save(project, result, args.label)
        return result
    try:
        return _walk(project, args, services)
    finally:
        for started in services:
            _stop_service(started)


def _walk(
    project: Project, args: argparse.Namespace, services: list[dict[str, Any]]
) -> dict[str, Any]:
    tool_command, env, tool_commit = _tool(args)
    result: dict[str, Any] = {
        "project": dataclasses.asdict(project) | {"changes": None},
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "tool_commit": tool_commit,
        "command": " ".join(sys.argv),
        "accept_failing": "every step" if args.accept_failing_every_step else "first step",
        "interventions": [],
        "plan": None,
        "steps": [],
        "stopped": None,
        "services": [{k: v for k, v in s.items() if k not in ("folder", "bin")} for s in services],
    }
    root = _clone(project, args.mirror, args.workdir)
    lines = subprocess.run(
        "git ls-files '*.py' | xargs cat | wc -l",
        shell=True,
        cwd=root,
        capture_output=True,
        text=True,
    ).stdout.strip()
    result["python_lines"] = int(lines or 0)
    from_args = ["--from", project.from_version] if project.from_version else []
    if args.skip_change:
        skipped = [c for c in project.changes if args.skip_change in c.description]
        project = dataclasses.replace(
            project, changes=tuple(c for c in project.changes if c not in skipped)
        )
        result["variant"] = "without the intervention: " + "; ".join(c.description for c in skipped)
    for change in project.changes:
        if change.hop == "setup":
            _apply(root, change)
            result["interventions"].append(
                {"hop": "setup", "description": change.description, "plan_item": change.plan_item}
            )
    plan = _run(
        [*tool_command, "plan", str(root), "--to", "latest", "--format", "json", *from_args],
        root,
        args.timeout,
        env,
    )
    result["plan_run"] = {k: v for k, v in plan.items() if k != "stdout"} | {
        "stderr": _tail(plan["stderr"])
    }
    if plan["stdout"].strip():  # exit 1: a hop is blocked, the plan is still printed
        try:
            result["plan"] = json.loads(plan["stdout"])
        except json.JSONDecodeError:
            result["plan_run"]["stdout_tail"] = _tail(plan["stdout"])
    plan_hops = {str(h["to"]): h for h in (result["plan"] or {}).get("hops", [])}
    result["plan_blocker_checks"] = [
        _check_claim(args, claim, args.workdir / "_claims" / project.name)
        for hop in plan_hops.values()
        for claim in _claims(None, hop, "")
    ]
    baseline_installed: dict[str, str] | None = None

    def check(step: dict[str, Any], message: str) -> None:
        """Issue 17's checks on the step's hop (its report, or only its stop message)."""
        nonlocal baseline_installed
        report = step.get("report")
        if not report:
            claims = _claims(None, None, message)
            if claims:
                step["checks"] = {
                    "b_blockers": [
                        _check_claim(args, c, args.workdir / "_claims" / project.name)
                        for c in claims
                    ]
                }
            return
        if baseline_installed is None:
            env = _stage_env(Path(report["project"]), report.get("tests_before"))
            baseline_installed = _installed(args, env)
            result["baseline_installed"] = baseline_installed
        step["checks"] = _hop_checks(
            args, report, baseline_installed, plan_hops.get(str(report["to"])), message
        )

    first = True
    for target in ("5.2", "latest"):
        for _ in range(8):
            # --from names the Django of an unpinned project once, on the first step, as a
            # user runs it: later steps and --continue detect from the hop state the tool keeps
            command = [*tool_command, "step", str(root), "--to", target]
            if first:
                command += from_args
            if first or args.accept_failing_every_step:
                command.append("--accept-failing")
            before = _latest_report(root)
            run = _run(command, root, args.timeout, env)
            report = _latest_report(root)
            new_report = report is not None and report != before
            step: dict[str, Any] = {
                "target": target,
                "command": command,
                "exit_code": run["exit_code"],
                "seconds": run["seconds"],
                "head": _git(root, "rev-parse", "--short", "HEAD"),
                "branch": _git(root, "rev-parse", "--abbrev-ref", "HEAD"),
                "stdout": _tail(run["stdout"], 60),
                "stderr": _tail(run["stderr"], 60),
                "report": report if new_report else None,
            }
            result["steps"].append(step)
            check(step, run["stdout"] + run["stderr"])
            _save(project, result, args.label)
            first = False
            if run["exit_code"] == 0 and _NO_HOP.search(run["stdout"] + run["stderr"]):
                step["no_hop"] = True
                break
            hop = str(report["to"]) if new_report and report else None
            stopped = run["exit_code"] != 0 or (
                new_report and report is not None and report.get("status") != "done"
            )
            fixes = [c for c in project.changes if hop is not None and c.hop == hop]
            if not stopped:
                # a manual item the hop left open (it reports "done"): fix it on the hop's
                # branch before the next hop, as a user following the report would
                for change in fixes:
                    try:
                        _open_item(report if new_report else None, change)
                        _apply(root, change)
                    except NotNeeded as absent:
                        _not_needed(result, hop, change, absent)
                        continue
                    result["interventions"].append(
                        {
                            "hop": hop,
                            "description": change.description,
                            "plan_item": change.plan_item,
                            "after_done_hop": True,
                        }
                    )
                continue
            if args.diagnose_budget > 0 and new_report and report and _new_failing(report):
                step["diagnose"] = _diagnose(tool_command, root, env, args)
                step.setdefault("checks", {}).setdefault("c_rewrite_red", {})["diagnose"] = step[
                    "diagnose"
                ].get("rewrite_causes")
                _save(project, result, args.label)
            applied = []
            for change in fixes:
                try:
                    # a stopped hop too: an item its report no longer has open is the tool's
                    # (a codemod made the change), even where the change's pattern still matches
                    _open_item(report if new_report else None, change)
                    change.apply(root)
                except NotNeeded as absent:
                    _not_needed(result, hop, change, absent)
                else:
                    applied.append(change)
            if applied:
                for change in applied:
                    result["interventions"].append(
                        {
                            "hop": hop,
                            "description": change.description,
                            "plan_item": change.plan_item,
                        }
                    )
                again = ["--accept-failing"] if args.accept_failing_every_step else []
                cont = _run(
                    [*tool_command, "step", str(root), "--continue", *again],
                    root,
                    args.timeout,
                    env,
                )
                step["continue"] = {
                    k: _tail(v) if isinstance(v, str) else v for k, v in cont.items()
                }
                step["report"] = _latest_report(root)
                if step.get("checks"):  # what the hop did before the interventions
                    step["checks_before_fixes"] = step["checks"]
                check(step, cont["stdout"] + cont["stderr"])
                if cont["exit_code"] == 0 and (step["report"] or {}).get("status") == "done":
                    continue
            if hop is None:  # stopped before the hop wrote a report: its banner names it
                banners = re.findall(r"Django \S+ -> (\S+) on Python", run["stderr"])
                hop = banners[-1] if banners else None
            result["stopped"] = {
                "hop": hop,
                "target": target,
                "exit_code": run["exit_code"],
                "message": _tail(run["stderr"] or run["stdout"], 25),
            }
            _save(project, result, args.label)
            return result
    _save(project, result, args.label)
    return result


def _save(project: Project, result: dict[str, Any], label: str = "") -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / (f"{project.name}.{label}.json" if label else f"{project.name}.json")
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, indent=1, default=str) + "\n", encoding="utf-8")
    tmp.replace(path)


# -- the README table


def _counts(tests: dict[str, Any] | None) -> str:
    if not tests:
        return "-"
    text = f"{tests['passed']} passed"
    for key in ("failed", "errors", "skipped"):
        if tests.get(key):
            text += f", {tests[key]} {key}"
    return text


def _vs(after: dict[str, Any] | None, baseline: dict[str, Any] | None) -> str:
    if not after:
        return "no tests run"
    if not baseline:
        return _counts(after)
    new = sorted(_failing_ids(after) - _failing_ids(baseline))
    verdict = "= baseline" if not new and after["passed"] >= baseline["passed"] else ""
    if new:
        verdict = f"{len(new)} new failing"
    return f"{_counts(after)} ({verdict})" if verdict else _counts(after)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _older_chosen(report: dict[str, Any]) -> list[str]:
    """Dependencies whose chosen version is older than the current one (issue 17)."""
    older = []
    for dep in report.get("dependencies", []):
        current, chosen = dep.get("current"), dep.get("chosen")
        if not current or not chosen:
            continue
        try:
            cur = tuple(int(x) for x in re.findall(r"\d+", str(current))[:3])
            new = tuple(int(x) for x in re.findall(r"\d+", str(chosen))[:3])
        except ValueError:
            continue
        if new < cur:
            older.append(f"{dep['name']} {current}→{chosen}")
    return older


def _checks_cell(checks: dict[str, Any] | None) -> str:
    """Issue 17's three checks of a hop, as one note: (a) older than baseline, (b) blockers,
    (c) new failures through rewritten files."""
    if not checks:
        return ""
    notes = []
    older = checks.get("a_older_than_baseline")
    if older is not None:
        worse = sorted({*older.get("locked", []), *older.get("installed", [])})
        notes.append(
            "(a) " + (f"older than baseline: {', '.join(worse)}" if worse else "none older")
        )
    claims = checks.get("b_blockers")
    if claims is not None:
        shown = [f"{c['name']} on {c['django']}/py{c['python']}: {c['verdict']}" for c in claims]
        notes.append("(b) " + ("; ".join(shown) if shown else "no blocker claimed"))
    red = checks.get("c_rewrite_red")
    if red is not None:
        into = red.get("into_rewritten") or {}
        text = f"{len(into)} of {red.get('new_failing', 0)} new failing through rewritten files"
        if into:
            text += ": " + ", ".join(f"{t} ({', '.join(f)})" for t, f in sorted(into.items()))
        if red.get("diagnose") is not None:
            by_rewrite = red["diagnose"]
            text += "; `upgrader diagnose`: " + (
                "; ".join(
                    f"{len(c['tests'])} red by {', '.join(c['changes'])}"
                    + ("" if c.get("isolated") else " (not isolated)")
                    for c in by_rewrite
                )
                or "no failure caused by the rewrite"
            )
        if red.get("no_tests_ran_through"):
            text += "; no test ran, traceback through " + ", ".join(red["no_tests_ran_through"])
        notes.append("(c) " + text)
    return "; checks: " + "; ".join(notes)


def render() -> str:
    rows = []
    details = []
    for path in sorted(RESULTS.glob("*.json")):
        res = json.loads(path.read_text(encoding="utf-8"))
        proj = res["project"]
        plan_manual = _plan_manual(res.get("plan"))
        baseline = None
        hops = []
        for step in res["steps"]:
            report = step.get("report")
            if not report:
                continue
            if baseline is None:
                baseline = report.get("tests_before")
            manual = [f"{m['id']} {m['file']}:{m['line']}" for m in report.get("manual", [])]
            announced = plan_manual.get(str(report["to"]), [])
            older = _older_chosen(report)
            seconds = step["seconds"] + (step.get("continue") or {}).get("seconds", 0)
            hop = (
                f"**{report['from']}→{report['to']}** (py {report.get('python')}): "
                f"{_vs(report.get('tests_after'), baseline)}; {seconds:.0f} s; "
                f"{report.get('status')}"
            )
            if step.get("continue"):
                hop += f" after a manual fix and `step --continue` (first exit {step['exit_code']})"
            if manual or announced:
                hop += f"; manual open {len(manual)}, plan listed {len(announced)}"
            if older:
                hop += f"; chosen older than current: {', '.join(older)}"
            hop += _checks_cell(step.get("checks"))
            hops.append(hop)
        stop = res.get("stopped")
        if stop:
            where = stop.get("hop") or f"next hop toward {stop['target']}"
            # the stop's own words: an "error:" line, else what the step printed first
            printed = next(
                (
                    line.strip()
                    for step in reversed(res["steps"])
                    for line in step["stdout"].splitlines()
                    if line.strip() and step["exit_code"]
                ),
                "",
            )
            first_line = next(
                (
                    line.strip()
                    for line in stop["message"].splitlines()
                    if line.strip().startswith(("error", "Error"))
                ),
                printed or stop["message"].strip().splitlines()[-1],
            )
            cont = (res["steps"][-1] if res["steps"] else {}).get("continue")
            if cont:  # the stop is what `step --continue` said after the interventions
                said = [ln.strip() for ln in (cont["stdout"] or cont["stderr"]).splitlines()]
                first_line = " ".join(ln for ln in said[:4] if ln and not ln.startswith("Report"))
            if len(first_line) > 240:
                first_line = first_line[:240] + " …"
            last = res["steps"][-1] if res["steps"] else {}
            stop_checks = "" if last.get("report") else _checks_cell(last.get("checks"))
            hops.append(
                f"**stopped** at {where} (exit {stop['exit_code']}): `{first_line}`{stop_checks}"
            )
        elif res["steps"] and res["steps"][-1].get("no_hop"):
            hops.append("**reached the newest release**")
        plan_claims = res.get("plan_blocker_checks")
        if plan_claims:
            hops.append("plan" + _checks_cell({"b_blockers": plan_claims}))
        interventions = res.get("interventions", [])
        announced_all = " ".join(item for items in plan_manual.values() for item in items)
        listed = [
            i for i in interventions if i.get("plan_item") and i["plan_item"] in announced_all
        ]
        plan_note = (
            ""
            if res.get("plan")
            else (f" plan failed (exit {res.get('plan_run', {}).get('exit_code')})")
        )
        rows.append(
            "| "
            + " | ".join(
                _cell(x)
                for x in (
                    f"[{path.stem}](https://github.com/{proj['repo']})"
                    + (f" ({res['variant']})" if res.get("variant") else ""),
                    proj["commit"][:10] + f" ({proj['date']})",
                    proj["shape"]
                    + f"; {res.get('python_lines', '?')} lines of Python"
                    + "".join(
                        f"; {svc['version']} on {svc['port']} started by walk.py"
                        for svc in res.get("services") or ()
                    ),
                    _counts(baseline) if baseline else "not run",
                    "<br>".join(hops) or "no hop started",
                    f"{len(interventions)} ({len(listed)} listed by plan)"
                    + plan_note
                    + (
                        f"; {len(res['not_needed'])} of walk.py's not needed (the tool did them)"
                        if res.get("not_needed")
                        else ""
                    ),
                    f"{res['tool_commit']}, {res['date'][:16]}"
                    + f"; accept-failing: {res.get('accept_failing', 'every step')}",
                )
            )
            + " |"
        )
        if stop:
            details.append(
                f"### {proj['name']}: stopped at {stop.get('hop') or stop['target']}\n\n"
                f"```\n{stop['message']}\n```\n"
            )
    header = (
        "| project | commit | shape | baseline tests | hops (tests vs baseline, wall time, "
        "status) | manual interventions | tool commit, run (UTC) |\n"
        "| --- | --- | --- | --- | --- | --- | --- |"
    )
    return "\n".join([header, *rows]) + "\n\n" + "\n".join(details)


README_HEAD = """# Real-world walks

`walk.py` walks public Django 2.x projects that no one on this team wrote, at pinned commits, with
repeated `upgrader step` to 5.2 and then `upgrader step --to latest`, and records what happened
(issue 16). It is not a test and does not run in CI (network, hours of installs and test runs).

Command (from the repository root; `--mirror` reads local bare clones instead of GitHub):

    .venv/bin/python benchmarks/realworld/walk.py --mirror /work/.mirror --only NAME

Runs recorded from 2026-12-03 to 2026-12-06 (UTC), one row per run, each at the tool commit
shown: walk.py clones the tool's committed HEAD into `<workdir>/_tool-<commit>` and runs that
clone (so a row belongs to one commit while others edit the working tree; `--live` runs the
working tree). Only the first `upgrader step` gets `--accept-failing`, as a user with a red
baseline would run it: the tool stores the failures the first hop accepted and judges every
later hop against them (FINDINGS F1, fixed); `--accept-failing-every-step` passes it to every
step and `step --continue`, which is how the runs of 2026-12-03 were made (except
locallibrary.first-step-only); the "accept-failing" note in a row says which. Set-up
changes and fixes made during a walk are the "manual interventions"; each is declared in
`PROJECTS` in walk.py with what it does and why.

Each row is one run of the project at the tool commit shown; a project's newest run replaces
its earlier row (`results/<name>.json`: on 2026-12-04 djangox's and pretalx's rows of 2026-12-03,
which stopped on F5 and F14, both fixed since; in the evening of 2026-12-04 locallibrary's,
healthchecks', djangogirls' and simple-history's, re-walked without the set-up changes and fixes
the tool now makes itself: F3, F8, F10, F13), and runs worth keeping are kept as
`results/<name>.<label>.json`. "tests vs baseline" compares the
hop's run with the first hop's baseline run (the project's tests on its own Django, recorded with
`--accept-failing`); "new failing" counts test ids failing after the hop that did not fail in the
baseline. A stopped walk shows the stop; its full message is below the table, and the analysis
of each stop (cause in the tool, proposed fix) is in `FINDINGS.md`. Raw data: `results/*.json`.

Issue 17's "Done when", checked on each hop since 2026-12-04 (the "checks" note of a hop):
(a) every version in the hop's locked set (`.upgrader/constraints/django-X.Y.txt`) and in its
installed stage env (`uv pip freeze`) is compared with the first baseline's installed env; an
older one is listed; (b) each blocker the plan or the step claims (`blocked` entries, "no
dependency set works with Django X on Python Y: pkg") is tried with `uv pip compile` of that
package and `django~=X.Y.0` for `--python-version Y` (`setuptools<72` build cap for Python <= 3.8);
a resolution makes a "no release works" claim false, while a claim about the package's code
(an import of a removed API) is reported as not checkable by resolution; (c) the hop's new failing
tests whose innermost project frame is in a file the rewrite changed are listed, and a hop that
stops with new failing tests gets `upgrader diagnose` (bisection of the hop's dependency bumps
and rewrite files, re-running the failing tests) before any intervention, whose rewrite causes
are listed. The plan's blockers for every hop are checked the same way ("plan" line).

"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=None)
    parser.add_argument("--only", default="")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/upgrader-realworld"))
    parser.add_argument("--upgrader", default=str(REPO / ".venv" / "bin" / "upgrader"))
    parser.add_argument("--timeout", type=float, default=3600.0, help="per command, seconds")
    parser.add_argument(
        "--live", action="store_true", help="run --upgrader from the working tree as it is"
    )
    parser.add_argument(
        "--skip-change",
        default="",
        help="leave out the project's interventions whose description contains this text",
    )
    parser.add_argument(
        "--label", default="", help="write results/<name>.<label>.json (a variant run)"
    )
    parser.add_argument("--render", action="store_true", help="only rewrite README.md")
    parser.add_argument(
        "--diagnose-budget",
        type=float,
        default=600.0,
        help="seconds for `upgrader diagnose` on a hop that stops with new failing tests, before "
        "any intervention (issue 17 check (c)); 0 skips it",
    )
    parser.add_argument(
        "--accept-failing-every-step",
        action="store_true",
        help="pass --accept-failing to every step and `step --continue` (default: the first "
        "step only; the tool remembers the failures the first hop accepted, FINDINGS F1)",
    )
    args = parser.parse_args()
    if not args.render:
        names = {n.strip() for n in args.only.split(",") if n.strip()}
        chosen = [p for p in PROJECTS if not names or p.name in names]
        unknown = names - {p.name for p in PROJECTS}
        if unknown:
            parser.error(f"unknown project(s): {', '.join(sorted(unknown))}")
        for project in chosen:
            print(f"== {project.name} ({project.repo} @ {project.commit[:10]})", flush=True)
            result = walk(project, args)
            print(json.dumps(result.get("stopped") or "walk finished", indent=1), flush=True)
    README.write_text(README_HEAD + render(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
