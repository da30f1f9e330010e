"""The finders of the detect stage, one module per question.

- ``layout``: project root, ``manage.py``, settings module and files, template folders.
- ``requirements``: every dependency declaration (requirements files, pyproject, setup.py,
  setup.cfg, Pipfile, lock files); reused by the dependency stage.
- ``django_version``: the Django the project runs today, from those declarations.
- ``python_version``: the Python the project runs today.
- ``test_runner``: pytest (with pytest-django) or ``manage.py test``.
- ``config``: the ``[tool.upgrader]`` table of pyproject.toml.

All of them read files through ``sources.ProjectReader``: nothing here imports or runs project
code, and a file that cannot be read becomes a ``Skipped`` entry instead of an error.
``upgrader.project.detect_project`` composes them.
"""
