from __future__ import annotations

from pathlib import Path

import pytest

from upgrader.migrations import FOLD_SCRIPT, apps_with_index_renames

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
