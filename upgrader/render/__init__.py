"""Renderers: the same documents as rich text for a terminal, Markdown for an issue, or JSON."""
