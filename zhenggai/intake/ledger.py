"""Ledgers (整改台账), in Excel or as tables in a Word document: the header is found by its column
names, with tolerance for variants, for title rows above it and for a second header row under
merged cells ("整改措施" over "具体措施 | 完成时限"); each row with a problem becomes one, and the
rows under a merged problem cell its further measures. Several sheets (or tables) make one
ledger: one per area, or one table broken across pages."""

import re
from dataclasses import dataclass

from zhenggai.intake import extract, headings
from zhenggai.intake.model import IntakeError, ParsedDocument, ParsedMeasure, ParsedProblem
from zhenggai.intake.warning import ParseWarning

# column → names it goes by, most specific first
COLUMNS = {
    # 督查点位: the place a supervision check found its problems at (a school, a hospital).
    "category": ["问题类别", "问题类型", "问题分类", "类别", "方面", "所属方面", "点位"],
    "number": ["序号", "编号"],
    "problem": ["问题描述", "存在问题", "反馈问题", "具体问题", "问题表现", "问题清单", "问题"],
    # A second column of the problem's own words, beside its title (a sole one is the problem).
    "description": ["问题描述", "具体表现", "问题表现", "主要表现"],
    "measures": ["整改措施", "整改举措", "措施"],
    "leader": ["责任领导", "牵头领导", "分管领导"],
    "lead": ["牵头单位", "牵头科室", "牵头部门"],
    "responsible": ["责任单位", "责任科室", "配合单位", "责任部门"],
    "owner": ["责任人"],
    "deadline": ["整改时限", "完成时限", "完成时间", "整改期限", "完成期限", "时限", "时间节点"],
    "progress": ["整改进展", "完成情况", "整改情况", "是否销号"],
}
# What heads the problem column of a task list that names no problem (整改任务清单).
TASK_COLUMN = ("整改任务", "整改事项", "任务")
# A category cell may hold the whole outline above a problem: "方面 / 类别" (as exports write it).
PATH_SEPARATOR = re.compile(r"\s+/\s+|\s*›\s*")
SPLIT_MEASURES = re.compile(r"\n+|(?<=[。；;])\s*(?=[0-9０-９]+[.．、]|[（(][0-9]+[）)])")


