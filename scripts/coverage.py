"""Write docs/coverage.md from the catalogue: ``.venv/bin/python scripts/coverage.py``."""

from __future__ import annotations

import sys
from pathlib import Path

from upgrader.files import write_text_atomic
from upgrader.findings.coverage import render

TARGET = Path(__file__).resolve().parent.parent / "docs" / "coverage.md"


def main() -> int:
    text = render()
    if TARGET.exists() and TARGET.read_text(encoding="utf-8") == text:
        print(f"{TARGET} is up to date")
        return 0
    write_text_atomic(TARGET, text)
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
