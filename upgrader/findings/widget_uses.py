"""Whether a widget overriding ``create_option()`` can be given model choices (F22).

Django 3.1 passes a ``ModelChoiceIteratorValue`` instead of the pk to ``create_option()`` of a
widget rendering a ``ModelChoiceField``'s choices; a widget only ever given plain choices
(``MultipleChoiceField(choices=settings.LANGUAGES)``) keeps getting strings. The per-file
detector cannot tell (it sees one file), so :func:`judge` looks at every use of the widget in
the project, statically, from the files mentioning its name:

- ``widget=X`` / ``widget=X(...)`` in a call of a form field, or ``widget = X`` in a field
  class: a ``Model*ChoiceField`` is a model use, one of Django's other form fields a plain one,
  any other field unknown;
- ``widgets = {"f": X}`` (a ``ModelForm``'s ``Meta``, ``modelform_factory(widgets=...)``): the
  field ``f`` of ``Meta.model`` (a class the project defines, or one of its bases): a model use
  for a relation (ForeignKey, ManyToManyField, ...) or a field the project does not show, a
  plain one for one of Django's other model fields;
- a subclass ``class Y(X)``: Y's uses count as X's; ``super(X, self)``, ``isinstance`` and
  ``issubclass`` and mentions inside X's own body are no use;
- any other mention (passed on, assigned to ``self.fields[...].widget``): unknown.

The item stays for a model use, an unknown use, or no use the project shows (a reusable app's
widget is used where it cannot be seen), and says which; only a widget whose every use is a
plain field gets no item. Nothing is imported or run.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from upgrader.files import SourceText, read_text
from upgrader.findings.model import Finding
from upgrader.findings.python_ast import dotted

DEPRECATION_ID = "model-choice-iterator-value"
# django.forms' fields that never get a ModelChoiceIterator's values.
PLAIN_FIELDS = frozenset(
    {
        "BooleanField",
        "CharField",
        "ChoiceField",
        "DateField",
        "DateTimeField",
        "DecimalField",
        "DurationField",
        "EmailField",
        "Field",
        "FilePathField",
        "FloatField",
        "IntegerField",
        "JSONField",
        "MultipleChoiceField",
        "NullBooleanField",
        "SlugField",
        "TimeField",
        "TypedChoiceField",
        "TypedMultipleChoiceField",
        "URLField",
        "UUIDField",
    }
)
_NO_USE_CALLS = frozenset({"super", "isinstance", "issubclass"})
# django.db.models' fields whose form field is never a ModelChoiceField.
PLAIN_MODEL_FIELDS = frozenset(
    {
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "DateField",
        "DateTimeField",
        "DecimalField",
        "DurationField",
        "EmailField",
        "FloatField",
        "IntegerField",
        "NullBooleanField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
        "TimeField",
        "URLField",
        "UUIDField",
    }
)
MAYBE_RELATION = ("model", "a ModelForm field, which may be a ForeignKey or ManyToManyField")


@dataclass(frozen=True)
class Use:
    """One use of a widget: ``kind`` is "model", "plain" or "unknown"; ``field`` what it is
    given to (a field class name, or what the mention is)."""

    kind: str
    location: str  # file:line
    field: str


def _last(node: ast.expr) -> str:
    return (dotted(node) or "").rpartition(".")[2]


def _field_kind(name: str) -> str:
    if "Model" in name and name.endswith("ChoiceField"):
        return "model"
    return "plain" if name in PLAIN_FIELDS else "unknown"


class _File:
    def __init__(self, rel: str, tree: ast.Module) -> None:
        self.rel = rel
        self.tree = tree
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node

    def mentions(self, names: frozenset[str]) -> Iterator[ast.expr]:
        for node in ast.walk(self.tree):
            if (
                isinstance(node, ast.Name | ast.Attribute)
                and not isinstance(node.ctx, ast.Store)
                and (node.id if isinstance(node, ast.Name) else node.attr) in names
            ):
                yield node

    def enclosing_classes(self, node: ast.AST) -> Iterator[ast.ClassDef]:
        parent = self.parents.get(node)
        while parent is not None:
            if isinstance(parent, ast.ClassDef):
                yield parent
            parent = self.parents.get(parent)

    def classify(self, node: ast.expr, name: str) -> tuple[str, str] | str | None:
        """(kind, field) for a use; the subclass's name for ``class Y(X)``; None: no use."""
        if any(cls.name == name for cls in self.enclosing_classes(node)):
            return None  # X's own body: super(X, self), X.CONSTANT
        parent = self.parents.get(node)
        if isinstance(parent, ast.ClassDef) and node in parent.bases:
            return parent.name
        if (
            isinstance(parent, ast.Call)
            and node in parent.args
            and _last(parent.func) in _NO_USE_CALLS
        ):
            return None
        value: ast.AST = node
        if isinstance(parent, ast.Call) and parent.func is node:  # X(...)
            value, parent = parent, self.parents.get(parent)
        if isinstance(parent, ast.keyword) and parent.arg == "widget":
            call = self.parents.get(parent)
            field = _last(call.func) if isinstance(call, ast.Call) else ""
            return _field_kind(field), field or "a call"
        if isinstance(parent, ast.Assign | ast.AnnAssign) and _targets(parent) == ["widget"]:
            cls = next(self.enclosing_classes(parent), None)
            if cls is not None and self.parents.get(parent) is cls:
                fields = [_last(base) for base in cls.bases]
                kinds = {_field_kind(field) for field in fields}
                kind = "model" if "model" in kinds else "plain" if kinds == {"plain"} else "unknown"
                return kind, ", ".join(fields) or cls.name
        if isinstance(parent, ast.Dict) and value in parent.values:
            holder = self.parents.get(parent)
            if (isinstance(holder, ast.keyword) and holder.arg == "widgets") or (
                isinstance(holder, ast.Assign | ast.AnnAssign) and _targets(holder) == ["widgets"]
            ):
                key = parent.keys[parent.values.index(value)]
                named = key.value if isinstance(key, ast.Constant) else None
                meta = self.parents.get(holder)
                model = _meta_model(meta) if isinstance(meta, ast.ClassDef) else None
                if model and isinstance(named, str):
                    return "form-field", f"{model}.{named}"
                return MAYBE_RELATION
        return "unknown", "a use whose choices cannot be seen"


