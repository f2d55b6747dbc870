"""Parse a document (or an Excel ledger) into a ParsedDocument."""

import functools
import re
from collections.abc import Callable
from pathlib import Path

from zhenggai.intake import extract, ledger, outline, readers
from zhenggai.intake.model import IntakeError, ParsedDocument, ParsedProblem
from zhenggai.intake.warning import ParseWarning

MAX_LINES = 200_000
# Frequent characters written only in traditional Chinese: enough of them, and the text is.
TRADITIONAL_ONLY = frozenset(
    "個們這於為與關問題況說會來時後對從當發經實現還進過應將開學義體點區業產務報導領組織責單門達議讓記規員機構統計設"
)


# What a title says the document is. A plan names its 整改方案 or task list; a report the
# rectification's 情况 (or is a 报告); feedback is the office's: 反馈意见, 向…反馈巡察情况, a
# 督查/测评 通报 of what it found, a 问题清单 it published.
PLAN_OR_REPORT = re.compile(
    r"(?P<plan>整改(?:工作|实施)?方案|整改(?:任务|措施)清单)"
    r"|整改(?:落实|完成|进展|工作)?情况|整改(?:工作)?报告|(?:落实|执行)情况|的报告|报告$|通报会"
    r"|整改[^。，,]{0,12}(?:通报|公示)|销号|审计[^。，,]{0,20}报告"
)
FEEDBACK = re.compile(
    r"反馈意见|意见反馈|(?:巡察|巡视|督查|督察)反馈|反馈[^。，,]{0,12}(?:巡察|巡视|督查|督察)?(?:情况|意见)"
    r"|(?:督查|督察|测评|检查|暗访)[^。，,]{0,8}通报|问题清单"
)
# The unit speaking of itself: a report, even where it tells of the feedback it was given.
FIRST_PERSON = re.compile(r"我(?:市|区|县|省|局|委|校|院|司|单位|们)")


def kind_of(lines: list[str]) -> str:
    """Plan, report or feedback, from the title (the short lines the document opens with),
    else from its first paragraphs; a report when neither says. Names in 《》 are other
    documents and are not read."""
    opening = [re.sub(r"《[^》]*》", "", line.strip()) for line in lines[:12] if line.strip()]
    title = "".join(line for line in opening[:8] if len(line) <= 80)
    kind = _kind_in(title)
    if kind is None:
        head = "".join(opening)[:400]
        kind = _kind_in(head, plan=False)
        if kind == "feedback" and FIRST_PERSON.search(head):
            kind = "report"
    return kind or "report"


def _kind_in(text: str, *, plan: bool = True) -> str | None:
    """The kind the first word of plan or report says (a plan's only where `plan`), else
    feedback where the office's words are, else None."""
    for found in PLAN_OR_REPORT.finditer(text):
        if not found.group("plan"):
            return "report"
        if plan:
            return "plan"
    return "feedback" if FEEDBACK.search(text) else None


def simplified(lines: list[str], warnings: list[ParseWarning]) -> list[str]:
    """Traditional Chinese read as simplified, so the same patterns find the outline; titles
    come out in simplified characters, like the rest of the ledger."""
    sample = "".join(lines)[:4000]
    if sum(char in TRADITIONAL_ONLY for char in sample) < 3:
        return lines
    warnings.append(ParseWarning("traditional_chinese"))
    return _converter().convert("\n".join(lines)).split("\n")


@functools.cache
def _converter():
    from opencc import OpenCC

    return OpenCC("t2s")


def parse_lines(lines: list[str], file: str = "") -> ParsedDocument:
    if len(lines) > MAX_LINES:
        raise IntakeError(f"{file}: more than {MAX_LINES} lines")
    early_warnings: list[ParseWarning] = []
    lines = simplified(lines, early_warnings)
    plain = [outline.normalise(line) for line in lines]  # once, for every search below
    text = "\n".join(plain)
    warnings: list[ParseWarning] = early_warnings
    rules: list[str] = []  # the codes of the rules that shaped the outline (rules.RULES)
    kind = kind_of(lines)
    root = outline.build(lines)
    found, outline_warnings = outline.problem_nodes(root, feedback=kind == "feedback", rules=rules)
    warnings += outline_warnings
    problems = []
    for n, (node, path) in enumerate(found, start=1):
        facts = extract.problem_facts(
            node.heading, node.body, feedback=kind == "feedback", last=n == len(found), rules=rules
        )
        problems.append(ParsedProblem(number=node.number, title=node.title, path=path, **facts))
    declared = extract.find_declared(text)
    counts = [extract.area_count(a.heading, a.body) for a in outline.areas_of(root, found)]
    extract.sum_per_area(declared, counts, rules, warnings)
    document = ParsedDocument(
        file=file,
        kind=kind,
        org=extract.find_org(plain),
        title=extract.find_title(plain),
        inspector=extract.find_inspector(plain),
        dates=extract.find_dates(text, warnings),
        declared=declared,
        problems=problems,
        warnings=warnings,
        rules=rules,
    )
    _check_declared(document)
    return document


def _check_declared(document: ParsedDocument) -> None:
    problems = document.declared.get("problems")
    if problems is not None and problems != len(document.problems):
        parsed = len(document.problems)
        if str(problems).endswith(str(parsed)) and problems > parsed:
            warning = ParseWarning(
                "declared_problems_run_together", declared=problems, parsed=parsed
            )
        else:
            warning = ParseWarning("declared_problems_mismatch", declared=problems, parsed=parsed)
        document.warnings.append(warning)
    areas = document.declared.get("areas")
    parsed_areas = len({p.path[0] for p in document.problems if p.path})
    if areas is not None and parsed_areas and areas != parsed_areas:
        document.warnings.append(
            ParseWarning("declared_areas_mismatch", declared=areas, parsed=parsed_areas)
        )


def parse_file(
    path: str | Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    workdir: str | Path | None = None,
    timeout: float = 120.0,
) -> ParsedDocument:
    """Read and parse one file, or raise IntakeError saying why not. `progress(done, total)`
    hears of pages as a slow reader (OCR) reads them; `workdir` keeps what readers make (page
    images); `timeout` bounds an outside program (LibreOffice) in seconds."""
    context = readers.Context(
        progress=progress, workdir=Path(workdir) if workdir else None, timeout=timeout
    )
    source = readers.read(path, context)
    if source.sheets:
        document = ledger.parse_rows(source.sheets[0][1], str(path))
    else:
        document = parse_lines(source.lines, str(path))
    document.reader = source.reader
    document.converted_from = source.converted_from
    document.pages = source.pages
    return document
