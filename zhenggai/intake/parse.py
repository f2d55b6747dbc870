"""Parse a document (or an Excel ledger) into a ParsedDocument."""

import functools
import re
from collections.abc import Callable
from pathlib import Path

from zhenggai.intake import extract, headings, ledger, outline, readers
from zhenggai.intake.model import IntakeError, ParsedDocument, ParsedProblem
from zhenggai.intake.warning import ParseWarning

MAX_LINES = outline.MAX_LINES
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
    r"|(?:督查|督察|测评|检查|暗访)[^。，,]{0,8}通报|问题清单|反馈会"
)
# The unit speaking of itself: a report, even where it tells of the feedback it was given.
FIRST_PERSON = re.compile(r"我(?:市|区|县|省|局|委|校|院|司|单位|们)")


def kind_of(lines: list[str]) -> str:
    """Plan, report or feedback, from the title (the short lines the document opens with),
    else from its first paragraphs; a report when neither says. Names in 《》 are other
    documents and are not read."""
    opening = [re.sub(r"《[^》]*》", "", line.strip()) for line in lines[:12] if line.strip()]
    # A title is short and has no full stop; a short first paragraph is no title.
    title = "".join(line for line in opening[:8] if len(line) <= 80 and "。" not in line)
    kind = _kind_in(title)
    if kind is None:
        head = "".join(opening)[:400]
        kind = _kind_in(head, plan=False)
        if kind == "feedback" and _speaks_as_the_unit(head):
            kind = "report"
    return kind or "report"


def _speaks_as_the_unit(head: str) -> bool:
    """Whether an opening without a title is the unit's own: it says 我市/我局, or speaks of
    its rectification (巡察整改) before it tells of the feedback."""
    feedback = FEEDBACK.search(head)
    rectification = head.find("整改")
    return bool(FIRST_PERSON.search(head)) or -1 < rectification < feedback.start()


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
        raise IntakeError(f"{file}: too many lines, more than {MAX_LINES}")
    early_warnings: list[ParseWarning] = []
    lines = simplified(lines, early_warnings)
    plain = [headings.normalise(line) for line in lines]  # once, for every search below
    text = "\n".join(plain)
    warnings: list[ParseWarning] = early_warnings
    rules: list[str] = []  # the codes of the rules that shaped the outline (rules.RULES)
    kind = kind_of(lines)
    try:
        root = outline.build(lines)
    except IntakeError as exc:
        raise IntakeError(f"{file}: {exc}") from None
    found, outline_warnings = outline.problem_nodes(root, feedback=kind == "feedback", rules=rules)
    _check_problems(len(found), file)  # before the facts of each are read
    warnings += outline_warnings
    problems = []
    for n, (node, path) in enumerate(found, start=1):
        facts = extract.problem_facts(
            node.heading, node.body, feedback=kind == "feedback", last=n == len(found), rules=rules
        )
        problems.append(ParsedProblem(number=node.number, title=node.title, path=path, **facts))
    declared = extract.find_declared(text, rules)
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


def _check_problems(count: int, file: str) -> None:
    if count > outline.MAX_PROBLEMS:
        raise IntakeError(f"{file}: too many problems, more than {outline.MAX_PROBLEMS}")


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
    paths = [p.path for p in document.problems if p.path]
    # Headings every problem sits under (整改内容, 存在问题) wrap the areas; they are not one.
    while paths and len({path[0] for path in paths}) == 1 and all(len(x) > 1 for x in paths):
        paths = [path[1:] for path in paths]
    parsed_areas = len({path[0] for path in paths})
    if areas is not None and parsed_areas and areas != parsed_areas:
        document.warnings.append(
            ParseWarning("declared_areas_mismatch", declared=areas, parsed=parsed_areas)
        )


