"""Importing a scanned notice through the pages, on a desktop and on a phone: the upload form,
the page while the worker reads the scan (its progress polled), then the preview with the page
image beside its text and the doubtful line marked, and the import confirmed."""

import os

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from zhenggai.ledger import import_background
from zhenggai.ledger.import_samples import FOLDER
from zhenggai.ledger.models import ImportDraft
from zhenggai.testing import make_world
from zhenggai.tests.browser.looks import fits, shot

pytestmark = pytest.mark.browser

SCAN = FOLDER / "扫描的整改通报.png"


@pytest.mark.parametrize("width", [1280, 390])
def test_a_scan_is_read_in_the_background_checked_and_imported(
    sign_in, live_server, transactional_db, monkeypatch, width
):
    world = make_world()
    page = sign_in("inspector", width)
    blocked = []  # what the Content-Security-Policy refused (inline script or style)
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{live_server.url}/rounds/{world.round.pk}/import/")
    expect(page.locator("#samples")).to_contain_text("扫描的整改情况通报")
    assert fits(page)
    shot(page, f"import_scan_upload_{width}.png")
    page.set_input_files("input[name=file]", str(SCAN))
    page.click("button:has-text('上传并识别')")
    expect(page.locator("h1")).to_have_text("正在识别文件")
    expect(page.locator("#import-progress")).to_contain_text("正在等待后台识别")
    assert fits(page)
    shot(page, f"import_scan_waiting_{width}.png")

    # The worker reads the scan; at its page's progress it is held until the polling page
    # has shown that progress.
    reported = import_background._Progress.__call__

    def held(progress, done, total):
        reported(progress, done, total)
        expect(page.locator("#import-progress")).to_contain_text(
            f"正在识别第 {min(done + 1, total)}/{total} 页", timeout=10_000
        )
        shot(page, f"import_scan_reading_{width}.png")

    monkeypatch.setattr(import_background._Progress, "__call__", held)
    call_command("worker", "--once", stdout=open(os.devnull, "w"))
    assert ImportDraft.objects.get().status == ImportDraft.Status.OPEN

    # The next poll finds it read, and the page turns into the preview by itself.
    expect(page.locator("h1")).to_have_text("核对导入内容", timeout=10_000)
    expect(page.locator(".import-reading")).to_contain_text(
        "OCR识别（图片），共 1 页，1 行置信度低"
    )
    image = page.locator("#scan img").first
    expect(image).to_be_visible()
    page.wait_for_function("document.querySelector('#scan img').naturalWidth > 0")
    expect(page.locator("#scan li.low")).to_have_count(1)
    flagged = page.locator("tr.ocr-low")
    expect(flagged).to_have_count(1)
    expect(flagged).to_have_attribute("title", "OCR置信度低，请核对")
    expect(flagged.locator("input[name$='-title']")).to_have_value("财务报销审核把关不严")
    if width == 1280:  # the page image beside its text; on a phone one above the other
        figure, lines = page.locator("#scan .scan-page figure"), page.locator("#scan .scan-lines")
        assert lines.bounding_box()["x"] > figure.bounding_box()["x"] + 300
    else:
        figure, lines = page.locator("#scan .scan-page figure"), page.locator("#scan .scan-lines")
        assert lines.bounding_box()["y"] > figure.bounding_box()["y"] + 100
    assert fits(page)
    shot(page, f"import_scan_preview_{width}.png")

    page.click("button:has-text('确认导入台账')")
    expect(page.locator(".messages")).to_contain_text("已导入 4 个问题")
    expect(page.locator("table.ledger")).to_contain_text("财务报销审核把关不严")
    assert fits(page)
    assert blocked == []


def test_a_new_round_from_a_scan_of_two_pages_shows_them_one_at_a_time(
    sign_in, live_server, transactional_db, tmp_path
):
    from PIL import Image

    make_world()
    scan = tmp_path / "两页扫描件.pdf"  # a PDF of page images, no text layer
    with Image.open(SCAN) as page_image:
        page_image.save(scan, save_all=True, append_images=[page_image.copy()], resolution=150)
    page = sign_in("inspector", 390)
    page.goto(f"{live_server.url}/rounds/import/")
    page.set_input_files("input[name=file]", str(scan))
    page.click("button:has-text('上传并识别')")
    expect(page.locator("h1")).to_have_text("正在识别文件")
    call_command("worker", "--once", stdout=open(os.devnull, "w"))
    expect(page.locator("h1")).to_have_text("核对新轮次和导入内容", timeout=10_000)
    expect(page.locator(".import-reading")).to_contain_text("OCR识别（扫描版PDF），共 2 页")
    pager = page.locator("#scan .scan-pager")
    expect(pager).to_contain_text("第 1 / 2 页")
    expect(page.locator("#scan-page-1")).to_be_visible()
    expect(page.locator("#scan-page-2")).to_be_hidden()
    pager.locator("button:has-text('下一页')").click()
    expect(pager).to_contain_text("第 2 / 2 页")
    expect(page.locator("#scan-page-2 img")).to_be_visible()
    expect(page.locator("#scan-page-1")).to_be_hidden()
    assert fits(page)
    shot(page, "import_scan_new_round_390.png")
