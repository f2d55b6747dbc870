"""The corpus of real published documents (tests/corpus/): each text or ledger beside its truth,
written by hand from reading it; parsed and scored check by check. Plain Python, no Django."""

import json
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from zhenggai.intake.model import ParsedDocument
from zhenggai.intake.parse import parse_file

CORPUS = Path(__file__).resolve().parent / "corpus"
SOURCES = (".txt", ".tsv")  # a .tsv is a ledger: tab-separated cells, one row per line
# What a .tsv ledger is handed in as: an .xlsx workbook unless its truth's "formats" say more.
FORMATS = ("xlsx", "docx")
KINDS = ("report", "plan", "feedback", "ledger")
ROUND_KINDS = ("巡察", "巡视", "专项巡察", "审计", "督查", "评价")
DECLARED_KEYS = ("areas", "problems", "long_term", "completed")
REQUIRED = {"source": str, "found_with": str, "kind": str, "round_kind": str, "complete": bool}
OPTIONAL = {
    "declared": dict,
    "problems": int,
    "first_problems": list,
    "paths": list,
    "lead_units": list,
    "formats": list,
    "notes": str,
}

# What a title may differ by and still be the same title: spacing, quotation marks, the
# punctuation it ends with, and full- or half-width forms (NFKC).
_QUOTES = re.compile(r"[\s“”\"‘’']")
_TRAILING = re.compile(r"[。；;，,：:]+$")

# The lines of a .tsv that are not rows: a sheet's name before its rows, and a paragraph of the
# report a ledger is pasted into (only the .docx has it). "\n" in a cell is a line break.
_SHEET = re.compile(r"^## sheet: (.+)$")
_TEXT = re.compile(r"^## text: (.+)$")
# A problem column's heading in the corpus's ledgers, and the start of a total row.
_PROBLEM_HEADINGS = {"整改任务", "存在问题", "问题描述", "反馈问题", "问题表现", "具体问题", "问题"}
_TOTAL = re.compile(r"^(合计|共计|总计)")


@dataclass
class Entry:
    name: str
    source: Path
    truth: dict


@dataclass
class Result:
    name: str
    checks: int = 0
    right: int = 0
    wrong: list[str] = field(default_factory=list)
    failure: str = ""  # the exception, when the document did not parse

    def check(self, label: str, parsed, expected) -> None:
        self.checks += 1
        if parsed == expected:
            self.right += 1
        else:
            self.wrong.append(f"{label}: parsed {parsed!r}, truth {expected!r}")


def normalised(title: str) -> str:
    text = _QUOTES.sub("", unicodedata.normalize("NFKC", title or ""))
    return _TRAILING.sub("", text)


def format_errors(truth: dict) -> list[str]:
    """What is wrong with a truth file against the corpus format (README.md); [] if nothing."""
    return _type_errors(truth) or _value_errors(truth)


def _type_errors(truth: dict) -> list[str]:
    errors = [f"missing {key}" for key in REQUIRED if key not in truth]
    for key, value in truth.items():
        expected = REQUIRED.get(key) or OPTIONAL.get(key)
        if expected is None:
            errors.append(f"unknown key {key}")
        elif not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            errors.append(f"{key} should be {expected.__name__}")
    return errors


def _value_errors(truth: dict) -> list[str]:
    errors = []
    if truth["kind"] not in KINDS:
        errors.append(f"kind {truth['kind']!r} is not one of {KINDS}")
    if truth["round_kind"] not in ROUND_KINDS:
        errors.append(f"round_kind {truth['round_kind']!r} is not one of {ROUND_KINDS}")
    for key, value in truth.get("declared", {}).items():
        if key not in DECLARED_KEYS or not isinstance(value, int) or isinstance(value, bool):
            errors.append(f"declared {key}: {value!r}")
    formats = truth.get("formats", ["xlsx"])
    if not formats or len(set(formats)) < len(formats) or not set(formats) <= set(FORMATS):
        errors.append(f"formats: some of {FORMATS}, each once")
    if "problems" in truth and not truth["complete"]:
        errors.append("problems is given only for a complete text")
    firsts = truth.get("first_problems", [])
    if len(firsts) > 3 or not all(isinstance(t, str) and t for t in firsts):
        errors.append("first_problems: up to 3 titles")
    errors += _per_problem_errors(truth, "paths", len(firsts))
    errors += _per_problem_errors(truth, "lead_units", len(firsts))
    return errors


