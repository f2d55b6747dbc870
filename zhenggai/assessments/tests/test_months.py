from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from zhenggai.assessments import metrics
from zhenggai.assessments.models import Score
from zhenggai.assessments.services import months, schemes
from zhenggai.assessments.tests.conftest import MONTH, backdate
from zhenggai.assessments.values import Metric, MonthState
from zhenggai.ledger import workflow
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.orgs.models import Unit
from zhenggai.orgs.services import create_unit

pytestmark = pytest.mark.django_db


def _score(month, unit, name):
    return Score.objects.get(month=month, unit=unit, indicator__name=name)


def test_a_month_is_scored_by_the_figures_as_they_stood_at_its_end(world, scheme):
    due = MONTH + timedelta(days=9)
    problem = world.problem(deadline=due, approve=True)
    backdate(problem, MONTH - timedelta(days=20))
    month = months.open_month(scheme, MONTH, by=world.evaluator)
    score = _score(month, world.unit, "按期整改")
    assert (score.numerator, score.denominator) == (0, 1)
    assert score.score == Decimal("0.00")

    # Rectified today, after the month: the month's figures do not move.
    workflow.submit_for_close_out(problem, by=world.rect_office, note="已整改")
    workflow.close_out(problem, by=world.leader)
    months.compute_month(month, by=world.evaluator)
    score = _score(month, world.unit, "按期整改")
    assert (score.numerator, score.denominator) == (0, 1)


def test_a_figure_equals_the_rows_it_links_to(world, scheme, units):
    late = world.problem("逾期问题", deadline=MONTH + timedelta(days=3), approve=True)
    backdate(late, MONTH - timedelta(days=30))
    world.problem("未到期问题", deadline=MONTH.replace(year=MONTH.year + 3), approve=True)
    figure = metrics.compute(Metric.OVERDUE, [u.pk for u in units], MONTH, [])[world.unit.pk]
    rows = metrics.behind(Metric.OVERDUE, world.unit.pk, MONTH, [])
    assert figure.numerator == rows.count() == 1
    assert rows.get().problem_id == late.pk


def test_no_data_deducts_nothing_and_says_so(world, scheme):
    month = months.open_month(scheme, MONTH, by=world.evaluator)
    score = _score(month, world.unit, "按期整改")
    assert score.score == Decimal(40) and "无数据" in score.note


def test_entries_move_the_score_and_the_ranking(world, scheme, units):
    month = months.open_month(scheme, MONTH, by=world.evaluator)
    indicator = month.version.indicators.get(name="日常督查")
    months.add_entry(
        month,
        units[1],
        indicator,
        by=world.evaluator,
        amount=Decimal("-0.5"),
        reason="电话接听不及时",
        occurred_on=MONTH + timedelta(days=4),
        rule="第五条",
    )
    assert _score(month, units[1], "日常督查").score == Decimal("19.50")
    results = {r.unit_id: r for r in month.results.all()}
    assert results[units[1].pk].rank == 3
    assert results[units[0].pk].rank == results[units[2].pk].rank == 1


def test_a_locked_month_changes_only_by_a_correction_with_a_reason(world, scheme, units):
    month = months.open_month(scheme, MONTH, by=world.evaluator)
    imported = month.version.indicators.get(name="第三方考评")
    months.set_imported(
        month, imported, {u.pk: Decimal(35) for u in units}, by=world.evaluator, source="t.xlsx"
    )
    months.review(month, by=world.evaluator)
    months.lock(month, by=world.evaluator)
    indicator = month.version.indicators.get(name="日常督查")
    entry = dict(amount=Decimal(-1), reason="会议缺席", occurred_on=MONTH)
    with pytest.raises(Refused) as refused:
        months.add_entry(month, units[0], indicator, by=world.evaluator, **entry)
    assert "更正理由" in refused.value.message
    with pytest.raises(Refused):
        months.compute_month(month, by=world.evaluator)
    made = months.add_entry(
        month, units[0], indicator, by=world.evaluator, correction_reason="漏录", **entry
    )
    assert made.is_correction
    month.refresh_from_db()
    assert month.state == MonthState.LOCKED
    assert month.events.filter(action="corrected", note="漏录").exists()


def test_review_waits_for_every_imported_score(world, scheme):
    month = months.open_month(scheme, MONTH, by=world.evaluator)
    with pytest.raises(Refused) as refused:
        months.review(month, by=world.evaluator)
    assert "第三方考评" in refused.value.message


