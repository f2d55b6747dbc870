"""The periodic 通报: units below the office ranked by score, those short of the minimum sample
listed unranked, the bottom ones given an evaluation round of findings, all or nothing, once."""

from datetime import date

import pytest

from zhenggai.evaluations import bulletins
from zhenggai.evaluations.bulletins import issue_bulletin, preview
from zhenggai.evaluations.models import Bulletin, PeriodRound
from zhenggai.evaluations.tests.bulletin_data import Q3, rate, rated_unit
from zhenggai.evaluations.values import Period, period_of
from zhenggai.ledger import services, workflow
from zhenggai.ledger.models import DeadlineKind, Problem, State
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.orgs.models import Role, Unit
from zhenggai.orgs.services import create_unit
from zhenggai.rounds.models import InspectionRound
from zhenggai.testing import grant, make_user


@pytest.fixture
def units(world):
    """Five ranked units (one of them the world's, last) and one short of the sample."""
    office = world.office
    found = {
        "a": rated_unit(office, "区发改局", {5: 40}),  # 100
        "b": rated_unit(office, "区教育局", {5: 20, 4: 20}),  # 90
        "c": rated_unit(office, "区民政局", {5: 20, 4: 20}),  # 90, tied with b
        "d": rated_unit(office, "区司法局", {4: 30, 3: 10}),  # 75
        "e": rated_unit(office, "区审计局", {1: 5}),  # 5 ratings: short of 30
    }
    # 45 points, 30 差评; rated well for efficiency and level, badly for attitude.
    rate(
        world.unit,
        {4: 10, 2: 20, 1: 10},
        service_efficiency=5,
        service_level=5,
        service_attitude=1,
    )
    found["unit"] = world.unit
    return found


def _by_name(ranking):
    return {row.name: row for row in ranking.rows}


def test_units_are_ranked_by_score_and_ties_share_a_rank(world, units):
    ranking = preview(world.office, Q3, min_sample=30, bottom=2)
    ranked = [(row.name, row.rank, row.score) for row in ranking.ranked]
    assert ranked == [
        ("区发改局", 1, 100.0),
        ("区教育局", 2, 90.0),
        ("区民政局", 2, 90.0),
        ("区司法局", 4, 75.0),
        ("区科技局", 5, 45.0),
    ]
    assert ranking.sample == 40 + 40 + 40 + 40 + 5 + 40
    assert ranking.average_score == 80.0


def test_units_short_of_the_minimum_sample_are_listed_unranked_and_never_at_the_bottom(
    world, units
):
    ranking = preview(world.office, Q3, min_sample=30, bottom=50)
    short = _by_name(ranking)["区审计局"]
    assert short.rank is None and short.sample == 5 and not short.bottom
    assert ranking.unranked == [short]
    # A lower minimum ranks it, last, and at the bottom.
    ranked = _by_name(preview(world.office, Q3, min_sample=5, bottom=1))["区审计局"]
    assert ranked.rank == 6 and ranked.bottom


def test_the_bottom_n_are_the_last_ranked_with_those_tied_and_never_the_first(world, units):
    def bottom(n):
        return [row.name for row in preview(world.office, Q3, min_sample=30, bottom=n).bottom_rows]

    assert bottom(0) == []
    assert bottom(1) == ["区科技局"]
    assert bottom(2) == ["区司法局", "区科技局"]
    # The third from the end is tied with the fourth: both are asked.
    assert bottom(3) == ["区教育局", "区民政局", "区司法局", "区科技局"]
    assert bottom(50) == ["区教育局", "区民政局", "区司法局", "区科技局"]


def test_only_evaluated_units_below_the_office_are_listed(world, units):
    create_unit("区档案馆", Unit.Kind.UNIT, world.office)  # no rating point
    rate(world.outside_unit, {5: 50})  # another office's unit
    names = set(_by_name(preview(world.office, Q3, min_sample=30)))
    assert names == {"区发改局", "区教育局", "区民政局", "区司法局", "区审计局", "区科技局"}


def test_the_period_defaults_to_the_last_complete_one(world, units):
    ranking = preview(world.office)
    assert ranking.period == period_of(date.today()).previous()
    assert bulletins.default_period(date(2027, 1, 5)) == Period(date(2026, 10, 1), 3)


def test_a_bad_minimum_or_bottom_is_refused_in_chinese(world):
    with pytest.raises(Refused) as refused:
        preview(world.office, Q3, min_sample=0)
    assert refused.value.message == "最少样本量应在 1 到 100000 之间。"
    with pytest.raises(Refused) as refused:
        preview(world.office, Q3, bottom=-1)
    assert refused.value.message == "末位单位数应在 0 到 50 之间。"


