"""Kept for the importer not yet moved (``upgrader/cli.py`` imports ``upgrader.render.plan``): the
renderers live with their documents, ``upgrader.plan.render`` and ``upgrader.report.markdown`` /
``upgrader.report.html``."""
