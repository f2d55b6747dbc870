"""The one-page print of an order (Word and PDF), made again from the stored order and answer."""

import re
import shutil
import subprocess
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document

from zhenggai.ledger import services as ledger
from zhenggai.lib import samples, soffice
from zhenggai.supervision import order_document
from zhenggai.supervision.models import Escalation
from zhenggai.supervision.services import answer_escalation, decide_escalation, issue_escalation

LATER = timezone.localdate() + timedelta(days=7)
YEAR = timezone.localdate().year
HAS_PDF_TOOLS = soffice.find() is not None and shutil.which("pdftoppm") is not None


@pytest.fixture
def order(world):
    problem = world.problem("项目资金拨付滞后", approve=True)
    measure = world.measure(problem)
    ledger.update_measure(measure, by=world.leader, base_version=measure.version, owner=world.staff)
    return issue_escalation(
        problem,
        by=world.inspector,
        level=Escalation.Level.LISTED,
        demand="限期一个月内将项目资金拨付到位，并书面报告整改情况。",
        due_on=LATER,
        measure=measure,
    )


def cells(document) -> dict[str, str]:
    (table,) = document.tables
    return {row.cells[0].text: row.cells[1].text for row in table.rows}


def test_the_print_holds_the_order_in_one_bordered_table_on_a4(world, order):
    document = Document(BytesIO(order_document.order_docx(order)))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    title, number = document.paragraphs[:2]
    assert title.text == "督办单" and number.text == f"区委巡察办　〔{YEAR}〕第1号"
    assert number.alignment == 2  # right
    fonts = title.runs[0]._element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == (
        "方正小标宋简体"
    )
    rows = cells(document)
    assert rows["督办单位"] == "区委巡察办" and rows["被督办单位"] == "区科技局"
    assert rows["问题"] == "1 项目资金拨付滞后"
    assert rows["措施"] == "措施1：组织专题学习"
    assert rows["督办级别"] == "挂牌督办"
    assert rows["督办要求"].startswith("限期一个月内")
    assert rows["答复期限"] == f"{LATER.year}年{LATER.month}月{LATER.day}日"
    assert rows["下发人"].startswith("inspector")
    assert "答复人：" in rows["答复情况"] and "年　　月　　日" in rows["答复情况"]
    assert "单位负责人（签字）" in rows["签收"] and "（盖章）" in rows["签收"]
    assert (
        document.tables[0]._tbl.tblPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblBorders"
        )
        is not None
    )


def test_the_print_carries_the_answer_its_files_and_the_closing(world, order):
    upload = SimpleUploadedFile("书面答复.pdf", samples.pdf(), "application/pdf")
    answer_escalation(order, by=world.staff, answer="资金已于本月拨付到位。", files=[upload])
    decide_escalation(order, by=world.inspector, accept=True, note="同意办结。")
    order.refresh_from_db()
    rows = cells(Document(BytesIO(order_document.order_docx(order))))
    assert "资金已于本月拨付到位。" in rows["答复情况"]
    assert "附件：书面答复.pdf" in rows["答复情况"] and "答复人：staff" in rows["答复情况"]
    assert rows["办结意见"].startswith("同意办结。")


def test_a_long_demand_and_answer_are_cut_to_keep_one_page(world, order):
    Escalation.objects.filter(pk=order.pk).update(demand="长" * 4000, answer="答" * 4000)
    order.refresh_from_db()
    rows = cells(Document(BytesIO(order_document.order_docx(order))))
    assert rows["督办要求"] == "长" * order_document.DEMAND_CHARS + order_document.MORE
    assert rows["答复情况"].startswith("答" * order_document.ANSWER_CHARS + order_document.MORE)


def test_a_system_urging_prints_as_issued_by_the_system(world, order):
    Escalation.objects.filter(pk=order.pk).update(issued_by=None, kind=Escalation.Kind.URGE)
    order.refresh_from_db()
    document = Document(BytesIO(order_document.order_docx(order)))
    rows = cells(document)
    assert document.paragraphs[0].text == "催办单"
    assert rows["下发人"].startswith("系统自动催办") and "催办要求" in rows


def test_the_print_downloads_for_readers_and_is_hidden_from_others(client, world, order):
    url = reverse("order_docx", args=[order.pk])
    for name in ("inspector", "leader", "staff", "discipline"):
        client.force_login(getattr(world, name))
        response = client.get(url)
        assert response.status_code == 200, name
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content)[:2] == b"PK"
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse("order_pdf", args=[order.pk])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_pdf_says_so_in_chinese_when_libreoffice_is_missing(client, world, order, settings):
    settings.SOFFICE = "/nonexistent/soffice"
    client.force_login(world.inspector)
    response = client.get(reverse("order_pdf", args=[order.pk]), follow=True)
    assert "未安装 LibreOffice" in response.content.decode()


@pytest.mark.skipif(not HAS_PDF_TOOLS, reason="LibreOffice or pdftoppm is not installed")
def test_the_pdf_is_one_a4_page_with_the_title_and_the_table(world, order, tmp_path):
    """The first page drawn as a picture: the title centred at the top, the table's lines in
    the type area, white margins; and one page even with the longest demand and answer."""
    from PIL import Image

    upload = SimpleUploadedFile("书面答复.pdf", samples.pdf(), "application/pdf")
    answer_escalation(order, by=world.staff, answer="答复" * 2000, files=[upload])
    Escalation.objects.filter(pk=order.pk).update(demand="要求" * 2000)
    order.refresh_from_db()
    pdf = tmp_path / "order.pdf"
    pdf.write_bytes(order_document.order_pdf(order))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+1$", info.stdout, re.M)
    assert "(A4)" in info.stdout
    subprocess.run(
        ["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    width, height = image.size
    mm = width / 210

    def inked(box) -> bool:
        return image.crop(tuple(int(v * mm) for v in box)).getextrema()[0] < 128

    assert inked((80, 37, 130, 50))  # the title
    assert inked((28, 60, 184, 250))  # the table
    assert not inked((0, 0, 210, 30))  # the top margin
    assert not inked((0, 0, 20, 297))  # the left margin


def test_a_demand_and_answer_of_many_short_lines_are_run_together(world, order):
    answer_escalation(order, by=world.staff, answer="已办\n" * 50)
    Escalation.objects.filter(pk=order.pk).update(demand="请报告\n\n" * 40)
    order.refresh_from_db()
    rows = cells(Document(BytesIO(order_document.order_docx(order))))
    assert rows["督办要求"] == " ".join(["请报告"] * 40)
    assert "\n已办 已办 " in "\n" + rows["答复情况"]


@pytest.mark.skipif(not HAS_PDF_TOOLS, reason="LibreOffice or pdftoppm is not installed")
def test_a_demand_and_answer_of_forty_lines_still_print_on_one_page(world, order, tmp_path):
    answer_escalation(order, by=world.staff, answer="已办\n" * 50)  # 150 characters
    Escalation.objects.filter(pk=order.pk).update(demand="请报告\n" * 40)  # 160 characters
    order.refresh_from_db()
    pdf = tmp_path / "order.pdf"
    pdf.write_bytes(order_document.order_pdf(order))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+1$", info.stdout, re.M)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    assert len(list(tmp_path.glob("p*.png"))) == 1
