"""Moved to :mod:`upgrader.plan.render`; this name is kept for the importer not yet moved
(``upgrader/cli.py``): import from ``upgrader.plan.render``."""

from __future__ import annotations

from upgrader.plan.render import (
    FORMATS,
    SOURCES_SHOWN,
    environment_lines,
    render_json,
    render_markdown,
    render_text,
)

__all__ = [
    "FORMATS",
    "SOURCES_SHOWN",
    "environment_lines",
    "render_json",
    "render_markdown",
    "render_text",
]
