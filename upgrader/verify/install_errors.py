"""Why a stage's dependencies did not install, read from the installer's output: the package and the fix.

``explain_install_failure(text)`` reads the log of a failed ``install_deps`` phase (uv through
tox-uv, or pip) and returns an ``InstallFailure`` naming the package that failed and what to do,
each hint valid ``[tool.upgrader]`` input; None when the log shows none of the known causes (the
caller then says "read the end of the log"). ``build_failure(text)`` is the same for a resolver's
output, only when a package failed to build or be fetched (a conflict is not one). Known causes:

- a VCS requirement that cannot be fetched (``git+https://`` behind a login, or gone):
  ``replace-requirements`` maps it to a release on the index (or to ``""`` to leave it out);
- an sdist whose ``setup.py`` needs an older setuptools (``use_2to3``, ``setuptools.command.test``,
  ``pkg_resources``): ``build-constraints``;
- an sdist that needs a system library (``pg_config``, ``mysql_config``, a C header): the package
  to install, or a binary-wheel replacement;
- a release whose metadata new pip rejects (celery 4.4.7's ``pytz>dev``): install with uv (tox-uv,
  the default) instead of pip;
- a pinned version the index does not have, or a set with no solution: the requirement named;
- a package with no file uploaded before the baseline's cut-off (uv's ``exclude-newer`` hint):
  pin it exactly (exact pins are exempt from the cut-off);
- otherwise the installer's last ``error:`` line, quoted.

tox's own lines about rebuilding the environment (``recreate env because requirements removed:
X``, written when the pins changed) are not the error and are never quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["InstallFailure", "build_failure", "explain_install_failure"]


@dataclass(frozen=True)
class InstallFailure:
    """What did not install, and how to fix it."""

    package: str | None  # the requirement as the installer named it, e.g. "anyjson==0.3.3"
    cause: str  # one line: "its setup.py needs setuptools < 58 (use_2to3)"
    hint: str  # what to do, with valid [tool.upgrader] input


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# uv: "error: Failed to download and build `name @ git+https://...`", "Failed to build `x==1`"
_UV_FAILED = re.compile(
    r"Failed to (?:download and build|build|download|prepare distributions)[:\s]*`(?P<req>[^`]+)`"
)
# pip: "Collecting foo@ git+https://...", "Building wheel for anyjson (setup.py) ... error"
_PIP_BUILD = re.compile(
    r"(?:Building wheel for|Running setup\.py install for|Getting requirements to build wheel"
    r" did not run successfully.*?for) (?P<req>[A-Za-z0-9][\w.-]*)"
)
_PIP_COLLECTING = re.compile(r"^Collecting (?P<req>\S+(?: @ \S+)?)", re.MULTILINE)
_VCS = re.compile(r"(?P<url>(?:git|hg|svn|bzr)\+[a-z]+://\S+?)(?=[`'\"\s]|$)")
_GIT_FAILED = re.compile(
    r"Git operation failed|failed to clone into|fatal: (?:unable to access|could not read|"
    r"repository .* not found|Authentication failed)|Could not resolve host|"
    r"did not run successfully.*git clone|Cloning .* failed",
    re.IGNORECASE,
)
_NAME = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)")
_BUILD_CAPS = (
    (
        re.compile(r"use_2to3 is invalid|use_2to3\b"),
        "setuptools<58",
        "use_2to3, gone in setuptools 58",
    ),
    (
        re.compile(
            r"No module named ['\"]?setuptools\.command\.test|cannot import name ['\"]test['\"] "
            r"from ['\"]setuptools\.command"
        ),
        "setuptools<72",
        "setuptools.command.test, gone in setuptools 72",
    ),
    (
        re.compile(r"cannot import name ['\"]convert_path['\"] from ['\"]setuptools['\"]"),
        "setuptools<70",
        "setuptools.convert_path, gone from recent setuptools",
    ),
    (
        re.compile(r"No module named ['\"]?pkg_resources"),
        "setuptools<81",
        "pkg_resources, gone from recent setuptools",
    ),
    (
        re.compile(r"No module named ['\"]?distutils"),
        "setuptools<60",
        "distutils, gone from Python 3.12",
    ),
)
_SYSTEM = (
    (
        re.compile(r"pg_config executable not found|pg_config is required"),
        "PostgreSQL's client library (pg_config)",
        "Install it (Debian: `apt-get install libpq-dev`), or use the binary wheel: "
        '[tool.upgrader] replace-requirements = {"psycopg2" = "psycopg2-binary"}.',
    ),
    (
        re.compile(
            r"mysql_config(?:: | )not found|mysql_config.*No such file|"
            r"Can not find valid pkg-config name"
        ),
        "MySQL's client library (mysql_config)",
        "Install it (Debian: `apt-get install default-libmysqlclient-dev pkg-config`); if only "
        "an extra of the project needs it, leave that extra out: [tool.upgrader] extras = "
        '["test"].',
    ),
    (
        re.compile(r"fatal error: (?P<header>[\w/.+-]+\.h): No such file"),
        "a C header",
        "Install the system package that provides it, or pin a release of the package with a "
        "wheel for this Python.",
    ),
)
_INVALID_METADATA = re.compile(
    r"Ignoring version (?P<version>\S+) of (?P<name>\S+) since it has invalid metadata|"
    r"(?P<req>\S+) has invalid metadata",
)
_NO_VERSION = re.compile(
    r"Because there is no version of (?P<uv>[^\s,]+)|"
    r"No matching distribution found for (?P<pip>\S+)|"
    r"Because (?P<missing>[^\s,]+) was not found in the package registry"
)
# uv's hint: "`atomicwrites` was filtered by `exclude-newer` to only include packages uploaded
# before 2020-03-01T00:00:00Z. The latest version satisfying the requirement is v1.4.1, ..."
_FILTERED = re.compile(
    r"`(?P<name>[A-Za-z0-9][\w.-]*)` was filtered by `exclude-newer` to only include packages "
    r"uploaded before (?P<cutoff>\S+)(?:\s+The latest version satisfying the requirement is "
    r"v?(?P<latest>[^\s,]+?)[,.]?\s)?"
)
_NO_SOLUTION = re.compile(r"No solution found when resolving dependencies|ResolutionImpossible")
# uv: "  cause: Because you require django==5.2.* and django<5, we can conclude that ...";
# pip: "The conflict is caused by:" and the requirements on the lines below.
_CAUSE = re.compile(r"(?:\bcause:|\bBecause\b|The conflict is caused by:\n)\s*(?P<line>.+)")
# The installer's own error line, when none of the known causes is recognised.
_ERROR_LINE = re.compile(r"^(?:error|ERROR): (?P<line>.+)$", re.MULTILINE)
_SAYS_NOTHING = frozenset({"subprocess-exited-with-error"})
# tox's own word on why it rebuilt the env ("django52: recreate env because requirements
# removed: sqlparse") is not the installer's error: it is dropped before reading the output.
_TOX_RECREATE = re.compile(
    r"^\s*[\w.-]+: (?:recreate env because|remove tox env folder)\b.*\n?", re.MULTILINE
)


def _failed_requirement(text: str) -> str | None:
    found = _UV_FAILED.findall(text)
    if found:
        return str(found[-1])
    built = _PIP_BUILD.findall(text)
    return str(built[-1]) if built else None


def _name(requirement: str) -> str:
    match = _NAME.match(requirement.strip())
    return match["name"] if match else requirement


def explain_install_failure(text: str) -> InstallFailure | None:
    """The cause of a failed install in the installer's output ``text``; None when unknown."""
    text = _TOX_RECREATE.sub("", _ANSI.sub("", text))
    failed = _failed_requirement(text)

    if _GIT_FAILED.search(text):
        vcs = _VCS.search(failed or "") or _VCS.search(text)
        if vcs is not None:
            url = vcs["url"]
            requirement = failed
            if requirement is None:
                collecting = [r for r in _PIP_COLLECTING.findall(text) if url in r]
                requirement = collecting[-1] if collecting else url
            named = " @ " in requirement or "#egg=" in url
            name = _name(requirement) if " @ " in requirement else url.rpartition("#egg=")[2]
            key = name if named else url
            hint = (
                "Make the repository reachable (credentials, VPN), or map the requirement to a "
                f'release on the index: [tool.upgrader] replace-requirements = {{"{key}" = '
                f'"{name if named else "package"}==X.Y"}} (or = "" to leave it out).'
            )
            return InstallFailure(requirement, f"{url} cannot be fetched", hint)

    for pattern, cap, why in _BUILD_CAPS:
        if pattern.search(text):
            package = failed or "an sdist"
            return InstallFailure(
                failed,
                f"{package} does not build with today's setuptools: its setup.py needs {why}",
                f'Cap the build tools: [tool.upgrader] build-constraints = ["{cap}"], or pin a '
                f"release of {_name(package)} that ships a wheel for this Python.",
            )

    for pattern, library, fix in _SYSTEM:
        match = pattern.search(text)
        if match:
            what = library
            if "header" in pattern.groupindex and match["header"]:
                what = f"{library} ({match['header']})"
            package = failed or "a package"
            return InstallFailure(failed, f"{package} needs {what} to build", fix)

    invalid = _INVALID_METADATA.search(text)
    if invalid:
        package = f"{invalid['name']}=={invalid['version']}" if invalid["name"] else invalid["req"]
        return InstallFailure(
            package,
            f"pip rejects the metadata of {package} (pip >= 24.1 refuses old releases' "
            "invalid requirement specifiers, e.g. celery 4.4.7's pytz>dev)",
            "Install with uv: upgrader's default install has tox-uv, which makes and fills "
            "the stage's environments with uv (`pip install upgrader` brings it; do not pass "
            "--runner virtualenv).",
        )

    filtered = _FILTERED.search(text)
    if filtered and not _NO_VERSION.search(text):
        # An unpinned package (often another's dependency: pytest 4 needs atomicwrites) with no
        # file uploaded before the cut-off; uv names the newest release that fits.
        name, latest = filtered["name"], filtered["latest"]
        pin = f"{name}=={latest}" if latest else f"{name}==X.Y"
        return InstallFailure(
            name,
            f"no release of {name} was uploaded before the baseline's cut-off "
            f"({filtered['cutoff'].rstrip('.')}, the last change to the project's dependency "
            "files): its files were uploaded later (re-uploaded since, or newer than the project)",
            f"Pin it exactly in the project's requirements ({pin}; exact pins install whenever "
            "uploaded), then run `upgrader verify` again.",
        )
    missing = _NO_VERSION.search(text)
    if missing:
        requirement = missing["uv"] or missing["pip"] or missing["missing"]
        cutoff = re.search(
            r"filtered by `exclude-newer` to only include packages uploaded before (\S+)", text
        )
        if cutoff:
            return InstallFailure(
                requirement,
                f"{requirement} is newer than the baseline's cut-off ({cutoff[1].rstrip('.')}, the "
                "last change to the project's dependency files)",
                f"Pin {_name(requirement)} exactly in the project's requirements (exact pins "
                "install whenever uploaded), then run `upgrader verify` again.",
            )
        return InstallFailure(
            requirement,
            f"the index has no release matching {requirement}",
            f"Check the name and version of {_name(requirement)}; for a package from a private "
            "index, set UV_INDEX_URL (uv) or PIP_INDEX_URL (pip) in your environment; to replace "
            f'it: [tool.upgrader] replace-requirements = {{"{_name(requirement)}" = '
            f'"{_name(requirement)}==X.Y"}}.',
        )
    solution = _NO_SOLUTION.search(text)
    if solution:
        cause = _CAUSE.search(text, solution.end())
        return InstallFailure(
            None,
            "the stage's requirements conflict" + (f": {cause['line'].strip()}" if cause else ""),
            "Loosen or change one of the requirements the installer names, then run "
            "`upgrader verify` again.",
        )
    if failed:
        return InstallFailure(
            failed,
            f"{failed} failed to build",
            "Read the build's output in the log; an old setup.py often needs older build tools: "
            '[tool.upgrader] build-constraints = ["setuptools<58"].',
        )
    said = [m["line"].strip() for m in _ERROR_LINE.finditer(text)]
    said = [line for line in said if line not in _SAYS_NOTHING]
    if said:
        return InstallFailure(
            None,
            f"the installer says: {said[-1]}",
            "Read the installer's output at the end of the log; fix the stage's requirements "
            "(or the constraints file) and run `upgrader verify` again.",
        )
    return None


def build_failure(text: str) -> InstallFailure | None:
    """The package that failed to build (or to be fetched) in a resolver's or installer's output
    ``text``, with the cause and the fix; None when nothing failed to build (a conflict, a
    missing release): the resolver's "no set works" is then the right word."""
    text = _ANSI.sub("", text)
    if _failed_requirement(text) is None:
        return None
    return explain_install_failure(text)
