"""The progress sheet (进度填报表) of a round: one row per active measure, written for a section
to fill in and read back when it is uploaded.

Writing: XlsxWriter in constant-memory mode, like the ledger export (`zhenggai.lib.xlsx`), but
with typed, unlocked cells where people write (percent, dates, counts, funds), data validation
on them, and the key columns protected. A hidden sheet names the round; a hidden column keeps
each row's values as downloaded, so the import tells what the section changed from what
someone else changed meanwhile. Reading: openpyxl read-only; the header is found by its labels
(columns may be reordered, extra columns and blank rows are ignored); every row becomes a plain
`SheetRow`, and every cell a value or the Chinese reason it cannot be one (`parse_cell`).
"""

import datetime
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import xlsxwriter
from openpyxl import load_workbook

from zhenggai.ledger.models import DeadlineKind

SHEET_NAME = "进度填报表"
META_SHEET = "说明"
ROUND_LABEL = "轮次编号"
KEY = "key"
# (field, header label, width, editable). The labels are what the reader looks for.
COLUMNS = [
    (KEY, "措施编号", 10, False),
    ("number", "问题序号", 7, False),
    ("problem", "问题", 30, False),
    ("text", "整改措施", 40, False),
    ("section", "牵头科室", 12, False),
    ("owner", "责任人", 10, False),
    ("deadline", "整改时限", 13, True),
    ("reason", "时限调整理由", 20, True),
    ("progress", "整改进展", 40, True),
    ("percent", "完成进度（%）", 10, True),
    ("completed_on", "完成日期", 12, True),
    ("rules_made", "新建制度（项）", 9, True),
    ("rules_revised", "修订制度（项）", 9, True),
    ("funds_recovered", "挽回/追缴资金（万元）", 12, True),
    ("people_held_accountable", "问责人数", 8, True),
    ("original", "下载时的值（请勿修改）", 10, False),
]
LABELS = {name: label for name, label, _, _ in COLUMNS}
# The fields an upload may change, as the import reads them.
EDITABLE = [name for name, _, _, editable in COLUMNS if editable and name != "reason"]
COUNT_FIELDS = ("rules_made", "rules_revised", "people_held_accountable")
RESULT_FIELDS = ("completed_on", *COUNT_FIELDS, "funds_recovered")
DEADLINE_WORDS = {label: kind for kind, label in DeadlineKind.choices if kind != DeadlineKind.DATE}
NO_DEADLINE = "未定"
KEY_PATTERN = re.compile(r"^M(\d{1,18})$")
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
# Every row read counts, blank or not (a tiny file may hold a million blank rows), and no more
# columns than these are read of a row (a cell may sit at column XFD).
MAX_LINES = 2 * MAX_ROWS
MAX_COLUMNS = 64
HEADER_SEARCH_ROWS = 20
MAX_TEXT = 20_000  # a progress report's longest text, as the report form allows
MAX_CELL = 32_767  # Excel's own limit on a cell's text: a longer one was not written by Excel
# The progress texts and reasons a sheet may carry in all (50,000 rows of 200 characters): what
# the import keeps of a sheet, so a file of one long text repeated on every row is refused.
MAX_SHEET_TEXT = 10_000_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Unreadable(Exception):
    """`message` is Chinese for the interface; str(exc) is English for logs."""

    def __init__(self, message: str, reason: str):
        super().__init__(reason)
        self.message = message


# -- values ----------------------------------------------------------------------------------


def measure_key(pk: int) -> str:
    return f"M{pk}"


def key_id(key: str) -> int | None:
    match = KEY_PATTERN.match(key.strip().upper())
    return int(match.group(1)) if match else None


def deadline_text(kind: str, deadline: datetime.date | str | None) -> str:
    """A deadline as the sheet shows it: the date, 立行立改, 长期坚持, or 未定."""
    if kind != DeadlineKind.DATE:
        return DeadlineKind(kind).label
    if isinstance(deadline, datetime.date):
        return deadline.isoformat()
    return deadline or NO_DEADLINE


