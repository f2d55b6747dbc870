"""Signing in with an LDAP password in Chromium, at 1280 and 390 px, against a real slapd on
loopback: the person signs in, a person the directory does not hold and a stopped server are
told why."""

import socket

import pytest
from playwright.sync_api import expect

from zhenggai.accounts import ldap
from zhenggai.accounts.tests.slapd import directory_part, running_slapd
from zhenggai.tests.browser.looks import fits, shot

pytestmark = pytest.mark.browser

LDAP_PASSWORD = "目录口令-ldap-2024"


@pytest.fixture(scope="module")
def server():
    with running_slapd() as server:
        yield server


@pytest.fixture
def ldap_directory(server, settings):
    with directory_part(server, settings) as directory:
        yield directory


def sign_in_with(browser, live_server, width: int, username: str, password: str):
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(f"{live_server.url}/login/")
    expect(page.get_by_text("单位域账号（LDAP）")).to_be_visible()
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    return page


@pytest.mark.parametrize("width", [1280, 390])
def test_a_directory_person_signs_in_with_the_ldap_password(
    browser, live_server, world, ldap_directory, width
):
    ldap_directory.add_person("staff", LDAP_PASSWORD, name="王科员")
    page = sign_in_with(browser, live_server, width, "staff", LDAP_PASSWORD)
    expect(page.locator(".topbar .who")).to_contain_text(world.staff.first_name)
    assert fits(page)


def test_a_person_the_directory_does_not_hold_is_told_why(
    browser, live_server, world, ldap_directory
):
    ldap_directory.add_person("newcomer", LDAP_PASSWORD)
    page = sign_in_with(browser, live_server, 390, "newcomer", LDAP_PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("不在本系统的通讯录中")
    expect(page.locator("input[name=username]")).to_have_value("newcomer")
    assert fits(page)
    shot(page, "ldap-not-in-directory-390.png")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_stopped_server_is_said_so(browser, live_server, world, ldap_directory, settings, width):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    settings.LDAP_URL = f"ldap://127.0.0.1:{port}"
    page = sign_in_with(browser, live_server, width, "staff", LDAP_PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text(ldap.UNREACHABLE)
    assert fits(page)
    shot(page, f"ldap-unreachable-{width}.png")
