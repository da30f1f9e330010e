"""Every stage over one file: django-upgrade, our rules, pyupgrade, within the per-file budget;
line endings and encoding kept, the outcome a diff and the hits."""

from __future__ import annotations

import ast
import dataclasses
import difflib
import re
import signal
import threading
import warnings
from functools import cache, partial

from codemods import Rule, RuleContext, get_rule
from codemods._python_ast import remember_tree
from upgrader.files import Skipped, SourceText, read_text
from upgrader.rewrite.django_upgrade import mark_default_app_config, run_django_upgrade
from upgrader.rewrite.model import FileKind, Job, Outcome, RewriteConfig
from upgrader.rewrite.pyupgrade import PYUPGRADE, run_pyupgrade, without_coding_cookie
from upgrader.rewrite.stages import Stages, tool_tree
from upgrader.syntax import syntax_error_reason

# The per-file CPU budget (the size budget is ``jobs.MAX_FILE_BYTES``): what one file may cost
# every stage together (CPU, not wall time, so a busy machine does not skip more files); a file
# past it is a skipped file naming the limit, never a stall.
MAX_FILE_CPU_SECONDS = 30.0
# Line endings as Python reads them, and a CR that is not part of a CRLF (see ``_process_file``).
_LINE_END = re.compile(r"\r\n|\r|\n")
_BARE_CR = re.compile(r"\r(?!\n)")


def _with_endings(original: str, lf_original: str, lf_new: str, default: str) -> str:
    """``lf_new`` (the stages' output on ``lf_original``, ``original`` with LF endings) with the
    line endings of ``original``: a line kept keeps its own, a changed line takes the ending of
    the original line it replaces (``default`` after the original's last line)."""
    endings = [match.group() for match in _LINE_END.finditer(original)]
    old_lines = lf_original.split("\n")
    new_lines = lf_new.split("\n")
    last = len(new_lines) - 1  # the text after the last LF: no ending of its own
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(j2 - j1):
            j = j1 + k
            out.append(new_lines[j])
            if j == last:
                continue
            i = i1 + k if tag == "equal" else min(i1 + k, max(i2 - 1, i1))
            out.append(endings[i] if i < len(endings) else (endings[-1] if endings else default))
    return "".join(out)


class _OverBudget(BaseException):
    """Raised by the CPU timer inside a file's stages (not an ``Exception``: no stage's guard
    against a tool's bug catches it)."""


def process_file(job: Job, config: RewriteConfig) -> Outcome:
    """Every stage over one file, within the per-file CPU budget (``MAX_FILE_CPU_SECONDS``);
    never raises for a problem with the file or a tool."""
    limit = MAX_FILE_CPU_SECONDS
    if (
        limit <= 0
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        return _process_file(job, config)  # no timer: Windows, or called off the main thread
    armed = [True]

    def expired(signum: int, frame: object) -> None:
        if armed[0]:
            raise _OverBudget

    previous = signal.signal(signal.SIGPROF, expired)

    def disarm() -> None:
        armed[0] = False
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)

    try:
        try:
            signal.setitimer(signal.ITIMER_PROF, limit)
            return _process_file(job, config)
        finally:
            disarm()
    except _OverBudget:
        disarm()
        reason = (
            f"took over {limit:g} s of CPU, the rewrite stage's per-file limit: left alone "
            "(add it to [tool.upgrader] exclude if it is generated)"
        )
        return Outcome(new=None, failures=(reason,), cacheable=False)


def _process_file(job: Job, config: RewriteConfig) -> Outcome:
    read = read_text(job.path, job.data)
    if isinstance(read, Skipped):
        return Outcome(new=None, failures=(read.reason,))
    # The tools tokenize lines ending in LF (or CRLF): a module with CR-only (or some bare CR)
    # line endings is one line to them, though Python reads it fine. They get it with LF
    # endings, and ``_finish`` puts the file's own endings back on every line.
    source = read
    if job.kind == "python" and _BARE_CR.search(read.text):
        source = dataclasses.replace(read, text=_LINE_END.sub("\n", read.text), newline="\n")
    text = source.text
    tree: ast.Module | None = None
    if job.kind == "python":
        # Parsed once, as both tools parse (the text's UTF-8 bytes): the syntax check, and the
        # tree both tools' finders walk while the text is unchanged (no re-parse per tool).
        tree = tool_tree(text)
        if tree is None:
            return Outcome(new=None, failures=(_syntax_error(text, job.rel),))
    # Optimistic first: one parse check of the final text instead of one per stage that changed
    # it. A stage whose output did not parse leaves a final text that does not parse (or a later
    # stage's failure on it), and then the stages run again checking each output, as always.
    stages = _run_stages(source, job, config, tree, check_each=False)
    if stages.unchecked and (stages.failures or not _final_parses(stages)):
        stages = _run_stages(source, job, config, tree, check_each=True)
    return _finish(read, stages, job)


