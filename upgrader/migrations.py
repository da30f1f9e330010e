"""Migrations a hop has to take care of: squashing away ``index_together`` before Django 5.1.

Django 4.2 deprecates ``Meta.index_together``; django-upgrade moves it to ``Meta.indexes`` and
``makemigrations`` then writes ``RenameIndex(old_fields=...)`` operations, which give the
existing unnamed indexes their new names on databases that already exist. Django 5.1 drops
``index_together`` from migrations: a fresh database (every test run) no longer creates those
indexes from the historical ``CreateModel(options={"index_together": ...})``, so the
``RenameIndex`` finds nothing to rename and every test errors.

Django's documented way out is to squash those migrations (``--no-optimize``: the optimizer
drops ``index_together`` entries but keeps their ``RenameIndex``, an inconsistent result) while still on a Django that knows
``index_together`` (the hop that created the ``RenameIndex``). The squashed migration is only
applied to new databases, so in it each ``index_together`` entry and its ``RenameIndex`` fold
exactly into a named ``models.Index`` of the ``CreateModel``; databases that already ran the
original migrations keep them (``replaces``), and those still run the ``RenameIndex``.

The squash and the fold run in the stage's own environment through ``manage.py`` (they must
load the project's migrations, which only its own Django can), with the script below.
"""

from __future__ import annotations

import ast
import re
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import libcst as cst

from upgrader.files import write_atomic

RENAME_WITH_OLD_FIELDS = re.compile(r"RenameIndex\((?:(?!RenameIndex\().)*?old_fields\s*=", re.S)

# Runs inside ``manage.py shell``: rewrite one migration file with every RenameIndex of an
# index_together entry folded into its CreateModel. Prints what it folded and left.
FOLD_SCRIPT = r"""
import importlib
from django.db import migrations, models
from django.db.migrations.writer import MigrationWriter

module = importlib.import_module(f"{MODULE}.migrations.{NAME}")
migration = module.Migration(NAME, APP)
operations = list(migration.operations)
folded = left = 0
for rename in [op for op in operations if isinstance(op, migrations.RenameIndex) and op.old_fields]:
    wanted = tuple(rename.old_fields)
    for op in operations:
        if not isinstance(op, migrations.CreateModel) or op.name_lower != rename.model_name_lower:
            continue
        together = {tuple(fields) for fields in op.options.get("index_together", ())}
        if wanted not in together:
            continue
        together.discard(wanted)
        if together:
            op.options["index_together"] = together
        else:
            op.options.pop("index_together", None)
        index = models.Index(fields=list(wanted), name=rename.new_name)
        op.options["indexes"] = [*op.options.get("indexes", []), index]
        operations.remove(rename)
        folded += 1
        break
    else:
        left += 1
migration.operations = operations
writer = MigrationWriter(migration)
import os
with open(writer.path + ".tmp", "w", encoding="utf-8") as handle:
    handle.write(writer.as_string())
os.replace(writer.path + ".tmp", writer.path)  # atomic: the old file or the new, never half
print(f"folded={folded} left={left}")
"""


@dataclass(frozen=True)
class SquashResult:
    created: tuple[str, ...]
    notes: tuple[str, ...]


def apps_with_index_renames(root: Path, created: tuple[str, ...]) -> dict[str, str]:
    """App folder (dotted module) -> the new migration's name, for migrations renaming old indexes."""
    apps: dict[str, str] = {}
    for rel in created:
        path = root / rel
        if path.parent.name != "migrations" or path.suffix != ".py":
            continue
        if RENAME_WITH_OLD_FIELDS.search(path.read_text("utf-8", errors="replace")):
            module = ".".join(path.parent.parent.relative_to(root).parts)
            apps[module] = path.stem
    return apps


