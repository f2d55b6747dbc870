"""The 通报 as a Word document in the project's GB/T 9704 layout: the built-in template's styles,
page set-up and page numbers (zhenggai.reports.docx_layout), its body written here with
python-docx from the bulletin's stored rows, so the document says what was issued."""

import functools
from datetime import date
from io import BytesIO

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from zhenggai.evaluations.bulletins import Ranking, number, percent
from zhenggai.reports.docx_layout import BODY_FONT, HEADING_1_FONT, build_template

# (header, width in mm): 156 mm, the type area's width.
COLUMNS = [
    ("排名", 12),
    ("单位", 47),
    ("样本量", 17),
    ("得分", 17),
    ("好评率", 18),
    ("差评率", 18),
    ("差评整改率", 27),
]
TABLE_STYLE = "评价表格"
TABLE_HEADER_STYLE = "评价表头"
TABLE_SIZE = Pt(10.5)  # 五号


@functools.cache
def _template() -> bytes:
    return build_template()


def blank_document():
    """The built-in template with its placeholder body removed (the section, and so the page
    set-up and page numbers, stays), and two styles for the table."""
    document = Document(BytesIO(_template()))
    body = document.element.body
    for paragraph in list(document.paragraphs):
        body.remove(paragraph._element)
    for name, font in ((TABLE_STYLE, BODY_FONT), (TABLE_HEADER_STYLE, HEADING_1_FONT)):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.font.size = TABLE_SIZE
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), font)
        paragraph = style.paragraph_format
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.first_line_indent = None
        paragraph.space_before = paragraph.space_after = Pt(0)
        paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        paragraph.line_spacing = Pt(18)
        # Off the page's line grid (22 lines a page), else every row is a body line tall.
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        style.element.get_or_add_pPr().append(snap)
    return document


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def repeat_header(row) -> None:
    """The header row repeats at the top of every page the table runs over."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _table(document, ranking: Ranking) -> None:
    rows = ranking.ranked
    table = document.add_table(rows=len(rows) + 1, cols=len(COLUMNS))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    values = [[name for name, _ in COLUMNS]] + [
        [
            str(row.rank),
            row.name,
            str(row.sample),
            number(row.score),
            percent(row.good_rate),
            percent(row.bad_rate),
            percent(row.rectified_rate),
        ]
        for row in rows
    ]
    widths = [Mm(width) for _, width in COLUMNS]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid LibreOffice and WPS lay the table out by
    # Style ids looked up once: python-docx looks a style name up afresh for every paragraph.
    header, body = (document.styles[name].style_id for name in (TABLE_HEADER_STYLE, TABLE_STYLE))
    for index, (row, texts) in enumerate(zip(table.rows, values, strict=True)):
        style = header if index == 0 else body
        for cell, text, width in zip(row.cells, texts, widths, strict=True):
            cell.width = width
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            paragraph._p.style = style
            paragraph.add_run(text)
    repeat_header(table.rows[0])


def _names(rows) -> str:
    return "、".join(row.name for row in rows)


def opening(ranking: Ranking) -> str:
    period, ranked = ranking.period, ranking.ranked
    text = (
        f"按照营商环境“背靠背”评价工作安排，{ranking.office.name}组织企业和群众对"
        f"{len(ranking.rows)}个单位{period.label}"
        f"（{cn_date(period.start)}至{cn_date(period.end)}）的政务服务开展了“背靠背”评价，"
        f"共收集有效评价{ranking.sample}条，总体好评率{percent(ranking.good_rate)}。"
    )
    if ranked:
        text += (
            f"其中{len(ranked)}个单位有效评价达到{ranking.min_sample}条，参与排名，"
            f"平均得分{number(ranking.average_score)}分。"
        )
    return text + "现将评价结果通报如下。"


def _unranked(ranking: Ranking) -> str:
    rows = ranking.unranked
    if not rows:
        return f"本期各参评单位有效评价均达到{ranking.min_sample}条。"
    listed = "、".join(f"{row.name}（{row.sample}条）" for row in rows)
    return (
        f"以下{len(rows)}个单位本期有效评价不足{ranking.min_sample}条，不参与排名：{listed}。"
        "请上述单位在办事结束后积极引导企业和群众扫码评价，坚持“一次一评、一事一评”，"
        "提升实时评价样本量。"
    )


def _requirements(ranking: Ranking, due: date) -> list[str]:
    texts = []
    if ranking.bottom_rows:
        texts.append(
            f"{_names(ranking.bottom_rows)}在本期评价中排名靠后。请上述单位召开专题会议，"
            "深入分析排名靠后的原因，对照评价反映的问题制定整改方案，明确整改措施、"
            f"责任科室和整改时限，于{cn_date(due)}前在整改闭环管理系统中报送整改方案；"
            f"{ranking.office.name}将跟踪督促整改落实。"
        )
    texts.append(
        "各单位要对照本通报，举一反三，持续改进服务作风、提升服务质效；收到的差评要在规定"
        "时限内核实整改到位，配合做好回访工作，不得诱导、强迫企业和群众评价。"
    )
    return texts


# Where a long title is broken: GB/T 9704 keeps each line of a title a whole phrase.
TITLE_TAIL = "评价结果的通报"


def _title(document, title: str) -> None:
    paragraph = document.add_paragraph(style="公文标题")
    head, tail = title.removesuffix(TITLE_TAIL), TITLE_TAIL
    if not title.endswith(TITLE_TAIL) or len(head) < 8:
        head, tail = title, ""
    paragraph.add_run(head)
    if tail:
        paragraph.add_run().add_break()
        paragraph.add_run(tail)


def bulletin_docx(ranking: Ranking, *, title: str, issued_on: date, due: date) -> bytes:
    """The 通报 of `ranking` as a .docx file."""
    document = blank_document()

    def add(style: str, text: str = "") -> None:
        document.add_paragraph(text, style=style)

    _title(document, title)
    add("主送机关")
    add("主送机关", "各参评单位：")
    add("公文正文", opening(ranking))
    add("一级标题", "一、评价结果")
    add(
        "公文正文",
        "参评单位按得分由高到低排名。得分按评价等级折算为百分制（非常满意100分、满意80分、"
        "基本满意60分、不满意40分、非常不满意20分）后平均，得分相同的并列。",
    )
    if ranking.ranked:
        _table(document, ranking)
    else:
        add("公文正文", "本期没有单位的有效评价达到最少样本量，不作排名。")
    add("一级标题", "二、样本量不足的单位")
    add("公文正文", _unranked(ranking))
    add("一级标题", "三、工作要求")
    for text in _requirements(ranking, due):
        add("公文正文", text)
    add("公文正文")
    add("公文正文")
    add("落款", ranking.office.name)
    add("落款", cn_date(issued_on))
    core = document.core_properties
    core.title, core.author = title, ranking.office.name
    out = BytesIO()
    document.save(out)
    return out.getvalue()
