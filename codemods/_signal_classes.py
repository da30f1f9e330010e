"""The project's ``django.dispatch.Signal`` subclasses, read with ``ast`` (no libcst).

Used by the rule ``signal_providing_args`` and by the rewrite engine, which reads them over
every Python file of the project before any file is rewritten (also when every file is a cache
hit: this module must stay importable without libcst and the rule modules).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Mapping
from pathlib import PurePosixPath

from codemods._python_ast import ast_dotted_name, import_targets, parse_ast

SIGNAL = frozenset({"django.dispatch.Signal", "django.dispatch.dispatcher.Signal"})


def signal_subclasses(
    tree: ast.Module, signals: Mapping[str, bool] | None = None
) -> dict[str, bool]:
    """Module-level classes built on ``Signal`` or one of ``signals`` (qualified name -> defines
    ``__init__``), directly or through each other -> whether the class, or a base it is built
    on, defines ``__init__``."""
    known = {**dict.fromkeys(SIGNAL, False), **(signals or {})}
    targets = import_targets(tree)
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    found: dict[str, bool] = {}
    changed = True
    while changed:
        changed = False
        for node in classes:
            if node.name in found:
                continue
            for base in node.bases:
                dotted = ast_dotted_name(base)
                if dotted is None:
                    continue
                root, dot, rest = dotted.partition(".")
                bases = [f"{target}{dot}{rest}" for target in targets.get(root, ())]
                inherited = [found[dotted]] if dotted in found else []
                inherited += [known[q] for q in bases if q in known]
                if inherited:
                    found[node.name] = any(inherited) or any(
                        isinstance(stmt, ast.FunctionDef) and stmt.name == "__init__"
                        for stmt in node.body
                    )
                    changed = True
                    break
    return found


def module_name(rel: str, is_package: Callable[[PurePosixPath], bool]) -> str:
    """The dotted module name of the file at ``rel`` (posix, relative to the project root):
    from the outermost folder of its chain of packages (``is_package(folder)``: the folder has
    an ``__init__.py``), so ``src/pkg/mod.py`` is ``pkg.mod``."""
    path = PurePosixPath(rel)
    parts = [] if path.stem == "__init__" else [path.stem]
    folder = path.parent
    while folder != PurePosixPath(".") and is_package(folder):
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts)


def project_signal_classes(
    modules: Iterable[tuple[str, str]], is_package: Callable[[PurePosixPath], bool]
) -> dict[str, bool]:
    """The ``Signal`` subclasses the project defines, from ``(rel, source)`` of its Python files:
    qualified name (``pkg.mod.Cls``) -> whether the class defines ``__init__``. Subclasses of
    subclasses in other modules are followed (absolute imports), to a fixpoint."""
    trees: list[tuple[str, ast.Module]] = []
    for rel, source in modules:
        if "Signal" not in source:
            continue
        tree = parse_ast(source)
        if tree is not None:
            trees.append((module_name(rel, is_package), tree))
    found: dict[str, bool] = {}
    while True:  # each round can only add classes or turn "defines __init__" on: it ends
        before = dict(found)
        for module, tree in trees:
            for name, own_init in signal_subclasses(tree, before).items():
                found[f"{module}.{name}" if module else name] = own_init
        if found == before:
            return found