def _run(
    python: Path, manage_py: Path, args: list[str], root: Path, timeout: float
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), str(manage_py), *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def squash_index_together(
    root: Path,
    python: Path,
    manage_py: Path,
    created: tuple[str, ...],
    *,
    timeout: float = 600,
) -> SquashResult:
    """Squash each app whose new migrations rename ``index_together`` indexes, and fold them."""
    made: list[str] = []
    notes: list[str] = []
    for module, migration in sorted(apps_with_index_renames(root, created).items()):
        app_label = module.rsplit(".", 1)[-1]
        folder = root.joinpath(*module.split("."), "migrations")
        before = {p.name for p in folder.glob("*.py")}
        squash = _run(
            python,
            manage_py,
            ["squashmigrations", app_label, migration, "--noinput", "--no-optimize"],
            root,
            timeout,
        )
        new = sorted({p.name for p in folder.glob("*.py")} - before)
        if squash.returncode != 0 or len(new) != 1:
            notes.append(
                f"{module}: squashing its migrations failed ({(squash.stderr or squash.stdout).strip()[-300:]}); "
                "squash them by hand before Django 5.1 (index_together is gone from migrations there)."
            )
            continue
        squashed = new[0][: -len(".py")]
        script = f"APP, NAME, MODULE = {app_label!r}, {squashed!r}, {module!r}\n" + FOLD_SCRIPT
        fold = _run(python, manage_py, ["shell", "--command", script], root, timeout)
        rel = (folder / new[0]).relative_to(root).as_posix()
        made.append(rel)
        if fold.returncode != 0 or "folded=" not in fold.stdout or " left=0" not in fold.stdout:
            notes.append(
                f"{rel}: the squashed migration still renames index_together indexes "
                f"({(fold.stderr or fold.stdout).strip()[-300:]}); replace them by named "
                "models.Index entries of its CreateModel before Django 5.1."
            )
            continue
        if "Manual porting required" in (folder / new[0]).read_text("utf-8"):
            notes.append(
                f"{rel}: squashmigrations asks for manual porting of RunPython/RunSQL code."
            )
        notes.append(
            f"{rel} squashes {module}'s migrations with index_together folded into named "
            "indexes (new databases use it; existing ones keep the originals). Delete the "
            "originals once every database has applied them."
        )
    return SquashResult(tuple(made), tuple(notes))


# --- index_together added, then removed: folded away before Django 5.1 ------------------------
#
# An index added by ``index_together`` (in a ``CreateModel``'s options, or an
# ``AlterIndexTogether``) and dropped by a later ``AlterIndexTogether`` nets to nothing. From
# Django 5.1 the models migrations render no longer carry ``index_together``, so the index can be
# gone before the later ``AlterIndexTogether`` drops it (SQLite rebuilds a table for most field
# changes, without it), and building any new database (every test run) fails with "Found wrong
# number (0) of constraints" (healthchecks fixed its 0015/0036 by hand, upstream b5eced26). Such
# an entry is taken out of the migration
# that added it: the final model state is the same, databases that ran the migrations as they
# were keep what they have (the index was already dropped), and a new database never makes it.

_TOGETHER_OPS = frozenset(
    {
        "CreateModel",
        "AlterIndexTogether",
        "DeleteModel",
        "RenameModel",
        "RenameField",
        "RenameIndex",
        "SeparateDatabaseAndState",
    }
)


@dataclass(frozen=True)
class FoldResult:
    changed: tuple[str, ...]  # migration files edited, relative to the root
    notes: tuple[str, ...]


def _op_name(call: cst.Call) -> str | None:
    func = call.func
    if isinstance(func, cst.Attribute):
        return func.attr.value
    if isinstance(func, cst.Name):
        return func.value
    return None


def _argument(call: cst.Call, keyword: str, position: int) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return positional[position].value if len(positional) > position else None


def _set_call(node: cst.BaseExpression) -> cst.Arg | bool | None:
    """For ``set(...)``/``frozenset(...)`` (how older ``makemigrations`` wrote index_together):
    its one argument, None for no argument; False for any other expression."""
    if (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Name)
        and node.func.value in ("set", "frozenset")
        and len(node.args) <= 1
        and all(a.keyword is None and not a.star for a in node.args)
    ):
        return node.args[0] if node.args else None
    return False


def _literal(module: cst.Module, node: cst.BaseExpression | None) -> Any:
    if node is None:
        return None
    inner = _set_call(node)
    if inner is None:
        return set()
    if isinstance(inner, cst.Arg):
        value = _literal(module, inner.value)
        if not isinstance(value, (list, tuple, set, frozenset)):
            return _UNKNOWN
        return {tuple(item) if isinstance(item, list) else item for item in value}
    try:
        return ast.literal_eval(module.code_for_node(node))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return _UNKNOWN


_UNKNOWN = object()
_Element = TypeVar("_Element", cst.BaseElement, cst.BaseDictElement)


def _entries(value: Any) -> list[tuple[str, ...]] | None:
    """``index_together``'s value as entries (Django's normalize_together); None if unreadable."""
    if value is None:
        return []
    if not isinstance(value, (tuple, list, set, frozenset)):
        return None
    items = list(value)
    if not items:
        return []
    if all(isinstance(item, str) for item in items):
        return [tuple(items)]
    if all(
        isinstance(item, (tuple, list)) and all(isinstance(f, str) for f in item) for item in items
    ):
        return [tuple(item) for item in items]
    return None


