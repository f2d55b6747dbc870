"""The built-in Word templates of the report and the notice, laid out to GB/T 9704-2012.

A4 with a 156 × 225 mm type area (top 37, bottom 35, left 28, right 26 mm), 22 lines of 28
characters, title in 2号 小标宋, body in 3号 仿宋_GB2312, first-level headings in 黑体 and
second-level in 楷体_GB2312, page numbers "— 1 —" in 4号 宋体 (odd pages right, even left).
The fonts are named, not embedded: they are on the office's machine.

The template is built here, in code, so its layout is reviewed like code; an office downloads it,
edits wording and layout in Word, and uploads its own (the tags are docxtpl's Jinja).
"""

from io import BytesIO

from docx import Document
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
LINE_PITCH = 579  # twips: 225 mm over 22 lines
LINE = Pt(LINE_PITCH / 20)

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


def _fonts(element, name: str) -> None:
    """Name the font for every script, East Asian included (python-docx sets only Latin)."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def _add_style(document, name: str, spec: tuple) -> None:
    font, size, bold, alignment, indent, outline = spec
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    style.font.size = size
    style.font.bold = bold
    _fonts(style.element, font)
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


def _page_setup(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(23)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
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
        _fonts(added._element, PAGE_NUMBER_FONT)
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


# (style, text): the paragraphs of the template; a text starting "{%p" is a docxtpl tag line.
BODY = [
    ("公文标题", "{{ title }}"),
    ("主送机关", ""),
    ("{%p", "{%p if addressee %}"),
    ("主送机关", "{{ addressee }}："),
    ("{%p", "{%p endif %}"),
    ("公文正文", "{{ opening }}"),
    ("{%p", "{%p for part in parts %}"),
    ("一级标题", "{{ part.heading }}"),
    ("{%p", "{%p for text in part.paragraphs %}"),
    ("公文正文", "{{ text }}"),
    ("{%p", "{%p endfor %}"),
    ("{%p", "{%p for area in part.areas %}"),
    ("二级标题", "{{ area.heading }}"),
    ("{%p", "{%p for problem in area.problems %}"),
    ("三级标题", "{{ problem.heading }}"),
    ("{%p", "{%p for text in problem.paragraphs %}"),
    ("公文正文", "{{ text }}"),
    ("{%p", "{%p endfor %}"),
    ("{%p", "{%p endfor %}"),
    ("{%p", "{%p for group in area.groups %}"),
    ("三级标题", "{{ group.heading }}"),
    ("{%p", "{%p for problem in group.problems %}"),
    ("四级标题", "{{ problem.heading }}"),
    ("{%p", "{%p for text in problem.paragraphs %}"),
    ("公文正文", "{{ text }}"),
    ("{%p", "{%p endfor %}"),
    ("{%p", "{%p endfor %}"),
    ("{%p", "{%p endfor %}"),
    ("{%p", "{%p endfor %}"),
    ("{%p", "{%p endfor %}"),
    ("{%p", "{%p if supervision %}"),
    ("公文正文", "{{ supervision }}"),
    ("{%p", "{%p endif %}"),
    ("{%p", "{%p for line in contacts %}"),
    ("公文正文", "{{ line }}"),
    ("{%p", "{%p endfor %}"),
    ("{%p", "{%p if closing %}"),
    ("公文正文", "{{ closing }}"),
    ("{%p", "{%p endif %}"),
    ("公文正文", ""),
    ("公文正文", ""),
    ("落款", "{{ issuer }}"),
    ("落款", "{{ signed_on }}"),
]


def build_template() -> bytes:
    """The built-in template (the report and the notice share it: their content differs)."""
    return layout(BODY, "整改情况通报/报告模板")


def layout(paragraphs: list[tuple[str, str]], title: str) -> bytes:
    """A Word file of `paragraphs` ((style, text), as BODY) on the GB/T 9704 page and styles;
    `title` is its document property (the kinds' templates differ only in their paragraphs)."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.size = SIZE_3
    _fonts(normal.element, BODY_FONT)
    for name, spec in STYLES.items():
        _add_style(document, name, spec)
    _page_setup(document)
    body = document.element.body
    for paragraph in list(document.paragraphs):
        body.remove(paragraph._element)
    for style, text in paragraphs:
        document.add_paragraph(text, style="公文正文" if style == "{%p" else style)
    core = document.core_properties
    core.title, core.author, core.comments = title, "整改闭环管理系统", ""
    out = BytesIO()
    document.save(out)
    return out.getvalue()
