"""The dependency stage: per hop, compatible versions chosen, resolved, and written back.

- ``index``: package-index metadata (PEP 691/503/658/592) fetched and cached, over
  ``index_config`` (pip's index configuration) and ``listing`` (listings and metadata parsed).
- ``era``: the moment as of which the baseline resolves (``baseline_cutoff``).
- ``apps``: the project's ``INSTALLED_APPS``, read statically.
- ``known``: the curated table (renamed/abandoned/replaced packages, minimum versions).
- ``choose``: a version per declared package for a target Django series and Python.
- ``resolve``: the whole set resolved with uv or pip-compile; the stage's constraints file.
- ``write``: the chosen versions written back into the project's own files, diff-minimal.
- ``plan``: ``plan_dependencies`` / ``write_dependencies``, what the plan and step commands call.
"""

from __future__ import annotations

from upgrader.deps.plan import DependencyPlan, plan_dependencies, write_dependencies

__all__ = ["DependencyPlan", "plan_dependencies", "write_dependencies"]
