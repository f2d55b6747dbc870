"""The project's Word page, laid out to GB/T 9704-2012 (党政机关公文格式), for every app's papers.

A4 portrait with a 156 × 225 mm type area (top 37, bottom 35, left 28, right 26 mm), 22 lines of
28 characters on a line grid; the title in 2号 方正小标宋, the body in 3号 仿宋_GB2312, first-level
headings in 黑体, second-level in 楷体_GB2312, page numbers "— 1 —" in 4号 宋体 (odd pages right,
even left). A table that will not fit across the portrait page goes on A4 landscape (top 28,
bottom 26, left 32, right 30 mm). The fonts are named, not embedded: they are on the office's
machine (and `lib/fonts.conf` maps them to what a server has, for PDF).

`blank()` gives a document with the page, the styles (`STYLES`, by their Chinese names) and the
page numbers, and no paragraph; `set_fonts` names a font for every script (python-docx names only
the Latin one); `saved` writes the document with the system's properties.
"""

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_1_FONT = "黑体"
HEADING_2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_SMALL_4 = Pt(12)  # 小四
LINE_PITCH = 579  # twips: 225 mm over 22 lines
LINE = Pt(LINE_PITCH / 20)
AUTHOR = "整改闭环管理系统"

# (width, height, top, bottom, left, right, header, footer) in mm
PORTRAIT = (210, 297, 37, 35, 28, 26, 15, 23)
LANDSCAPE = (297, 210, 28, 26, 32, 30, 12, 12)

STYLES = {
    # name: (font, size, bold, alignment, first-line indent in characters, outline level)
    "公文标题": (TITLE_FONT, SIZE_2, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "公文正文": (BODY_FONT, SIZE_3, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, None),
    "主送机关": (BODY_FONT, SIZE_3, False, WD_ALIGN_PARAGRAPH.LEFT, 0, None),
    "一级标题": (HEADING_1_FONT, SIZE_3, False, WD_ALIGN_PARAGRAPH.LEFT, 2, 0),
    "二级标题": (HEADING_2_FONT, SIZE_3, False, WD_ALIGN_PARAGRAPH.LEFT, 2, 1),
    "三级标题": (BODY_FONT, SIZE_3, True, WD_ALIGN_PARAGRAPH.LEFT, 2, 2),
    "四级标题": (BODY_FONT, SIZE_3, False, WD_ALIGN_PARAGRAPH.LEFT, 2, 3),
    "落款": (BODY_FONT, SIZE_3, False, WD_ALIGN_PARAGRAPH.RIGHT, 0, None),
}


def set_fonts(element, name: str) -> None:
    """Name the font of a run or style `element` for every script, East Asian included."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def set_page(section, *, landscape: bool = False) -> None:
    """A4 with GB/T 9704's margins (portrait), or the landscape page of a wide table."""
    width, height, top, bottom, left, right, header, footer = LANDSCAPE if landscape else PORTRAIT
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance, section.footer_distance = Mm(header), Mm(footer)


def line_grid(section) -> None:
    """The type area's 22 lines (a paragraph of the body snaps to them)."""
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))


def page_numbers(document) -> None:
    """ "— N —" at the foot of every page: odd pages right, even pages left."""
    section = document.sections[0]
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph, alignment) -> None:
    """ "— N —" in 4号 宋体, one character in from the outer edge."""
    paragraph.alignment = alignment
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = SIZE_4
    else:
        paragraph.paragraph_format.left_indent = SIZE_4

    def run(text: str = ""):
        added = paragraph.add_run(text)
        added.font.size = SIZE_4
        set_fonts(added._element, PAGE_NUMBER_FONT)
        return added

    run("— ")
    field = run()
    for kind, instruction in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            field._element.append(char)
        else:
            text = OxmlElement("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = instruction
            field._element.append(text)
    run(" —")


def add_styles(document) -> None:
    """The body's font on Normal, and the paragraph styles of STYLES."""
    normal = document.styles["Normal"]
    normal.font.size = SIZE_3
    set_fonts(normal.element, BODY_FONT)
    for name, spec in STYLES.items():
        _add_style(document, name, spec)


def _add_style(document, name: str, spec: tuple) -> None:
    font, size, bold, alignment, indent, outline = spec
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    style.font.size = size
    style.font.bold = bold
    set_fonts(style.element, font)
    paragraph = style.paragraph_format
    paragraph.alignment = alignment
    paragraph.first_line_indent = SIZE_3 * indent if indent else None
    paragraph.space_before = Pt(0)
    paragraph.space_after = Pt(0)
    paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.line_spacing = LINE if name != "公文标题" else Pt(36)
    paragraph.widow_control = True
    if outline is not None:
        paragraph.keep_with_next = True  # a heading never ends a page alone
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(outline))
        style.element.get_or_add_pPr().append(level)
    if name == "落款":
        paragraph.right_indent = SIZE_3 * 4  # 成文日期右空四字


def blank(*, landscape: bool = False):
    """A python-docx Document on the GB/T 9704 page, with the styles, the line grid and the page
    numbers, and no paragraph in its body."""
    document = Document()
    add_styles(document)
    section = document.sections[0]
    set_page(section, landscape=landscape)
    line_grid(section)
    page_numbers(document)
    body = document.element.body
    for paragraph in list(document.paragraphs):
        body.remove(paragraph._element)
    return document


def saved(document, title: str) -> bytes:
    """The document as .docx bytes, titled `title` and authored by the system."""
    core = document.core_properties
    core.title, core.author, core.comments = title, AUTHOR, ""
    out = BytesIO()
    document.save(out)
    return out.getvalue()
