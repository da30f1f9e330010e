"""Replace ``django.core.files.storage.get_storage_class()``, deprecated in 4.2, removed in 5.1.

``get_storage_class("path.to.Storage")`` was ``import_string("path.to.Storage")``: that exact
rewrite is made for any argument except the storage settings. ``get_storage_class(
settings.STATICFILES_STORAGE)`` (or ``DEFAULT_FILE_STORAGE``, settings 5.1 removes) becomes
``import_string(settings.STORAGES["staticfiles"]["BACKEND"])``: the same class from Django 4.2
on, which keeps both settings in step (seen in wagtail 2.9's ``admin/staticfiles.py``, imported
by ``django.setup()``). ``get_storage_class()`` and ``get_storage_class(None)`` (no ``settings``
at hand) become manual items suggesting ``storages["default"]`` (a shared instance) or
``storages.create_storage(settings.STORAGES[...])`` (a new one, as calling the class did).

https://docs.djangoproject.com/en/4.2/releases/4.2/#features-deprecated-in-4-2
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import ResolvingRuleTransformer, dotted_name, run_rule

DOCS = "https://docs.djangoproject.com/en/4.2/releases/4.2/#features-deprecated-in-4-2"
NAMES = frozenset(
    {
        "django.core.files.storage.get_storage_class",
        # Re-exported by the module since 4.2 split it into a package; older code imports it here.
        "django.core.files.storage.base.get_storage_class",
    }
)
SETTING_ALIASES = {"DEFAULT_FILE_STORAGE": "default", "STATICFILES_STORAGE": "staticfiles"}


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS

    def _alias(self, arg: cst.Arg | None) -> str | None:
        """The STORAGES alias an argument means, or None for an explicit import path."""
        if arg is None or (isinstance(arg.value, cst.Name) and arg.value.value == "None"):
            return "default"
        name = dotted_name(arg.value) or ""
        setting = name.rpartition(".")[2]
        if setting in SETTING_ALIASES and "settings" in name:
            return SETTING_ALIASES[setting]
        return None

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not isinstance(original_node.func, (cst.Name, cst.Attribute)) or not self.refers_to(
            original_node.func, NAMES
        ):
            return updated_node
        args = original_node.args
        if len(args) > 1 or (
            args and (args[0].star or (args[0].keyword and args[0].keyword.value != "import_path"))
        ):
            return updated_node
        alias = self._alias(args[0] if args else None)
        value = args[0].value if args else None
        if alias is not None and isinstance(value, cst.Attribute):
            # settings.STATICFILES_STORAGE -> settings.STORAGES["staticfiles"]["BACKEND"]
            backend = cst.parse_expression(f'_.STORAGES["{alias}"]["BACKEND"]')
            backend = _replace_root(backend, value.value)
            self.forget(original_node.func)
            import_string = self.reference(
                original_node, "django.utils.module_loading", "import_string", prefer_from=True
            )
            arg = updated_node.args[0].with_changes(
                keyword=None, equal=cst.MaybeSentinel.DEFAULT, value=backend
            )
            return updated_node.with_changes(func=import_string, args=[arg])
        if alias is not None:
            self.note(
                original_node,
                f"{self.module.code_for_node(original_node)} is removed in Django 5.1: use "
                f'storages["{alias}"] (the shared instance) or '
                f'storages.create_storage(settings.STORAGES["{alias}"]) (a new one) '
                "from django.core.files.storage",
            )
            return updated_node
        self.forget(original_node.func)
        import_string = self.reference(
            original_node, "django.utils.module_loading", "import_string", prefer_from=True
        )
        new_args = [
            updated_node.args[0].with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT)
        ]
        return updated_node.with_changes(func=import_string, args=new_args)


def _replace_root(expression: cst.BaseExpression, root: cst.BaseExpression) -> cst.BaseExpression:
    """``expression`` (``_.STORAGES[...][...]``) with its innermost ``_`` replaced by ``root``."""
    if isinstance(expression, cst.Subscript):
        return expression.with_changes(value=_replace_root(expression.value, root))
    assert isinstance(expression, cst.Attribute)
    return expression.with_changes(value=root)


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("4.2"),
        summary="get_storage_class(path) -> import_string(path); default storage uses reported",
        docs=DOCS,
        transform=transform,
        needles=(b"get_storage_class",),
    )
)