def _model(module: cst.Module, call: cst.Call, keyword: str) -> str | None:
    name = _literal(module, _argument(call, keyword, 0))
    return name.lower() if isinstance(name, str) else None


def _options_value(call: cst.Call) -> tuple[cst.Dict, cst.DictElement] | None:
    options = _argument(call, "options", 3)
    if not isinstance(options, cst.Dict):
        return None
    for element in options.elements:
        if (
            isinstance(element, cst.DictElement)
            and isinstance(element.key, cst.SimpleString)
            and element.key.evaluated_value == "index_together"
        ):
            return options, element
    return None


@dataclass
class _Origin:
    """Where an entry was added: the file, its parsed module and the call that added it."""

    rel: str
    call: cst.Call


class _Remove(cst.CSTTransformer):
    """Take the given entries out of the calls that added them."""

    def __init__(self, module: cst.Module, drop: dict[int, set[tuple[str, ...]]]) -> None:
        self.module = module
        self.drop = drop
        self.done = 0

    def _kept(
        self, value: cst.BaseExpression, gone: set[tuple[str, ...]]
    ) -> cst.BaseExpression | None:
        """``value`` without ``gone``; None when nothing is left."""
        entries = _entries(_literal(self.module, value))
        if entries is None:
            return value
        if not [e for e in entries if e not in gone]:
            return None
        inner = _set_call(value)
        if isinstance(inner, cst.Arg) and isinstance(value, cst.Call):  # set([...])
            kept = self._kept(inner.value, gone)
            if kept is None:
                return None
            return value.with_changes(args=[inner.with_changes(value=kept)])
        if not isinstance(value, (cst.Set, cst.List, cst.Tuple)):
            return value
        elements = _without(
            value.elements,
            lambda element: any(
                _entries(_literal(self.module, element.value)) == [e] for e in gone
            ),
        )
        if isinstance(value, cst.Tuple) and len(elements) == 1:
            elements = [elements[0].with_changes(comma=cst.Comma())]  # still a tuple
        return value.with_changes(elements=elements)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        gone = self.drop.get(id(original_node))
        if not gone:
            return updated_node
        self.done += 1
        if _op_name(original_node) == "CreateModel":
            found = _options_value(updated_node)
            if found is None:
                return updated_node
            options, element = found
            kept = self._kept(element.value, gone)
            if kept is None:
                elements = _without(options.elements, lambda e: e is element)
            else:
                elements = [
                    e.with_changes(value=kept) if e is element else e for e in options.elements
                ]
            new_options = options.with_changes(elements=elements)
            return _replace_argument(updated_node, options, new_options)
        value = _argument(updated_node, "index_together", 1)
        if value is None:
            return updated_node
        kept = self._kept(value, gone)
        replacement = kept if kept is not None else cst.parse_expression("set()")
        return _replace_argument(updated_node, value, replacement)


def _without(elements: Sequence[_Element], drop: Callable[[_Element], bool]) -> list[_Element]:
    """``elements`` without those ``drop`` picks; each dropped element's comma (and the
    whitespace after it) goes to the element before, so the layout stays as it was."""
    kept: list[_Element] = []
    for element in elements:
        if not drop(element):
            kept.append(element)
        elif kept:
            kept[-1] = kept[-1].with_changes(comma=element.comma)
    return kept


def _replace_argument(call: cst.Call, old: cst.BaseExpression, new: cst.BaseExpression) -> cst.Call:
    args = [arg.with_changes(value=new) if arg.value is old else arg for arg in call.args]
    return call.with_changes(args=args)


def _migration_files(root: Path, files: Sequence[Path]) -> dict[Path, list[Path]]:
    """Migration modules per ``migrations`` folder, in their (numbered) order."""
    folders: dict[Path, list[Path]] = {}
    for path in files:
        if path.parent.name == "migrations" and path.suffix == ".py" and path.name[:1].isdigit():
            folders.setdefault(path.parent, []).append(path)
    return {folder: sorted(paths, key=lambda p: p.name) for folder, paths in folders.items()}


