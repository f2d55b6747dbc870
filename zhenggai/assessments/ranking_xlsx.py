"""A month's ranking as an Excel table: one row per unit with each indicator's score, the
subtotals per 指标类别, the total, the rank and the lists it is on, as numbers (so the office
can sort and sum them), written by the project's sheet writer (zhenggai.lib.xlsx)."""

from zhenggai.assessments.standings import Row, Standing
from zhenggai.lib import xlsx

SHEET_NAME = "考核排名"


def _remark(row: Row) -> str:
    marks = []
    if row.on_top_list:
        marks.append("红榜")
    if row.on_bottom_list:
        marks.append("黑榜")
    if row.at_bottom:
        marks.append("末位")
    return "、".join(marks)


def ranking_title(standing: Standing) -> str:
    month = standing.month
    return f"{month.scheme.group.name}{month.label}考核排名"


def write_ranking(standing: Standing, target) -> int:
    """Write the ranking of `standing` to `target` (a path or a binary file); returns the
    number of units written."""
    month = standing.month
    indicators, sections = standing.indicators, standing.sections
    columns = (
        [("排名", 7), ("单位", 26)]
        + [(f"{i.section}·{i.name}", 12) for i in indicators]
        + [(f"{s}小计", 11) for s in sections]
        + [("总分", 9), ("红黑榜", 12)]
    )
    writer = xlsx.SheetWriter(target, ranking_title(standing), columns)
    writer.sheet.name = SHEET_NAME  # before start(): the print titles name the sheet
    writer.start(
        f"考核办法：{month.scheme.title}（第{month.version.number}版）　"
        f"状态：{month.get_state_display()}"
    )
    base = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "top"}
    integer = writer.book.add_format({**base, "align": "center"})
    decimal = writer.book.add_format({**base, "num_format": "0.00"})
    sheet = writer.sheet
    for row in standing.rows:
        at = writer.row
        sheet.write_number(at, 0, row.rank, integer)
        sheet.write_string(at, 1, row.name, writer.cell)
        figures = [row.scores.get(i.pk) for i in indicators]
        figures += [row.subtotals[s] for s in sections] + [row.total]
        for column, value in enumerate(figures, start=2):
            if value is None:
                sheet.write_blank(at, column, None, decimal)
            else:
                sheet.write_number(at, column, float(value), decimal)
        sheet.write_string(at, len(columns) - 1, _remark(row), writer.cell)
        writer.row += 1
    writer.close()
    return len(standing.rows)
