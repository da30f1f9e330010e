"""Remove password hashers Django removed from ``PASSWORD_HASHERS``.

- ``CryptPasswordHasher``: deprecated in 4.1, removed in 5.0.
  https://docs.djangoproject.com/en/5.0/releases/5.0/#features-removed-in-5-0
- ``SHA1PasswordHasher``, ``UnsaltedSHA1PasswordHasher``, ``UnsaltedMD5PasswordHasher``:
  deprecated in 5.0, removed in 5.1.
  https://docs.djangoproject.com/en/5.1/releases/5.1/#features-removed-in-5-1

Listing a removed hasher makes every password check fail with ``ImportError``, so the entries go.
Users whose stored hash uses one of them can no longer log in with it: the note says so and links
the documented way to wrap legacy hashes (a security hardening kept, and listed in the report).
A list left empty by the removal is not changed (Django needs one hasher): a note instead.
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import docs_note, string_value

DOCS = "https://docs.djangoproject.com/en/5.1/releases/5.1/#features-removed-in-5-1"
WRAP_DOCS = "https://docs.djangoproject.com/en/5.1/topics/auth/passwords/#password-upgrading-without-requiring-a-login"
SETTING = "PASSWORD_HASHERS"
_PREFIX = "django.contrib.auth.hashers."
# Hasher dotted path -> the Django version that removed it (the release notes above).
REMOVED_HASHERS: dict[str, Version] = {
    f"{_PREFIX}CryptPasswordHasher": Version("5.0"),
    f"{_PREFIX}SHA1PasswordHasher": Version("5.1"),
    f"{_PREFIX}UnsaltedSHA1PasswordHasher": Version("5.1"),
    f"{_PREFIX}UnsaltedMD5PasswordHasher": Version("5.1"),
}


def _removed(element: cst.BaseElement, target: Version) -> str | None:
    value = string_value(element.value)
    removed_in = REMOVED_HASHERS.get(value) if value is not None else None
    return value if removed_in is not None and removed_in <= target else None


def _drop(
    elements: list[cst.BaseElement], target: Version
) -> tuple[list[cst.BaseElement], list[str]]:
    kept: list[cst.BaseElement] = []
    dropped: list[str] = []
    for index, element in enumerate(elements):
        name = _removed(element, target)
        if name is None:
            kept.append(element)
            continue
        dropped.append(name)
        # The last element's comma carries the layout before the closing bracket (and maybe a
        # trailing comma): hand it to the element that becomes last.
        if index == len(elements) - 1 and kept:
            kept[-1] = kept[-1].with_changes(comma=_closing_comma(kept[-1].comma, element.comma))
    return kept, dropped


def _closing_comma(
    kept: cst.Comma | cst.MaybeSentinel, removed: cst.Comma | cst.MaybeSentinel
) -> cst.Comma | cst.MaybeSentinel:
    """The removed last element's comma, keeping the trailing comment of the kept one's line."""
    if (
        isinstance(kept, cst.Comma)
        and isinstance(removed, cst.Comma)
        and isinstance(kept.whitespace_after, cst.ParenthesizedWhitespace)
        and isinstance(removed.whitespace_after, cst.ParenthesizedWhitespace)
    ):
        return removed.with_changes(
            whitespace_after=removed.whitespace_after.with_changes(
                first_line=kept.whitespace_after.first_line
            )
        )
    return removed


def _keep_trailing_comment(
    value: cst.List | cst.Tuple, kept: list[cst.BaseElement]
) -> cst.List | cst.Tuple:
    """Move the comment ending the old last-kept line before the closing bracket, if it was lost.

    When the list's last element goes, the element that becomes last takes that element's comma
    (see ``_closing_comma``); where the line break before the bracket belongs to the bracket,
    the kept element's trailing comment would vanish with its own comma: put it back there.
    """
    original = {id(e.value): e for e in value.elements}
    if not kept or not isinstance(value, cst.List):
        return value
    before = original.get(id(kept[-1].value))
    if before is None or not isinstance(before.comma, cst.Comma):
        return value
    old_ws = before.comma.whitespace_after
    new_comma = kept[-1].comma
    new_ws = new_comma.whitespace_after if isinstance(new_comma, cst.Comma) else None
    bracket_ws = value.rbracket.whitespace_before
    if (
        isinstance(old_ws, cst.ParenthesizedWhitespace)
        and old_ws.first_line.comment is not None
        and not isinstance(new_ws, cst.ParenthesizedWhitespace)
        and isinstance(bracket_ws, cst.ParenthesizedWhitespace)
    ):
        bracket = value.rbracket.with_changes(
            whitespace_before=bracket_ws.with_changes(first_line=old_ws.first_line)
        )
        return value.with_changes(rbracket=bracket)
    return value


def transform(source: str, context: RuleContext) -> str:
    if not context.is_settings:
        return source
    module = cst.parse_module(source)
    target = context.django_to
    dropped_all: list[str] = []
    body: list[cst.BaseStatement] = []
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            smalls: list[cst.BaseSmallStatement] = []
            for small in statement.body:
                if (
                    isinstance(small, cst.Assign)
                    and len(small.targets) == 1
                    and isinstance(small.targets[0].target, cst.Name)
                    and small.targets[0].target.value == SETTING
                    and isinstance(small.value, (cst.List, cst.Tuple))
                ):
                    kept, dropped = _drop(list(small.value.elements), target)
                    if dropped and not kept:
                        context.notes.append(
                            docs_note(
                                context.filename,
                                None,
                                f"{SETTING} lists only hashers Django {target} removed "
                                f"({', '.join(dropped)}); choose a supported hasher by hand",
                                DOCS,
                            )
                        )
                    elif dropped:
                        value = _keep_trailing_comment(small.value, kept)
                        if isinstance(value, cst.Tuple) and len(kept) == 1:
                            kept[0] = kept[0].with_changes(comma=cst.Comma())
                        small = small.with_changes(value=value.with_changes(elements=kept))
                        dropped_all.extend(dropped)
                smalls.append(small)
            statement = statement.with_changes(body=smalls)
        body.append(statement)
    if not dropped_all:
        return source
    names = ", ".join(name.rpartition(".")[2] for name in dropped_all)
    context.notes.append(
        docs_note(
            context.filename,
            None,
            f"{SETTING}: removed {names} (Django removed them); users whose passwords are "
            f"still stored with them cannot log in until they reset it, or until the hashes "
            f"are wrapped as described at {WRAP_DOCS}",
            DOCS,
        )
    )
    return module.with_changes(body=body).code


RULE = register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="settings",
        scope="django",
        version=Version("5.0"),
        summary="Remove password hashers Django 5.0/5.1 removed from PASSWORD_HASHERS",
        docs=DOCS,
        transform=transform,
        needles=tuple(name.rpartition(".")[2].encode() for name in REMOVED_HASHERS),
    )
)
