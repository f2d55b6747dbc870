"""lib.word: the project's GB/T 9704 page (A4, margins 37/35/28/26 mm, 22 lines, "— N —"), its
styles with every script's font named, and the landscape page of wide tables."""

import os
import re
import shutil
import subprocess
from io import BytesIO

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Pt

from zhenggai.lib import pdf, word

PDF_TOOLS = pdf.soffice() is not None and shutil.which("pdftoppm") is not None


def east_asian(element) -> str:
    return element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def margins(section) -> list[int]:
    sides = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    return [round(side.mm) for side in sides]


def test_a_blank_paper_is_a4_portrait_with_the_official_type_area_and_line_grid():
    document = Document(BytesIO(word.saved(word.blank(), "试稿")))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert margins(section) == [37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch"))) == ("lines", "579")
    assert document.paragraphs == []
    assert (document.core_properties.title, document.core_properties.author) == (
        "试稿",
        "整改闭环管理系统",
    )


def test_the_styles_name_the_gb9704_fonts_for_chinese_text():
    styles = word.blank().styles
    assert east_asian(styles["Normal"].element) == "仿宋_GB2312"
    expected = {
        "公文标题": ("方正小标宋简体", 22),
        "公文正文": ("仿宋_GB2312", 16),
        "一级标题": ("黑体", 16),
        "二级标题": ("楷体_GB2312", 16),
        "三级标题": ("仿宋_GB2312", 16),
        "落款": ("仿宋_GB2312", 16),
    }
    for name, (font, size) in expected.items():
        assert (east_asian(styles[name].element), styles[name].font.size) == (font, Pt(size))
    assert styles["三级标题"].font.bold and styles["一级标题"].paragraph_format.keep_with_next
    assert styles["公文正文"].paragraph_format.first_line_indent == Pt(32)  # two characters


def test_page_numbers_are_dashed_and_on_the_outer_edge():
    document = Document(BytesIO(word.saved(word.blank(), "试稿")))
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for footer in (odd, even):
        assert footer.text == "—  —"  # the number is a PAGE field between the dashes
        assert "PAGE" in footer._element.xml
        assert {east_asian(run._element) for run in footer.runs} == {"宋体"}
    assert (odd.alignment, even.alignment) == (2, 0)  # right, left


def test_the_landscape_page_turns_a4_for_wide_tables():
    section = Document(BytesIO(word.saved(word.blank(landscape=True), "表"))).sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert margins(section) == [28, 26, 32, 30]


def test_set_fonts_names_every_script_once():
    document = word.blank()
    run = document.add_paragraph().add_run("关于X的通报")
    word.set_fonts(run._element, word.HEADING_1_FONT)
    word.set_fonts(run._element, word.TITLE_FONT)  # again: replaces, never a second rFonts
    fonts = run._element.rPr.findall(qn("w:rFonts"))
    assert len(fonts) == 1
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts[0].get(qn(script)) == "方正小标宋简体"


@pytest.mark.skipif(
    not PDF_TOOLS and os.environ.get("CI") != "true", reason="LibreOffice is not installed"
)
def test_a_paper_prints_on_one_a4_page_with_its_chinese_and_page_number(tmp_path):
    document = word.blank()
    document.add_paragraph("关于巡察反馈意见整改情况的通报", style="公文标题")
    document.add_paragraph("", style="主送机关")
    document.add_paragraph("各科室：", style="主送机关")
    document.add_paragraph("一、总体情况", style="一级标题")
    document.add_paragraph("（一）整改进展", style="二级标题")
    document.add_paragraph("按照巡察组的反馈意见，" * 8, style="公文正文")
    document.add_paragraph("区科技局", style="落款")
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf.to_pdf(word.saved(document, "试稿")))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+1$", info.stdout, re.M)
    assert "x 841.89 pts (A4)" in info.stdout  # portrait
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    compact = "".join(text.split())
    assert "关于巡察反馈意见整改情况的通报" in compact and "一、总体情况" in compact
    assert "—1—" in compact
    assert _corner(path, left=False) == "—1—" and _corner(path, left=True) == ""  # odd: right
    subprocess.run(
        ["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / "p")],
        check=True,
    )
    assert (tmp_path / "p-1.png").stat().st_size > 5_000
    if os.environ.get("ZHENGGAI_SCREENSHOTS"):
        shutil.copy(
            tmp_path / "p-1.png", os.path.join(os.environ["ZHENGGAI_SCREENSHOTS"], "公文版式.png")
        )


def _corner(path, *, left: bool) -> str:
    """The text at the foot of page 1, on its left or right half (points, 72 per inch)."""
    where = ["-x", "0" if left else "298", "-y", "740", "-W", "297", "-H", "101"]
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", *where, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return "".join(text.split())
