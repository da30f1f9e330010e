from __future__ import annotations

from upgrader.cli import main

raise SystemExit(main())
