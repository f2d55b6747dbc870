"""Importing a seed document through the pages: upload (with progress), check, confirm."""

import pytest
from playwright.sync_api import expect, sync_playwright

from zhenggai.demo.load import SEEDS
from zhenggai.lib.browser import launch_chromium
from zhenggai.testing import PASSWORD, make_world

pytestmark = pytest.mark.browser


def test_upload_check_and_confirm_a_seed(live_server, transactional_db):
    world = make_world()
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", "inspector")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{live_server.url}/rounds/{world.round.pk}/")
        page.click("a:has-text('导入文件')")
        page.set_input_files("input[name=file]", str(SEEDS / "004_9a9a5644509a9b72.txt"))
        page.click("button:has-text('上传并识别')")
        expect(page.locator("h1")).to_have_text("核对导入内容")
        expect(page.locator("text=共识别出")).to_contain_text("26")
        page.locator("input[name='form-0-title']").fill("中心组学习不够深入（已核对）")
        page.click("button:has-text('确认导入台账')")
        expect(page.locator(".messages")).to_contain_text("已导入 26 个问题")
        expect(page.locator("table.ledger")).to_contain_text("中心组学习不够深入（已核对）")
        browser.close()


def test_a_refused_upload_shows_its_message(live_server, transactional_db, tmp_path):
    world = make_world()
    bad = tmp_path / "扫描件.pdf"
    bad.write_bytes(b"MZ" + b"\0" * 500)
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", "inspector")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{live_server.url}/rounds/{world.round.pk}/import/")
        page.set_input_files("input[name=file]", str(bad))
        page.click("button:has-text('上传并识别')")
        expect(page.locator(".messages")).to_contain_text("只能导入")
        browser.close()