def money_text(value) -> str:
    return format(Decimal(value).normalize(), "f")


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = _DATE.match(str(value).strip())
    if not match:
        raise ValueError(value)
    return datetime.date(*(int(part) for part in match.groups()))


def _whole(value) -> int:
    """A whole number from a cell: 3, 3.0, "3", "3%", or ValueError."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        if float(value) != int(value):
            raise ValueError(value)
        return int(value)
    text = str(value).strip().removesuffix("%").removesuffix("％").strip()
    number = Decimal(text)
    if number != number.to_integral_value():
        raise ValueError(value)
    return int(number)


def _money(value) -> str:
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(value) from None
    if not amount.is_finite():
        raise ValueError(value)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(value)
    return money_text(amount)


def _deadline(value) -> dict:
    text = str(value).strip() if not isinstance(value, datetime.date) else ""
    if text in DEADLINE_WORDS:
        kind = DEADLINE_WORDS[text]
        return {"deadline_kind": kind, "deadline": None}
    if text == NO_DEADLINE:
        return {"deadline_kind": DeadlineKind.DATE, "deadline": None}
    return {"deadline_kind": DeadlineKind.DATE, "deadline": parse_date(value).isoformat()}


_BAD = {
    "percent": "“完成进度（%）”应为 0 至 100 之间的整数",
    "completed_on": "“完成日期”应为日期，如 2026-10-31",
    "rules_made": "“新建制度（项）”应为不小于 0 的整数",
    "rules_revised": "“修订制度（项）”应为不小于 0 的整数",
    "people_held_accountable": "“问责人数”应为不小于 0 的整数",
    "funds_recovered": "“挽回/追缴资金（万元）”应为数字，最多两位小数",
    "deadline": "“整改时限”应为日期（如 2026-12-31）、“立行立改”或“长期坚持”",
}


def parse_cell(name: str, value):
    """(value as stored, "") or (None, why not), for one editable cell that is not blank.
    Stored as the ledger stores it: ids and ISO dates, amounts as text; a deadline as the
    fields it sets."""
    try:
        if name == "percent":
            return _whole(value), ""
        if name in COUNT_FIELDS:
            return _whole(value), ""
        if name == "completed_on":
            return parse_date(value).isoformat(), ""
        if name == "funds_recovered":
            return _money(value), ""
        if name == "deadline":
            return _deadline(value), ""
    except (ValueError, TypeError, InvalidOperation, OverflowError):
        return None, _BAD[name]
    raise ValueError(f"not an editable number or date: {name}")


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# -- writing ---------------------------------------------------------------------------------


@dataclass
class SheetMeasure:
    """What one row of the sheet shows (read from the database by the caller)."""

    pk: int
    number: str
    problem: str
    text: str
    section: str
    owner: str
    deadline_kind: str
    deadline: datetime.date | None
    percent: int
    completed_on: datetime.date | None
    rules_made: int
    rules_revised: int
    funds_recovered: Decimal
    people_held_accountable: int

    def original(self) -> dict:
        """The editable values as downloaded, as the import compares them."""
        return {
            "deadline": deadline_text(self.deadline_kind, self.deadline),
            "percent": self.percent,
            "completed_on": self.completed_on.isoformat() if self.completed_on else "",
            "rules_made": self.rules_made,
            "rules_revised": self.rules_revised,
            "funds_recovered": money_text(self.funds_recovered),
            "people_held_accountable": self.people_held_accountable,
        }


class _Formats:
    def __init__(self, book):
        base = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "top"}
        grey = {**base, "bg_color": "#EDEDED", "text_wrap": True}
        edit = {**base, "locked": False, "bg_color": "#FFFDE7"}
        self.caption = book.add_format(
            {"font_name": "方正小标宋简体", "font_size": 16, "align": "center", "valign": "vcenter"}
        )
        self.note = book.add_format({"font_name": "宋体", "font_size": 9, "text_wrap": True})
        self.header = book.add_format(
            {**base, "bold": True, "align": "center", "valign": "vcenter", "text_wrap": True}
        )
        self.header_edit = book.add_format(
            {
                **base,
                "bold": True,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "bg_color": "#FFF2CC",
            }
        )
        self.key = book.add_format({**base, "align": "center"})
        self.grey = book.add_format(grey)
        self.deadline = book.add_format({**grey, "locked": False})
        self.text = book.add_format({**edit, "text_wrap": True})
        self.whole = book.add_format({**edit, "num_format": "0"})
        self.money = book.add_format({**edit, "num_format": "0.00"})
        self.date = book.add_format({**edit, "num_format": "yyyy-mm-dd"})
        self.hidden = book.add_format({"font_size": 8, "font_color": "#999999"})


HEADER_ROW = 2
NOTE = (
    "黄色各列可填写：整改进展为本次新报告的进展（留空则不报告）；完成进度 0–100 的整数；"
    "完成日期如 2026-10-31；数字留空表示不修改。整改时限可改为日期、“立行立改”或“长期坚持”，"
    "方案审定后的调整须填写时限调整理由，报单位领导审批后生效。销号不能通过本表办理。"
    "请勿修改措施编号。"
)


def write_sheet(target, round, measures: Iterable[SheetMeasure], subtitle: str = "") -> int:
    """Write the sheet of `round` to `target` (a path or a binary file); returns its rows."""
    book = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    formats = _Formats(book)
    sheet = book.add_worksheet(SHEET_NAME)
    meta = book.add_worksheet(META_SHEET)
    _start(sheet, formats, f"{round.title} 进度填报表", subtitle)
    row = HEADER_ROW + 1
    for measure in measures:
        _write_row(sheet, formats, row, measure)
        row += 1
    last = max(row - 1, HEADER_ROW + 1)
    _validate(sheet, last)
    sheet.protect("", {"format_columns": True, "format_rows": True, "autofilter": True})
    meta.write_row(0, 0, [ROUND_LABEL, round.pk])
    meta.write_row(1, 0, ["轮次", round.title])
    meta.write_row(2, 0, ["说明", "请在“进度填报表”中填写；本页供系统识别轮次，请勿修改。"])
    meta.hide()
    book.close()
    return row - HEADER_ROW - 1


def _start(sheet, formats: _Formats, title: str, subtitle: str) -> None:
    last = len(COLUMNS) - 1
    for column, (name, _, width, _) in enumerate(COLUMNS):
        sheet.set_column(column, column, width, None, {"hidden": name == "original"})
    sheet.set_row(0, 30)
    sheet.merge_range(0, 0, 0, last, title, formats.caption)
    sheet.set_row(1, 42)
    sheet.merge_range(1, 0, 1, last, f"{subtitle}\n{NOTE}".strip(), formats.note)
    for column, (_, label, _, editable) in enumerate(COLUMNS):
        sheet.write_string(
            HEADER_ROW, column, label, formats.header_edit if editable else formats.header
        )
    sheet.freeze_panes(HEADER_ROW + 1, 1)
    sheet.repeat_rows(HEADER_ROW)
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)


def _write_row(sheet, formats: _Formats, row: int, m: SheetMeasure) -> None:
    column = {name: index for index, (name, _, _, _) in enumerate(COLUMNS)}
    sheet.write_string(row, column[KEY], measure_key(m.pk), formats.key)
    for name, value in (
        ("number", m.number),
        ("problem", m.problem),
        ("text", m.text),
        ("section", m.section),
        ("owner", m.owner),
    ):
        sheet.write_string(row, column[name], value[:32_000], formats.grey)
    sheet.write_string(
        row, column["deadline"], deadline_text(m.deadline_kind, m.deadline), formats.deadline
    )
    sheet.write_blank(row, column["reason"], None, formats.text)
    sheet.write_blank(row, column["progress"], None, formats.text)
    sheet.write_number(row, column["percent"], m.percent, formats.whole)
    if m.completed_on:
        sheet.write_datetime(row, column["completed_on"], m.completed_on, formats.date)
    else:
        sheet.write_blank(row, column["completed_on"], None, formats.date)
    for name in COUNT_FIELDS:
        sheet.write_number(row, column[name], getattr(m, name), formats.whole)
    sheet.write_number(row, column["funds_recovered"], float(m.funds_recovered), formats.money)
    original = json.dumps(m.original(), ensure_ascii=False, separators=(",", ":"))
    sheet.write_string(row, column["original"], original, formats.hidden)


def _validate(sheet, last: int) -> None:
    """Excel's own checks on the editable cells: a guide, the import checks everything."""
    column = {name: index for index, (name, _, _, _) in enumerate(COLUMNS)}
    first = HEADER_ROW + 1
    whole = {"validate": "integer", "criteria": ">=", "value": 0}
    rules = {
        "percent": {
            "validate": "integer",
            "criteria": "between",
            "minimum": 0,
            "maximum": 100,
            "error_message": "完成进度应为 0 至 100 之间的整数。",
        },
        "completed_on": {
            "validate": "date",
            "criteria": "between",
            "minimum": datetime.date(2000, 1, 1),
            "maximum": datetime.date(2099, 12, 31),
            "error_message": "请填写日期，如 2026-10-31。",
        },
        "funds_recovered": {
            "validate": "decimal",
            "criteria": ">=",
            "value": 0,
            "error_message": "请填写不小于 0 的数字（万元）。",
        },
        **{name: {**whole, "error_message": "请填写不小于 0 的整数。"} for name in COUNT_FIELDS},
    }
    for name, rule in rules.items():
        sheet.data_validation(first, column[name], last, column[name], rule)


