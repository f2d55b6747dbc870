"""The 调度 sheet's downloads read back: the workbook's title, tables and numbers; the Word
document's landscape A4 page, fonts and tables; its first page as a picture."""

import os
import subprocess
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.urls import reverse
from docx import Document
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook

from zhenggai.reports import documents
from zhenggai.supervision import dispatch_page
from zhenggai.supervision.tests.dispatch_data import THURSDAY, build

QUERY = {"date": "2026-12-03"}


@pytest.fixture
def data(world, monkeypatch):
    monkeypatch.setattr(dispatch_page, "timezone", SimpleNamespace(localdate=lambda: THURSDAY))
    return build(world)


def _download(client, world, name, **query) -> bytes:
    client.force_login(world.rect_office)
    response = client.get(reverse(name), {**QUERY, **query})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_workbook_has_the_title_both_tables_and_the_oldest_items(client, world, data):
    book = load_workbook(BytesIO(_download(client, world, "dispatch_xlsx")))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "调度表"
    assert rows[0][0] == "区科技局整改工作调度表"
    assert rows[1][0] == "2026年第49周（11月30日至12月6日）"
    assert rows[3][0] == "一、各牵头科室整改调度情况"
    assert rows[4] == ("牵头科室", "本期应完成", "本期完成", "按期完成", "逾期未完成", "按期完成率")
    assert rows[5] == ("办公室", 5, 2, 1, 0, "20%")
    assert rows[6] == ("综合科", 2, 1, 0, 2, "0%")
    assert rows[7] == ("未定牵头科室", 0, 0, 0, 1, "—")
    assert rows[8] == ("合计", 7, 3, 1, 3, "14.3%")
    assert rows[10][0] == "二、各责任领导整改调度情况"
    assert ("王副局长", 1, 1, 0, 2, "0%") in rows
    start = next(i for i, row in enumerate(rows) if row[0] == "三、逾期时间最长的事项")
    assert rows[start + 2] == ("4 问题4", "措施4", "综合科", "staff", "2026-11-10", 23)
    assert rows[start + 4][5] == 3
    assert any(str(row[0]).startswith("说明：本期应完成") for row in rows if row[0])
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9


def test_the_offices_workbook_has_a_line_per_unit(client, world, data):
    client.force_login(world.inspector)
    response = client.get(reverse("dispatch_xlsx"), {**QUERY, "period": "month"})
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0][0] == "所辖单位整改工作调度表" and rows[1][0] == "2026年12月"
    assert rows[4][0] == "单位"
    assert rows[5] == ("区科技局", 6, 3, 1, 3, "16.7%")
    assert rows[6][0] == "合计"
    assert "2026%E5%B9%B412%E6%9C%88" in response["Content-Disposition"]  # 2026年12月


def test_the_word_document_is_landscape_a4_with_the_projects_fonts(client, world, data):
    document = Document(BytesIO(_download(client, world, "dispatch_docx")))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert (round(section.left_margin.mm), round(section.top_margin.mm)) == (32, 28)
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert paragraphs[0] == ("公文标题", "区科技局整改工作调度表")
    assert ("一级标题", "一、各牵头科室整改调度情况") in paragraphs
    assert ("一级标题", "三、逾期时间最长的事项") in paragraphs
    title_fonts = document.styles["公文标题"].element.rPr.rFonts
    assert title_fonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    ) == ("方正小标宋简体")
    sections, leaders, oldest = document.tables
    assert [c.text for c in sections.rows[1].cells] == ["办公室", "5", "2", "1", "0", "20%"]
    assert [c.text for c in sections.rows[-1].cells] == ["合计", "7", "3", "1", "3", "14.3%"]
    assert [c.text for c in leaders.rows[0].cells][0] == "责任领导"
    assert [c.text for c in oldest.rows[1].cells][-1] == "23"
    assert sections.rows[1].cells[0].paragraphs[0].style.name == "调度表格"


@pytest.mark.skipif(
    documents.soffice() is None and os.environ.get("CI") != "true",
    reason="LibreOffice is not installed",
)
def test_the_word_documents_first_page_renders_landscape_with_its_figures(
    client, world, data, tmp_path
):
    pdf = documents.to_pdf(_download(client, world, "dispatch_docx"))
    path = tmp_path / "dispatch.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "841.89 x 595.3" in info.stdout  # A4 landscape
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    compact = "".join(text.split())
    assert "区科技局整改工作调度表" in compact
    assert "办公室521020%" in compact and "合计731314.3%" in compact
    png = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", str(path), str(png)], check=True
    )
    assert (tmp_path / "page-1.png").stat().st_size > 10_000
    if os.environ.get("ZHENGGAI_SCREENSHOTS"):
        (tmp_path / "page-1.png").rename(
            os.path.join(os.environ["ZHENGGAI_SCREENSHOTS"], "调度表.png")
        )
