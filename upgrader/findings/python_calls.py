"""The Python-code detector's checks on calls: removed keyword arguments, resolved callees,
method names distinctive enough to match on any receiver, test assertions, ``Model.save()``.
"""

from __future__ import annotations

import ast

from codemods.geoip2_coords import is_geoip_receiver
from upgrader.findings.python_ast import (
    chain_calls,
    dotted,
    has_key,
    is_str,
    is_super_call,
    keyword_names,
    orphans_not_below,
)
from upgrader.findings.python_tables import (
    ALIAS_METHODS,
    KEPT_FIELDS,
    MAIL_POSITIONAL,
    MODEL_BASES,
    NAMES,
    NOT_MODEL_RECEIVERS,
    POSTGRES_AGGREGATES,
    REMOVED_KEYWORDS,
    REMOVED_METHODS,
    SAVE_PARAMETERS,
    UNITTEST_ALIASES,
)
from upgrader.findings.python_visitor import DetectorBase

PROVIDING_ARGS = "providing_args"
PAGINATORS = frozenset({"django.core.paginator.Paginator", "django.core.paginator.AsyncPaginator"})


def _argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    """The argument passed at ``position`` or as ``keyword`` (None when not given plainly)."""
    if len(call.args) > position and not any(
        isinstance(a, ast.Starred) for a in call.args[: position + 1]
    ):
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


