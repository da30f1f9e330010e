"""The verify stage: the project's own tests in a tox environment per Django stage.

- ``toxconfig``: ``.upgrader/tox.ini``, one ``djangoNN`` environment per stage.
- ``run``: ``verify_stage`` runs a stage and returns a ``TestRun``.
- ``parse`` / ``deprecations``: outcomes of pytest and Django's runner, deprecation warnings.
- ``baseline``: accepted failing tests and what a later run may not add.
- ``command``: ``run_verify`` and the renderers behind ``upgrader verify``.

Import from the modules themselves: this package imports nothing, so importing one module
(``upgrader.verify.suite``) never loads the runner and what it imports.
"""
