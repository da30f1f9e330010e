"""Declared requirements built by hand, as ``upgrader.detect.requirements.read_declared`` makes them."""

from __future__ import annotations

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from upgrader.detect.requirements import DeclaredRequirement
from upgrader.project import Evidence


def declared(
    raw: str, *, file: str = "requirements.txt", line: int = 1, kind: str = "requirements"
) -> DeclaredRequirement:
    req = Requirement(raw)
    return DeclaredRequirement(
        name=canonicalize_name(req.name),
        specifier=str(req.specifier),
        extras=tuple(sorted(req.extras)),
        marker=str(req.marker) if req.marker else None,
        evidence=Evidence(file, line),
        kind=kind,
        raw=raw,
    )
