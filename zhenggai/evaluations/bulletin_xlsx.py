"""The 通报's ranking as an Excel table: every unit of the bulletin as issued, ranked ones first,
with its rates and dimension averages as numbers (so the office can sort and sum them), written
by the project's sheet writer (zhenggai.lib.xlsx)."""

from datetime import date

from zhenggai.evaluations.bulletins import Ranking, Row
from zhenggai.evaluations.values import DIMENSION_FIELDS, DIMENSION_LABELS
from zhenggai.lib import xlsx

SHEET_NAME = "评价结果"
COLUMNS = [
    ("排名", 8),
    ("单位", 28),
    ("样本量", 9),
    ("得分", 9),
    ("好评率", 9),
    ("差评率", 9),
    ("差评整改率", 11),
    ("回访率", 9),
]
REMARKS = ("备注", 24)
UNRANKED = "样本不足"
BOTTOM = "排名靠后，须报送整改方案"


def dimensions_of(ranking: Ranking) -> list[str]:
    """The dimensions any unit was rated on, in the scheme's order."""
    return [
        name for name in DIMENSION_FIELDS if any(row.dimensions.get(name) for row in ranking.rows)
    ]


def _remark(row: Row, ranking: Ranking) -> str:
    if row.bottom:
        return BOTTOM
    if row.rank is None:
        return f"有效评价不足{ranking.min_sample}条，不参与排名"
    return ""


def write_bulletin(ranking: Ranking, target, *, title: str, issued_on: date) -> int:
    """Write the table of `ranking` to `target` (a path or a binary file); returns the number
    of units written."""
    dimensions = dimensions_of(ranking)
    columns = COLUMNS + [(DIMENSION_LABELS[name], 10) for name in dimensions] + [REMARKS]
    writer = xlsx.SheetWriter(target, title, columns)
    writer.sheet.name = SHEET_NAME  # before start(): the print titles name the sheet
    period = ranking.period
    writer.start(
        f"评价机构：{ranking.office.name}　评价期：{period.label}（{period.start:%Y-%m-%d}至{period.end:%Y-%m-%d}）"
        f"　最少样本量：{ranking.min_sample}条　签发日期：{issued_on:%Y-%m-%d}"
    )
    base = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "top"}
    integer = writer.book.add_format({**base, "align": "center"})
    decimal = writer.book.add_format({**base, "num_format": "0.00"})
    rate = writer.book.add_format({**base, "num_format": "0.0%"})
    sheet = writer.sheet

    def put(row_index: int, column: int, value, number_format) -> None:
        if value is None:
            sheet.write_blank(row_index, column, None, number_format)
        else:
            sheet.write_number(row_index, column, value, number_format)

    for row in ranking.ranked + ranking.unranked:
        at = writer.row
        if row.rank is None:
            sheet.write_string(at, 0, UNRANKED, writer.center)
        else:
            sheet.write_number(at, 0, row.rank, integer)
        sheet.write_string(at, 1, row.name, writer.cell)
        put(at, 2, row.sample, integer)
        put(at, 3, row.score, decimal)
        for column, value in enumerate(
            (row.good_rate, row.bad_rate, row.rectified_rate, row.callback_rate), start=4
        ):
            put(at, column, value, rate)
        for column, name in enumerate(dimensions, start=len(COLUMNS)):
            put(at, column, row.dimensions.get(name), decimal)
        sheet.write_string(at, len(columns) - 1, _remark(row, ranking), writer.cell)
        writer.row += 1
    writer.close()
    return len(ranking.rows)
