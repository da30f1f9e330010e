"""Write codemods/_index.py from the rule registry: ``.venv/bin/python scripts/rule_index.py``."""

from __future__ import annotations

import sys

from codemods import index_path, render_index
from upgrader.files import write_text_atomic


def main() -> int:
    target = index_path()
    text = render_index()
    if target.exists() and target.read_text(encoding="utf-8") == text:
        print(f"{target} is up to date")
        return 0
    write_text_atomic(target, text)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
