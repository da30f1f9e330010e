"""Match a deprecation warning captured at run time to the catalogue entry it is about.

``verify`` captures warnings such as ``RemovedInDjango40Warning: django.utils.translation.
ugettext() is deprecated in favor of gettext()``; :func:`catalogue_id` says which entry the plan
already knew it as (``"ugettext"``), so the report can tell the warnings the plan predicted from
the new ones.

The signatures of an entry are the names its static detectors look for (the qualified names and
modules of ``python_tables``, its removed keyword arguments and methods, the settings and dotted
paths of ``settings_file``) plus the entry's ``warning`` pattern for warnings that name no API
(a changed default, runtime state). A message matches an entry when it mentions one of them as a
whole identifier (dotted, or its last component for a qualified name); when the warning's
category names the removing release, only entries removed in that release count. The longest
signature wins, so ``ugettext_lazy`` is not taken for ``ugettext``.
"""

from __future__ import annotations

import re
from functools import cache

from packaging.version import InvalidVersion, Version

from upgrader.findings import python_tables, settings_file
from upgrader.findings.catalogue import all_deprecations, get

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


@cache
def _signatures() -> dict[str, frozenset[str]]:
    """Identifier -> the ids it may stand for."""
    found: dict[str, set[str]] = {}

    def add(signature: str, deprecation_id: str) -> None:
        found.setdefault(signature, set()).add(deprecation_id)

    for qualified, deprecation_id in python_tables.NAMES.items():
        add(qualified, deprecation_id)
        last = qualified.rpartition(".")[2]
        if not last.isupper() or len(last) > 3:  # settings names count; "utc" alone does not
            add(last, deprecation_id)
    for module, deprecation_id in python_tables.MODULES.items():
        add(module, deprecation_id)
    for (callee, keyword), deprecation_id in python_tables.REMOVED_KEYWORDS.items():
        add(keyword, deprecation_id)
        add(callee.rpartition(".")[2], deprecation_id)
    for method, deprecation_id in python_tables.REMOVED_METHODS.items():
        add(method, deprecation_id)
    for setting, deprecation_id in settings_file.REMOVED_SETTINGS.items():
        add(setting, deprecation_id)
    for path, deprecation_id in settings_file.REMOVED_PATHS.items():
        add(path, deprecation_id)
        add(path.rpartition(".")[2], deprecation_id)
    return {key: frozenset(value) for key, value in found.items()}


def _same_release(deprecation_id: str, removed_in: Version | None) -> bool:
    return removed_in is None or get(deprecation_id).removed_version == removed_in


def catalogue_id(message: str, removed_in: str | None = None) -> str | None:
    """The catalogue id the warning ``message`` is about; None when it matches none (or two
    equally well). ``removed_in``: the release the warning's category names ("4.0")."""
    try:
        release = Version(removed_in) if removed_in else None
    except InvalidVersion:
        release = None
    for entry in all_deprecations():
        if entry.warning and re.search(entry.warning, message) and _same_release(entry.id, release):
            return entry.id
    signatures = _signatures()
    best: tuple[int, frozenset[str]] | None = None
    for match in _IDENTIFIER.finditer(message):
        token = match.group(0).rstrip(".")
        for candidate in {token, token.rpartition(".")[2]}:
            ids = frozenset(i for i in signatures.get(candidate, ()) if _same_release(i, release))
            if ids and (best is None or len(candidate) > best[0]):
                best = (len(candidate), ids)
            elif ids and best is not None and len(candidate) == best[0]:
                best = (best[0], best[1] | ids)
    if best is None or len(best[1]) != 1:
        return None
    return next(iter(best[1]))
