"""A 差评 becomes a problem of the unit's evaluation round, due in working days, and is closed
out only after the evaluation office has called the rater back."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from zhenggai.evaluations.models import PeriodRound, Rating
from zhenggai.evaluations.services.bad_reviews import raise_problem_for, record_callback
from zhenggai.evaluations.services.ratings import submit_rating
from zhenggai.ledger import services, workflow
from zhenggai.ledger.models import State
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.rounds.models import InspectionRound

# A Friday morning: five working days later is the next Friday.
FRIDAY = timezone.make_aware(datetime(2026, 11, 20, 10, 0))
BAD = {"level": "2", "comment": "窗口人员态度冷淡，材料被退回三次", "phone": "13900000000"}


def _bad(point, **extra):
    return submit_rating(point, values={**BAD, **extra}, client="198.51.100.7", at=FRIDAY)


def test_a_bad_review_becomes_a_problem_due_in_five_working_days(point):
    rating = _bad(point)
    problem = rating.problem
    assert problem.round.kind == InspectionRound.Kind.EVALUATION
    assert problem.round.title == "区科技局2026年第四季度“好差评”差评整改"
    assert problem.state == State.PLAN_PENDING
    assert "材料被退回三次" in problem.title and problem.number == "差评1"
    measure = problem.measures.get()
    assert measure.deadline == date(2026, 11, 27)
    assert measure.deadline_workdays == 5 and measure.lead_section == point.section
    assert measure.owner is None  # the unit assigns it
    assert problem.events.filter(action="bad_review").exists()


def test_bad_reviews_of_one_quarter_share_one_round_per_unit(point):
    first = _bad(point)
    second = _bad(point, case_number="2026-001")
    assert first.problem.round == second.problem.round
    assert PeriodRound.objects.count() == 1
    assert second.problem.number == "差评2"


def test_a_good_rating_raises_nothing(point):
    rating = submit_rating(point, values={"level": "5"}, at=FRIDAY)
    assert rating.problem is None and not InspectionRound.objects.filter(kind="evaluation")


def _rectify(world, problem):
    measure = problem.measures.get()
    services.update_measure(
        measure, by=world.rect_office, base_version=measure.version, owner=world.staff.pk
    )
    workflow.approve_plan(problem, by=world.leader)
    workflow.submit_for_close_out(problem, by=world.staff, note="已约谈窗口人员并整改")
    workflow.close_out(problem, by=world.leader)


def test_the_evaluation_office_verifies_only_after_calling_back(world, point):
    rating = _bad(point)
    problem = rating.problem
    _rectify(world, problem)
    with pytest.raises(Refused, match="not called back"):
        workflow.verify_close_out(problem, by=world.evaluator)
    record_callback(
        rating, by=world.evaluator, caller="刘评价", called_at=timezone.now(), outcome="satisfied"
    )
    problem = workflow.verify_close_out(problem, by=world.evaluator)
    assert problem.state == State.VERIFIED


def test_the_evaluation_office_does_not_verify_an_inspection_problem(world):
    problem = world.problem(approve=True)
    workflow.submit_for_close_out(problem, by=world.staff, note="已整改")
    workflow.close_out(problem, by=world.leader)
    with pytest.raises(NotAllowed, match="not an overseeing office"):
        workflow.verify_close_out(problem, by=world.evaluator)


def test_only_the_evaluation_office_records_call_backs(world, point):
    rating = _bad(point)
    _rectify(world, rating.problem)
    for user in (world.leader, world.rect_office, world.inspector, world.discipline):
        with pytest.raises(NotAllowed):
            record_callback(
                rating, by=user, caller="x", called_at=timezone.now(), outcome="satisfied"
            )


def test_a_call_back_waits_for_the_rectification(world, point):
    rating = _bad(point)
    with pytest.raises(Refused, match="not submitted or closed"):
        record_callback(
            rating,
            by=world.evaluator,
            caller="刘评价",
            called_at=timezone.now(),
            outcome="satisfied",
        )


def test_three_unanswered_calls_count_as_tried(world, point):
    rating = _bad(point)
    _rectify(world, rating.problem)
    for _ in range(3):
        record_callback(
            rating,
            by=world.evaluator,
            caller="刘评价",
            called_at=timezone.now(),
            outcome="not_reached",
        )
    assert workflow.verify_close_out(rating.problem, by=world.evaluator).state == State.VERIFIED


def test_a_rater_without_a_phone_needs_no_call_back(world, point):
    rating = _bad(point, phone="")
    _rectify(world, rating.problem)
    assert workflow.verify_close_out(rating.problem, by=world.evaluator).state == State.VERIFIED
    assert Rating.objects.get(pk=rating.pk).problem.state == State.VERIFIED


def test_a_follow_up_is_told_on_the_problem_of_the_bad_review(point):
    device = "device-token-abcdefghijk"
    first = submit_rating(point, values={**BAD, "case_number": "F-1"}, device=device, at=FRIDAY)
    later = FRIDAY + timedelta(days=3)
    submit_rating(point, values={"level": "4", "case_number": "F-1"}, device=device, at=later)
    event = first.problem.events.get(action="followed_up")
    assert event.changes == {"满意度": ["不满意", "满意"]}


def test_an_imported_old_bad_review_is_due_from_the_day_it_came_in(point):
    rating = submit_rating(point, values=BAD, at=FRIDAY)
    rating.problem = None
    Rating.objects.filter(pk=rating.pk).update(problem=None)
    problem = raise_problem_for(rating, received_on=date(2026, 12, 1))
    assert problem.measures.get().deadline == date(2026, 12, 8)
