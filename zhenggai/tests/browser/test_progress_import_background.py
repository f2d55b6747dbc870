"""A big progress import through the pages, on a desktop and on a phone: a section's staff member
uploads a filled sheet of more rows than the request applies, is told it will be imported in the
background, confirms, watches the page say 正在导入, and, once the worker has applied it, sees
the page turn by itself into the import's record."""

import io
import os

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from zhenggai.ledger import progress_sheet
from zhenggai.ledger.models import Measure, ProgressReport
from zhenggai.ledger.models.progress_imports import ProgressImport
from zhenggai.testing import make_world
from zhenggai.tests.browser.looks import fits, shot

pytestmark = pytest.mark.browser


def _fill(path) -> bytes:
    book = load_workbook(path)
    sheet = book[progress_sheet.SHEET_NAME]
    header = {cell.value: cell.column for cell in sheet[progress_sheet.HEADER_ROW + 1]}
    for n, row in enumerate(sheet.iter_rows(min_row=progress_sheet.HEADER_ROW + 2)):
        sheet.cell(row[0].row, header["整改进展"], f"第{n + 1}项措施已完成调研，形成报告")
        sheet.cell(row[0].row, header["完成进度（%）"], 60 + n)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_big_import_is_applied_in_the_background_while_the_page_waits(
    sign_in, live_server, transactional_db, tmp_path, settings, width
):
    settings.PROGRESS_IMPORT_INLINE_ROWS = 2
    world = make_world()
    world.problem(measures=3, approve=True)
    page = sign_in("staff", width)
    page.goto(f"{live_server.url}/rounds/{world.round.pk}/")
    with page.expect_download() as got:
        page.click("a:has-text('下载进度填报表')")
    path = tmp_path / "sheet.xlsx"
    got.value.save_as(path)
    filled = tmp_path / "三行.xlsx"
    filled.write_bytes(_fill(path))

    page.click("a:has-text('导入进度')")
    page.set_input_files("input[name=file]", str(filled))
    page.click("button:has-text('上传并预览')")
    expect(page.locator("h1")).to_have_text("核对进度导入")
    expect(page.locator(".actions + p")).to_contain_text("确认后在后台导入")

    page.click("button:has-text('确认导入')")
    expect(page.locator(".messages")).to_contain_text("3 行正在后台导入")
    expect(page.locator("#applying")).to_contain_text("正在导入")
    expect(page.locator("button:has-text('确认导入')")).to_have_count(0)
    assert ProgressImport.objects.get().status == ProgressImport.Status.APPLYING
    assert ProgressReport.objects.count() == 0
    assert fits(page)
    shot(page, f"progress_applying_{width}.png")

    call_command("worker", "--once", stdout=open(os.devnull, "w"))

    # The next poll finds it applied, and the page reloads into the import's record.
    expect(page.locator("h1")).to_have_text("进度导入记录", timeout=10_000)
    expect(page.locator(".notice")).to_contain_text("已导入")
    expect(page.locator("#changes table")).to_contain_text("已生效")
    assert fits(page)
    shot(page, f"progress_applied_in_background_{width}.png")
    assert sorted(Measure.objects.values_list("percent", flat=True)) == [60, 61, 62]