# -- reading ---------------------------------------------------------------------------------


@dataclass
class SheetRow:
    """One filled row: its line in the file, its key, the measure text it shows, its editable
    cells that are not blank (raw), and its values as downloaded (None when missing)."""

    line: int
    key: str
    text: str = ""
    cells: dict = field(default_factory=dict)
    original: dict | None = None
    progress: str = ""
    reason: str = ""


@dataclass
class Sheet:
    round_id: int | None
    rows: list[SheetRow]
    header_line: int
    ignored_columns: list[str] = field(default_factory=list)


def _label(value) -> str:
    """A header cell as compared: no spaces, full-width brackets and percent made half-width."""
    text = "".join(str(value or "").split())
    return text.translate(str.maketrans("（）％", "()%"))


_WANTED = {_label(label): name for name, label, _, _ in COLUMNS}


def read_sheet(handle) -> Sheet:
    """Read an uploaded progress sheet (a binary file). Raises Unreadable."""
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise Unreadable(
            "文件不是有效的 Excel（.xlsx）文件。", f"unreadable workbook: {exc}"
        ) from None
    try:
        round_id = _round_id(book)
        sheet = book[SHEET_NAME] if SHEET_NAME in book.sheetnames else book.worksheets[0]
        # The dimension a file declares is not trusted: too big, openpyxl pads every row to
        # it; too small, it drops the rows below it.
        sheet.reset_dimensions()
        return _read_rows(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), round_id)
    finally:
        book.close()


