"""``Pipfile`` and the lock files (``Pipfile.lock``, ``poetry.lock``, ``uv.lock``: exact versions)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from upgrader.detect.requirements.declared import Collector
from upgrader.detect.requirements.pyproject import key_line, source_line, string_list
from upgrader.detect.sources import line_of


def _toml_file(collector: Collector, path: Path) -> tuple[dict[str, Any], str] | None:
    """``path`` parsed and as text, counted as consulted, and as used when it parses."""
    collector.consulted.add(path)
    data = collector.reader.toml(path)
    text = collector.reader.text(path)
    if data is None or text is None:
        return None
    collector.used(path)
    return data, text


def read_pipfile(collector: Collector, root: Path) -> None:
    path = root / "Pipfile"
    loaded = _toml_file(collector, path)
    if loaded is None:
        return
    data, text = loaded
    for section, detail in (("packages", ""), ("dev-packages", "dev-packages")):
        table = data.get(section)
        if not isinstance(table, dict):
            continue
        for name, value in table.items():
            line = key_line(text, section, name)
            raw = source_line(text, line) or f"{name} = {value!r}"
            spec_table: dict[str, Any] = value if isinstance(value, dict) else {"version": value}
            extras = string_list(spec_table.get("extras"))
            marker = spec_table.get("markers")
            marker = marker if isinstance(marker, str) else None
            direct = next((spec_table[k] for k in ("git", "path", "file") if k in spec_table), None)
            if isinstance(direct, str):
                kind = "editable" if spec_table.get("editable") else "url"
                collector.add(name, "", path, line, kind, raw, extras=extras, url=direct)
                continue
            version = spec_table.get("version", "*")
            specifier = "" if version in ("*", "") or not isinstance(version, str) else version
            collector.add(
                name,
                specifier,
                path,
                line,
                "pipfile",
                raw,
                extras=extras,
                marker=marker,
                detail=detail,
            )


def read_pipfile_lock(collector: Collector, root: Path) -> None:
    path = root / "Pipfile.lock"
    collector.consulted.add(path)
    data = collector.reader.json(path)
    text = collector.reader.text(path)
    if not isinstance(data, dict) or text is None:
        return
    collector.used(path)
    for section in ("default", "develop"):
        table = data.get(section)
        if not isinstance(table, dict):
            continue
        for name, value in table.items():
            if not isinstance(value, dict):
                continue
            line = line_of(text, rf'^\s*"{re.escape(name)}"\s*:')
            detail = "develop" if section == "develop" else ""
            version = value.get("version")
            if isinstance(version, str):
                raw = f"{name}{version}"
                collector.add(name, version, path, line, "pipfile.lock", raw, detail=detail)


def read_toml_lock(collector: Collector, root: Path, filename: str, kind: str) -> None:
    path = root / filename
    loaded = _toml_file(collector, path)
    if loaded is None:
        return
    data, text = loaded
    packages = data.get("package")
    for package in packages if isinstance(packages, list) else []:
        if not isinstance(package, dict):
            continue
        name, version = package.get("name"), package.get("version")
        source = package.get("source")
        if isinstance(source, dict) and {"editable", "virtual"} & set(source):
            continue  # the project itself, not a locked dependency
        if isinstance(name, str) and isinstance(version, str):
            line = line_of(text, rf'^name\s*=\s*"{re.escape(name)}"\s*$')
            collector.add(name, f"=={version}", path, line, kind, f"{name}=={version}")
