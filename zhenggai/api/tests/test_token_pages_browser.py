"""The pages that make credentials for programs, in a real browser on a desk and on a phone: a
person makes a personal token and sees it once, then revokes it; the evaluation office makes a
key for a hall's rating device, bound to a point."""

import pytest
from playwright.sync_api import expect

from zhenggai.api.models import ApiToken
from zhenggai.api.push_models import PushKey

pytestmark = pytest.mark.browser


OVERFLOWING = """(width) => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > width + 0.5)
  .map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def fits(page, width: int) -> None:
    assert page.evaluate(OVERFLOWING, width) == []


@pytest.mark.parametrize("width", [1280, 390])
def test_a_person_makes_a_token_sees_it_once_and_revokes_it(
    sign_in,
    live_server,
    transactional_db,
    width,
):
    from zhenggai.testing import make_world

    make_world()
    page = sign_in("leader", width)
    page.goto(f"{live_server.url}/my/reminders/")
    page.click("a:has-text('接口令牌')")
    expect(page.locator("h1")).to_have_text("接口令牌")
    page.fill("input[name=name]", "OA系统同步台账")
    page.check("input[name=scope][value=read]")
    page.fill("input[name=days]", "30")
    fits(page, width)
    page.click("button:has-text('创建令牌')")
    shown = page.locator("#new-token code.token-text")
    expect(shown).to_contain_text("zg_")
    token = ApiToken.objects.get()
    assert shown.inner_text().startswith(f"zg_{token.prefix}_") and token.scope == "read"
    fits(page, width)
    page.goto(f"{live_server.url}/my/api-tokens/")
    expect(page.locator("#new-token")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(f"zg_{token.prefix}_…")
    page.click("button:has-text('撤销')")
    expect(page.locator(".messages")).to_contain_text("已撤销")
    token.refresh_from_db()
    assert token.revoked_at is not None
    page.context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_office_makes_a_key_for_a_rating_device(
    sign_in,
    live_server,
    transactional_db,
    width,
):
    from zhenggai.evaluations.models import RatingPoint
    from zhenggai.testing import make_world

    world = make_world()
    RatingPoint.objects.create(
        unit=world.unit,
        section=world.section,
        kind="window",
        name="政务大厅科技窗口",
        mode="on_site",
    )
    page = sign_in("evaluator", width)
    page.goto(f"{live_server.url}/evaluations/push-keys/")
    page.fill("input[name=name]", "政务服务中心一楼评价器3号")
    page.get_by_label("政务大厅科技窗口", exact=False).check()
    fits(page, width)
    page.click("main form button[type=submit]")
    expect(page.locator("main")).to_contain_text("zgk_")
    key = PushKey.objects.get()
    assert list(key.points.values_list("name", flat=True)) == ["政务大厅科技窗口"]
    fits(page, width)
    page.context.close()
