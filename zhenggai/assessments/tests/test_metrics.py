"""Each metric counts the rows it links to, as they stood at the month's end."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from zhenggai.assessments import metrics
from zhenggai.assessments.tests.conftest import MONTH, backdate
from zhenggai.assessments.values import Metric
from zhenggai.evaluations.models import RatingPoint
from zhenggai.evaluations.services.bad_reviews import record_callback
from zhenggai.evaluations.services.ratings import submit_rating
from zhenggai.ledger import workflow
from zhenggai.ledger.models import Event
from zhenggai.supervision.models import Escalation
from zhenggai.supervision.services import answer_escalation, issue_escalation

pytestmark = pytest.mark.django_db


def at(days: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(MONTH + timedelta(days=days), datetime.min.time()))


def figure(metric, world):
    found = metrics.compute(metric, [world.unit.pk], MONTH, [])[world.unit.pk]
    rows = metrics.behind(metric, world.unit.pk, MONTH, [])
    # The figure is always the count of the rows behind it.
    hits = rows.filter(counts=True).count()
    if found.denominator is None:
        assert found.numerator == rows.count() == hits
    else:
        assert (found.numerator, found.denominator) == (hits, rows.count())
    return found


def test_orders_answered_by_their_date_count_as_on_time(world):
    problem = world.problem(approve=True)
    orders = [
        issue_escalation(
            problem, by=world.inspector, level=1, demand="限期答复", due_on=timezone.localdate()
        )
        for _ in range(3)
    ]
    for order in orders[:2]:
        answer_escalation(order, by=world.rect_office, answer="已整改")
    # Answered on the 9th (in time) and the 13th (late); the third never.
    for order, answered in zip(orders[:2], (at(8), at(12)), strict=True):
        Escalation.objects.filter(pk=order.pk).update(due_on=MONTH + timedelta(days=9))
        Event.objects.filter(
            object_type="escalation", object_id=order.pk, action="answered"
        ).update(at=answered)
    Escalation.objects.filter(pk=orders[2].pk).update(due_on=MONTH + timedelta(days=20))
    found = figure(Metric.ORDERS_ON_TIME, world)
    assert (found.numerator, found.denominator) == (1, 3)


def test_ratings_good_rate_and_bad_ones_rectified_and_called_back(world):
    point = RatingPoint.objects.create(
        unit=world.unit, section=world.section, kind="window", name="窗口", mode="on_site"
    )
    for n, level in enumerate(("5", "4", "3", "1")):
        values = {"level": level, "comment": "窗口工作人员态度很差" if level == "1" else ""}
        rating = submit_rating(point, values=values, client=f"192.0.2.{n}", at=at(4 + n))
    found = figure(Metric.GOOD_RATE, world)
    assert (found.numerator, found.denominator) == (3, 4)
    assert figure(Metric.RATING_COUNT, world).numerator == 4

    rating.refresh_from_db()
    problem = rating.problem
    assert figure(Metric.BAD_RECTIFIED_RATE, world).numerator == 0
    workflow.approve_plan(problem, by=world.leader)
    workflow.submit_for_close_out(problem, by=world.rect_office, note="已整改")
    record_callback(rating, by=world.evaluator, caller="刘", called_at=at(12), outcome="satisfied")
    workflow.close_out(problem, by=world.leader)
    # Rectified today, after the month: not yet in the month's figures.
    assert figure(Metric.BAD_RECTIFIED_RATE, world).numerator == 0
    assert figure(Metric.CALLBACK_RATE, world).numerator == 1
    backdate(problem, MONTH + timedelta(days=8))
    found = figure(Metric.BAD_RECTIFIED_RATE, world)
    assert (found.numerator, found.denominator) == (1, 1)


def test_rectified_rate_counts_every_problem_that_existed(world):
    done = world.problem("已整改", approve=True)
    workflow.submit_for_close_out(done, by=world.rect_office, note="已整改")
    workflow.close_out(done, by=world.leader)
    backdate(done, MONTH)
    backdate(world.problem("整改中", approve=True), MONTH)
    world.problem("月后才有")  # made after the month: not counted
    found = figure(Metric.RECTIFIED_RATE, world)
    assert (found.numerator, found.denominator) == (1, 2)


def test_an_order_answered_in_time_stays_on_time_after_it_is_sent_back_and_answered_again(world):
    from zhenggai.supervision.services import decide_escalation

    problem = world.problem(approve=True)
    order = issue_escalation(
        problem, by=world.inspector, level=1, demand="限期答复", due_on=timezone.localdate()
    )
    answer_escalation(order, by=world.rect_office, answer="已整改")
    Escalation.objects.filter(pk=order.pk).update(due_on=MONTH + timedelta(days=9))
    Event.objects.filter(object_type="escalation", action="answered").update(at=at(8))
    decide_escalation(order, by=world.inspector, accept=False, note="答复不具体")
    answer_escalation(Escalation.objects.get(pk=order.pk), by=world.rect_office, answer="补充")
    found = figure(Metric.ORDERS_ON_TIME, world)
    assert (found.numerator, found.denominator) == (1, 1)


def test_a_problem_made_at_the_stroke_of_the_next_month_is_not_in_this_one(world):
    from zhenggai.ledger.models import StateSpan

    problem = world.problem("下月初的问题", approve=True)
    next_month = timezone.make_aware(datetime(MONTH.year, MONTH.month + 1, 1))
    StateSpan.objects.filter(problem=problem).update(started_at=next_month)
    assert figure(Metric.RECTIFIED_RATE, world).denominator == 0