def parse_file(
    path: str | Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    workdir: str | Path | None = None,
    timeout: float = readers.DEFAULT_TIMEOUT,
) -> ParsedDocument:
    """Read and parse one file, or raise IntakeError saying why not. `progress(done, total)`
    hears of pages as a slow reader (OCR) reads them; `workdir` keeps what readers make (page
    images); `timeout` bounds in seconds what a slow reader (LibreOffice, OCR) may take."""
    context = readers.Context(
        progress=progress, workdir=Path(workdir) if workdir else None, timeout=timeout
    )
    source = readers.read(path, context)
    if source.sheets:
        document = ledger.parse_sheets(source.sheets, str(path))
        _check_problems(len(document.problems), str(path))
        _check_declared(document)
    else:
        document = _from_tables(source, str(path)) or parse_lines(source.lines, str(path))
    document.reader = document.reader or source.reader
    document.converted_from = source.converted_from
    document.pages = source.pages
    return document


# Warnings of the text's own outline, which a ledger table replaces.
OUTLINE_WARNINGS = frozenset(
    {
        "no_problem_section",
        "declared_problems_mismatch",
        "declared_problems_run_together",
        "declared_areas_mismatch",
    }
)
# What labels a table's caption rather than naming an area: 附件1：, 附表二, 续表.
CAPTION_LABEL = re.compile(r"^(?:附件|附表|续表)\s*[0-9一二三四五六七八九十]*\s*[:：、.．]?\s*")


def _from_tables(source: readers.Source, file: str) -> ParsedDocument | None:
    """A Word document whose tables hold a ledger (a 台账 pasted into Word, or a report whose
    appendix is one): its problems come from the tables, once, and the text around them gives
    the organisation, title, dates and declared totals. None when no table holds a ledger with
    problems (the text is then read whole, its tables' rows as lines)."""
    tables = [(_caption(source, n), rows) for n, rows in enumerate(source.tables)]
    found = ledger.ledger_sheets(tables, continued=True)
    if not found:
        return None
    table = ledger.parse_ledger([sheet for _, sheet in found], file)
    _check_problems(len(table.problems), file)
    if not table.problems:
        return None
    hidden = {
        n
        for index, _ in found
        if index < len(source.table_lines)
        for n in range(*source.table_lines[index])
    }
    text = parse_lines([line for n, line in enumerate(source.lines) if n not in hidden], file)
    return _with_text(table, text)


def _with_text(table: ParsedDocument, text: ParsedDocument) -> ParsedDocument:
    """The tables' ledger with what the text states about it."""
    document = table
    document.reader = "docx_table"
    # A titled report or plan keeps its kind; a title-less sheet of rows is a ledger.
    document.kind = text.kind if text.title else "ledger"
    document.org = text.org or table.org
    document.title, document.inspector = text.title, text.inspector
    document.dates, document.declared = text.dates, text.declared or table.declared
    own = [w for w in text.warnings if w.code not in OUTLINE_WARNINGS]
    document.warnings = own + table.warnings
    # The text's outline is worth a word when it is more than headings guessed at, or than
    # the captions naming the tables' areas.
    guessed = any(w.code == "no_problem_section" for w in text.warnings)
    areas = {part for problem in table.problems for part in problem.path}
    captions = all(problem.title in areas for problem in text.problems)
    if text.problems and not (guessed or captions) and len(text.problems) != len(table.problems):
        document.warnings.append(
            ParseWarning("table_outline_used", text=len(text.problems), table=len(table.problems))
        )
    _check_declared(document)
    return document


def _caption(source: readers.Source, index: int) -> str:
    """The short line just above a table (its caption: an area's name, "附件：…"), less its
    label and numbering; "" when the table follows text of its own or another table."""
    if index >= len(source.table_lines):
        return ""
    start = source.table_lines[index][0]
    floor = source.table_lines[index - 1][1] if index else 0
    above = [headings.normalise(line) for line in source.lines[max(floor, start - 3) : start]]
    line = next((line for line in reversed(above) if line), "")
    if not line or len(line) > 40:
        return ""
    line = CAPTION_LABEL.sub("", line)
    found = headings.numbering(line)
    return (found[2] if found else line).strip()
