"""Third-party scores (三方考评) of a month's imported indicators, from an Excel sheet: one row per
unit, named exactly as in the system, and one column per imported indicator.

`read_sheet` reads the file's cells (values only, never formulas) into plain text; `check`
matches them against the month as it is now (its group's units, its indicators' ranges) and
lists every error in Chinese; `apply` stores all indicators at once, or none. The preview keeps
only the cells read, and `check` runs again on confirm, so a changed month or a forged copy is
never applied unchecked.
"""

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from zhenggai.assessments.models import AssessmentMonth, Indicator
from zhenggai.assessments.services import months
from zhenggai.assessments.services.months import month_unit_ids
from zhenggai.assessments.values import IndicatorKind
from zhenggai.evaluations.platform.model import Unreadable
from zhenggai.evaluations.platform.readers import zip_is_sound
from zhenggai.lib.errors import Refused
from zhenggai.lib.uploads import UploadRefused, check_upload
from zhenggai.orgs.forms import unit_labels
from zhenggai.orgs.models import Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
# A unit column and the imported indicators: no scheme has more.
MAX_COLUMNS = 100
# Rows read at most, blank ones included.
MAX_SHEET_ROWS = 20 * MAX_ROWS
UNIT_COLUMN = "单位"
HEADER_LINES = 10  # the header may sit under a title, within the first lines


@dataclass(frozen=True)
class Sheet:
    """What a file holds, as text: its header's indicator columns and each data row's line,
    unit name and cells (one per column, "" when empty)."""

    columns: list[str]
    rows: list[tuple[int, str, list[str]]]

    def as_data(self) -> dict:
        return {"columns": self.columns, "rows": [list(row) for row in self.rows]}

    @classmethod
    def from_data(cls, data: dict) -> "Sheet":
        rows = [
            (int(line), str(name), [str(c) for c in cells]) for line, name, cells in data["rows"]
        ]
        return cls(columns=[str(c) for c in data["columns"]], rows=rows)


@dataclass
class Row:
    line: int
    name: str
    unit_id: int | None
    scores: list[Decimal | None]


@dataclass
class Preview:
    indicators: list[Indicator]
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def imported_indicators(month: AssessmentMonth) -> list[Indicator]:
    return list(month.version.indicators.filter(kind=IndicatorKind.IMPORTED))


def unit_names(month: AssessmentMonth) -> dict[str, int]:
    """The month's units by the name the sheet gives them: the name, or, where two share one,
    the path that tells them apart ("区委 › 市场监管所")."""
    units = Unit.objects.filter(pk__in=month_unit_ids(month)).order_by("name")
    return {label: pk for pk, label in unit_labels(units).items()}


def template_workbook(month: AssessmentMonth) -> bytes:
    """An .xlsx to fill in: 单位 and one column per imported indicator, the group's units listed."""
    book = Workbook()
    sheet = book.active
    sheet.title = "三方考评"
    names = [UNIT_COLUMN] + [i.name for i in imported_indicators(month)]
    sheet.append(names)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for label in sorted(unit_names(month)):
        sheet.append([label])
    sheet.column_dimensions["A"].width = 30
    for letter in "BCDEFGHIJ":
        sheet.column_dimensions[letter].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"  # never a score, whatever Python thinks of it
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value).strip()


def read_sheet(upload) -> Sheet:
    """The first sheet's header and rows, or Refused with the reason in Chinese."""
    try:
        info = check_upload(upload, MAX_BYTES)
    except UploadRefused as exc:
        raise Refused(exc.message, str(exc)) from None
    if info.content_type != XLSX:
        raise Refused("请上传 Excel（.xlsx）文件；其他格式请先另存为 .xlsx。", "not an xlsx")
    upload.seek(0)
    try:
        zip_is_sound(upload)
    except Unreadable as exc:
        raise Refused(exc.message, exc.reason) from None
    upload.seek(0)
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
        lines = _lines(book.worksheets[0])
        book.close()
    except Refused:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise Refused(
            "文件已损坏或不是有效的 Excel 表格，无法读取。", f"xlsx unreadable: {exc}"
        ) from None
    return _parse(lines)


