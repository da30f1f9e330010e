from __future__ import annotations

from pathlib import Path

import pytest

from upgrader.migrations import FOLD_SCRIPT, apps_with_index_renames, fold_index_together_pairs

RENAME = """from django.db import migrations

class Migration(migrations.Migration):
    dependencies = [('orders', '0002_x')]
    operations = [
        migrations.RenameIndex(
            model_name='order',
            new_name='orders_orde_user_id_02a211_idx',
            old_fields=('user', 'status'),
        ),
    ]
"""
NAMED_RENAME = RENAME.replace("old_fields=('user', 'status')", "old_name='orders_old_idx'")


def write(root: Path, rel: str, text: str) -> str:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return rel


@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        pytest.param(
            "shop/orders/migrations/0003_rename.py",
            RENAME,
            {"shop.orders": "0003_rename"},
            id="index-together-rename-in-a-nested-app",
        ),
        pytest.param(
            "orders/migrations/0003_rename.py", NAMED_RENAME, {}, id="rename-by-name-is-fine"
        ),
        pytest.param("orders/models.py", RENAME, {}, id="not-a-migration"),
    ],
)
def test_apps_with_index_renames(
    tmp_path: Path, rel: str, text: str, expected: dict[str, str]
) -> None:
    created = (write(tmp_path, rel, text),)
    assert apps_with_index_renames(tmp_path, created) == expected


def test_fold_script_is_valid_python_once_its_names_are_set() -> None:
    header = "APP, NAME, MODULE = 'orders', '0001_squashed_0003', 'orders'\n"
    compile(header + FOLD_SCRIPT, "<fold>", "exec")


CREATE = """from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name='Order',
            fields=[
                ('id', models.AutoField(primary_key=True)),
                ('user', models.IntegerField()),
                ('status', models.IntegerField()),
                ('day', models.DateField()),
            ],
            options={
                'ordering': ['day'],
                'index_together': {('user', 'status'), ('day', 'status')},
            },
        ),
    ]
"""
REMOVE = """from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('orders', '0001_initial')]
    operations = [
        migrations.AlterIndexTogether(
            name='order',
            index_together={('day', 'status')},
        ),
    ]
"""


def migrations_of(root: Path, files: dict[str, str]) -> list[Path]:
    for name, text in files.items():
        write(root, f"orders/migrations/{name}.py", text)
    write(root, "orders/migrations/__init__.py", "")
    return sorted(root.rglob("*.py"))


def test_an_index_together_entry_added_then_removed_is_taken_out_where_it_was_added(
    tmp_path: Path,
) -> None:
    files = migrations_of(tmp_path, {"0001_initial": CREATE, "0002_remove": REMOVE})
    result = fold_index_together_pairs(tmp_path, files)
    assert result.changed == ("orders/migrations/0001_initial.py",)
    text = (tmp_path / "orders/migrations/0001_initial.py").read_text()
    assert text == CREATE.replace("{('user', 'status'), ('day', 'status')}", "{('day', 'status')}")
    assert (tmp_path / "orders/migrations/0002_remove.py").read_text() == REMOVE
    assert "Django 5.1" in result.notes[0]
    # Idempotent: nothing left to fold.
    assert fold_index_together_pairs(tmp_path, files).changed == ()


def test_the_last_entry_taken_out_takes_its_option_with_it(tmp_path: Path) -> None:
    create = CREATE.replace("{('user', 'status'), ('day', 'status')}", "(('user', 'status'),)")
    remove = REMOVE.replace("index_together={('day', 'status')}", "index_together=set()")
    add = REMOVE.replace("0001_initial", "0002_remove").replace(
        "{('day', 'status')}", "{('day', 'user')}"
    )
    gone = REMOVE.replace("0001_initial", "0003_add").replace("{('day', 'status')}", "set()")
    files = migrations_of(
        tmp_path,
        {"0001_initial": create, "0002_remove": remove, "0003_add": add, "0004_gone": gone},
    )
    result = fold_index_together_pairs(tmp_path, files)
    assert result.changed == (
        "orders/migrations/0001_initial.py",
        "orders/migrations/0003_add.py",
    )
    text = (tmp_path / "orders/migrations/0001_initial.py").read_text()
    assert text == create.replace("                'index_together': (('user', 'status'),),\n", "")
    assert "index_together=set()" in (tmp_path / "orders/migrations/0003_add.py").read_text()
    compile(text, "0001", "exec")


@pytest.mark.parametrize(
    "later",
    [
        pytest.param(
            RENAME.replace("'0002_x'", "'0001_initial'"), id="renamed-to-a-named-index-is-kept"
        ),
        pytest.param(
            "from django.db import migrations\n\nclass Migration(migrations.Migration):\n"
            "    operations = [migrations.RenameField('order', 'user', 'owner'),\n"
            "        migrations.AlterIndexTogether(name='order', index_together=set())]\n",
            id="renamed-field-is-left-alone",
        ),
        pytest.param(
            "from django.db import migrations\n\nclass Migration(migrations.Migration):\n"
            "    operations = [migrations.SeparateDatabaseAndState(database_operations=[],\n"
            "        state_operations=[migrations.AlterIndexTogether(name='order',\n"
            "            index_together=set())])]\n",
            id="state-only-removal-is-left-alone",
        ),
    ],
)
def test_entries_that_are_not_plain_add_then_remove_are_left(tmp_path: Path, later: str) -> None:
    files = migrations_of(tmp_path, {"0001_initial": CREATE, "0002_later": later})
    assert fold_index_together_pairs(tmp_path, files).changed == ()
    assert (tmp_path / "orders/migrations/0001_initial.py").read_text() == CREATE


def test_set_calls_as_older_makemigrations_wrote_them_are_folded(tmp_path: Path) -> None:
    """healthchecks' 0015 and 0036 (Django 1.8 and 1.11 wrote ``set([...])``)."""
    add = (
        "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n"
        "    dependencies = [('api', '0014_x')]\n\n    operations = [\n"
        "        migrations.AlterIndexTogether(\n"
        '            name="check", index_together=set([("status", "user", "alert_after")])\n'
        "        )\n    ]\n"
    )
    remove = (
        "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n"
        "    dependencies = [('api', '0015_add')]\n\n"
        '    operations = [migrations.AlterIndexTogether(name="check", index_together=set([]))]\n'
    )
    files = migrations_of(tmp_path, {"0015_add": add, "0036_remove": remove})
    result = fold_index_together_pairs(tmp_path, files)
    assert result.changed == ("orders/migrations/0015_add.py",)
    text = (tmp_path / "orders/migrations/0015_add.py").read_text()
    assert text == add.replace('set([("status", "user", "alert_after")])', "set()")
