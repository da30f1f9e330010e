"""Pin ``FILE_UPLOAD_PERMISSIONS = None`` in settings that store uploads (``MEDIA_ROOT``) without
setting it, on the hop that crosses Django 3.0.

Django 3.0 changed the default from ``None`` (the operating system's mode: ``0o600`` for large
uploads streamed to a temporary file, the umask for small ones) to ``0o644``: uploaded files
become readable by every user of the server. Writing the old default keeps the modes as they
were; the note says ``0o644`` is what a web server that serves ``MEDIA_ROOT`` itself needs.

A settings module that star-imports another one may get the setting from there: left alone with a
note. The scanner reports the same absence over all the settings files together
(``upgrader.findings.settings_file.PINNED_WHEN``).

https://docs.djangoproject.com/en/3.0/releases/3.0/#backwards-incompatible-changes-in-3-0
"""

from __future__ import annotations

from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import PinnedDefault, pin_unset_default

DOCS = "https://docs.djangoproject.com/en/3.0/releases/3.0/#backwards-incompatible-changes-in-3-0"
SETTING = "FILE_UPLOAD_PERMISSIONS"
FLIPPED = Version("3.0")
ONLY_WITH = "MEDIA_ROOT"

PINNED = PinnedDefault(
    setting=SETTING,
    flipped=FLIPPED,
    docs=DOCS,
    comment="Django 3.0 changed the default to 0o644; None keeps the operating system's "
    "modes, as before.",
    star_note=f"{SETTING} is not set here and may come from a star import; Django 3.0 "
    "changes its default, so make sure one settings module sets it explicitly",
    done_note="FILE_UPLOAD_PERMISSIONS pinned to None (the operating system's modes, the "
    "default before 3.0); set 0o644 if a web server reads the uploaded files "
    "directly",
    only_with=ONLY_WITH,
)


def transform(source: str, context: RuleContext) -> str:
    return pin_unset_default(source, context, PINNED, lambda _text: "None")


RULE = register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="settings",
        scope="django",
        version=FLIPPED,
        summary="Pin FILE_UPLOAD_PERMISSIONS = None when MEDIA_ROOT is set and it is unset",
        docs=DOCS,
        transform=transform,
    )
)
