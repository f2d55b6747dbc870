"""A new round from a document, in Chromium: the inspection office uploads a Word file without a
round, checks the round the preview proposes and the problems' descriptions, confirms, and lands
on the new round with its feedback date and milestones."""

import pytest
from playwright.sync_api import expect

from zhenggai.intake.tests.make import docx_file
from zhenggai.ledger.imports import ACCEPT
from zhenggai.rounds.models import InspectionRound
from zhenggai.testing import make_world

pytestmark = pytest.mark.browser

DOCUMENT = [
    "中共区教育局党组关于巡察整改情况的报告",
    "2023年3月1日至4月30日，区委第二巡察组对区教育局党组进行了巡察，于2023年6月5日反馈了巡察意见。",
    "一、存在的问题及整改情况",
    "（一）关于“三重一大”制度执行不严格问题的整改情况",
    "存在问题：党组会议研究“三重一大”事项不规范，个别事项先办后议。",
    "整改情况：",
    "修订完善《党组议事规则》，明确“三重一大”事项范围。",
    "严格执行集体决策制度，杜绝先办后议。",
    "（二）关于干部选任不规范问题的整改情况",
    "个别干部试用期满未及时考核。",
    "整改措施：",
    "1.建立试用期满考核提醒制度。",
    "2.对试用期满干部逐一补考核。",
]


def test_an_office_sets_up_a_round_from_a_document(
    live_server, transactional_db, sign_in, tmp_path
):
    make_world()
    path = docx_file(DOCUMENT, tmp_path / "区教育局巡察整改情况报告.docx")
    page = sign_in("inspector")
    page.click("a:has-text('从文件新建轮次')")
    expect(page.locator("input[name=file]")).to_have_attribute("accept", ACCEPT)
    page.set_input_files("input[name=file]", str(path))
    page.click("button:has-text('上传并识别')")
    expect(page.locator("h1")).to_have_text("核对新轮次和导入内容")

    # The round, as the document describes it.
    expect(page.locator("[name=round-title]")).to_have_value(
        "中共区教育局党组关于巡察整改情况的报告"
    )
    expect(page.locator("[name=round-kind]")).to_have_value("xuncha")
    expect(page.locator("[name=round-inspecting_body]")).to_have_value("区委第二巡察组")
    expect(page.locator("[name=round-period_start]")).to_have_value("2023-03-01")
    expect(page.locator("[name=round-period_end]")).to_have_value("2023-04-30")
    expect(page.locator("[name=round-feedback_date]")).to_have_value("2023-06-05")
    expect(page.locator("[name=round-new_unit]")).to_have_value("区教育局")
    expect(page.locator("[name=round-office] option:checked")).to_have_text("区委巡察办")

    # Each problem's description beside its title and measures, in a column one can read.
    expect(page.locator("[name=form-0-title]")).to_have_value("“三重一大”制度执行不严格")
    description = page.locator("[name=form-0-description]")
    expect(description).to_have_value("党组会议研究“三重一大”事项不规范，个别事项先办后议。")
    assert description.bounding_box()["width"] >= 280
    measures = page.locator("[name=form-0-measures]")
    expect(measures).to_have_value(
        "修订完善《党组议事规则》，明确“三重一大”事项范围。\n严格执行集体决策制度，杜绝先办后议。"
    )
    assert measures.bounding_box()["width"] >= 280
    expect(page.locator("[name=form-1-description]")).to_have_value("个别干部试用期满未及时考核。")
    page.screenshot(path=str(tmp_path / "preview.png"), full_page=True)

    page.fill("[name=round-title]", "区教育局巡察整改")
    page.click("button:has-text('确认设立轮次并导入')")
    expect(page.locator(".messages")).to_contain_text(
        "已设立巡察轮次“区教育局巡察整改”，导入 2 个问题"
    )
    expect(page.locator("h1")).to_have_text("区教育局巡察整改")
    expect(page.locator(".pagehead .muted")).to_contain_text("反馈 2023-06-05")
    milestones = page.locator("#milestones")
    expect(milestones).not_to_contain_text("尚未填写反馈日期")
    expect(milestones.locator("tbody tr").first).to_contain_text("2023-08-05")  # 2 months on
    page.screenshot(path=str(tmp_path / "round.png"), full_page=True)
    round = InspectionRound.objects.get(title="区教育局巡察整改")
    assert round.unit.name == "区教育局" and round.problems.count() == 2


def test_a_user_who_cannot_create_rounds_is_told_who_can(live_server, transactional_db, sign_in):
    make_world()
    page = sign_in("rect_office")
    expect(page.locator("main")).to_contain_text("巡察轮次由被巡察单位上级巡察机构的巡察办设立")
    expect(page.locator("a:has-text('从文件新建轮次')")).to_have_count(0)