class CallChecks(DetectorBase):
    """``visit_Call``: every check made on a call."""

    def visit_Call(self, node: ast.Call) -> None:
        self._check_call(node)
        self.generic_visit(node)

    def _check_call(self, node: ast.Call) -> None:
        self._check_isnull(node)
        func = node.func
        callee = self._resolve(func)
        keywords = keyword_names(node)
        if callee in KEPT_FIELDS:
            self.emit(NAMES[callee], node, f"`{callee.rpartition('.')[2]}(...)` field")
        if callee is not None:
            for keyword in keywords:
                if keyword is not None and (callee, keyword) in REMOVED_KEYWORDS:
                    self.emit(REMOVED_KEYWORDS[callee, keyword], node, f"`{keyword}=` argument")
            self._check_resolved_call(node, callee, keywords)
        if PROVIDING_ARGS in keywords and (callee, PROVIDING_ARGS) not in REMOVED_KEYWORDS:
            self._check_providing_args(node)
        if isinstance(func, ast.Attribute):
            self._check_method_call(node, func, keywords)

    def _check_providing_args(self, node: ast.Call) -> None:
        """``providing_args=`` given to anything but ``Signal`` itself: a ``Signal`` subclass
        imported from another module (pretalx's ``EventPluginSignal``, FINDINGS F40), one defined
        with its own ``__init__``, ``super().__init__(providing_args=...)``. The keyword was
        ``Signal.__init__``'s alone and Django 4.0 raises ``TypeError`` for it; the rewrite drops
        it only where it can see the class keeps ``Signal.__init__`` (``signal_providing_args``),
        so what is left here is the user's to check."""
        name = dotted(node.func)
        called = f"`{name}()`" if name else "a call"
        self.emit("signal-providing-args", node, f"`providing_args=` passed to {called}")

    def _check_resolved_call(self, node: ast.Call, callee: str, keywords: set[str | None]) -> None:
        if callee in ("django.db.models.ForeignKey", "django.db.models.OneToOneField"):
            if len(node.args) < 2 and not keywords & {"on_delete", None}:
                self.emit(
                    "on-delete-required", node, f"`{callee.rpartition('.')[2]}` without on_delete"
                )
        elif callee == "django.utils.crypto.get_random_string":
            if not node.args and not keywords & {"length", None}:
                self.emit("get-random-string-length", node, "`get_random_string()` without length")
        elif callee == "django.utils.html.format_html":
            if (
                len(node.args) == 1
                and not node.keywords
                and not isinstance(node.args[0], ast.Starred)
            ):
                self.emit(
                    "format-html-no-args", node, "`format_html()` with no arguments to format"
                )
        elif callee == "django.db.models.BaseConstraint" and any(
            not isinstance(a, ast.Starred) for a in node.args
        ):
            self.emit(
                "constraint-positional-args", node, "`BaseConstraint()` with positional arguments"
            )
        elif callee in MAIL_POSITIONAL and len(node.args) > MAIL_POSITIONAL[callee]:
            name = callee.rpartition(".")[2]
            self.emit(
                "mail-positional-args", node, f"`{name}()` with optional arguments by position"
            )
        elif callee == "django.forms.ModelMultipleChoiceField" and has_key(
            node, "error_messages", "list"
        ):
            self.emit("model-multiple-choice-list-key", node, "`error_messages={'list': ...}`")
        elif callee in POSTGRES_AGGREGATES and not keywords & {"default", None}:
            name = callee.rpartition(".")[2]
            self.emit("postgres-aggregate-default", node, f"`{name}()` without default=")
        elif callee == "django.utils.functional.cached_property" and len(node.args) >= 2:
            self.emit("cached-property-name", node, "`cached_property(func, name)`")
        elif callee in PAGINATORS and orphans_not_below(
            _argument(node, 1, "per_page"), _argument(node, 2, "orphans")
        ):
            name = callee.rpartition(".")[2]
            self.emit("paginator-orphans", node, f"`{name}()` with orphans >= per_page")
        elif callee in (
            "django.core.signing.Signer",
            "django.core.signing.TimestampSigner",
        ) and any(not isinstance(arg, ast.Starred) for arg in node.args):
            name = callee.rpartition(".")[2]
            self.emit("signer-positional-args", node, f"`{name}()` with positional arguments")

    def _check_method_call(
        self, node: ast.Call, func: ast.Attribute, keywords: set[str | None]
    ) -> None:
        name = func.attr
        receiver = func.value
        on_self = isinstance(receiver, ast.Name) and receiver.id == "self"
        if name in ALIAS_METHODS:
            self._check_alias_percent(node)
        if name == "is_ajax" and not node.args and not node.keywords:
            self.emit("is-ajax", node, "`.is_ajax()`")
        elif name in REMOVED_METHODS:
            self.emit(REMOVED_METHODS[name], node, f"`.{name}()`")
        elif name in ("coords", "open") and is_geoip_receiver(dotted(receiver)):
            self.emit("geoip2-coords", node, f"`GeoIP2.{name}()`")
        elif name in ("build_suite", "run_tests") and "extra_tests" in keywords:
            self.emit("test-runner-extra-tests", node, "`extra_tests=` argument")
        elif name == "iterator" and not node.args and "chunk_size" not in keywords:
            if chain_calls(receiver, "prefetch_related"):
                self.emit(
                    "iterator-prefetch-chunk-size",
                    node,
                    "`.prefetch_related(...).iterator()` without chunk_size",
                )
        elif name in ("is_authenticated", "is_anonymous") and not node.args:
            if (isinstance(receiver, ast.Name) and receiver.id == "user") or (
                isinstance(receiver, ast.Attribute) and receiver.attr == "user"
            ):
                self.emit("user-is-authenticated-call", node, f"`user.{name}()` called")
        elif name == "log_deletion" or (
            name == "log_action" and (dotted(receiver) or "").endswith("LogEntry.objects")
        ):
            self.emit("admin-log-deletion", node, f"`.{name}()`")
        elif name == "make_random_password":
            self.emit("make-random-password", node, "`.make_random_password()`")
        elif name in ("localize", "normalize") and self.uses_pytz and node.args:
            self.emit("pytz-localize", node, f"pytz `.{name}()`")
        elif name == "datetimes" and "is_dst" in keywords:
            self.emit("is-dst-argument", node, "`QuerySet.datetimes(is_dst=...)`")
        elif name == "register" and "base_name" in keywords:
            self.emit("drf-router-base-name", node, "`register(base_name=...)`")
        elif name == "save":
            self._check_save(node, receiver)
        elif (
            name == "__init__"
            and is_super_call(receiver)
            and self._classes
            and any(
                (dotted(base) or "").endswith("BaseConstraint") for base in self._classes[-1].bases
            )
            and any(not isinstance(arg, ast.Starred) for arg in node.args)
        ):
            self.emit(
                "constraint-positional-args",
                node,
                "`BaseConstraint.__init__()` with positional arguments",
            )
        elif on_self and name in UNITTEST_ALIASES:
            self.emit("unittest-aliases", node, f"`self.{name}()` (use {UNITTEST_ALIASES[name]})")
        elif on_self:
            self._check_test_assertion(node, name, keywords)

    def _check_isnull(self, node: ast.Call) -> None:
        for keyword in node.keywords:
            value = keyword.value
            if (
                keyword.arg is not None
                and keyword.arg.endswith("__isnull")
                and isinstance(value, ast.Constant)
                and not isinstance(value.value, bool)
            ):
                self.emit("isnull-non-boolean", keyword.value, f"`{keyword.arg}={value.value!r}`")

    def _check_alias_percent(self, node: ast.Call) -> None:
        for keyword in node.keywords:
            if keyword.arg is None and isinstance(keyword.value, ast.Dict):
                for key in keyword.value.keys:
                    if key is not None and is_str(key) and "%" in str(key.value):  # type: ignore[attr-defined]
                        self.emit("column-alias-percent", key, f"alias {key.value!r}")  # type: ignore[attr-defined]

    def _check_test_assertion(self, node: ast.Call, name: str, keywords: set[str | None]) -> None:
        if name in ("assertQuerysetEqual", "assertFormsetError"):
            self.emit("assert-queryset-equal-rename", node, f"`self.{name}()`")
        if (
            name in ("assertQuerysetEqual", "assertQuerySetEqual")
            and "transform" not in keywords
            and len(node.args) == 2  # a third positional argument is the transform
            and self._compares_reprs(node.args[1])
        ):
            self.emit("assert-queryset-equal-repr", node, f"`self.{name}()` against repr strings")
        if name in ("assertFormError", "assertFormsetError") and node.args:
            first = node.args[0]
            text = (dotted(first) or "").lower()
            if "resp" in text or (
                isinstance(first, ast.Call)
                and isinstance(first.func, ast.Attribute)
                and (dotted(first.func.value) or "").endswith("client")
            ):
                self.emit("assert-form-error-response", node, f"`self.{name}(response, ...)`")

    @staticmethod
    def _compares_reprs(values: ast.expr) -> bool:
        if isinstance(values, (ast.List, ast.Tuple, ast.Set)):
            return any(is_str(element) for element in values.elts)
        return (
            isinstance(values, ast.Call)
            and isinstance(values.func, ast.Name)
            and values.func.id == "map"
            and bool(values.args)
            and isinstance(values.args[0], ast.Name)
            and values.args[0].id == "repr"
        )

    def _check_save(self, node: ast.Call, receiver: ast.expr) -> None:
        positional = [arg for arg in node.args if not isinstance(arg, ast.Starred)]
        if not positional:
            return
        if is_super_call(receiver) or (isinstance(receiver, ast.Name) and receiver.id == "self"):
            if self._in_model_class():
                self.emit("model-save-positional-args", node, "`save()` with positional arguments")
            return
        name = (dotted(receiver) or "").rpartition(".")[2].lower()
        if not name or any(word in name for word in NOT_MODEL_RECEIVERS):
            return
        first = positional[0]
        if (isinstance(first, ast.Constant) and isinstance(first.value, bool)) or (
            isinstance(first, ast.Name) and first.id in SAVE_PARAMETERS
        ):
            self.emit("model-save-positional-args", node, "`save()` with positional arguments")

    def _in_model_class(self) -> bool:
        if not self._classes:
            return False
        if self.in_models_module:
            return True
        for base in self._classes[-1].bases:
            last = (dotted(base) or "").rpartition(".")[2]
            if last.endswith("Model") or last in MODEL_BASES:
                return True
        return False
