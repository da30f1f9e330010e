"""``setup.py`` (its ``setup(...)`` call read with ``ast``, never run) and ``setup.cfg``:
``install_requires``, ``extras_require``, and ``tests_require`` apart (``read_tests_require``)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from upgrader.detect.requirements.declared import Collector, DeclaredRequirement
from upgrader.detect.requirements.requirements_txt import read_requirements_files
from upgrader.detect.sources import ProjectReader, line_of, module_bindings


def _is_setup_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "setup") or (
        isinstance(func, ast.Attribute) and func.attr == "setup"
    )


def _literal_strings(
    node: ast.expr | None, bindings: dict[str, ast.expr], depth: int = 0
) -> list[ast.Constant]:
    """The string constants ``node`` stands for: a literal, a list or tuple of them, a
    module-level name bound to one (``install_requires = [...]``, an item such as
    ``sorl_thumbnail_version``), or ``base + [...]``; anything computed is left out."""
    if depth > 8:  # a name bound to itself through others
        return []
    if isinstance(node, ast.Name) and node.id in bindings:
        return _literal_strings(bindings[node.id], bindings, depth + 1)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [c for e in node.elts for c in _literal_strings(e, bindings, depth + 1)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [
            *_literal_strings(node.left, bindings, depth + 1),
            *_literal_strings(node.right, bindings, depth + 1),
        ]
    return []


def read_setup_py(collector: Collector, root: Path) -> None:
    path = root / "setup.py"
    collector.consulted.add(path)
    tree = collector.reader.python(path)
    if tree is None:
        return
    bindings = module_bindings(tree)
    for call in (n for n in ast.walk(tree) if _is_setup_call(n)):
        assert isinstance(call, ast.Call)
        collector.used(path)
        for keyword in call.keywords:
            if keyword.arg == "install_requires":
                groups: list[tuple[str, ast.expr | None]] = [("", keyword.value)]
            elif keyword.arg == "extras_require":
                value = keyword.value
                if isinstance(value, ast.Name):
                    value = bindings.get(value.id, value)
                if not isinstance(value, ast.Dict):
                    continue
                groups = [
                    (f"extras_require: {k.value}", v)
                    for k, v in zip(value.keys, value.values, strict=True)
                    if isinstance(k, ast.Constant) and isinstance(k.value, str)
                ]
            else:
                continue
            for detail, node in groups:
                for constant in _literal_strings(node, bindings):
                    for offset, raw in enumerate(str(constant.value).splitlines()):
                        raw = raw.split("#")[0].strip()
                        if raw:
                            line = constant.lineno + offset
                            collector.add_pep508(raw, path, line, "setup.py", detail)


def read_tests_require(
    root: Path, *, reader: ProjectReader | None = None
) -> tuple[DeclaredRequirement, ...]:
    """What ``setup.py`` ``tests_require`` (or ``setup.cfg`` ``[options] tests_require``) names:
    a reusable app's test requirements, kind ``tests_require``; not part of ``read_declared``
    (they are no dependency of the package, and their Django line is the stage's to choose)."""
    reader = reader if reader is not None else ProjectReader(root)
    collector = Collector(reader)
    path = reader.root / "setup.py"
    tree = reader.python(path) if path.is_file() else None
    if tree is not None:
        bindings = module_bindings(tree)
        for call in (n for n in ast.walk(tree) if _is_setup_call(n)):
            assert isinstance(call, ast.Call)
            for keyword in call.keywords:
                if keyword.arg != "tests_require":
                    continue
                for constant in _literal_strings(keyword.value, bindings):
                    for offset, raw in enumerate(str(constant.value).splitlines()):
                        raw = raw.split("#")[0].strip()
                        if raw:
                            line = constant.lineno + offset
                            collector.add_pep508(raw, path, line, "tests_require", "tests_require")
    cfg = reader.root / "setup.cfg"
    parser = reader.ini(cfg) if cfg.is_file() else None
    text = reader.text(cfg) if parser is not None else None
    if parser is not None and text is not None and parser.has_option("options", "tests_require"):
        for item in parser.get("options", "tests_require").splitlines():
            raw = item.split(" #")[0].strip()
            if raw and not raw.startswith("#"):
                collector.add_pep508(
                    raw, cfg, line_of(text, re.escape(raw)), "tests_require", "tests_require"
                )
    return tuple(collector.found)


def read_setup_cfg(collector: Collector, root: Path) -> None:
    path = root / "setup.cfg"
    collector.consulted.add(path)
    parser = collector.reader.ini(path)
    text = collector.reader.text(path)
    if parser is None or text is None:
        return
    sections: list[tuple[str, str, str]] = []
    if parser.has_option("options", "install_requires"):
        sections.append(("", "options", "install_requires"))
    if parser.has_section("options.extras_require"):
        for extra in parser.options("options.extras_require"):
            sections.append((f"extras_require: {extra}", "options.extras_require", extra))
    for detail, section, option in sections:
        collector.used(path)
        value = parser.get(section, option)
        if value.strip().startswith("file:"):
            files = [root / f.strip() for f in value.strip()[5:].split(",") if f.strip()]
            read_requirements_files(collector, files)
            continue
        for item in value.splitlines():
            raw = item.split(" #")[0].strip()
            if raw and not raw.startswith("#"):
                line = line_of(text, re.escape(raw))
                collector.add_pep508(raw, path, line, "setup.cfg", detail)
