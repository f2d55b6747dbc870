"""The 调度 sheet as an Excel workbook (XlsxWriter, one sheet) and as a Word document (python-docx on
the project's GB/T 9704 page and styles, lib.word, on landscape A4): title, period, the table per
section (or per unit), the table per leader, and the oldest overdue items."""

from io import BytesIO

import xlsxwriter
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from zhenggai.lib.word import (
    BODY_FONT,
    HEADING_1_FONT,
    SIZE_SMALL_4,
    TITLE_FONT,
    blank,
    saved,
    set_fonts,
)
from zhenggai.supervision.dispatch import Line, Sheet

FIGURE_HEADS = ["本期应完成", "本期完成", "按期完成", "逾期未完成", "按期完成率"]
OLDEST_HEADS = ["问题", "整改措施", "牵头科室", "责任人", "整改时限", "逾期天数"]
NOTE = (
    "说明：本期应完成＝整改时限（立行立改为反馈后{days}日）在本期内的措施；本期完成＝完成日期在"
    "本期内的措施（未填完成日期的，以所属问题整改完成即销号或已整改转长期坚持之日为准）；"
    "按期完成＝本期应完成中在时限前完成的措施；逾期未完成＝截至{as_of}已过时限仍未完成的措施"
    "（问题已销号或撤销的不计）；按期完成率＝按期完成÷本期应完成。"
)


def tables(choice, sheet: Sheet) -> list[tuple[str, str, list[Line]]]:
    """(heading, first column's name, lines) of the sheet's tables, the total line last in the
    first."""
    if choice.unit is None:
        return [("一、各单位整改调度情况", "单位", [*sheet.by_unit, sheet.total])]
    return [
        ("一、各牵头科室整改调度情况", "牵头科室", [*sheet.by_section, sheet.total]),
        ("二、各责任领导整改调度情况", "责任领导", sheet.by_leader),
    ]


def oldest_heading(choice) -> str:
    return f"{'三' if choice.unit else '二'}、逾期时间最长的事项"


def cells(line: Line) -> list:
    return [
        line.label,
        line.due.value,
        line.done.value,
        line.on_time.value,
        line.overdue.value,
        line.rate,
    ]


def oldest_cells(choice, item) -> list:
    where = "" if choice.unit else f"{item.unit} "
    return [
        f"{where}{item.number}{' ' if item.number else ''}{item.title}",
        item.text,
        item.section,
        item.owner,
        item.due.isoformat(),
        item.days_late,
    ]


def note(sheet: Sheet) -> str:
    from django.conf import settings

    as_of = f"{sheet.as_of.year}年{sheet.as_of.month}月{sheet.as_of.day}日"
    return NOTE.format(days=settings.IMMEDIATE_DUE_DAYS, as_of=as_of)


# Excel


def workbook(choice, sheet: Sheet) -> bytes:
    out = BytesIO()
    book = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
            # People's words are text: a measure starting "=" is not a formula.
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    _Writer(book, choice, sheet).write()
    book.close()
    return out.getvalue()


