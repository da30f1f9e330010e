"""The house: no import circle in ``upgrader/`` and ``codemods/``, and no module grows past ~600 lines.

The import graph is read from the source with ``ast`` (nothing is imported): every ``import`` and
``from ... import`` statement anywhere in a module (top level, inside functions, and under
``if TYPE_CHECKING:``: a type a module needs is a dependency on the module defining it, and a
circle through annotations is the same knot in the design), relative imports resolved against
the importing module's package. An edge goes to the module named: ``from a.b import c`` is an edge
to ``a.b.c`` when that is a module, else to ``a.b`` (the name ``c`` defined there); ``import a.b``
is an edge to ``a.b``. The packages above the target (whose ``__init__`` Python runs first) get no
edge of their own, as in import-linter: otherwise every ``__init__`` that imports its own
submodules would make a circle with each of them. Imports of anything outside the two packages
are ignored.

A circle is a strongly connected component of more than one module; a failure prints its
modules, one shortest cycle through it, and every edge inside it with the names that tie it.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("upgrader", "codemods")

# Modules over MAX_LINES that are data tables, not code: exempt.
DATA_TABLES = frozenset({"upgrader/findings/catalogue.py"})
MAX_LINES = 600
# Today's over-size modules with their line counts when listed: split them, then trim the list
# (an entry no longer over MAX_LINES fails the test, so the list only shrinks).
KNOWN_LARGE: dict[str, int] = {}


@dataclass
class Edge:
    """``source`` imports ``target``: per statement (line, ``from x import``), the names tying them."""

    statements: dict[tuple[int, str], list[str]] = field(default_factory=dict)

    def ties(self) -> list[str]:
        return [
            f"line {line}: {statement} {', '.join(names)}"
            for (line, statement), names in sorted(self.statements.items())
        ]


Graph = dict[str, dict[str, Edge]]


def module_files(root: Path = ROOT, packages: Iterable[str] = PACKAGES) -> dict[str, Path]:
    """Dotted module name -> its file, for every ``.py`` under ``packages``."""
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _base_module(module: str, is_package: bool, level: int, name: str | None) -> str:
    """The module a ``from`` import with ``level`` dots in ``module`` names."""
    if level == 0:
        return name or ""
    parts = module.split(".") if is_package else module.split(".")[:-1]
    parts = parts[: len(parts) - (level - 1)] if level > 1 else parts
    return ".".join([*parts, name] if name else parts)


def imports_of(module: str, path: Path, known: Mapping[str, Path]) -> dict[str, Edge]:
    """The modules of ``known`` that ``module`` imports, with the names tying each edge."""
    edges: dict[str, Edge] = {}

    def add(target: str, line: int, statement: str, name: str) -> None:
        if target != module:
            edge = edges.setdefault(target, Edge())
            edge.statements.setdefault((line, statement), []).append(name)

    tree = ast.parse(path.read_bytes(), filename=str(path))
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    add(alias.name, node.lineno, "import", alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = _base_module(module, is_package, node.level, node.module)
            statement = f"from {'.' * node.level}{node.module or ''} import"
            for alias in node.names:
                if f"{base}.{alias.name}" in known:
                    add(f"{base}.{alias.name}", node.lineno, statement, alias.name)
                elif base in known:
                    add(base, node.lineno, statement, alias.name)
    return edges


def import_graph(known: Mapping[str, Path] | None = None) -> Graph:
    known = module_files() if known is None else known
    return {module: imports_of(module, path, known) for module, path in known.items()}


@cache
def house_graph() -> Graph:
    """The graph of ``upgrader/`` and ``codemods/``, parsed once per test session."""
    return import_graph()


def restricted(graph: Graph, prefix: str) -> Graph:
    """The subgraph of the modules of package ``prefix`` alone."""

    def inside(module: str) -> bool:
        return module == prefix or module.startswith(prefix + ".")

    return {
        module: {target: edge for target, edge in edges.items() if inside(target)}
        for module, edges in graph.items()
        if inside(module)
    }


def circles(graph: Graph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def shortest_cycle(graph: Graph, members: list[str]) -> list[str]:
    """A shortest cycle from ``members[0]`` back to itself, inside ``members``."""
    start, inside = members[0], set(members)
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target in sorted(graph[node]):
            if target not in inside:
                continue
            if target == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if target not in previous:
                previous[target] = node
                queue.append(target)
    return [start]


def describe(graph: Graph, found: list[list[str]]) -> str:
    """Each circle: its modules, a shortest cycle, and every edge inside it with its ties."""
    lines: list[str] = []
    for members in found:
        inside = set(members)
        lines.append(f"circle of {len(members)} modules: {', '.join(members)}")
        lines.append("  a shortest cycle: " + " -> ".join(shortest_cycle(graph, members)))
        for source in members:
            for target, edge in sorted(graph[source].items()):
                if target in inside:
                    lines.append(f"  {source} -> {target}: {'; '.join(edge.ties())}")
    return "\n".join(lines)


# --- the graph code on tiny packages: it finds what is there, and nothing else ----------------


def _write(root: Path, files: Mapping[str, str]) -> dict[str, Path]:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return module_files(root, ("pkg",))


def test_graph_resolves_relative_type_checking_and_function_imports(tmp_path: Path) -> None:
    known = _write(
        tmp_path,
        {
            "pkg/__init__.py": "from . import a\n",
            "pkg/a.py": "from .sub import b\nimport os\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/b.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from ..c import Thing\n"
                "def f():\n    import pkg.a\n"
            ),
            "pkg/c.py": "from pkg.sub.b import f as g\n",
        },
    )
    graph = import_graph(known)
    assert {module: sorted(edges) for module, edges in graph.items()} == {
        "pkg": ["pkg.a"],
        "pkg.a": ["pkg.sub.b"],
        "pkg.sub": [],
        "pkg.sub.b": ["pkg.a", "pkg.c"],
        "pkg.c": ["pkg.sub.b"],
    }
    assert graph["pkg.sub.b"]["pkg.c"].ties() == ["line 3: from ..c import Thing"]
    assert circles(graph) == [["pkg.a", "pkg.c", "pkg.sub.b"]]


def test_describe_names_the_cycle_and_the_ties(tmp_path: Path) -> None:
    graph = import_graph(
        _write(
            tmp_path,
            {
                "pkg/__init__.py": "",
                "pkg/x.py": "from pkg.y import Y, Z\n",
                "pkg/y.py": "X = 1\nfrom pkg import x\nimport pkg.x\n",
                "pkg/z.py": "from pkg import x\n",
            },
        )
    )
    assert describe(graph, circles(graph)) == (
        "circle of 2 modules: pkg.x, pkg.y\n"
        "  a shortest cycle: pkg.x -> pkg.y -> pkg.x\n"
        "  pkg.x -> pkg.y: line 1: from pkg.y import Y, Z\n"
        "  pkg.y -> pkg.x: line 2: from pkg import x; line 3: import pkg.x"
    )
    assert circles(restricted(graph, "pkg.z")) == []


# --- the house itself -------------------------------------------------------------------------


def test_no_import_circle() -> None:
    graph = house_graph()
    found = circles(graph)
    assert not found, describe(graph, found)


@pytest.mark.parametrize(
    "package",
    [
        "upgrader.findings",
        "upgrader.detect",
        "codemods",
        "upgrader.verify",
    ],
)
def test_no_circle_inside_a_package(package: str) -> None:
    graph = restricted(house_graph(), package)
    assert len(graph) > 1
    found = circles(graph)
    assert not found, describe(graph, found)


def test_module_sizes() -> None:
    sizes = {
        path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in module_files().values()
    }
    over = {name for name, lines in sizes.items() if lines > MAX_LINES}
    unlisted = {name: sizes[name] for name in sorted(over - DATA_TABLES - set(KNOWN_LARGE))}
    assert not unlisted, f"modules over {MAX_LINES} lines, split them by what they do: {unlisted}"
    shrunk = {name: sizes.get(name) for name in sorted(set(KNOWN_LARGE) - over)}
    assert not shrunk, (
        f"no longer over {MAX_LINES} lines (or gone), drop from KNOWN_LARGE: {shrunk}"
    )
    assert over >= DATA_TABLES