def test_issuing_keeps_the_rows_and_opens_a_round_of_findings_per_bottom_unit(world, units):
    bulletin = issue_bulletin(world.office, Q3, by=world.evaluator, min_sample=30, bottom=2)
    assert bulletin.title == "关于2026年第三季度营商环境“背靠背”评价结果的通报"
    assert (bulletin.min_sample, bulletin.bottom, bulletin.created_by) == (30, 2, world.evaluator)
    rows = {row["name"]: row for row in bulletin.rows}
    assert len(rows) == 6
    mine = rows["区科技局"]
    assert (mine["rank"], mine["sample"], mine["score"], mine["bottom"]) == (5, 40, 45.0, True)
    assert mine["good_rate"] == 0.25 and mine["bad_rate"] == 0.75
    assert mine["dimensions"]["service_attitude"] == 1.0
    assert rows["区审计局"]["rank"] is None and rows["区审计局"]["round_id"] is None

    rounds = PeriodRound.objects.filter(purpose=PeriodRound.Purpose.LOW_RANK)
    assert {r.unit.name for r in rounds} == {"区司法局", "区科技局"}
    round = InspectionRound.objects.get(pk=mine["round_id"])
    assert round.kind == InspectionRound.Kind.EVALUATION and round.unit == world.unit
    assert round.title == "区科技局2026年第三季度营商环境“背靠背”评价排名靠后整改"
    problems = list(round.problems.order_by("position"))
    assert [p.number for p in problems] == ["1", "2", "3"]
    assert problems[0].title.startswith(
        "在2026年第三季度营商环境“背靠背”评价中排名第5（共5个单位），得分45.00分"
    )
    assert "好评率25.0%" in problems[0].description
    # Attitude (1.0 against 3.75) is a finding; efficiency and level (5.0) are not.
    assert problems[1].title.startswith("“服务态度”评价偏低：平均1.00分")
    assert problems[2].title == "差评整改不到位：本期收到差评30件，尚有30件未整改到位"
    assert [p.path for p in problems] == [["评价排名方面"], ["服务质量方面"], ["差评整改方面"]]
    assert all(p.state == State.PLAN_PENDING for p in problems)
    created = problems[0].events.get(action="created")
    assert created.actor == world.evaluator


def test_a_tie_is_said_in_the_finding(world, units):
    bulletin = issue_bulletin(world.office, Q3, by=world.evaluator, min_sample=30, bottom=3)
    row = next(r for r in bulletin.rows if r["name"] == "区教育局")
    first = InspectionRound.objects.get(pk=row["round_id"]).problems.order_by("position")[0]
    assert "排名第2（共5个单位）" in first.title and "与其他1个单位并列" in first.description


def test_a_second_bulletin_for_the_period_is_refused(world, units):
    issue_bulletin(world.office, Q3, by=world.evaluator, min_sample=30)
    with pytest.raises(Refused) as refused:
        issue_bulletin(world.office, Q3, by=world.evaluator, min_sample=10)
    assert refused.value.message.startswith("2026年第三季度的评价通报已于 ")
    assert refused.value.message.endswith("签发，不能重复签发。")
    assert Bulletin.objects.count() == 1


def test_an_unfinished_period_is_refused(world, units):
    current = period_of(date.today())
    with pytest.raises(Refused) as refused:
        issue_bulletin(world.office, current, by=world.evaluator)
    assert "尚未结束" in refused.value.message
    assert not Bulletin.objects.exists()


def test_only_the_evaluation_office_of_that_office_issues(world, units):
    other = make_user("other_evaluator")
    grant(other, Unit.objects.get(name="市委巡察办"), Role.EVALUATION_OFFICE)
    below = make_user("unit_evaluator")  # 评价办 held on a unit, not on the office
    grant(below, world.unit, Role.EVALUATION_OFFICE)
    for user in (world.inspector, world.leader, world.discipline, world.admin, other, below):
        with pytest.raises(NotAllowed) as refused:
            issue_bulletin(world.office, Q3, by=user, min_sample=30)
        assert refused.value.message == "只有本级评价办可以签发评价通报。"
    assert not Bulletin.objects.exists()


def test_a_failure_midway_leaves_no_bulletin_and_no_round(world, units, monkeypatch):
    calls = []
    real = bulletins.add_problem

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 4:  # the second bottom unit's first finding
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(bulletins, "add_problem", failing)
    with pytest.raises(RuntimeError):
        issue_bulletin(world.office, Q3, by=world.evaluator, min_sample=30, bottom=2)
    assert len(calls) == 4
    assert not Bulletin.objects.exists()
    assert not PeriodRound.objects.exists()
    assert not InspectionRound.objects.filter(kind=InspectionRound.Kind.EVALUATION).exists()
    assert not Problem.objects.filter(round__kind=InspectionRound.Kind.EVALUATION).exists()


def test_the_unit_plans_measures_on_the_findings_and_its_leader_approves(world, units):
    bulletin = issue_bulletin(world.office, Q3, by=world.evaluator, min_sample=30, bottom=1)
    (row,) = [r for r in bulletin.rows if r["bottom"]]
    problem = InspectionRound.objects.get(pk=row["round_id"]).problems.order_by("position")[0]
    services.create_measure(
        problem,
        by=world.rect_office,
        text="引导办事企业、群众在办事结束后扫码评价，坚持“一次一评、一事一评”",
        lead_section=world.section,
        deadline_kind=DeadlineKind.IMMEDIATE,
    )
    problem = workflow.approve_plan(problem, by=world.leader)
    assert problem.state == State.IN_PROGRESS
    assert Problem.objects.visible_to(world.leader).filter(pk=problem.pk).exists()
