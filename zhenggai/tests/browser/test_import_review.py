"""The import pages as a new user found them, on a desktop and on a phone: long file names, the
preview's labels, its errors and what it shows of each measure."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from zhenggai.ledger.imports import start_import
from zhenggai.lib import samples
from zhenggai.testing import make_world

pytestmark = pytest.mark.browser

LONG_NAME = "IMG_20251015_123456789_HDR_notice_from_county_inspection_office_final_version"
NOTICE = "一、存在的问题\n（一）学习贯彻不深入\n整改措施：组织专题学习。\n".encode()


def fits(page) -> bool:
    """Whether the page is no wider than its viewport (no sideways scroll)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_long_file_name_wraps_on_the_progress_and_preview_pages(
    sign_in, live_server, transactional_db, width
):
    world = make_world()
    reading = start_import(
        world.round, SimpleUploadedFile(f"{LONG_NAME}.png", samples.png()), by=world.inspector
    )
    read = start_import(
        world.round, SimpleUploadedFile(f"{LONG_NAME}.txt", NOTICE), by=world.inspector
    )
    page = sign_in("inspector", width)
    for draft, heading in ((reading, "正在识别文件"), (read, "核对导入内容")):
        page.goto(f"{live_server.url}/rounds/{world.round.pk}/import/{draft.pk}/")
        expect(page.locator("h1")).to_have_text(heading)
        expect(page.locator(".pagehead")).to_contain_text(LONG_NAME)
        assert fits(page), f"{heading} is wider than {width} px"
    page.goto(f"{live_server.url}/rounds/{world.round.pk}/import/")
    expect(page.locator(".import-drafts").first).to_contain_text(LONG_NAME)
    assert fits(page)