def fold_index_together_pairs(root: Path, files: Sequence[Path]) -> FoldResult:
    """Take ``index_together`` entries a later migration removes out of the migration that
    added them (see above). ``files``: the project's files (``upgrader.files.project_files``).
    Entries renamed to a named index (``RenameIndex(old_fields=...)``), models renamed or with
    renamed fields, and squashed migrations are left as they are."""
    changed: list[str] = []
    notes: list[str] = []
    for folder, paths in sorted(_migration_files(root, files).items()):
        parsed: dict[str, cst.Module] = {}
        squashed = False
        # model -> entry -> where it was added (None: not foldable)
        state: dict[str, dict[tuple[str, ...], _Origin | None]] = {}
        tainted: set[str] = set()
        drop: dict[str, dict[int, set[tuple[str, ...]]]] = {}
        for path in paths:
            rel = path.relative_to(root).as_posix()
            try:
                module = cst.parse_module(path.read_bytes())
            except (cst.ParserSyntaxError, UnicodeDecodeError):
                tainted.add("*")
                continue
            if "replaces" in module.code and re.search(r"^\s+replaces\s*=", module.code, re.M):
                squashed = True
                continue
            parsed[rel] = module
            for call in _calls(module):
                name = _op_name(call)
                if name == "CreateModel":
                    model = _model(module, call, "name")
                    if model is None:
                        continue
                    found = _options_value(call)
                    value = _literal(module, found[1].value) if found else None
                    entries = _entries(value)
                    origin = _Origin(rel, call) if entries is not None else None
                    state[model] = dict.fromkeys(entries or [], origin)
                elif name == "AlterIndexTogether":
                    model = _model(module, call, "name")
                    entries = _entries(_literal(module, _argument(call, "index_together", 1)))
                    if model is None or entries is None:
                        tainted.add(model or "*")
                        continue
                    before = state.setdefault(model, {})
                    for entry, origin in before.items():
                        if entry not in entries and origin is not None and model not in tainted:
                            drop.setdefault(origin.rel, {}).setdefault(id(origin.call), set()).add(
                                entry
                            )
                    state[model] = {
                        entry: before.get(entry, _Origin(rel, call)) for entry in entries
                    }
                elif name == "DeleteModel":
                    model = _model(module, call, "name")
                    if model:
                        state.pop(model, None)
                elif name == "RenameModel":
                    for keyword in ("old_name", "new_name"):
                        model = _model(module, call, keyword)
                        tainted.add(model or "*")
                elif name == "RenameField":
                    tainted.add(_model(module, call, "model_name") or "*")
                elif name == "SeparateDatabaseAndState":
                    # State and database part ways here: its models' indexes are not what the
                    # operations say, so none of their entries is folded.
                    for inner in _calls(module, call):
                        model = _model(module, inner, "name") or _model(module, inner, "model_name")
                        tainted.add(model or "*")
                elif name == "RenameIndex":
                    model = _model(module, call, "model_name")
                    fields = _literal(module, _argument(call, "old_fields", 3))
                    if model and isinstance(fields, (tuple, list)):
                        state.get(model, {}).pop(tuple(fields), None)
        if "*" in tainted:
            continue
        for rel, calls in sorted(drop.items()):
            module = parsed[rel]
            transformer = _Remove(module, calls)
            edited = module.visit(transformer)
            if edited.code != module.code:
                write_atomic(root / rel, edited.bytes)
                changed.append(rel)
        if drop and squashed:
            notes.append(
                f"{folder.relative_to(root).as_posix()} has squashed migrations: they were left "
                "as they are; check that none adds an index_together entry a later migration "
                "removes (Django 5.1 fails to drop an index it never created)."
            )
    if changed:
        notes.insert(
            0,
            f"index_together entries added then removed by a later migration were taken out of "
            f"the migration that added them ({', '.join(changed)}): from Django 5.1 such an "
            "index can be gone before the later migration drops it (the models migrations "
            "render no longer carry index_together, so a SQLite table rebuild loses it), and "
            "every new (test) database fails with 'Found wrong number (0) of constraints'. The final "
            "model state is the same; a database that applied the adding migration but not yet "
            "the removing one keeps that index (drop it by hand there). Review the edit.",
        )
    return FoldResult(tuple(changed), tuple(notes))


def _calls(module: cst.Module, inside: cst.CSTNode | None = None) -> list[cst.Call]:
    """The migration operations of ``module`` (or within ``inside``) in source order."""
    found: list[cst.Call] = []

    class Collect(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> bool:
            if node is not inside and _op_name(node) in _TOGETHER_OPS:
                found.append(node)
                return False
            return True

    (inside or module).visit(Collect())
    return found
