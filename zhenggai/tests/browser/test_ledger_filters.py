"""The ledger's filters as people use them: a unit narrows the other lists, and the page fits a
phone."""

from datetime import date

import pytest
from playwright.sync_api import expect

from zhenggai.orgs.models import Unit
from zhenggai.orgs.services import create_unit
from zhenggai.rounds.models import InspectionRound
from zhenggai.rounds.services import create_round
from zhenggai.testing import make_world

pytestmark = pytest.mark.browser

LONG_TITLE = (
    "关于区人力资源和社会保障局落实全面从严治党主体责任情况的专项巡察反馈意见整改（第二轮）"
)


def _second_unit(world):
    unit = create_unit("区人社局", Unit.Kind.UNIT, world.office)
    create_unit("就业科", Unit.Kind.SECTION, unit)
    world.inspector.__dict__.pop("_zhenggai_scope", None)  # the office's scope grew
    create_round(
        by=world.inspector,
        kind=InspectionRound.Kind.XUNCHA,
        unit=unit,
        title=LONG_TITLE,
        inspecting_body="区委第二巡察组",
        feedback_date=date(2026, 9, 1),
    )
    return unit


def _labels(select):
    return [t.strip() for t in select.locator("option").all_inner_texts()]


def test_choosing_a_unit_narrows_the_round_section_and_leader_lists(
    sign_in, live_server, transactional_db
):
    world = make_world()
    world.problem(approve=True)
    other = _second_unit(world)
    page = sign_in("inspector")
    page.goto(f"{live_server.url}/ledger/")
    page.select_option("select[name=unit]", str(world.unit.pk))
    expect(page.locator("select[name=section] option", has_text="综合科")).to_have_count(1)
    assert LONG_TITLE not in _labels(page.locator("select[name=round]"))
    assert "区科技局巡察整改" in _labels(page.locator("select[name=round]"))
    page.select_option("select[name=section]", label="综合科")
    page.select_option("select[name=unit]", str(other.pk))
    expect(page.locator("select[name=section] option", has_text="就业科")).to_have_count(1)
    assert "综合科" not in _labels(page.locator("select[name=section]"))
    assert _labels(page.locator("select[name=round]"))[1:] == [LONG_TITLE]
    # The section of the other unit was let go: the table is the new unit's, not empty by mistake.
    expect(page).not_to_have_url(f"{live_server.url}/ledger/?*section=*")


def test_the_ledger_fits_a_phone(sign_in, live_server, transactional_db):
    world = make_world()
    world.problem("“三重一大”决策制度执行不严格，大额资金使用未经集体研究决定", approve=True)
    _second_unit(world)
    page = sign_in("inspector", width=390)
    for url in ("/ledger/", f"/ledger/?unit={world.office.pk}"):
        page.goto(f"{live_server.url}{url}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url} is {width} px wide"
