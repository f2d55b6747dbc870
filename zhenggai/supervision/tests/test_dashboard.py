"""The dashboard's figures are counts of the ledger: each one equals the number of rows its
drill-down link lists, for every role's scope."""

from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from zhenggai.ledger.filters import ProblemFilter
from zhenggai.ledger.models import DeadlineKind, Measure, Problem, State
from zhenggai.orgs.access import forget_scope
from zhenggai.orgs.models import Unit
from zhenggai.orgs.services import create_unit
from zhenggai.rounds.services import create_round
from zhenggai.supervision.dashboard import WEEKS, dashboard_page
from zhenggai.testing import make_user

TODAY = timezone.localdate()
MONDAY = TODAY - timedelta(days=TODAY.weekday())


def add(round, *, state, area="政治建设方面", due=None, rectified=None, on_time=None, **extra):
    """A problem written straight into the ledger (the dashboard only reads)."""
    sections = extra.pop("sections", [])
    lead, leader, withdrawn = (
        extra.pop("lead", None),
        extra.pop("leader", None),
        extra.pop("withdrawn", False),
    )
    problem = Problem.objects.create(
        round=round,
        unit=round.unit,
        title=extra.pop("title", f"{area}的问题"),
        path=[area] if area else [],
        area=area,
        state=state,
        due_date=due,
        rectified_on=rectified,
        rectified_on_time=on_time,
        **extra,
    )
    if lead or sections or leader:
        measure = Measure.objects.create(
            problem=problem,
            text="整改",
            lead_section=lead,
            lead_leader=leader,
            deadline_kind=DeadlineKind.DATE,
            deadline=due,
            withdrawn=withdrawn,
        )
        measure.responsible_sections.set(sections)
    return problem


@pytest.fixture
def ledger(world):
    """Two units under the inspection office, problems in every state and light, measures led
    and carried out by sections, and rectifications spread over the weeks."""
    second = create_unit("区财政局", Unit.Kind.UNIT, world.office)
    second_section = create_unit("预算股", Unit.Kind.SECTION, second)
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
    late, soon, later = TODAY - timedelta(days=3), TODAY + timedelta(days=2), TODAY + timedelta(60)
    add(r, state=State.PLAN_PENDING, due=late, lead=s, leader=world.leader)
    add(r, state=State.IN_PROGRESS, due=soon, lead=s, sections=[o, s], escalation_level=2)
    add(r, state=State.IN_PROGRESS, due=later, area="作风建设方面", lead=o, leader=world.leader)
    add(r, state=State.SUBMITTED, due=late, area="作风建设方面", sections=[s])
    add(r, state=State.IN_PROGRESS, due=later, lead=o, sections=[s], withdrawn=True)
    add(r, state=State.LONG_TERM, due=late, rectified=MONDAY - timedelta(days=10), on_time=True)
    add(r, state=State.CLOSED, rectified=MONDAY, on_time=True, lead=s, leader=world.leader)
    add(r, state=State.VERIFIED, rectified=MONDAY - timedelta(weeks=3), on_time=False, lead=o)
    add(r, state=State.CLOSED, area="", rectified=MONDAY - timedelta(weeks=WEEKS + 2))
    add(r, state=State.WITHDRAWN, due=late, lead=s, escalation_level=1)
    add(second_round, state=State.IN_PROGRESS, due=late, lead=second_section)
    add(second_round, state=State.CLOSED, rectified=MONDAY - timedelta(weeks=1), on_time=True)
    add(second_round, state=State.VERIFIED, rectified=TODAY, on_time=True, area="作风建设方面")
    add(world.outside_round, state=State.IN_PROGRESS, due=late, title="市财政局的机密问题")
    return {"second": second, "second_round": second_round}


def figures(page):
    """Every figure of a dashboard page, named."""
    dash = page["dash"]
    found = {f"kpi {name}": f for name, f in dash.kpis.items()}
    for name in ("by_area", "by_section", "by_leader"):
        breakdown = getattr(dash, name)
        for row in breakdown.rows if breakdown else []:
            found[f"{name} {row.label} total"] = row.total
            for n, cell in enumerate(row.cells):
                found[f"{name} {row.label} {n}"] = cell
    for week in dash.trend:
        found[f"week {week.start} done"] = week.done
        found[f"week {week.start} cumulative"] = week.cumulative
    for ranked in dash.ranking:
        for name in ("problems", "rectified", "on_time", "late"):
            found[f"rank {ranked.unit} {name}"] = getattr(ranked, name)
    return found


def ledger_count(user, url):
    parts = urlsplit(url)
    assert parts.path == reverse("ledger")
    visible = Problem.objects.visible_to(user)
    return ProblemFilter(QueryDict(parts.query), queryset=visible).qs.count()


