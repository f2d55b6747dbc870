"""平均完成进度 on the dashboard: the mean of the counted problems' completion, overall, per unit
in the ranking, and per area, section and leader in the breakdown tables."""

from datetime import date

from django.urls import reverse

from zhenggai.ledger.models import State
from zhenggai.orgs.access import forget_scope
from zhenggai.orgs.models import Unit
from zhenggai.orgs.services import create_unit
from zhenggai.rounds.services import create_round
from zhenggai.supervision.dashboard import dashboard_page, ranking_rows
from zhenggai.supervision.tests.test_dashboard import add, ledger_count


def _ledger(world):
    second = create_unit("区财政局", Unit.Kind.UNIT, world.office)
    forget_scope(world.inspector)
    second_round = create_round(
        by=world.inspector,
        kind="xuncha",
        unit=second,
        title="区财政局巡察整改",
        inspecting_body="区委第二巡察组",
        feedback_date=date(2026, 9, 1),
    )
    r, s, o = world.round, world.section, world.other_section
    add(r, state=State.IN_PROGRESS, percent=40, lead=s, leader=world.leader)
    add(r, state=State.IN_PROGRESS, percent=65, area="作风建设方面", lead=o, sections=[s])
    add(r, state=State.CLOSED, percent=100, rectified=date(2026, 10, 1), lead=s)
    add(r, state=State.WITHDRAWN, percent=10, lead=o)  # not counted
    add(second_round, state=State.IN_PROGRESS, percent=20)
    add(world.outside_round, state=State.IN_PROGRESS, percent=0)  # out of scope


def test_the_offices_dashboard_averages_its_units_problems(world):
    _ledger(world)
    page = dashboard_page(world.inspector, {})
    dash = page["dash"]
    assert dash.average_percent == round((40 + 65 + 100 + 20) / 4, 1) == 56.2
    assert ledger_count(world.inspector, dash.percent_url) == 4
    averages = {r.unit: r.average for r in dash.ranking}
    assert averages == {"区科技局": 68.3, "区财政局": 20.0}
    assert '<td class="num">68.3%</td></tr>' in ranking_rows(dash.ranking)
    areas = {row.label: row.average for row in dash.by_area.rows}
    assert areas == {"政治建设方面": round((40 + 100 + 20) / 3, 1), "作风建设方面": 65.0}


def test_a_units_dashboard_averages_per_section_and_leader(world):
    _ledger(world)
    dash = dashboard_page(world.leader, {})["dash"]
    assert dash.average_percent == 68.3
    sections = {row.label: row.average for row in dash.by_section.rows}
    # 办公室 leads or carries all three counted problems; 综合科 leads one (the withdrawn
    # problem's measure is not counted).
    assert sections == {"办公室": 68.3, "综合科": 65.0}
    leaders = {row.average for row in dash.by_leader.rows}
    assert leaders == {40.0}


def test_a_dashboard_without_problems_shows_a_dash(client, world):
    client.force_login(world.leader)
    html = client.get(reverse("dashboard")).content.decode()
    assert "<b>—</b><span>平均完成进度</span>" in html


def test_the_page_shows_the_average_and_the_breakdown_column(client, world):
    _ledger(world)
    client.force_login(world.leader)
    html = client.get(reverse("dashboard")).content.decode()
    assert "平均完成进度 <strong>68.3%</strong>" in html
    assert "<b>68.3%</b><span>平均完成进度</span>" in html
    assert html.count('<th class="num">平均完成进度</th>') == 3  # area, section, leader
    assert '<td class="num">65.0%</td>' in html
