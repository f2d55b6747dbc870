"""The login page with single sign-on (统一身份认证) in Chromium, at 1280 and 390 px: the button,
the whole round trip through a real OIDC provider (django-oauth-toolkit in a subprocess), a
refusal in Chinese, and the page with password sign-in turned off."""

import pytest
from playwright.sync_api import expect

from zhenggai.accounts import oidc as sso
from zhenggai.accounts.tests.oidc_provider import running
from zhenggai.tests.browser.looks import fits, shot

pytestmark = pytest.mark.browser

BUTTON = "使用统一身份认证登录"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    provider = running.start(tmp_path_factory.mktemp("oidc-provider"))
    yield provider
    provider.stop()


@pytest.fixture
def oidc(settings, provider):
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "zhenggai.accounts.oidc.DirectoryOIDCBackend",
    ]
    return provider


def login_page(browser, live_server, width: int):
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(f"{live_server.url}/login/")
    return page


def through_the_provider(page, username: str) -> None:
    page.get_by_role("link", name=BUTTON).click()
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", running.PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_login_page_offers_the_identity_service(browser, live_server, world, oidc, width):
    page = login_page(browser, live_server, width)
    expect(page.get_by_role("link", name=BUTTON)).to_be_visible()
    expect(page.locator("input[name=password]")).to_be_visible()
    assert fits(page)
    shot(page, f"sign-in-{width}.png")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_person_signs_in_through_the_identity_service(browser, live_server, world, oidc, width):
    page = login_page(browser, live_server, width)
    through_the_provider(page, "zhangsan")  # the provider asserts preferred_username "staff"
    expect(page.locator(".topbar .who")).to_contain_text(world.staff.first_name)
    assert fits(page)


def test_an_unknown_person_is_told_why_on_the_login_page(browser, live_server, world, oidc):
    page = login_page(browser, live_server, 390)
    through_the_provider(page, "stranger")
    expect(page.get_by_role("alert")).to_contain_text(sso.UNKNOWN_PERSON)
    expect(page.get_by_role("link", name=BUTTON)).to_be_visible()
    assert fits(page)
    shot(page, "sign-in-refused-390.png")


@pytest.mark.parametrize("width", [1280, 390])
def test_with_password_sign_in_off_only_the_button_is_offered(
    browser, live_server, world, oidc, settings, width
):
    settings.PASSWORD_LOGIN = False
    settings.AUTHENTICATION_BACKENDS = [
        "zhenggai.accounts.admin_password.AdminPasswordBackend",
        "zhenggai.accounts.oidc.DirectoryOIDCBackend",
    ]
    page = login_page(browser, live_server, width)
    expect(page.locator("input[name=password]")).to_have_count(0)
    assert fits(page)
    shot(page, f"sign-in-sso-only-{width}.png")
    through_the_provider(page, "zhangsan")
    expect(page.locator(".topbar .who")).to_contain_text(world.staff.first_name)
