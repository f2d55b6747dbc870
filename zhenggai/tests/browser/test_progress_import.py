"""Progress by Excel through the pages, on a desktop and on a phone: a section's staff member
downloads the round's progress sheet from the round page, fills it in (openpyxl, as Excel
would), uploads it, checks the preview (a change applied, a deadline to approve, a refused
percentage, an unmatched row), confirms, and finds the import in the round's record."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from zhenggai.ledger import progress_sheet, workflow
from zhenggai.ledger.models import Measure
from zhenggai.testing import make_world
from zhenggai.tests.browser.looks import fits, shot

pytestmark = pytest.mark.browser


def _fill(path, measure_key: str) -> bytes:
    book = load_workbook(path)
    sheet = book[progress_sheet.SHEET_NAME]
    header = {cell.value: cell.column for cell in sheet[progress_sheet.HEADER_ROW + 1]}
    line = progress_sheet.HEADER_ROW + 2
    assert sheet.cell(line, 1).value == measure_key
    values = {
        "整改进展": "已召开党组会专题研究，修订学习制度",
        "完成进度（%）": 80,
        "新建制度（项）": 1,
        "整改时限": "2030-06-30",
        "时限调整理由": "制度须待上级文件出台后修订",
    }
    for label, value in values.items():
        sheet.cell(line, header[label], value)
    sheet.append(["M999999", "", "", "", "", "", "", "", "", 150])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("width", [1280, 390])
def test_download_fill_upload_preview_and_confirm(
    sign_in, live_server, transactional_db, tmp_path, width
):
    world = make_world()
    problem = world.problem(approve=False)
    workflow.approve_plan(problem, by=world.leader)
    measure = world.measure(problem)
    page = sign_in("staff", width)
    page.goto(f"{live_server.url}/rounds/{world.round.pk}/")
    with page.expect_download() as got:
        page.click("a:has-text('下载进度填报表')")
    path = tmp_path / "sheet.xlsx"
    got.value.save_as(path)
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(_fill(path, progress_sheet.measure_key(measure.pk)))

    page.click("a:has-text('导入进度')")
    expect(page.locator("h1")).to_have_text("按进度填报表导入整改进度")
    assert fits(page)
    shot(page, f"progress_upload_{width}.png")
    page.set_input_files("input[name=file]", str(filled))
    page.click("button:has-text('上传并预览')")
    expect(page.locator("h1")).to_have_text("核对进度导入")
    changes = page.locator("#changes table")
    expect(changes).to_contain_text("已召开党组会专题研究")
    expect(changes.locator("tr", has_text="完成进度")).to_contain_text("80%")
    expect(changes.locator("tr", has_text="整改时限")).to_contain_text("提交领导审批")
    expect(page.locator("#left-out")).to_contain_text("本轮次没有编号为 M999999 的措施")
    assert fits(page)
    shot(page, f"progress_preview_{width}.png")
    # On a phone each change is a block as wide as the card, not a squeezed column.
    measure_cell = changes.locator("td[data-label='措施']").first.bounding_box()
    assert measure_cell["width"] > (300 if width == 390 else 100)
    assert changes.bounding_box()["height"] < 1200

    page.click("button:has-text('确认导入')")
    expect(page.locator(".messages")).to_contain_text("已导入：3 项直接生效，1 项已提交领导审批")
    expect(page.locator("h1")).to_have_text("进度导入记录")
    assert fits(page)
    shot(page, f"progress_done_{width}.png")
    measure = Measure.objects.get(pk=measure.pk)
    assert (measure.percent, measure.rules_made, measure.deadline) == (80, 1, date(2030, 1, 1))
    page.click(".crumbs a:has-text('导入进度')")
    expect(page.locator("#history table")).to_contain_text("filled.xlsx")
    expect(page.locator("#history table")).to_contain_text("已导入")
