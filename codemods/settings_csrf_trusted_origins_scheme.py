"""Add the scheme to ``CSRF_TRUSTED_ORIGINS`` entries, which Django 4.0 requires.

Django 4.0 compares ``CSRF_TRUSTED_ORIGINS`` with the request's ``Origin`` header, so each entry
must be a full origin (``https://example.com``); a leading-dot subdomain wildcard (``.example.com``)
becomes ``https://*.example.com``. Entries are given ``https://``: origins still served over plain
HTTP need an ``http://`` entry added by hand (the note says so).
https://docs.djangoproject.com/en/4.0/releases/4.0/#csrf-trusted-origins-changes

An element computed from a URL, ``urlparse(SITE_URL).hostname`` or ``.netloc`` (``urlsplit``
too), becomes that URL's origin, ``f"{urlparse(SITE_URL).scheme}://{urlparse(SITE_URL).netloc}"``
(``"{0.scheme}://{0.netloc}".format(urlparse(...))`` when the URL is not a plain name, so it is
evaluated once). ``netloc``, not ``hostname``, on purpose: Django 4.0 compares the entry with the
browser's ``Origin`` header, which carries the port of a URL served on a non-default one
(``https://example.com:8443``), and uses the entry's netloc for the Referer check, which compared
the whole ``host:port`` before 4.0 too; so the hostname's origin would not trust the site's own
pages there. The scheme is the URL's own, not an assumed ``https://``.

django-upgrade has no fixer for this setting. Only a list/tuple literal assigned to the setting
at module level is changed; anything else computed is a note (and the settings detector's
``csrf-trusted-origins-scheme`` item on the hop crossing 4.0).
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import docs_note

DOCS = "https://docs.djangoproject.com/en/4.0/releases/4.0/#csrf-trusted-origins-changes"
SETTING = "CSRF_TRUSTED_ORIGINS"


def with_scheme(origin: str) -> str | None:
    """The origin with ``https://`` added, or None when it already has a scheme (or is empty)."""
    if not origin or "://" in origin:
        return None
    if origin.startswith("."):
        return f"https://*{origin}"
    return f"https://{origin}"


_URL_PARSERS = frozenset({"urlparse", "urlsplit"})
_HOST_PARTS = frozenset({"hostname", "netloc"})


def _callee_name(func: cst.BaseExpression) -> str | None:
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return None


def _is_plain(node: cst.BaseExpression) -> bool:
    """A name or a dotted name: cheap and side-effect free to evaluate twice, without quotes."""
    while isinstance(node, cst.Attribute):
        node = node.value
    return isinstance(node, cst.Name)


def _origin_of_url(value: cst.BaseExpression) -> cst.BaseExpression | None:
    """``urlparse(X).hostname`` / ``.netloc`` as the origin of ``X``, or None for anything else."""
    if not (
        isinstance(value, cst.Attribute)
        and value.attr.value in _HOST_PARTS
        and isinstance(value.value, cst.Call)
        and _callee_name(value.value.func) in _URL_PARSERS
        and len(value.value.args) == 1
        and value.value.args[0].keyword is None
        and not value.value.args[0].star
    ):
        return None
    call = value.value
    code = cst.Module([]).code_for_node(call)
    if _is_plain(call.args[0].value):
        return cst.parse_expression(f'f"{{{code}.scheme}}://{{{code}.netloc}}"')
    return cst.parse_expression(f'"{{0.scheme}}://{{0.netloc}}".format({code})')


def _fix_element(element: cst.BaseElement, fixed: list[str], origins: list[str]) -> cst.BaseElement:
    value = element.value
    origin = _origin_of_url(value)
    if origin is not None:
        origins.append(cst.Module([]).code_for_node(value))
        return element.with_changes(value=origin)
    if not isinstance(value, cst.SimpleString) or "\\" in value.value:
        return element
    evaluated = value.evaluated_value
    if not isinstance(evaluated, str):
        return element
    new = with_scheme(evaluated)
    if new is None:
        return element
    fixed.append(evaluated)
    body = new  # scheme characters never need escaping
    literal = f"{value.prefix}{value.quote}{body}{value.quote}"
    return element.with_changes(value=value.with_changes(value=literal))


def transform(source: str, context: RuleContext) -> str:
    if not context.is_settings:
        return source
    module = cst.parse_module(source)
    fixed: list[str] = []
    origins: list[str] = []  # urlparse(X).hostname / .netloc elements made X's origin
    computed = False
    body: list[cst.BaseStatement] = []
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            smalls: list[cst.BaseSmallStatement] = []
            for small in statement.body:
                target: cst.BaseExpression | None = None
                if isinstance(small, cst.Assign) and len(small.targets) == 1:
                    target = small.targets[0].target
                elif isinstance(small, (cst.AugAssign, cst.AnnAssign)):
                    target = small.target
                value = getattr(small, "value", None)
                if isinstance(target, cst.Name) and target.value == SETTING and value is not None:
                    if isinstance(value, (cst.List, cst.Tuple)):
                        elements = [_fix_element(e, fixed, origins) for e in value.elements]
                        small = small.with_changes(value=value.with_changes(elements=elements))
                    else:
                        computed = True
                smalls.append(small)
            statement = statement.with_changes(body=smalls)
        body.append(statement)
    if computed:
        context.notes.append(
            docs_note(
                context.filename,
                None,
                f"{SETTING} is computed: from Django 4.0 every entry needs its scheme "
                "(https://example.com, https://*.example.com); check the values by hand",
                DOCS,
            )
        )
    if not fixed and not origins:
        return source
    if fixed:
        context.notes.append(
            docs_note(
                context.filename,
                None,
                f"{SETTING}: https:// added to {', '.join(fixed)}; add http:// entries for "
                "origins still served over plain HTTP",
                DOCS,
            )
        )
    if origins:
        context.notes.append(
            docs_note(
                context.filename,
                None,
                f"{SETTING}: {', '.join(origins)} became the URL's origin (its scheme://netloc, "
                "port included), which Django 4.0 compares with the Origin header",
                DOCS,
            )
        )
    return module.with_changes(body=body).code


RULE = register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="settings",
        scope="django",
        version=Version("4.0"),
        summary="Add https:// to CSRF_TRUSTED_ORIGINS entries without a scheme",
        docs=DOCS,
        transform=transform,
        needles=(b"CSRF_TRUSTED_ORIGINS",),
    )
)