def _final_parses(stages: Stages) -> bool:
    """``stages.final_parses()``, without a parse where the only change is pyupgrade's removal
    of the coding cookie (one old file in five): the original parsed (``_process_file`` checked
    it), and so does it without comment lines and leading blanks, with any grammar it did."""
    if (
        stages.hits
        and all(hit.rule == PYUPGRADE for hit in stages.hits)
        and stages.text == without_coding_cookie(stages.original)
    ):
        return True
    return stages.final_parses()


def _run_stages(
    source: SourceText,
    job: Job,
    config: RewriteConfig,
    tree: ast.Module | None,
    *,
    check_each: bool,
) -> Stages:
    text = source.text
    stages = Stages(text, job, config, check_each=check_each)
    if tree is not None and config.django_upgrade_target is not None:
        run_django_upgrade(stages, config.django_upgrade_target, tree)
        mark_default_app_config(stages, config.django_upgrade_target)
    is_settings = job.kind == "python" and (job.is_settings or config.all_settings)
    if tree is not None and stages.text is text:
        remember_tree(text, tree)  # the rules' ``parse_ast`` of the unchanged text: no re-parse
    for rule in _rules(config.rule_ids):
        if not _rule_runs_on(rule, job.kind, is_settings):
            continue
        data = job.data if stages.text is text else stages.text.encode()
        if not rule.may_match(data):
            continue
        context = config.context(job.rel, is_settings)
        stages.apply(rule.id, partial(_call_rule, rule, context))
        stages.notes.extend(context.notes)
    # pyupgrade assumes UTF-8 (it drops coding cookies): files in other encodings skip it.
    if (
        job.kind == "python"
        and config.pyupgrade_min is not None
        and source.encoding.replace("_", "-").lower() in ("utf-8", "utf8")
    ):
        unchanged_tree = tree if stages.text is text else None
        stages.apply(
            PYUPGRADE, partial(run_pyupgrade, minimum=config.pyupgrade_min, tree=unchanged_tree)
        )
    return stages


def _call_rule(rule: Rule, context: RuleContext, text: str) -> str:
    return rule.transform(text, context)


def _rule_runs_on(rule: Rule, kind: FileKind, is_settings: bool) -> bool:
    if kind == "template":
        return rule.kind == "template"
    if rule.kind == "settings":
        return is_settings
    return rule.kind == "python"


@cache
def _rules(rule_ids: tuple[str, ...]) -> tuple[Rule, ...]:
    return tuple(get_rule(rule_id) for rule_id in rule_ids)


def _syntax_error(text: str, filename: str) -> str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text, filename)
    except SyntaxError as exc:  # or a file written for a newer Python than this one
        return syntax_error_reason(exc, text)
    except ValueError as exc:
        return f"cannot be parsed ({exc}): fix it, or exclude the file"
    except (RecursionError, MemoryError) as exc:
        return (
            f"nested too deeply for Python's parser ({type(exc).__name__}): left alone "
            "(add it to [tool.upgrader] exclude if it is generated)"
        )
    return "cannot be parsed: fix it, or exclude the file"


def _finish(source: SourceText, stages: Stages, job: Job) -> Outcome:
    """The outcome of ``stages`` on the file read as ``source`` (the stages may have worked on
    its text with LF endings: each line gets its own ending back)."""
    failures = tuple(stages.failures)
    notes = tuple(stages.notes)
    if stages.text == stages.original:
        return Outcome(new=None, notes=notes, failures=failures)
    final = stages.text
    if stages.original != source.text:
        final = _with_endings(source.text, stages.original, stages.text, source.newline)
    try:
        new = source.encode(final)
    except UnicodeEncodeError as exc:
        reason = f"the rewritten text cannot be encoded as {source.encoding} ({exc.reason}): left untouched"
        return Outcome(new=None, notes=notes, failures=(*failures, reason))
    diff = "".join(
        difflib.unified_diff(
            source.text.splitlines(keepends=True),
            final.splitlines(keepends=True),
            fromfile=f"a/{job.rel}",
            tofile=f"b/{job.rel}",
        )
    )
    if diff and not diff.endswith("\n"):
        diff += "\n\\ No newline at end of file\n"
    return Outcome(
        new=new,
        hits=tuple(stages.hits),
        notes=notes,
        failures=failures,
        diff=diff,
        created=tuple(stages.created),
    )
