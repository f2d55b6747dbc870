"""The 差评 loop in a real browser: a citizen scans a poster's link on a phone and leaves a 差评
with a reason; it is a problem in the unit's ledger with its working-day deadline; the unit
names an owner, rectifies and closes it out; the evaluation office calls back and verifies.
And the appeal path: the unit appeals, the office upholds it, the rating leaves the figures."""

import pytest
from playwright.sync_api import expect

from zhenggai.evaluations.models import Rating, RatingPoint
from zhenggai.evaluations.values import Mode
from zhenggai.lib.workdays import workdays_after
from zhenggai.testing import make_world

pytestmark = pytest.mark.browser

REASON = "窗口人员态度冷淡，材料被退回三次"


def _rate_bad_on_a_phone(browser, live_server, point, shots):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    phone.goto(f"{live_server.url}/r/{point.code}/")
    expect(phone.locator("h1")).to_have_text("区科技局")
    phone.locator("label", has_text="不满意").first.click()
    phone.click("button[type=submit]")
    expect(phone.locator("[role=alert]:visible").first).to_contain_text("原因")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.fill("textarea[name=comment]", REASON)
    phone.fill("input[name=phone]", "13912345678")
    phone.screenshot(path=str(shots / "rate-390.png"), full_page=True)
    phone.click("button[type=submit]")
    expect(phone.locator("body")).to_contain_text("感谢")
    return Rating.objects.get()


def test_a_bad_review_from_a_poster_is_rectified_called_back_and_verified(
    browser, sign_in, live_server, transactional_db, tmp_path
):
    world = make_world()
    point = RatingPoint.objects.create(
        unit=world.unit, section=world.section, kind="window", name="科技窗口", mode=Mode.ON_SITE
    )
    rating = _rate_bad_on_a_phone(browser, live_server, point, tmp_path)
    problem = rating.problem
    due = workdays_after(rating.rated_at.astimezone().date(), 5)

    office = sign_in("rect_office")
    office.goto(f"{live_server.url}/ledger/?round={problem.round_id}")
    row = office.locator("tr", has_text="材料被退回三次")
    expect(row).to_contain_text(due.isoformat())
    row.locator("a", has_text="材料被退回三次").first.click()
    expect(office.locator(".notice")).to_contain_text("差评")
    expect(office.locator("body")).not_to_contain_text("13912345678")
    office.click(".measure-head a:has-text('修改')")
    office.select_option("select[name=owner]", value=str(world.staff.pk))
    office.click("button:has-text('保存')")
    expect(office.locator(".measure")).to_contain_text("staff")

    leader = sign_in("leader")
    leader.goto(f"{live_server.url}/problems/{problem.pk}/")
    leader.click("a.button:has-text('审定方案')")
    leader.click("button:has-text('确认审定方案')")
    staff = sign_in("staff")
    staff.goto(f"{live_server.url}/problems/{problem.pk}/")
    staff.click("a.button:has-text('申请销号')")
    staff.fill("textarea[name=note]", "已约谈窗口人员，更新一次性告知单。")
    staff.click("button:has-text('确认申请销号')")
    leader.reload()
    leader.click("a.button:has-text('同意销号')")
    leader.click("button:has-text('确认同意销号')")
    expect(leader.locator(".state").first).to_have_text("已销号")

    evaluator = sign_in("evaluator")
    evaluator.goto(f"{live_server.url}/problems/{problem.pk}/")
    expect(evaluator.locator("a.button:has-text('核验通过')")).to_have_count(0)
    evaluator.click("text=查看评价、回访与申诉")
    expect(evaluator.locator("body")).to_contain_text("13912345678")
    evaluator.click("a.button:has-text('登记回访')")
    evaluator.check("input[name=outcome][value=satisfied]")
    evaluator.fill("textarea[name=note]", "评价人对整改表示满意。")
    evaluator.click("button:has-text('登记')")
    expect(evaluator.locator(".messages")).to_contain_text("回访已登记")
    evaluator.goto(f"{live_server.url}/problems/{problem.pk}/")
    evaluator.click("a.button:has-text('核验通过')")
    evaluator.click("button:has-text('确认核验通过')")
    expect(evaluator.locator(".state").first).to_have_text("已核验销号")
    evaluator.set_viewport_size({"width": 390, "height": 844})
    evaluator.goto(f"{live_server.url}/evaluations/ratings/{rating.pk}/")
    evaluator.screenshot(path=str(tmp_path / "rating-390.png"), full_page=True)
    assert evaluator.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_unit_appeals_a_bad_review_and_the_office_upholds_it(
    browser, sign_in, live_server, transactional_db
):
    world = make_world()
    point = RatingPoint.objects.create(unit=world.unit, kind="item", name="项目申报", mode="online")
    from zhenggai.evaluations.services.ratings import submit_rating

    rating = submit_rating(point, values={"level": "1", "comment": "根本没来办过业务，乱评"})
    office = sign_in("rect_office")
    office.goto(f"{live_server.url}/evaluations/ratings/{rating.pk}/")
    office.click("a.button:has-text('提出申诉')")
    office.check("input[name=ground][value=malicious]")
    office.fill("textarea[name=statement]", "经查叫号记录，评价人当日未到本窗口。")
    office.click("button:has-text('提交申诉')")
    expect(office.locator(".messages")).to_contain_text("待评价办复核")

    evaluator = sign_in("evaluator")
    evaluator.goto(f"{live_server.url}/evaluations/appeals/")
    evaluator.click("text=根本没来办过业务")
    evaluator.click("a.button:has-text('复核申诉')")
    evaluator.check("input[name=decision][value=uphold]")
    evaluator.fill("textarea[name=reason]", "叫号记录属实。")
    evaluator.click("button:has-text('提交复核意见')")
    expect(evaluator.locator(".messages")).to_contain_text("不计入统计")
    expect(evaluator.locator("#appeal")).to_contain_text("申诉成立")
    rating.refresh_from_db()
    # The rating and its problem stay, kept with their history: out of the figures, withdrawn.
    assert rating.excluded and rating.problem.state == "withdrawn"