def _lines(sheet) -> list[list[str]]:
    """The sheet's rows as text, blank ones kept so that a row's place is its Excel row, and
    counted while read: a tiny file may declare (or hold a lone cell at) a million rows."""
    sheet.reset_dimensions()
    lines, filled = [], 0
    for n, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if n > MAX_SHEET_ROWS:
            raise Refused(
                "文件的行数异常（有内容远在数据之下），请另存为只含数据的新表格。", "rows far down"
            )
        if not any(cell not in (None, "") for cell in row):
            lines.append([])
            continue
        filled += 1
        if filled > MAX_ROWS + HEADER_LINES:
            raise Refused(f"文件超过 {MAX_ROWS} 行，请检查是否选错了文件。", "too many rows")
        lines.append([_text(v) for v in row[:MAX_COLUMNS]])
    return lines


def _parse(lines: list[list[str]]) -> Sheet:
    head = next((n for n, line in enumerate(lines[:HEADER_LINES]) if UNIT_COLUMN in line), None)
    if head is None:
        raise Refused(f"表头中没有“{UNIT_COLUMN}”列，请使用下载的模板。", "no unit column")
    header = lines[head]
    where = header.index(UNIT_COLUMN)
    others = [(n, name) for n, name in enumerate(header) if n != where and name]
    rows = []
    for n, line in enumerate(lines[head + 1 :], start=head + 2):
        cells = line + [""] * (len(header) - len(line))
        if not any(cells):
            continue
        rows.append((n, cells[where], [cells[k] for k, _ in others]))
        if len(rows) > MAX_ROWS:
            raise Refused(f"文件超过 {MAX_ROWS} 行，请检查是否选错了文件。", "too many rows")
    return Sheet(columns=[name for _, name in others], rows=rows)


def check(month: AssessmentMonth, sheet: Sheet) -> Preview:
    """Match the sheet to the month as it stands: every error listed, in Chinese."""
    indicators = imported_indicators(month)
    preview = Preview(indicators=indicators)
    if not indicators:
        preview.errors.append("本月适用的考核办法没有导入评分的指标。")
        return preview
    place = {name: n for n, name in enumerate(sheet.columns)}
    for indicator in indicators:
        if indicator.name not in place:
            preview.errors.append(f"缺少“{indicator.name}”列。")
    known = {i.name for i in indicators}
    preview.ignored = [name for name in sheet.columns if name not in known]
    if preview.errors:
        return preview
    units = unit_names(month)
    seen: dict[str, int] = {}
    for line, name, cells in sheet.rows:
        row = Row(line=line, name=name, unit_id=units.get(name), scores=[])
        _check_unit(row, seen, month.scheme.group.name, preview)
        for indicator in indicators:
            row.scores.append(_score(cells[place[indicator.name]], indicator, line, preview))
        preview.rows.append(row)
    if not sheet.rows:
        preview.errors.append("文件中没有数据行。")
    return preview


def _check_unit(row: Row, seen: dict[str, int], group: str, preview: Preview) -> None:
    if not row.name:
        preview.errors.append(f"第{row.line}行没有填写单位名称。")
    elif row.unit_id is None:
        preview.errors.append(
            f"第{row.line}行：“{row.name}”不是“{group}”分组中的单位（须与系统中的名称完全一致）。"
        )
    elif row.name in seen:
        preview.errors.append(f"第{row.line}行：“{row.name}”与第{seen[row.name]}行重复。")
    else:
        seen[row.name] = row.line


def _score(text: str, indicator: Indicator, line: int, preview: Preview) -> Decimal | None:
    where = f"第{line}行“{indicator.name}”"
    if not text:
        preview.errors.append(f"{where}未填写得分。")
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        preview.errors.append(f"{where}“{text}”不是数字。")
        return None
    if not value.is_finite():
        preview.errors.append(f"{where}“{text}”不是数字。")
        return None
    if not indicator.floor <= value <= indicator.cap:
        preview.errors.append(f"{where}{text}分超出范围（{indicator.floor}～{indicator.cap}分）。")
        return None
    if value != round(value, 2):
        preview.errors.append(f"{where}{text}分最多保留两位小数。")
        return None
    return value


@transaction.atomic
def apply(
    month: AssessmentMonth, sheet: Sheet, *, by, source: str, correction_reason: str = ""
) -> int:
    """Check the sheet again and store every imported indicator's scores, all or none; returns
    how many scores changed."""
    preview = check(month, sheet)
    if preview.errors:
        raise Refused(preview.errors[0], "import has errors")
    if not preview.rows:
        raise Refused("文件中没有数据行。", "empty import")
    changed = 0
    for n, indicator in enumerate(preview.indicators):
        scores = {row.unit_id: row.scores[n] for row in preview.rows}
        changed += months.set_imported(
            month, indicator, scores, by=by, source=source, correction_reason=correction_reason
        )
    return changed
