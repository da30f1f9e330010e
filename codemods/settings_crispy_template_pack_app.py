"""Add the template pack's app (``'crispy_bootstrap4'``) to ``INSTALLED_APPS`` after
``'crispy_forms'`` when the hop moves django-crispy-forms to 2.0 or newer and its dependency
set has the pack's package.

django-crispy-forms 2.0 ships no template packs: ``CRISPY_TEMPLATE_PACK = 'bootstrap4'`` needs
the ``crispy-bootstrap4`` package *and* its app installed, or every ``{% crispy %}``/``|crispy``
form fails to render (``TemplateDoesNotExist: bootstrap4/field.html``; djangox's 4.2 hop,
FINDINGS F19). The dependency stage adds the package (``upgrader.deps.upgrade_steps``, the
django-crispy-forms 2.0 row); this rule adds the app, only when the pack's package is in the
hop's set (``RuleContext.packages``) and the module sets both ``INSTALLED_APPS`` (with
``'crispy_forms'``) and ``CRISPY_TEMPLATE_PACK`` to a string. Otherwise the row's item stays,
closed once the app is listed.

https://github.com/django-crispy-forms/django-crispy-forms/blob/main/CHANGELOG.md (2.0a1)
"""

from __future__ import annotations

import re

from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._settings_lists import add_to_list

DOCS = "https://github.com/django-crispy-forms/django-crispy-forms/blob/main/CHANGELOG.md"
# CRISPY_TEMPLATE_PACK -> (its package since crispy-forms 2.0, its app); as
# upgrader.deps.upgrade_steps.CRISPY_PACKS (codemods do not import upgrader).
PACKS = {
    "bootstrap": ("crispy-forms-bootstrap2", "crispy_forms_bootstrap2"),
    "bootstrap3": ("crispy-bootstrap3", "crispy_bootstrap3"),
    "bootstrap4": ("crispy-bootstrap4", "crispy_bootstrap4"),
    "bootstrap5": ("crispy-bootstrap5", "crispy_bootstrap5"),
}
_PACK = re.compile(r"""^CRISPY_TEMPLATE_PACK\s*=\s*(["'])(?P<pack>\w+)\1""", re.MULTILINE)


def transform(source: str, context: RuleContext) -> str:
    if not context.is_settings or "crispy_forms" not in source:
        return source
    match = _PACK.search(source)
    found = PACKS.get(match["pack"]) if match else None
    if found is None:
        return source
    package, app = found
    if package not in context.packages:
        return source  # the dependency stage did not add the pack: the item says what to do
    edited = add_to_list(source, "INSTALLED_APPS", app, after=("crispy_forms",))
    if edited is None or edited == source:
        return source
    pack = match["pack"] if match else ""
    context.notes.append(
        f"{context.filename}: added '{app}' to INSTALLED_APPS after 'crispy_forms' "
        f"(django-crispy-forms 2.0 moved the {pack} template pack into {package}, which the "
        f"hop's dependency set gets) (see {DOCS})"
    )
    return edited


RULE = register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="settings",
        scope="package",
        package="django-crispy-forms",
        version=Version("2.0"),
        summary="Add the CRISPY_TEMPLATE_PACK's app (crispy_bootstrap4, ...) to INSTALLED_APPS "
        "after crispy_forms (django-crispy-forms 2.0 moved the packs out)",
        docs=DOCS,
        transform=transform,
        needles=(b"CRISPY_TEMPLATE_PACK",),
    )
)
