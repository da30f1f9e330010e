"""``<a href="{% url 'logout' %}">Log out</a>`` -> a POST form with a button.

Logging out with GET through ``LogoutView`` was deprecated in Django 4.1; since 5.0 it answers
405. A link to the view becomes
``<form method="post" action="{% url 'logout' %}">{% csrf_token %}<button type="submit" ...>``
with the link's text inside the button and its other attributes (``class``, ``id``, ...) on the
button, on the link's own line(s): nothing around it is reformatted. Only links whose ``href``
is exactly one ``{% url %}`` tag naming a ``logout`` URL (``'logout'``, ``'admin:logout'``,
``'accounts:logout'``) are rewritten; links with a query string, attributes the rule cannot read
(template tags between them), or already inside a ``<form>`` (forms do not nest) become manual
items. Every rewrite is also noted: a button may need styling to look like the link it replaces.

Only ``LogoutView`` refuses GET: when the engine has read the project's URLconf
(``RuleContext.url_names``, see :mod:`upgrader.urlconf`; third-party URLconfs the project
includes are read from a stage env, :mod:`upgrader.findings.url_includes`), a link is rewritten
only where its URL name routes to ``django.contrib.auth``'s ``LogoutView`` (or a class built on
it, the admin's ``admin:logout``, ``include("django.contrib.auth.urls")``, a package's view built
on it); a link to a project's or package's own logout view stays as it is, with no note, and a
``logout`` name the URLconf does not show is a manual item.
Without a URLconf (``upgrader codemods run`` on templates alone) every ``logout`` name counts.

https://docs.djangoproject.com/en/4.1/releases/4.1/#log-out-via-get
"""

from __future__ import annotations

import re

from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import docs_note, line_of
from codemods._templates import Edit, apply_edits

DOCS = "https://docs.djangoproject.com/en/4.1/releases/4.1/#log-out-via-get"
_LINK_RE = re.compile(r"<a\b(?P<attrs>[^>]*)>(?P<body>.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_ATTR_RE = re.compile(
    r"""\s+(?P<name>[^\s=/>"']+)(?:\s*=\s*(?P<value>"[^"]*"|'[^']*'|[^\s>"']+))?"""
)
_LOGOUT_URL_RE = re.compile(
    r"""\A\{%\s*url\s+(?P<q>["'])(?P<name>(?:[\w-]+:)*logout)(?P=q)\s*%\}\Z""", re.IGNORECASE
)
# Any single {% url 'name' %} tag: its name, to look up in the URLconf.
_URL_TAG_RE = re.compile(r"""\A\{%\s*url\s+(?P<q>["'])(?P<name>[\w:.-]+)(?P=q)\s*%\}\Z""")
_LOGOUT_HINT_RE = re.compile(r"logout", re.IGNORECASE)
_FORM_RE = re.compile(r"<(?P<end>/?)form\b", re.IGNORECASE)


def _attributes(attrs: str) -> list[tuple[str, str | None, str]] | None:
    """``(name, value as written, text)`` per attribute; None when ``attrs`` is not only those."""
    found: list[tuple[str, str | None, str]] = []
    position = 0
    for match in _ATTR_RE.finditer(attrs):
        if match.start() != position:
            return None
        found.append((match.group("name").lower(), match.group("value"), match.group()))
        position = match.end()
    return found if attrs[position:].strip() in ("", "/") else None


def _inside_form(source: str, offset: int) -> bool:
    depth = 0
    for match in _FORM_RE.finditer(source, 0, offset):
        depth += -1 if match.group("end") else 1
    return depth > 0


def transform(source: str, context: RuleContext) -> str:
    edits: list[Edit] = []

    def note(offset: int, message: str) -> None:
        context.notes.append(docs_note(context.filename, line_of(source, offset), message, DOCS))

    for link in _LINK_RE.finditer(source):
        attrs = link.group("attrs")
        if not _LOGOUT_HINT_RE.search(attrs):
            continue
        parsed = _attributes(attrs)
        hrefs = [value for name, value, _text in parsed or () if name == "href"]
        if parsed is None or len(hrefs) != 1 or hrefs[0] is None:
            if "href" in attrs.lower():
                note(
                    link.start(),
                    "logout link the rule cannot read: if it points to LogoutView, make it a "
                    "POST form by hand (GET answers 405 since Django 5.0)",
                )
            continue
        written = hrefs[0]  # quotes included: the action keeps them (the tag may use the other)
        href = written[1:-1].strip() if written[:1] in "\"'" else written
        tag = _URL_TAG_RE.match(href)
        name = tag.group("name") if tag else None
        routes = context.url_names
        if routes is None:  # no URLconf: every ``logout`` name counts
            rewrite = _LOGOUT_URL_RE.match(href) is not None
        elif name is not None and name in routes:
            if not routes[name]:
                continue  # the project's own view, not LogoutView: GET still works
            rewrite = True
        elif _LOGOUT_URL_RE.match(href):
            note(
                link.start(),
                f"logout link to {{% url '{name}' %}}, a URL name the project's URLconf does "
                "not show: if it routes to LogoutView, make it a POST form by hand (GET answers "
                "405 since Django 5.0)",
            )
            continue
        else:
            rewrite = False
        if not rewrite:
            if _LOGOUT_HINT_RE.search(href):
                note(
                    link.start(),
                    f'logout link <a href="{href}">: if it points to LogoutView, make it a POST '
                    "form by hand (GET answers 405 since Django 5.0)",
                )
            continue
        if _inside_form(source, link.start()):
            note(link.start(), "logout link inside a <form>: move it out and make it a POST form")
            continue
        button_attrs = "".join(text for name, _value, text in parsed if name != "href")
        edits.append(
            Edit(
                link.start(),
                link.end(),
                f'<form method="post" action={written}>{{% csrf_token %}}'
                f'<button type="submit"{button_attrs}>{link.group("body")}</button></form>',
            )
        )
        note(
            link.start(),
            "logout link made a POST form with a button (LogoutView needs POST since Django "
            "5.0): check that it is styled like the link",
        )
    return apply_edits(source, edits)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="template",
        scope="django",
        version=Version("4.1"),
        summary="<a href=\"{% url 'logout' %}\"> -> a POST form with a button (LogoutView, 5.0)",
        docs=DOCS,
        transform=transform,
        needles=(b"logout",),
    )
)