def _per_problem_errors(truth: dict, key: str, firsts: int) -> list[str]:
    value = truth.get(key)
    if value is None:
        return []
    if len(value) > firsts:
        return [f"{key}: more entries than first_problems"]
    if not all(isinstance(item, list) and all(isinstance(s, str) for s in item) for item in value):
        return [f"{key}: a list of lists of strings"]
    return []


def entries(folder: Path = CORPUS) -> list[Entry]:
    """Every document with its truth, by name."""
    found = []
    for source in sorted(folder.iterdir()):
        if source.suffix in SOURCES:
            truth_path = source.with_suffix(".json")
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
            found.append(Entry(source.stem, source, truth))
    return found


def formats(entry: Entry) -> list[str]:
    """The forms a document is checked in: a ledger in each of its formats, a text as itself."""
    if entry.source.suffix != ".tsv":
        return [entry.source.suffix[1:]]
    return entry.truth.get("formats", ["xlsx"])


def parse(entry: Entry, form: str = "") -> ParsedDocument:
    """The document parsed; a ledger as the .xlsx or .docx `form` (its first format if none)."""
    if entry.source.suffix != ".tsv":
        return parse_file(entry.source)
    build = {"xlsx": workbook_of, "docx": document_of}[form or formats(entry)[0]]
    with tempfile.TemporaryDirectory() as folder:
        return parse_file(build(entry.source, Path(folder)))


@dataclass
class Ledger:
    paragraphs: list[str]  # of the report the tables are pasted into
    sheets: list[tuple[str, list[list[str]]]]  # name ("" when the .tsv names none) and rows


def ledger_of(tsv: Path) -> Ledger:
    ledger = Ledger([], [])
    for line in tsv.read_text(encoding="utf-8").splitlines():
        if text := _TEXT.match(line):
            ledger.paragraphs.append(text[1])
        elif sheet := _SHEET.match(line):
            ledger.sheets.append((sheet[1], []))
        else:
            if not ledger.sheets:
                ledger.sheets.append(("", []))
            ledger.sheets[-1][1].append([c.replace("\\n", "\n") for c in line.split("\t")])
    return ledger


