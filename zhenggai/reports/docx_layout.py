"""The built-in Word templates of the report and the notice, laid out to GB/T 9704-2012.

A4 with a 156 × 225 mm type area (top 37, bottom 35, left 28, right 26 mm), 22 lines of 28
characters, title in 2号 小标宋, body in 3号 仿宋_GB2312, first-level headings in 黑体 and
second-level in 楷体_GB2312, page numbers "— 1 —" in 4号 宋体 (odd pages right, even left).
The fonts are named, not embedded: they are on the office's machine. The page, the styles and
the page numbers are the project's (zhenggai.lib.word); the paragraphs and their tags are here.

The template is built here, in code, so its layout is reviewed like code; an office downloads it,
edits wording and layout in Word, and uploads its own (the tags are docxtpl's Jinja).
"""

from zhenggai.lib.word import BODY_FONT, HEADING_1_FONT, blank, saved

# The fonts are lib.word's; evaluations.bulletin_docx still takes two of them from here.
__all__ = ["BODY", "BODY_FONT", "HEADING_1_FONT", "build_template", "layout"]

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
    """A Word file of `paragraphs` ((style, text), as BODY) on the GB/T 9704 page and styles
    (lib.word); `title` is its document property (the kinds' templates differ only in their
    paragraphs)."""
    document = blank()
    for style, text in paragraphs:
        document.add_paragraph(text, style="公文正文" if style == "{%p" else style)
    return saved(document, title)
