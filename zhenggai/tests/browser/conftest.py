"""What every browser test needs: headless Chromium, and a signed-in page."""

import pytest
from playwright.sync_api import expect, sync_playwright

from zhenggai.lib.browser import launch_chromium
from zhenggai.testing import PASSWORD


@pytest.fixture
def browser():
    with sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()


@pytest.fixture
def sign_in(browser, live_server):
    """sign_in(username, width=1280): a new page of its own, logged in as that user."""

    def sign_in(username: str, width: int = 1280):
        page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        expect(page.locator(".topbar .who")).to_be_visible()
        return page

    return sign_in
