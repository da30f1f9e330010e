"""One file's text through the stages: the current text, each stage's hit (lines mapped back to
the original file), failures, notes and created files, and the parse checks."""

from __future__ import annotations

import ast
import difflib
import warnings
from collections.abc import Callable, Iterable

from upgrader.rewrite.model import Job, RewriteConfig, RuleHit


class Stages:
    """Runs the stages on one file's text, keeping per-stage attribution and failures."""

    def __init__(
        self, text: str, job: Job, config: RewriteConfig, *, check_each: bool = True
    ) -> None:
        self.original = text
        # False: ``parses`` answers yes unchecked (``unchecked`` says so) and the caller checks
        # the final text with ``final_parses`` (see ``engine._process_file``).
        self.check_each = check_each
        self.unchecked = False
        self.text = text
        self.job = job
        self.config = config
        self.hits: list[RuleHit] = []
        self.failures: list[str] = []
        self.notes: list[str] = []
        self.created: list[tuple[str, str, str]] = []  # new files (see Outcome.created)
        self.pending_created: list[tuple[str, str, str]] = []  # once django-upgrade's change holds
        # Maps a line index of the current text to a line index of the original text.
        self._to_original: list[int] = list(range(len(text.splitlines())))
        self._grammar: tuple[int, ...] | None = None  # () once known: full grammar

    def parses(self, text: str) -> bool:
        """Whether a stage's output parses: with the hop's grammar when the original did (a stage
        must not introduce newer syntax), else with this interpreter's full grammar."""
        if self.job.kind != "python":
            return True
        if not self.check_each:
            self.unchecked = True
            return True
        if self._grammar is None:
            grammar = self.config.grammar
            self._grammar = (
                grammar if grammar and _parses(self.original, grammar, self.job.rel) else ()
            )
        return _parses(text, self._grammar or None, self.job.rel)

    def final_parses(self) -> bool:
        """Whether the text the stages left parses (as ``parses`` checks each stage's output)."""
        self.check_each = True
        if self.text == self.original:
            return True
        grammar = self.config.grammar if self.job.kind == "python" else None
        if grammar and self._grammar is None and _parses(self.text, grammar, self.job.rel):
            return True  # fine with the hop's grammar: fine whether or not the original was
        return self.parses(self.text)

    def apply(self, name: str, transform: Callable[[str], str]) -> None:
        try:
            new = transform(self.text)
        except Exception as exc:  # a tool or rule bug must not stop the run
            self.failures.append(
                f"{name} failed on this file ({type(exc).__name__}: {exc}); its change is skipped"
            )
            return
        if new == self.text:
            return
        if not self.parses(new):
            self.failures.append(f"{name} produced code that does not parse; its change is dropped")
            return
        self.record(name, new)

    def original_lines(self, changed: Iterable[int]) -> tuple[int, ...]:
        """1-based lines of the original file for line indexes of the current text."""
        return tuple(sorted({self._to_original_or_last(i) + 1 for i in changed}))

    def record(self, name: str, new: str, *, hit: bool = True) -> None:
        """Accept ``new`` as the current text; ``hit``: attribute the change to ``name``."""
        changed, new_to_old = line_changes(self.text, new)
        if hit:
            self.hits.append(RuleHit(name, self.original_lines(changed)))
        self._to_original = [self._to_original_or_last(i) for i in new_to_old]
        self.text = new

    def _to_original_or_last(self, index: int) -> int:
        if not self._to_original:
            return 0
        return self._to_original[min(index, len(self._to_original) - 1)]


def line_changes(old: str, new: str) -> tuple[list[int], list[int]]:
    """Changed line indexes of ``old``, and for each line of ``new`` the ``old`` line it came from.

    The lines both texts start and end with are equal lines as they are: only the lines between
    go through difflib (a stage changes a few lines of a long file, and difflib's matcher costs
    far more per line than a comparison)."""
    old_lines = old.splitlines()
    new_lines = new.splitlines()
    limit = min(len(old_lines), len(new_lines))
    head = 0
    while head < limit and old_lines[head] == new_lines[head]:
        head += 1
    tail = 0
    while tail < limit - head and old_lines[-1 - tail] == new_lines[-1 - tail]:
        tail += 1
    old_end, new_end = len(old_lines) - tail, len(new_lines) - tail
    new_to_old = list(range(head)) + [0] * (new_end - head) + list(range(old_end, len(old_lines)))
    changed: list[int] = []
    matcher = difflib.SequenceMatcher(
        None, old_lines[head:old_end], new_lines[head:new_end], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        i1, i2, j1, j2 = i1 + head, i2 + head, j1 + head, j2 + head
        if tag == "equal":
            for k in range(j2 - j1):
                new_to_old[j1 + k] = i1 + k
            continue
        anchor = max(i1 - 1, 0)  # a pure insertion is reported at the line it follows
        changed.extend(range(i1, i2) if i2 > i1 else [anchor])
        for k in range(j2 - j1):
            new_to_old[j1 + k] = min(i1 + k, i2 - 1) if i2 > i1 else anchor
    return changed, new_to_old


def _parses(text: str, grammar: tuple[int, ...] | None, filename: str) -> bool:
    """``ast.parse`` with ``grammar`` as ``feature_version`` (best effort, as ``ast`` documents)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escape sequences etc. are not our concern here
        try:
            if grammar:
                ast.parse(text, filename, feature_version=(grammar[0], grammar[1]))
            else:
                ast.parse(text, filename)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
    return True


def tool_tree(text: str) -> ast.Module | None:
    """``text`` parsed as the tools parse it. The decoded text, not its UTF-8 bytes: under a
    coding cookie other than UTF-8 those bytes would be decoded again by the cookie (a valid
    cp1252 module refused, a latin-1 ``÷`` read as ``Ã·``, an identifier); the positions are
    the same (``ast`` counts columns in UTF-8 bytes either way)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