def test_only_the_office_scores(world, scheme):
    for user in (world.leader, world.inspector, world.discipline, world.outsider):
        with pytest.raises(NotAllowed):
            months.open_month(scheme, MONTH, by=user)


def test_a_month_not_yet_ended_is_refused(world, group):
    today = timezone.localdate()
    scheme = schemes.create_scheme(group, by=world.evaluator, year=today.year, title="本年考核办法")
    version = scheme.versions.get()
    schemes.save_indicator(
        version, by=world.evaluator, section="日常", name="日常", kind="entered", points=Decimal(9)
    )
    schemes.issue_version(version, by=world.evaluator)
    with pytest.raises(Refused) as refused:
        months.open_month(scheme, today, by=world.evaluator)
    assert "尚未结束" in refused.value.message


def test_scheme_rules_out_of_range_are_refused_in_chinese(world, scheme):
    with pytest.raises(Refused) as refused:
        schemes.update_scheme(scheme, by=world.evaluator, bottom_months=0)
    assert "连续末位月数" in refused.value.message


def test_a_unit_added_to_the_group_later_never_enters_a_locked_month(world, assessed, units):
    newcomer = create_unit("区新成立局", Unit.Kind.UNIT, world.office)
    schemes.save_group(
        world.office,
        by=world.evaluator,
        name="部门",
        units=[*units, newcomer],
        group=assessed["group"],
    )
    month = assessed["month"]
    indicator = assessed["indicator"]
    months.add_entry(
        month,
        units[1],
        indicator,
        by=world.evaluator,
        amount=Decimal("-0.5"),
        reason="更正",
        occurred_on=MONTH,
        correction_reason="漏录",
    )
    assert not month.results.filter(unit=newcomer).exists()
    assert not month.interviews.filter(unit=newcomer).exists()
    # An open month takes the newcomer in when it is next computed.
    open_month = assessed["open_month"]
    months.compute_month(open_month, by=world.evaluator)
    assert open_month.results.filter(unit=newcomer).exists()


def test_ranking_rules_hold_once_a_month_is_reviewed(world, assessed):
    with pytest.raises(Refused) as refused:
        schemes.update_scheme(assessed["scheme"], by=world.evaluator, bottom_count=3)
    assert "排名规则不能再改" in refused.value.message
    schemes.update_scheme(assessed["scheme"], by=world.evaluator, public_lists=True)


def test_an_open_month_follows_an_amendment_issued_after_it_opened(world, scheme, units):
    month = months.open_month(scheme, MONTH, by=world.evaluator)
    indicator = month.version.indicators.get(name="日常督查")
    entry = months.add_entry(
        month,
        units[1],
        indicator,
        by=world.evaluator,
        amount=Decimal(-2),
        reason="缺席",
        occurred_on=MONTH,
    )
    amended = schemes.new_version(scheme, by=world.evaluator, effective_from=MONTH)
    moved = amended.indicators.get(name="日常督查")
    schemes.save_indicator(
        amended,
        by=world.evaluator,
        indicator=moved,
        section="日常督查",
        name="日常督查",
        kind="entered",
        points=Decimal(30),
    )
    schemes.issue_version(amended, by=world.evaluator)
    months.compute_month(month, by=world.evaluator)
    month.refresh_from_db()
    entry.refresh_from_db()
    assert month.version == amended and entry.indicator == moved
    assert Score.objects.get(month=month, unit=units[1], indicator=moved).score == Decimal(28)


def test_the_history_tells_the_score_before_and_after_each_change(world, scheme, units):
    month = months.open_month(scheme, MONTH, by=world.evaluator)
    indicator = month.version.indicators.get(name="日常督查")
    entry = months.add_entry(
        month,
        units[1],
        indicator,
        by=world.evaluator,
        amount=Decimal("-0.5"),
        reason="电话接听不及时",
        occurred_on=MONTH,
    )
    months.withdraw_entry(entry, by=world.evaluator, reason="核实后不成立")
    entered, withdrawn = month.events.filter(action__in=["entered", "withdrawn"]).order_by("id")
    assert entered.changes["得分"] == ["20.00", "19.50"]
    assert withdrawn.changes["得分"] == ["19.50", "20.00"]
