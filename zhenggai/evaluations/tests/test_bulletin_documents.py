"""The 通报 as a Word document (GB/T 9704 layout) and as an Excel table, read back."""

import subprocess
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from zhenggai.evaluations.bulletins import issue_bulletin
from zhenggai.evaluations.tests.bulletin_data import Q3, rate, rated_unit
from zhenggai.reports import documents


@pytest.fixture
def bulletin(world):
    rated_unit(world.office, "区发改局", {5: 40})
    rated_unit(world.office, "区教育局", {5: 20, 4: 20})
    rated_unit(world.office, "区审计局", {1: 5})
    rate(world.unit, {4: 10, 2: 20, 1: 10})
    return issue_bulletin(world.office, Q3, by=world.evaluator, min_sample=30, bottom=1)


def _get(client, world, name, bulletin):
    client.force_login(world.evaluator)
    response = client.get(reverse(name, args=[bulletin.pk]))
    assert response.status_code == 200
    return response


def test_the_word_document_has_the_layout_ranking_and_requests(client, world, bulletin):
    response = _get(client, world, "bulletin_docx", bulletin)
    assert "attachment" in response["Content-Disposition"]
    document = Document(BytesIO(b"".join(response.streaming_content)))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    # The title breaks between whole phrases.
    assert paragraphs[0] == ("公文标题", "关于2026年第三季度营商环境“背靠背”\n评价结果的通报")
    assert paragraphs[1] == ("主送机关", "各参评单位：")
    opening = paragraphs[2][1]
    assert "对4个单位2026年第三季度" in opening and "共收集有效评价125条" in opening
    assert "总体好评率72.0%" in opening and "其中3个单位有效评价达到30条" in opening
    headings = [text for style, text in paragraphs if style == "一级标题"]
    assert headings == ["一、评价结果", "二、样本量不足的单位", "三、工作要求"]
    body = "\n".join(text for _, text in paragraphs)
    assert "以下1个单位本期有效评价不足30条，不参与排名：区审计局（5条）。" in body
    assert "区科技局在本期评价中排名靠后。" in body and "前在整改闭环管理系统中报送整改方案" in body
    assert paragraphs[-2:] == [("落款", "区委巡察办"), ("落款", paragraphs[-1][1])]
    assert paragraphs[-1][1].endswith("日")

    (table,) = document.tables
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells == [
        ["排名", "单位", "样本量", "得分", "好评率", "差评率", "差评整改率"],
        ["1", "区发改局", "40", "100.00", "100.0%", "0.0%", "—"],
        ["2", "区教育局", "40", "90.00", "100.0%", "0.0%", "—"],
        ["3", "区科技局", "40", "45.00", "25.0%", "75.0%", "0.0%"],
    ]
    section = document.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28


def test_the_excel_table_lists_every_unit_with_numbers(client, world, bulletin):
    response = _get(client, world, "bulletin_xlsx", bulletin)
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    sheet = book["评价结果"]
    assert sheet["A1"].value == "关于2026年第三季度营商环境“背靠背”评价结果的通报"
    assert "评价期：2026年第三季度（2026-07-01至2026-09-30）" in sheet["A2"].value
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows[0] == (
        "排名", "单位", "样本量", "得分", "好评率", "差评率", "差评整改率", "回访率",
        "服务效率", "服务水平", "服务态度", "备注",
    )  # fmt: skip
    assert rows[1][:4] == (1, "区发改局", 40, 100)
    assert rows[3] == (3, "区科技局", 40, 45, 0.25, 0.75, 0, None, 2.25, 2.25, 2.25,
                       "排名靠后，须报送整改方案")  # fmt: skip
    assert rows[4][:3] == ("样本不足", "区审计局", 5)
    assert rows[4][-1] == "有效评价不足30条，不参与排名"
    assert len(rows) == 5
    assert sheet.cell(4, 5).number_format == "0.0%"


@pytest.mark.skipif(documents.soffice() is None, reason="LibreOffice is not installed")
def test_the_word_document_converts_to_pdf_with_its_chinese(client, world, bulletin, tmp_path):
    response = _get(client, world, "bulletin_docx", bulletin)
    pdf = documents.to_pdf(b"".join(response.streaming_content))
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    compact = "".join(text.split())
    assert "关于2026年第三季度营商环境“背靠背”评价结果的通报" in compact
    assert "3区科技局4045.0025.0%75.0%0.0%" in compact and "—1—" in compact