def _round_id(book) -> int | None:
    if META_SHEET not in book.sheetnames:
        return None
    for row in book[META_SHEET].iter_rows(max_row=5, values_only=True):
        if row and row[0] == ROUND_LABEL and len(row) > 1:
            try:
                return int(row[1])
            except (TypeError, ValueError):
                return None
    return None


def _find_header(rows) -> tuple[int, dict[str, int], list[str]]:
    for line, row in enumerate(rows, start=1):
        if line > HEADER_SEARCH_ROWS:
            break
        labels = [_label(cell) for cell in row or ()]
        if _label(LABELS[KEY]) in labels:
            columns, ignored = {}, []
            for index, label in enumerate(labels):
                if label in _WANTED and _WANTED[label] not in columns:
                    columns[_WANTED[label]] = index
                elif label:
                    ignored.append(str(row[index]).strip()[:100])
            return line, columns, ignored
    raise Unreadable(
        f"找不到“{LABELS[KEY]}”列：请上传从本系统下载的进度填报表（表头须含“{LABELS[KEY]}”）。",
        "no key column in the first rows",
    )


def _read_rows(rows, round_id: int | None) -> Sheet:
    rows = iter(rows)
    header_line, columns, ignored = _find_header(rows)
    found: list[SheetRow] = []
    kept = 0  # characters of progress text and reasons kept
    for line, row in enumerate(rows, start=header_line + 1):
        if line > MAX_LINES:
            raise Unreadable(
                f"表中超过 {MAX_LINES} 行（含空行），请删除多余的行或分批导入。",
                f"more than {MAX_LINES} lines",
            )
        cells = {name: row[index] if index < len(row) else None for name, index in columns.items()}
        if all(is_blank(value) for value in cells.values()):
            continue
        _check_lengths(line, row, columns)
        if len(found) >= MAX_ROWS:
            raise Unreadable(f"表中超过 {MAX_ROWS} 行，请分批导入。", f"more than {MAX_ROWS} rows")
        found.append(_sheet_row(line, cells))
        kept += len(found[-1].progress) + len(found[-1].reason)
        if kept > MAX_SHEET_TEXT:
            raise Unreadable(
                f"表中填写的整改进展和理由合计超过 {MAX_SHEET_TEXT // 10_000} 万字，请分批导入。",
                f"more than {MAX_SHEET_TEXT} characters of text",
            )
    return Sheet(round_id, found, header_line, ignored)