def _meta_model(meta: ast.ClassDef) -> str | None:
    """The class name ``Meta.model`` names."""
    for statement in meta.body:
        if isinstance(statement, ast.Assign) and _targets(statement) == ["model"]:
            return _last(statement.value) or None
    return None


def _targets(node: ast.Assign | ast.AnnAssign) -> list[str]:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return [t.id if isinstance(t, ast.Name) else "" for t in targets]


class _Project:
    """The project's Python files, parsed on demand (only those mentioning a widget's name)."""

    def __init__(self, root: Path, files: Sequence[Path]) -> None:
        self.root = root
        self.files = [path for path in files if path.suffix == ".py"]
        self._data: dict[Path, bytes] = {}
        self._parsed: dict[Path, _File | None] = {}

    def _bytes(self, path: Path) -> bytes:
        if path not in self._data:
            try:
                self._data[path] = path.read_bytes()
            except OSError:
                self._data[path] = b""
        return self._data[path]

    def parsed(self, path: Path) -> _File | None:
        if path not in self._parsed:
            source = read_text(path, self._bytes(path))
            tree = None
            if isinstance(source, SourceText):
                try:
                    tree = ast.parse(source.text)
                except (SyntaxError, ValueError, RecursionError, MemoryError):
                    tree = None
            rel = path.relative_to(self.root).as_posix()
            self._parsed[path] = _File(rel, tree) if tree is not None else None
        return self._parsed[path]

    def mentioning(self, name: str) -> Iterator[_File]:
        needle = name.encode()
        for path in self.files:
            if needle in self._bytes(path) and (parsed := self.parsed(path)) is not None:
                yield parsed

    def uses(self, widget: str) -> list[Use]:
        """Every use of the class ``widget`` and of its subclasses, by name."""
        found: list[Use] = []
        seen: set[str] = set()
        todo = [widget]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            for parsed in self.mentioning(name):
                for node in parsed.mentions(frozenset({name})):
                    verdict = parsed.classify(node, name)
                    if isinstance(verdict, str):
                        todo.append(verdict)
                    elif verdict is not None:
                        kind, field = verdict
                        if kind == "form-field":
                            model, _, attribute = field.partition(".")
                            kind, field = self.model_field(model, attribute)
                        found.append(Use(kind, f"{parsed.rel}:{node.lineno}", field))
        return found

    def model_field(self, model: str, field: str, depth: int = 0) -> tuple[str, str]:
        """(kind, what) for the ModelForm field ``field`` of the model class ``model``: a plain
        model field is plain; a relation, or a field the project does not show, may be one."""
        for parsed in self.mentioning(model) if depth < 4 else ():
            for cls in ast.walk(parsed.tree):
                if not isinstance(cls, ast.ClassDef) or cls.name != model:
                    continue
                for statement in cls.body:
                    value = getattr(statement, "value", None)
                    if (
                        isinstance(statement, ast.Assign | ast.AnnAssign)
                        and _targets(statement) == [field]
                        and isinstance(value, ast.Call)
                    ):
                        made = _last(value.func)
                        kind = "plain" if made in PLAIN_MODEL_FIELDS else "model"
                        return kind, f"the ModelForm field {model}.{field} (a {made})"
                for base in cls.bases:  # an abstract model's field
                    inherited = self.model_field(_last(base), field, depth + 1)
                    if inherited != MAYBE_RELATION:
                        return inherited
        return MAYBE_RELATION


def _widget_at(parsed: _File, line: int) -> str | None:
    """The class whose ``create_option`` is defined at ``line``."""
    for node in ast.walk(parsed.tree):
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                if (
                    isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef)
                    and statement.name == "create_option"
                    and statement.lineno == line
                ):
                    return node.name
    return None


def verdict(widget: str, uses: Sequence[Use]) -> str | None:
    """What the item adds about ``widget``'s uses; None when every use is a plain field."""
    model = next((u for u in uses if u.kind == "model"), None)
    if model is not None:
        return f"`{widget}` is used with {model.field} at {model.location}"
    unknown = next((u for u in uses if u.kind == "unknown"), None)
    if unknown is not None:
        return f"`{widget}` is used where its choices cannot be seen ({unknown.location})"
    if not uses:
        return f"`{widget}` is used where it cannot be seen"
    return None


def judge(root: Path, findings: Iterable[Finding], files: Sequence[Path]) -> list[Finding]:
    """``findings`` with each ``model-choice-iterator-value`` item judged on the project's uses
    of its widget (``files``: the project's files, absolute): dropped when every use is a plain
    field, else kept with the reason in its message."""
    findings = list(findings)
    if not any(f.id == DEPRECATION_ID for f in findings):
        return findings
    project = _Project(root, files)
    kept: list[Finding] = []
    for finding in findings:
        parsed = project.parsed(root / finding.file) if finding.id == DEPRECATION_ID else None
        widget = _widget_at(parsed, finding.line) if parsed is not None else None
        if widget is None:
            kept.append(finding)
            continue
        reason = verdict(widget, project.uses(widget))
        if reason is not None:
            kept.append(dataclasses.replace(finding, message=f"{finding.message}: {reason}"))
    return kept
