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


def kind_of(lines: list[str]) -> str:
    """Plan when the title names a 整改方案 first; report when it speaks of 通报, 报告 or 整改情况
    (a report on feedback, too); feedback otherwise."""
    head = "".join(line.strip() for line in lines[:12])[:400]
    first = re.search(r"整改(?:工作)?方案|整改任务清单|通报|报告|整改(?:落实)?情况|反馈意见", head)
    if first is None:
        return "report"
    if "方案" in first.group(0) or "清单" in first.group(0):
        return "plan"
    if re.search(r"通报|报告|整改(?:落实)?情况", head):
        return "report"
    return "feedback"


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
    root = outline.build(lines)
    found, outline_warnings = outline.problem_nodes(root)
    warnings += outline_warnings
    kind = kind_of(lines)
    problems = []
    for n, (node, path) in enumerate(found, start=1):
        facts = extract.problem_facts(
            node.heading, node.body, feedback=kind == "feedback", last=n == len(found)
        )
        problems.append(ParsedProblem(number=node.number, title=node.title, path=path, **facts))
    document = ParsedDocument(
        file=file,
        kind=kind,
        org=extract.find_org(plain),
        title=extract.find_title(plain),
        inspector=extract.find_inspector(plain),
        dates=extract.find_dates(text, warnings),
        declared=extract.find_declared(text),
        problems=problems,
        warnings=warnings,
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