def _check_lengths(line: int, row: tuple, columns: dict[str, int]) -> None:
    """Refuse a cell longer than Excel lets one be (a crafted file, not a filled-in sheet)."""
    for index, value in enumerate(row):
        if isinstance(value, str) and len(value) > MAX_CELL:
            names = {index: name for name, index in columns.items()}
            where = f"“{LABELS[names[index]]}”列" if index in names else f"第 {index + 1} 列"
            raise Unreadable(
                f"第 {line} 行{where}的内容超过 {MAX_CELL} 个字符（Excel 单元格的上限），"
                "无法读取。",
                f"line {line} column {index + 1}: {len(value)} characters",
            )


def _text(value) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return str(value).strip()


def _sheet_row(line: int, cells: dict) -> SheetRow:
    row = SheetRow(
        line=line,
        key=_text(cells.get(KEY)),
        text=_text(cells.get("text")),
        # Cut one character past the longest allowed: still too long, so refused as such.
        progress=_text(cells.get("progress"))[: MAX_TEXT + 1],
        reason=_text(cells.get("reason"))[: MAX_TEXT + 1],
    )
    for name in EDITABLE:
        if name == "progress" or name not in cells:
            continue
        value = cells[name]
        if isinstance(value, (datetime.date, datetime.datetime)):
            row.cells[name] = parse_date(value).isoformat()
        elif name == "completed_on" and is_blank(value):
            row.cells[name] = ""  # cleared: the measure is no longer completed
        elif not is_blank(value):
            row.cells[name] = value if isinstance(value, (int, float)) else str(value).strip()
    original = cells.get("original")
    if isinstance(original, str) and original.startswith("{"):
        try:
            loaded = json.loads(original)
            row.original = loaded if isinstance(loaded, dict) else None
        except ValueError:
            row.original = None
    return row
