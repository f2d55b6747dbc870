"""The bottom-rank 约谈 in a real browser, on a desktop and on a phone: the office opens the
interview the published month opened, schedules it, records it with two commitments (one row
added in the page), and follows a commitment to its problem page."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from zhenggai.assessments.models import Interview

pytestmark = pytest.mark.browser

SAMPLES = Path(__file__).parent / "samples"
SHOTS = Path(os.environ.get("ZHENGGAI_SHOTS", "/tmp/assessment-interview-shots"))


def fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def shot(page, name: str, width: int) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_office_schedules_records_and_follows_a_bottom_rank_interview(
    transactional_db, live_server, sign_in, assessed, width
):
    interview = assessed["interview"]
    page = sign_in("evaluator", width=width)
    page.goto(f"{live_server.url}/assessments/interviews/")
    fits(page, width)
    shot(page, "interview-list", width)
    page.locator("table a", has_text="区科技局").click()
    expect(page.locator("h1")).to_contain_text("约谈区科技局")
    expect(page.locator("body")).to_contain_text("连续2个月")
    page.click("a.button:has-text('安排约谈')")

    page.fill("input[name=scheduled_on]", "2025-12-10")
    page.fill("input[name=interviewer]", "区评价办主任 张某")
    page.fill("input[name=interviewees]", "局长 李某、分管副局长 王某")
    page.fill("input[name=place]", "区政府三楼会议室")
    fits(page, width)
    page.click("button:has-text('保存')")
    expect(page.locator("body")).to_contain_text("约谈安排已保存")
    expect(page.locator(".facts")).to_contain_text("2025-12-10")

    page.click("a.button:has-text('修改安排')")
    expect(page.locator("input[name=scheduled_on]")).to_have_value("2025-12-10")
    page.goto(f"{live_server.url}/assessments/interviews/{interview.pk}/")

    page.click("a.button:has-text('登记约谈情况')")
    expect(page.locator("input[name=held_on]")).to_have_value("2025-12-10")
    page.fill("textarea[name=minutes]", "通报连续两月末位情况，指出电话接听不及时等问题。")
    page.fill("textarea[name=c-0-text]", "建立电话值守制度，专人接听")
    page.fill("input[name=c-0-deadline]", "2026-01-31")
    for _ in range(5):  # past the five rows the page starts with
        page.click("button:has-text('再加一行')")
    expect(page.locator("textarea[name=c-9-text]")).to_be_visible()
    page.fill("textarea[name=c-9-text]", "每月通报好差评推送率")
    page.fill("input[name=c-9-deadline]", "2026-02-28")
    fits(page, width)
    shot(page, "interview-record", width)
    page.click("button.primary:has-text('保存')")
    expect(page.locator("body")).to_contain_text("约谈情况已登记")

    rows = page.locator("#commitments tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#commitments")).to_contain_text("每月通报好差评推送率")
    fits(page, width)
    shot(page, "interview-detail", width)
    assert Interview.objects.get(pk=interview.pk).state == Interview.State.HELD

    rows.nth(0).locator("a").click()
    expect(page.locator("h1")).to_contain_text("建立电话值守制度")
    expect(page.locator("body")).to_contain_text("约谈整改")
    fits(page, width)
    shot(page, "problem", width)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_office_imports_third_party_scores_and_the_group_signs_for_a_clue(
    transactional_db, live_server, sign_in, assessed, width
):
    month = assessed["open_month"]
    page = sign_in("evaluator", width=width)
    page.goto(f"{live_server.url}/assessments/months/{month.pk}/imports/")
    page.set_input_files("input[name=file]", str(SAMPLES / "scores_errors.xlsx"))
    page.click("button:has-text('上传并预览')")
    expect(page.locator(".import-errors")).to_contain_text("不是数字")
    expect(page.locator("button:has-text('确认导入')")).to_have_count(0)
    fits(page, width)
    shot(page, "import-errors", width)
    page.goto(f"{live_server.url}/assessments/months/{month.pk}/imports/")
    page.set_input_files("input[name=file]", str(SAMPLES / "scores_many.xlsx"))
    page.click("button:has-text('上传并预览')")
    expect(page.locator(".import-rows")).to_contain_text("38.25")
    fits(page, width)
    shot(page, "import-preview", width)
    page.click("button:has-text('确认导入')")
    expect(page.locator("body")).to_contain_text("3 项得分有变化")

    watcher = sign_in("watcher", width=width)
    watcher.goto(f"{live_server.url}/assessments/clues/")
    fits(watcher, width)
    shot(watcher, "clue-list", width)
    watcher.click("button:has-text('签收')")
    expect(watcher.locator("body")).to_contain_text("线索已签收")
