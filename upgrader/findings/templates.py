"""Find removed template tags, filters and libraries, and logout links that use GET.

Django template syntax is matched with small regular expressions over the raw text (no
template engine, no project code), so line and column point at the tag as written:

- ``{% load ... staticfiles ... %}`` / ``admin_static`` (also ``{% load static from staticfiles %}``);
- ``{% ifequal %}`` / ``{% ifnotequal %}``;
- the ``|length_is`` filter;
- ``<a href="...">`` links whose target is a logout URL (``{% url 'logout' %}``,
  ``{% url 'admin:logout' %}``, or a literal path containing ``logout``): since Django 5.0
  ``LogoutView`` answers GET with 405. Forms (``method="post"``) are not links, so not reported.
  With ``url_names`` (``upgrader.urlconf.logout_url_names``: URL name -> routes to LogoutView),
  a ``{% url %}`` name the URLconf routes elsewhere (django-oscar's ``customer:logout``, a GET
  ``RedirectView``) is not reported; names it routes to LogoutView, names it does not show and
  literal paths are. This is the judgement the ``template_logout_link`` rule makes, so the plan's
  manual items and the walk's rewrites agree. Given :class:`~upgrader.findings.url_includes.UrlNames`,
  names from third-party URLconfs the project includes are known too when a stage environment
  could be read (allauth's ``account_logout`` is its own ``LogoutView``: not reported); a name
  still unknown while unread third-party URLconfs are included is reported as *unverified*,
  naming them and where they are included.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from upgrader.findings.url_includes import UrlNames

Emit = Callable[[str, int, int, str], None]  # id, line, col, message

_LOAD = re.compile(r"\{%-?\s*load\s+(?P<libraries>.*?)\s*-?%\}", re.DOTALL)
_IFEQUAL = re.compile(r"\{%-?\s*(?P<tag>ifequal|ifnotequal)\b")
_LENGTH_IS = re.compile(r"\|\s*length_is\b")
_ANCHOR = re.compile(
    r"<a\b[^>]*?\bhref\s*=\s*(?P<q>[\"'])(?P<href>.*?)(?P=q)", re.IGNORECASE | re.DOTALL
)
_URL_TAG = re.compile(r"\{%-?\s*url\s+(?P<q>[\"'])(?P<name>[^\"']+)(?P=q)")

NEEDLES: tuple[bytes, ...] = (
    b"staticfiles",
    b"admin_static",
    b"ifequal",
    b"ifnotequal",
    b"length_is",
    b"logout",
)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1)
    return line, col


def _unverified(name: str, names: UrlNames) -> str | None:
    """The message of a link whose name may come from an unread third-party URLconf."""
    sources = names.sources(name)
    if not sources:
        return None
    where = " or ".join(f"{s.module} (included at {s.location})" for s in sources)
    return f"unverified: `{name}` may come from {where}: check the view accepts GET"


def detect_template(
    text: str, emit: Emit, url_names: UrlNames | Mapping[str, bool] | None = None
) -> None:
    """Report every match in a template's ``text`` (``url_names``: see the module docstring)."""

    def report(deprecation_id: str, offset: int, message: str) -> None:
        line, col = _position(text, offset)
        emit(deprecation_id, line, col, message)

    for match in _LOAD.finditer(text):
        libraries = set(match.group("libraries").split())
        for library in sorted(libraries & {"staticfiles", "admin_static"}):
            report("staticfiles-template-library", match.start(), f"{{% load {library} %}}")
    for match in _IFEQUAL.finditer(text):
        report("template-ifequal", match.start(), f"{{% {match.group('tag')} %}}")
    for match in _LENGTH_IS.finditer(text):
        report("length-is", match.start(), "|length_is filter")
    for match in _ANCHOR.finditer(text):
        href = match.group("href")
        url_tag = _URL_TAG.search(href)
        target = url_tag.group("name") if url_tag else href
        if url_tag and url_names is not None and url_names.get(target) is False:
            continue  # the URLconf routes this name to a view that is not LogoutView
        if "logout" in target.lower():
            unverified = None
            if url_tag and isinstance(url_names, UrlNames) and url_names.get(target) is None:
                unverified = _unverified(target, url_names)
            message = f'logout link <a href="{href}"> uses GET'
            report(
                "logout-get", match.start(), f"{message} ({unverified})" if unverified else message
            )