class _Writer:
    WIDTHS = [30, 40, 14, 12, 12, 12]

    def __init__(self, book, choice, sheet: Sheet):
        self.book, self.choice, self.sheet = book, choice, sheet
        self.ws = book.add_worksheet("调度表")
        base = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "top"}
        self.text = book.add_format({**base, "text_wrap": True})
        self.number = book.add_format({**base, "align": "center"})
        self.bold = book.add_format({**base, "bold": True, "align": "center"})
        self.header = book.add_format(
            {**base, "bold": True, "align": "center", "valign": "vcenter", "bg_color": "#D9E1F2"}
        )
        self.caption = book.add_format(
            {"font_name": TITLE_FONT, "font_size": 16, "align": "center", "valign": "vcenter"}
        )
        self.heading = book.add_format({"font_name": HEADING_1_FONT, "font_size": 12})
        self.small = book.add_format({"font_name": "宋体", "font_size": 9, "text_wrap": True})
        self.row = 0

    def write(self) -> None:
        ws, last = self.ws, len(self.WIDTHS) - 1
        for column, width in enumerate(self.WIDTHS):
            ws.set_column(column, column, width)
        ws.set_row(0, 30)
        ws.merge_range(0, 0, 0, last, self.choice.title, self.caption)
        ws.merge_range(1, 0, 1, last, self.choice.subtitle, self.small)
        self.row = 3
        for heading, first, lines in tables(self.choice, self.sheet):
            self._table(heading, first, lines)
        self._oldest()
        ws.merge_range(self.row, 0, self.row + 2, last, note(self.sheet), self.small)
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_footer("&C第 &P 页，共 &N 页")

    def _table(self, heading: str, first: str, lines: list[Line]) -> None:
        ws = self.ws
        ws.write_string(self.row, 0, heading, self.heading)
        ws.write_row(self.row + 1, 0, [first, *FIGURE_HEADS], self.header)
        self.row += 2
        for line in lines:
            values = cells(line)
            bold = line.key is None and line.label == "合计"
            ws.write_string(self.row, 0, values[0], self.bold if bold else self.text)
            for column, value in enumerate(values[1:], start=1):
                if isinstance(value, int):
                    ws.write_number(self.row, column, value, self.number)
                else:
                    ws.write_string(self.row, column, value, self.number)
            self.row += 1
        self.row += 1

    def _oldest(self) -> None:
        ws = self.ws
        ws.write_string(self.row, 0, oldest_heading(self.choice), self.heading)
        ws.write_row(self.row + 1, 0, OLDEST_HEADS, self.header)
        self.row += 2
        if not self.sheet.oldest:
            ws.merge_range(self.row, 0, self.row, 5, "无逾期未完成的措施", self.text)
            self.row += 1
        for item in self.sheet.oldest:
            values = oldest_cells(self.choice, item)
            for column, value in enumerate(values[:5]):
                ws.write_string(self.row, column, value, self.text)
            ws.write_number(self.row, 5, values[5], self.number)
            self.row += 1
        self.row += 1


# Word

TABLE_STYLE, TABLE_HEADER_STYLE = "调度表格", "调度表头"
TABLE_SIZE = SIZE_SMALL_4
TYPE_WIDTH = 235  # mm: 297 less margins of 32 and 30
FIGURE_WIDTHS = [75, 30, 30, 30, 30, 40]
OLDEST_WIDTHS = [55, 75, 30, 25, 28, 22]


def _blank():
    """The project's blank document on landscape A4, with two table styles."""
    document = blank(landscape=True)
    for name, font in ((TABLE_STYLE, BODY_FONT), (TABLE_HEADER_STYLE, HEADING_1_FONT)):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.font.size = TABLE_SIZE
        set_fonts(style.element, font)
        paragraph = style.paragraph_format
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.first_line_indent = None
        paragraph.space_before = paragraph.space_after = Pt(0)
        paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        paragraph.line_spacing = Pt(20)
        snap = OxmlElement("w:snapToGrid")  # off the body's line grid
        snap.set(qn("w:val"), "0")
        style.element.get_or_add_pPr().append(snap)
    return document


def _grid(document, heads: list[str], widths: list[int], rows: list[list]) -> None:
    table = document.add_table(rows=1, cols=len(heads))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        cell.text = head
        cell.paragraphs[0].style = document.styles[TABLE_HEADER_STYLE]
    header = OxmlElement("w:tblHeader")  # repeated atop every page the table runs over
    header.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(header)
    for values in rows:
        row = table.add_row()
        for column, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.text = str(value)
            cell.paragraphs[0].style = document.styles[TABLE_STYLE]
            if column == 0 or (heads is OLDEST_HEADS and column == 1):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)  # the grid, which LibreOffice reads
        for cell in column.cells:
            cell.width = Mm(width)  # each cell, which Word reads


def document(choice, sheet: Sheet) -> bytes:
    doc = _blank()
    doc.add_paragraph(choice.title, style="公文标题")
    subtitle = doc.add_paragraph(choice.subtitle, style="公文正文")
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.paragraph_format.first_line_indent = None
    for heading, first, lines in tables(choice, sheet):
        doc.add_paragraph(heading, style="一级标题")
        _grid(doc, [first, *FIGURE_HEADS], FIGURE_WIDTHS, [cells(line) for line in lines])
    doc.add_paragraph(oldest_heading(choice), style="一级标题")
    if sheet.oldest:
        rows = [oldest_cells(choice, item) for item in sheet.oldest]
        _grid(doc, OLDEST_HEADS, OLDEST_WIDTHS, rows)
    else:
        doc.add_paragraph("无逾期未完成的措施。", style="公文正文")
    explanation = doc.add_paragraph(note(sheet), style=TABLE_STYLE)
    explanation.alignment = WD_ALIGN_PARAGRAPH.LEFT
    return saved(doc, choice.title)