@pytest.mark.parametrize("query", ["", "unit", "round"])
@pytest.mark.parametrize("who", ["inspector", "leader", "discipline", "staff"])
def test_every_figure_equals_the_ledger_rows_it_links_to(world, ledger, who, query):
    user = getattr(world, who)
    params = {"unit": world.unit.pk, "round": world.round.pk}
    page = dashboard_page(user, QueryDict(f"{query}={params[query]}" if query else ""))
    checked = 0
    for name, figure in figures(page).items():
        if figure.url:
            assert figure.value == ledger_count(user, figure.url), name
            checked += 1
        else:
            assert name == "by_area （未分方面） total" or name.startswith("by_area （未分方面） ")
    assert checked > 40


def test_the_ledger_page_lists_as_many_problems_as_a_bar_counts(client, world, ledger):
    client.force_login(world.inspector)
    page = dashboard_page(world.inspector, QueryDict(f"unit={world.unit.pk}"))
    row = next(r for r in page["dash"].by_section.rows if r.label == world.section.name)
    response = client.get(row.total.url)
    assert f"共 {row.total.value} 个问题" in response.content.decode()
    assert row.total.value == 4  # led or carried out by 办公室; not the withdrawn measure's


def test_the_inspection_office_sees_figures_across_its_units(world, ledger):
    dash = dashboard_page(world.inspector, QueryDict())["dash"]
    k = {name: f.value for name, f in dash.kpis.items()}
    assert k == {
        "problems": 12,
        "rectified": 6,
        "closed_out": 5,
        "long_term": 1,
        "unfinished": 6,
        "overdue": 4,
        "due_soon": 1,
        "escalated": 2,
        "on_time": 4,
        "late": 3,
    }
    assert dash.completion_rate == 50.0
    assert dash.by_section is None and dash.by_leader is None
    assert [(r.rank, r.unit, r.on_time.value, r.rate) for r in dash.ranking] == [
        (1, "区财政局", 2, 66.7),
        (2, "区科技局", 2, 33.3),
    ]
    assert len(dash.overdue) == 4 and [p["days_late"] for p in dash.overdue] == [3, 3, 3, 3]
    assert [p["state"] for p in dash.due_soon] == [State.IN_PROGRESS]
    assert {p["unit__name"] for p in dash.overdue} == {"区科技局", "区财政局"}


def test_the_trend_counts_rectifications_per_week_and_cumulatively(world, ledger):
    trend = dashboard_page(world.inspector, QueryDict())["dash"].trend
    assert len(trend) == WEEKS and trend[-1].start == MONDAY
    assert [w.done.value for w in trend[-4:]] == [1, 1, 1, 2]
    assert trend[-1].cumulative.value == 6  # with the one rectified before the window
    assert trend[-1].rate == 50.0


def test_a_units_leader_sees_their_unit_with_sections_and_leaders(world, ledger):
    page = dashboard_page(world.leader, QueryDict())
    dash = page["dash"]
    assert page["selection"].one_unit and page["unit_name"] == "区科技局"
    assert dash.kpis["problems"].value == 9
    assert dash.ranking == []
    sections = {r.label: r.total.value for r in dash.by_section.rows}
    assert sections == {"办公室": 4, "综合科": 3}
    assert {r.label: r.total.value for r in dash.by_leader.rows} == {"leader": 3}


def test_filters_of_units_out_of_scope_are_ignored(world, ledger):
    page = dashboard_page(world.leader, QueryDict(f"unit={ledger['second'].pk}"))
    assert page["selection"].unit_id is None
    assert page["dash"].kpis["problems"].value == 9
    page = dashboard_page(world.leader, QueryDict(f"round={ledger['second_round'].pk}"))
    assert page["selection"].round_id is None


def test_a_round_narrows_the_dashboard_to_its_unit(world, ledger):
    page = dashboard_page(world.inspector, QueryDict(f"round={ledger['second_round'].pk}"))
    assert page["selection"].unit_id == ledger["second"].pk and page["selection"].one_unit
    assert page["dash"].kpis["problems"].value == 3
    assert "区财政局巡察整改" in page["round_title"]


def test_an_outsider_sees_nothing_of_the_unit(client, world, ledger):
    client.force_login(world.outsider)
    response = client.get(reverse("dashboard") + f"?unit={world.unit.pk}")
    body = response.content.decode()
    assert response.status_code == 200
    for secret in ("区科技局", "政治建设方面的问题", "区财政局"):
        assert secret not in body
    assert "市财政局的机密问题" in body


def test_a_user_without_units_sees_an_empty_dashboard(client, world, ledger):
    client.force_login(make_user("nobody"))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert response.context["dash"].kpis["problems"].value == 0
    assert "区科技局" not in response.content.decode()


def test_the_page_carries_the_chart_data_and_the_local_echarts(client, world, ledger):
    client.force_login(world.inspector)
    response = client.get(reverse("dashboard"))
    body = response.content.decode()
    assert 'id="dashboard-data"' in body
    assert "/static/zhenggai/vendor/echarts.min.js" in body
    assert "各单位按期整改排名" in body
    charts = response.context["charts"]
    assert charts["section"] is None and len(charts["trend"]["done"]) == WEEKS
    assert [s["name"] for s in charts["area"]["series"]][0] == "待定方案"
