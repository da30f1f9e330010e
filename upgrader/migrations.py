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

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

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