def workbook_of(tsv: Path, folder: Path) -> Path:
    """An .xlsx of a .tsv's sheets, as an office would hand the ledger in: an empty cell is
    absent (as the cells a merged one spans), a whole number is a number."""
    import openpyxl

    book = openpyxl.Workbook()
    for index, (name, rows) in enumerate(ledger_of(tsv).sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = name or sheet.title
        for row in rows:
            sheet.append([int(c) if c.isdecimal() else c or None for c in row])
    path = folder / f"{tsv.stem}.xlsx"
    book.save(path)
    return path


def document_of(tsv: Path, folder: Path) -> Path:
    """A .docx of a .tsv, as a report with the ledger pasted in: its paragraphs, then each sheet
    as a table under its name; a cell's lines are paragraphs, and the cells an office merges
    down (see merged_down) are merged."""
    import docx

    ledger = ledger_of(tsv)
    document = docx.Document()
    for paragraph in ledger.paragraphs:
        document.add_paragraph(paragraph)
    for name, rows in ledger.sheets:
        if name:
            document.add_paragraph(name)
        table = document.add_table(rows=len(rows), cols=max(len(row) for row in rows))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                lines = text.split("\n")
                cell = table.cell(r, c)
                cell.text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
        for column, first, last in merged_down(rows):
            merged = table.cell(first, column).merge(table.cell(last, column))
            for paragraph in merged.paragraphs[1:]:  # Word drops the empty cells' paragraphs
                if not paragraph.text:
                    paragraph._p.getparent().remove(paragraph._p)
    path = folder / f"{tsv.stem}.docx"
    document.save(path)
    return path


def merged_down(rows: list[list[str]]) -> list[tuple[int, int, int]]:
    """(column, first row, last row) of each run of cells merged down, read off the .tsv: below
    the row heading the problem column, a cell left empty in that column or one left of it (序号,
    类别) belongs to the cell above it, unless its row is empty or a total row (合计…)."""
    header = next((n for n, row in enumerate(rows) if _problem_column(row) is not None), None)
    if header is None:
        return []
    runs = []
    for column in range(_problem_column(rows[header]) + 1):
        first = header
        for r in range(header + 1, len(rows) + 1):
            if r < len(rows) and _continues(rows[r], column):
                continue
            if r - 1 > first:
                runs.append((column, first, r - 1))
            first = r
    return runs


def _problem_column(row: list[str]) -> int | None:
    cells = [re.sub(r"\s+", "", c) for c in row]
    return next((n for n, c in enumerate(cells) if c in _PROBLEM_HEADINGS), None)


def _continues(row: list[str], column: int) -> bool:
    filled = [c for c in row if c.strip()]
    empty = column >= len(row) or not row[column].strip()
    return empty and bool(filled) and not _TOTAL.match(filled[0].strip())


def score(entry: Entry, document: ParsedDocument) -> Result:
    """The checks of one document: kind, the four declared totals, the problem count of a
    complete text, and each first problem's title, path and lead sections as the truth gives
    them. A text that reaches no problem (first_problems []) is right when none is parsed."""
    truth, result = entry.truth, Result(entry.name)
    result.check("kind", document.kind, truth["kind"])
    declared = truth.get("declared", {})
    for key in DECLARED_KEYS:
        result.check(f"declared {key}", document.declared.get(key), declared.get(key))
    if "problems" in truth:
        result.check("problems", len(document.problems), truth["problems"])
    firsts = truth.get("first_problems", [])
    problems = document.problems
    if not firsts and "first_problems" in truth and not truth["complete"]:
        result.check("no problem in the text", [p.title for p in problems[:1]], [])
    for n, title in enumerate(firsts):
        parsed = normalised(problems[n].title) if n < len(problems) else None
        result.check(f"problem {n + 1} title", parsed, normalised(title))
    for n, path in enumerate(truth.get("paths", [])):
        parsed = [normalised(p) for p in problems[n].path] if n < len(problems) else None
        result.check(f"problem {n + 1} path", parsed, [normalised(p) for p in path])
    for n, units in enumerate(truth.get("lead_units", [])):
        parsed = problems[n].lead_units if n < len(problems) else None
        result.check(f"problem {n + 1} lead units", parsed, units)
    return result


def measure(folder: Path = CORPUS) -> list[Result]:
    """Each document's result (a ledger's, in each of its formats); a document that fails to
    parse has every check wrong."""
    results = []
    for entry in entries(folder):
        for form in formats(entry):
            try:
                result = score(entry, parse(entry, form))
            except Exception as exc:  # a crash is scored here, and test_corpus fails on it
                result = score(entry, ParsedDocument(file=entry.name, kind=""))
                result.right, result.failure = 0, repr(exc)
                result.wrong = [f"parse failed: {exc!r}"]
            if "formats" in entry.truth:  # each format's checks count apart
                result.name = f"{entry.name}.{form}"
            results.append(result)
    return results


def share(results: list[Result]) -> float:
    checks = sum(r.checks for r in results)
    return sum(r.right for r in results) / checks if checks else 0.0


def wrong_report(results: list[Result]) -> str:
    """Every wrong check, grouped by document."""
    lines = []
    for result in results:
        if result.wrong:
            lines.append(f"{result.name}: {result.right}/{result.checks}")
            lines.extend(f"  {wrong}" for wrong in result.wrong)
    return "\n".join(lines)
