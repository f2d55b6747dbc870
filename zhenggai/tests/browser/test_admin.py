"""The admin as a system administrator sees it in Chromium: every page in Chinese, and a person
added with one 姓名 is named by it in the application."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from zhenggai.testing import PASSWORD

pytestmark = pytest.mark.browser

# English that may stand in a Chinese interface: abbreviations, product names, key names.
ALLOWED = {
    "id",
    "url",
    "pdf",
    "excel",
    "word",
    "wps",
    "webhook",
    "sec",  # a DingTalk robot's signing secret starts with "SEC"
    "sha",  # SHA-256
    "ldap",
    "control",  # "按住 Control 键或 Mac 上的 Command 键来选择多项"
    "mac",
    "command",
}
WORD = re.compile(r"[A-Za-z]{2,}")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def admin_page(browser, live_server):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()
    return page


def english_on(page, data_words: set[str]) -> set[str]:
    """English words a person reads on the page (hidden headings for screen readers included),
    less data: login names, e-mail addresses, ids of tasks (UUIDs) and the password hash's
    parts (in <bdi>)."""
    page.evaluate("document.querySelectorAll('bdi').forEach(e => e.remove())")
    text = UUID.sub(" ", page.inner_text("body") + " " + page.title())
    return {w for w in WORD.findall(text) if w.lower() not in ALLOWED | data_words}


def links(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")


@pytest.fixture
def filled(world):
    """The world with a ledger's worth of rows, so that each changelist has one to open."""
    from zhenggai.ledger import services
    from zhenggai.supervision.tasks import send_retries

    problem = world.problem(approve=True)
    services.flag_problem(problem, by=world.discipline, note="请加快整改进度")
    send_retries.enqueue()
    return world


def test_every_admin_page_reads_in_chinese(browser, live_server, filled):
    users = get_user_model().objects.values_list("username", "email")
    data_words = {w.lower() for pair in users for value in pair for w in WORD.findall(value)}
    data_words |= {"md"}  # the test settings' password hasher, named on the user form
    page = admin_page(browser, live_server)
    to_visit = ["/admin/", "/admin/password_change/"]
    to_visit += links(page, "#content-main a")
    seen, found = set(), {}
    while to_visit:
        url = to_visit.pop(0)
        if url in seen or not url.startswith("/admin/") or "logout" in url:
            continue
        seen.add(url)
        page.goto(live_server.url + url)
        if re.fullmatch(r"/admin/\w+/\w+/", url):  # a changelist: open its first row
            to_visit += links(page, "#result_list tbody tr:first-child a[href^='/admin/']")[:1]
        elif url.endswith("/change/"):
            to_visit += [url.replace("/change/", "/history/")]
            to_visit += [url + href for href in links(page, "a[href='../password/']")]
        english = english_on(page, data_words)
        if english:
            found[url] = sorted(english)
    assert len(seen) > 40  # index, app pages, changelists, add and change forms, histories
    assert any(u.startswith("/admin/auth/user/") and u.endswith("/change/") for u in seen)
    assert any(u.startswith("/admin/django_tasks_database/") for u in seen)
    assert found == {}


def test_a_user_added_with_one_name_is_named_by_it_on_the_top_bar(browser, live_server, world):
    page = admin_page(browser, live_server)
    page.goto(f"{live_server.url}/admin/auth/user/add/")
    expect(page.locator("label[for=id_first_name]")).to_have_text("姓名:")
    expect(page.locator("#id_last_name")).to_have_count(0)
    page.fill("#id_username", "ouyang")
    page.fill("#id_first_name", "欧阳娜娜")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("ouyang")
    expect(page.locator("#id_first_name")).to_have_value("欧阳娜娜")
    page.goto(f"{live_server.url}/admin/auth/user/")
    expect(page.locator("#result_list")).to_contain_text("欧阳娜娜")

    user = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    user.goto(f"{live_server.url}/login/")
    user.fill("input[name=username]", "ouyang")
    user.fill("input[name=password]", PASSWORD)
    user.click("button[type=submit]")
    expect(user.locator(".topbar .who")).to_have_text("欧阳娜娜")