def _columns(row: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        name = re.sub(r"\s+", "", cell)
        for column, names in COLUMNS.items():
            if column not in found and any(n == name or (len(n) > 1 and n in name) for n in names):
                found[column] = index
                break
    if "problem" not in found:
        taken = set(found.values())
        for index, cell in enumerate(row):
            name = re.sub(r"\s+", "", cell)
            if index not in taken and any(n in name for n in TASK_COLUMN):
                found["problem"] = index
                break
    return found


def _title(text: str) -> str:
    """The problem cell whole when it is one sentence (its own full stop kept), else its first
    sentence: "学习不深入。如：……" is titled 学习不深入."""
    single = not headings.SENTENCE_END.search(text.rstrip("。；; "))
    return text.strip() if single else headings.clean_title(text)


# A first line this short is the problem's title as written, whatever its punctuation.
TITLE_LINE = 120
# "1．…" at the start of a line: the number of an item in a cell (not "1.5万元" or a year; a
# full-width "．" or "、" may be followed by digits: "1．2030-06-30").
ITEM = re.compile(r"^([0-9]{1,3})([．、]|\.(?![0-9]))\s*")
# An item's own further lines are indented by one space (as the ledger export writes them).
CONTINUATION = re.compile(r"^[ \u3000\t]")


# A round's heading in a ledger exported across rounds: "【区科技局巡察整改】".
ROUND_HEADING = re.compile(r"^【.+】$")
PER_MEASURE = ("lead", "responsible", "leader", "owner", "deadline")


def numbered(cell: str) -> dict[int, str] | None:
    """A cell of numbered lines ("1．…\n2．…") as {number: text}, or None when it is not one.
    An item starts with a higher number written like the first ("2．" after "1．"); any other
    line continues the item above it, less the one space that indents it."""
    lines = cell.split("\n")
    first = ITEM.match(lines[0])
    if first is None:
        return None
    separator = first.group(2)
    items: dict[int, str] = {}
    current = 0
    for line in lines:
        match = ITEM.match(line)
        if match and match.group(2) == separator and int(match.group(1)) > current:
            current = int(match.group(1))
            items[current] = line[match.end() :]
        elif current:
            items[current] += "\n" + CONTINUATION.sub("", line, count=1)
    return {n: text.strip() for n, text in items.items()}


def split_measures(cell: str) -> list[str]:
    items = numbered(cell)
    if items is not None and list(items) == list(range(1, len(items) + 1)):
        return [text for text in items.values() if text]
    return [m.strip() for m in SPLIT_MEASURES.split(cell) if m.strip()]


def per_measure(cell: str, count: int) -> list[str]:
    """The value of a column for each of `count` measures: numbered lines give each its own,
    anything else applies to all."""
    items = numbered(cell) if count > 1 else None
    if items is None or max(items) > count:
        return [cell] * count
    return [items.get(n, "") for n in range(1, count + 1)]


def _measures(cells: dict[str, str]) -> list[ParsedMeasure]:
    texts = split_measures(cells["measures"])
    columns = {name: per_measure(cells[name], len(texts)) for name in PER_MEASURE}
    return [
        ParsedMeasure(
            text,
            lead_units=extract.units(columns["lead"][n]),
            responsible_units=extract.units(columns["responsible"][n]),
            deadline=extract.deadline_of(columns["deadline"][n])
            if columns["deadline"][n]
            else None,
            leader=columns["leader"][n].strip(),
            owner=columns["owner"][n].strip(),
        )
        for n, text in enumerate(texts)
    ]


def _union(lists) -> list[str]:
    return list(dict.fromkeys(name for names in lists for name in names or ()))


def _is_header(columns: dict[str, int]) -> bool:
    return "problem" in columns and len(columns) >= 3


def _names_a_column(cell: str) -> bool:
    return bool(_columns([cell]))


def _sub_header(row: list[str]) -> bool:
    """Whether `row` names columns under a header's merged cells: short names, no figures, most
    of them known (a data row has long texts, a number or a date)."""
    cells = [name for name in (re.sub(r"\s+", "", c) for c in row) if name]
    if not cells or any(len(c) > 12 or re.search(r"[0-9０-９]", c) for c in cells):
        return False
    named = sum(_names_a_column(c) for c in cells)
    return named >= 1 and 2 * named >= len(cells)


def _combined(upper: list[str], lower: list[str]) -> list[str]:
    """Two header rows as one: the lower row's name where it names a column, else the upper
    row's, whose merged cell's text stands in its first cell only (in Excel) and is carried
    over the cells it spans."""
    names, carried = [], ""
    for index in range(max(len(upper), len(lower))):
        top = upper[index] if index < len(upper) else ""
        below = lower[index] if index < len(lower) else ""
        carried = top or carried
        if below and _names_a_column(below):
            names.append(below)
        else:
            names.append(top or (carried if below else ""))
    return names


@dataclass
class Sheet:
    """A sheet (or a Word table) holding a ledger: its name, its rows, and its header (the
    rows `first` to `last`, and the columns found in them)."""

    name: str
    rows: list[list[str]]
    first: int
    last: int
    columns: dict[str, int]


def _header(rows: list[list[str]]) -> tuple[int, int, dict[str, int]]:
    for index, row in enumerate(rows[:15]):
        columns = _columns(row)
        below = rows[index + 1] if index + 1 < len(rows) else []
        if len(columns) >= 2 and _sub_header(below):
            both = _columns(_combined(row, below))
            if _is_header(both) and len(both) > len(columns):
                return index, index + 1, both
        if _is_header(columns):
            return index, index, columns
    raise IntakeError("no header row with 序号 / 问题 / 整改措施 … columns in the first 15 rows")


def find_header(rows: list[list[str]]) -> tuple[int, dict[str, int]]:
    """(the index of the header's last row, {column: index of its cell})."""
    _, last, columns = _header(rows)
    return last, columns


def ledger_sheets(
    sheets: list[tuple[str, list[list[str]]]], *, continued: bool = False
) -> list[tuple[int, Sheet]]:
    """The sheets that hold a ledger, each with its index among `sheets`. With `continued` (the
    tables of a Word document), a table without a header whose rows are as wide as the ledger
    table before it continues that one (a table broken across pages)."""
    found: list[tuple[int, Sheet]] = []
    for index, (name, rows) in enumerate(sheets):
        try:
            first, last, columns = _header(rows)
        except IntakeError:
            previous = found[-1][1] if found and found[-1][0] == index - 1 else None
            if continued and previous and rows and _width(rows) == _width(previous.rows):
                previous.rows = [*previous.rows, *rows]
                found.append((index, previous))
            continue
        found.append((index, Sheet(name, rows, first, last, columns)))
    return found


def _width(rows: list[list[str]]) -> int:
    return max((len(row) for row in rows), default=0)


# Rows that close a ledger: totals (合计：26项) and the form's signatures and notes.
TOTAL = re.compile(
    r"^(?:合\s*计|总\s*计|共\s*计|小\s*计|填表人|制表人|审核人|填报人|备注[:：]|注[:：])"
)
# The count of problems a total row gives: "4个问题", "问题1项", "26项" (not "58条措施").
TOTAL_COUNT = (
    re.compile(r"问题\s*[:：]?\s*(\d{1,6})\s*(?:个|项|条)"),
    re.compile(r"(\d{1,6})\s*(?:个|项|条)(?!\s*(?:措施|任务|方面|单位|部门|科室))"),
)
DEFAULT_SHEET = re.compile(r"^(?:sheet|工作表)\s*\d*$", re.IGNORECASE)


class _Reader:
    """The rows of one sheet into problems: a row with a problem starts one; a row under it
    with no problem of its own (its cell merged with the one above, or repeating it) adds its
    measures, each with its row's sections and deadline, an empty cell of those taking the
    value above (a merged one); a row with one text across the table names the category of
    the problems below it."""

    def __init__(self, sheet: Sheet, area: str):
        self.columns, self.area = sheet.columns, area
        self.problems: list[ParsedProblem] = []
        self.rows_of: list[list[dict[str, str]]] = []  # each problem's rows: their cells
        self.category, self.rounds = "", 0
        self.total: int | None = None  # the count of problems the sheet's total row gives
        # Columns a row's only text may sit in and still head the rows below it.
        self.heading_columns = {sheet.columns.get("number"), sheet.columns.get("category")}

    def cell(self, row: list[str], name: str) -> str:
        index = self.columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    def add(self, row: list[str]) -> None:
        first = next((c.strip() for c in row if c.strip()), "")
        if not first or TOTAL.match(first):
            self.total = _total(" ".join(row)) if first else self.total
            return
        if ROUND_HEADING.match(row[0].strip()):
            self.rounds += 1
            return
        heading = self._heading(row)
        if heading is not None:
            self.category = heading
            return
        text, number = self.cell(row, "problem"), self.cell(row, "number")
        cells = {name: self.cell(row, name) for name in ("measures", *PER_MEASURE)}
        last = self.problems[-1] if self.problems else None
        if last and number in ("", last.number) and text in ("", self.rows_of[-1][0]["problem"]):
            if cells["measures"]:
                self.rows_of[-1].append(cells)
            return
        self.category = self.cell(row, "category") or self.category
        if text:
            self._start(row, text, number, cells)

    def _heading(self, row: list[str]) -> str | None:
        """The text of a row that holds one text (not a number) merged across the table (Word
        repeats it in each column), or alone in its number or category column (Excel keeps it
        in the first): a heading over the rows below."""
        cells = [(n, c.strip()) for n, c in enumerate(row) if c.strip()]
        texts = {c for _, c in cells}
        if len(texts) != 1 or cells[0][1].isdigit():
            return None
        across = len(cells) >= 2 and 2 * len(cells) > len(row)
        if not across and (len(cells) > 1 or cells[0][0] not in self.heading_columns):
            return None
        found = headings.numbering(headings.normalise(cells[0][1]))
        return found[2] if found and found[2] else cells[0][1]

    def _start(self, row: list[str], text: str, number: str, cells: dict[str, str]) -> None:
        # "title\ndescription", as the ledger export writes a problem with a description.
        first, _, rest = text.partition("\n")
        if rest.strip():
            title = first.strip() if len(first) <= TITLE_LINE else _title(first)
            described = rest.strip()
        else:
            title = _title(text)
            described = "" if title == text.strip() else text
        path = [self.area] if self.area and "category" not in self.columns else []
        path += [part.strip() for part in PATH_SEPARATOR.split(self.category) if part.strip()]
        self.problems.append(
            ParsedProblem(
                number=number,
                title=title,
                path=path,
                text="\n".join(p for p in (described, self.cell(row, "description")) if p),
            )
        )
        self.rows_of.append([{**cells, "problem": text}])

    def finish(self) -> list[ParsedProblem]:
        for problem, rows in zip(self.problems, self.rows_of, strict=True):
            _fill(problem, _carried(rows))
        return self.problems


def _total(text: str) -> int | None:
    """The count of problems a total row gives, or None."""
    declared = extract.find_declared(text).get("problems")
    if declared is not None:
        return declared
    for pattern in TOTAL_COUNT:
        found = pattern.search(text)
        if found:
            return int(found.group(1))
    return None


def _carried(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """A problem's rows with an empty section, leader, owner or deadline cell taking the value
    of the row above (a cell merged over the rows of the problem), unless that one gives each
    of its row's measures a value of its own ("1．办公室\n2．财务科")."""
    out = [rows[0]]
    for row in rows[1:]:
        above = out[-1]
        out.append(
            {
                k: v or (above[k] if k in PER_MEASURE and numbered(above[k]) is None else v)
                for k, v in row.items()
            }
        )
    return out


def _fill(problem: ParsedProblem, rows: list[dict[str, str]]) -> None:
    """A problem's measures from its rows, and its sections and deadline from its measures."""
    problem.measures = [m for cells in rows for m in _measures(cells)]
    measures, cells = problem.measures, rows[0]
    problem.lead_units = _union(m.lead_units for m in measures) or extract.units(cells["lead"])
    problem.responsible_units = _union(m.responsible_units for m in measures) or extract.units(
        cells["responsible"]
    )
    # The problem's deadline: its measures' one when they share it (each keeps its own).
    deadlines = {(m.deadline.kind, m.deadline.date) if m.deadline else None for m in measures}
    problem.deadline = measures[0].deadline if len(deadlines) == 1 else None
    if not measures and cells["deadline"]:
        problem.deadline = extract.deadline_of(cells["deadline"])


# A row above the header that is the ledger's title: "XX局巡察反馈问题整改台账", "关于…整改任务
# 清单", its date in brackets after it allowed ("（截至2024年6月30日）").
LEDGER_TITLE = re.compile(
    r"^关于.{2,}|^.{2,}(?:台账|清单|一览表|明细表)(?:[（(][^（()）]{1,30}[）)])?$"
)


def title_row(rows: list[list[str]]) -> str | None:
    """The first of `rows` (those above the header) whose text reads as the ledger's title."""
    for row in rows:
        # A merged cell's text stands in each of its cells in Word, in the first in Excel.
        text = re.sub(r"\s+", "", "".join(dict.fromkeys(c.strip() for c in row if c.strip())))
        if len(text) <= 80 and LEDGER_TITLE.match(text):
            return text
    return None


def parse_ledger(sheets: list[Sheet], file: str = "") -> ParsedDocument:
    """One ledger of `sheets`; each sheet's name is the area of its problems when there are
    several sheets, with names of their own, and no category column."""
    names = [sheet.name for sheet in sheets]
    named = len(set(names)) > 1 and not any(not n or DEFAULT_SHEET.match(n) for n in names)
    problems, rounds, seen, totals = [], 0, set(), []
    for sheet in sheets:
        if id(sheet) in seen:  # a table continued by the next: read once, whole
            continue
        seen.add(id(sheet))
        reader = _Reader(sheet, sheet.name if named else "")
        for row in sheet.rows[sheet.last + 1 :]:
            reader.add(row)
        problems += reader.finish()
        rounds += reader.rounds
        totals.append(reader.total)
    first = sheets[0]
    title = " ".join(" ".join(r) for r in first.rows[: first.first])
    warnings = [ParseWarning("several_rounds", rounds=rounds)] if rounds > 1 else []
    # A title row may say how many problems the ledger holds ("27个问题清单"), else the sheets'
    # total rows do (合计 4个问题).
    declared = extract.find_declared(headings.normalise(title))
    if "problems" not in declared and any(total is not None for total in totals):
        declared["problems"] = sum(total or 0 for total in totals)
    return ParsedDocument(
        file=file,
        kind="ledger",
        org=extract.find_org([title]) if title.strip() else None,
        title=title_row(first.rows[: first.first]),
        declared=declared,
        problems=problems,
        warnings=warnings,
    )


def parse_sheets(
    sheets: list[tuple[str, list[list[str]]]], file: str = "", *, continued: bool = False
) -> ParsedDocument:
    """The ledger of a workbook's sheets (or a document's tables), or IntakeError when none of
    them has a ledger's header."""
    found = ledger_sheets(sheets, continued=continued)
    if not found:
        raise IntakeError(
            "no header row with 序号 / 问题 / 整改措施 … columns in the first 15 rows"
            + (f" of any of the {len(sheets)} sheets" if len(sheets) > 1 else "")
        )
    return parse_ledger([sheet for _, sheet in found], file)


def parse_rows(rows: list[list[str]], file: str = "") -> ParsedDocument:
    """The ledger of one sheet's rows."""
    return parse_sheets([("", rows)], file)
