"""The three lists and the close-out form in a real browser: the round page, the ledger and a
closed-out problem's page offer them, and they download as files, at 1280 and 390 px."""

from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from playwright.sync_api import expect

from zhenggai.reports.tests.test_closeout_form import close
from zhenggai.testing import make_world
from zhenggai.tests.browser.looks import fits, shot

pytestmark = pytest.mark.browser


def downloaded(page, link) -> bytes:
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_bytes()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_lists_and_the_forms_download_from_their_pages(
    sign_in, live_server, transactional_db, width
):
    world = make_world()
    world.problem("学习贯彻不深入", measures=2)
    closed = close(world, world.problem("制度执行不严"))
    page = sign_in("leader", width)

    page.goto(f"{live_server.url}/rounds/{world.round.pk}/")
    papers = page.locator("ul.papers")
    expect(papers).to_contain_text("三张清单")
    expect(papers).to_contain_text("已销号的 1 个问题")
    shot(page, f"papers-round-{width}.png")
    assert fits(page)
    book = openpyxl.load_workbook(
        BytesIO(downloaded(page, papers.locator("li:has-text('三张清单') a:has-text('Excel')")))
    )
    assert book.sheetnames == ["问题清单", "任务清单", "责任清单"]
    assert book["任务清单"].max_row == 3 + 3  # title, subtitle, header and three measures
    form = downloaded(page, papers.locator("li:has-text('销号审批表') a:has-text('Word')"))
    assert len(Document(BytesIO(form)).tables) == 1

    page.goto(f"{live_server.url}/ledger/?q=制度执行")
    book = openpyxl.load_workbook(BytesIO(downloaded(page, page.locator("a:has-text('三张清单')"))))
    problems = [r[3].value for r in book["问题清单"].iter_rows(min_row=4) if r[3].value]
    assert problems == ["制度执行不严"]  # under its area's and category's heading rows
    assert fits(page)

    page.goto(f"{live_server.url}/problems/{closed.pk}/")
    link = page.locator(".actions a:has-text('销号审批表')").first
    expect(link).to_be_visible()
    shot(page, f"papers-problem-{width}.png")
    assert fits(page)
    form = Document(BytesIO(downloaded(page, link)))
    assert form.paragraphs[0].text == "整改问题销号审批表"
