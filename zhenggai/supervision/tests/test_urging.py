"""催办单 of the system: the daily run urges a measure late long enough to go to its leader, once."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from zhenggai.ledger import services
from zhenggai.ledger.models import Event
from zhenggai.orgs.models import Role
from zhenggai.supervision.deadlines import official_calendar
from zhenggai.supervision.models import Escalation, OrderCounter
from zhenggai.supervision.reminders import plan_run, run_reminders
from zhenggai.supervision.services import answer_escalation, decide_escalation, issue_escalation
from zhenggai.supervision.urging import due_urgings, issue_due_urgings

RUN = date(2026, 11, 23)  # a Monday
LATE_SIX = date(2026, 11, 13)  # 6 working days late on RUN: goes to the leader (5)
LATE_FOUR = date(2026, 11, 17)  # 4 working days late: not yet
YEAR = timezone.localdate().year


@pytest.fixture
def urging(world, settings):
    settings.EMAIL_ENABLED = True
    settings.REMIND_BEFORE_WORKDAYS = 3
    settings.ESCALATE_SECTION_WORKDAYS = 1
    settings.ESCALATE_LEADER_WORKDAYS = 5
    for name in ("staff", "leader", "rect_office"):
        user = getattr(world, name)
        user.email = f"{name}@example.cn"
        user.save()
    return world


def late_problem(world, title, deadline):
    problem = world.problem(title, deadline=deadline, approve=True)
    measure = world.measure(problem)
    services.update_measure(
        measure, by=world.leader, base_version=measure.version, owner=world.staff
    )
    return problem


def test_a_measure_late_to_its_leader_gets_one_numbered_urging_by_the_system(urging):
    world = urging
    late = late_problem(world, "项目资金拨付滞后", LATE_SIX)
    late_problem(world, "刚逾期的问题", LATE_FOUR)
    run_reminders(RUN)
    order = Escalation.objects.get()
    assert (order.problem, order.measure) == (late, world.measure(late))
    assert (order.kind, order.issued_by, order.issued_as) == (
        "urge",
        None,
        Role.RECTIFICATION_OFFICE,
    )
    assert (order.office, order.year, order.serial) == (world.unit, YEAR, 1)
    assert order.due_on == date(2026, 11, 26)  # three working days after the run
    assert "已逾期6个工作日" in order.demand and "2026年11月13日" in order.demand
    event = Event.objects.get(object_type="escalation", object_id=order.pk)
    assert event.actor is None and event.changes["下发"] == ["", "系统自动催办"]
    assert event.changes["编号"] == ["", f"催办单〔{YEAR}〕第1号"]
    staff_mail = next(m for m in mail.outbox if m.to == ["staff@example.cn"])
    assert f"催办单〔{YEAR}〕第1号" in staff_mail.body  # the digest lists it the same day


def test_planning_the_day_again_or_the_next_day_issues_no_second_urging(urging):
    late_problem(urging, "项目资金拨付滞后", LATE_SIX)
    run_reminders(RUN)
    again = plan_run(RUN)  # the day is planned already: nothing happens
    assert again.planned_at is not None
    run_reminders(date(2026, 11, 24))
    assert Escalation.objects.count() == 1
    assert OrderCounter.objects.get(office=urging.unit, kind="urge").last == 1


def test_a_urging_issued_by_hand_counts_and_a_closed_one_makes_way(urging):
    world = urging
    problem = late_problem(world, "项目资金拨付滞后", LATE_SIX)
    measure = world.measure(problem)
    by_hand = issue_escalation(
        problem,
        by=world.rect_office,
        level=1,
        demand="请说明原因",
        due_on=timezone.localdate(),
        measure=measure,
        kind=Escalation.Kind.URGE,
    )
    with _in_transaction():
        assert issue_due_urgings(RUN, official_calendar()) == []
    answer_escalation(by_hand, by=world.staff, answer="正在办理")
    decide_escalation(by_hand, by=world.rect_office, accept=True)
    with _in_transaction():
        (again,) = issue_due_urgings(RUN, official_calendar())
    assert (again.measure, again.serial) == (measure, 2)  # the unit's 催办单 numbers go on


def test_finished_withdrawn_and_undated_measures_are_not_urged(urging):
    world = urging
    done = late_problem(world, "已完成", LATE_SIX)
    measure = world.measure(done)
    services.update_measure(
        measure, by=world.leader, base_version=measure.version, completed_on=LATE_SIX
    )
    world.problem("长期坚持", deadline=None, approve=True)
    assert due_urgings(RUN, official_calendar()) == []


def test_a_leader_threshold_of_nought_urges_as_soon_as_late(urging, settings):
    settings.ESCALATE_LEADER_WORKDAYS = 0
    late_problem(urging, "昨天到期", date(2026, 11, 20))
    late_problem(urging, "今天到期", RUN)
    rows = due_urgings(RUN, official_calendar())
    assert [(row[1], late) for row, _, late in rows] == [("措施1：组织专题学习", 1)]


def test_a_system_urging_shows_as_such_and_is_answered_and_closed_in_the_unit(client, urging):
    world = urging
    problem = late_problem(world, "项目资金拨付滞后", LATE_SIX)
    run_reminders(RUN)
    order = Escalation.objects.get()
    client.force_login(world.leader)
    page = client.get(reverse("problem_detail", args=[problem.pk])).content.decode()
    assert "系统自动催办" in page and f"催办单〔{YEAR}〕第1号" in page
    listing = client.get(reverse("escalation_list"), {"kind": "urge"}).content.decode()
    assert "系统自动催办" in listing
    client.force_login(world.staff)
    assert client.get(reverse("escalation_answer", args=[order.pk])).status_code == 200
    answer_escalation(order, by=world.staff, answer="已拨付")
    decide_escalation(order, by=world.rect_office, accept=True)  # closed inside the unit
    order.refresh_from_db()
    assert order.status == Escalation.Status.CLOSED
    assert client.get(reverse("order_docx", args=[order.pk])).status_code == 200


def _in_transaction():
    from django.db import transaction

    return transaction.atomic()


def test_only_a_reminder_just_escalated_is_urged_not_one_late_long_before(urging, settings):
    settings.URGE_WITHIN_WORKDAYS = 5
    late_problem(urging, "逾期十个工作日", date(2026, 11, 9))  # 10 working days: 5 + 5, still
    late_problem(urging, "逾期十一个工作日", date(2026, 11, 6))  # 11: late long before
    rows = due_urgings(RUN, official_calendar())
    assert [late for _, _, late in rows] == [10]


def test_automatic_urging_can_be_turned_off(urging, settings):
    settings.AUTO_URGE = False
    late_problem(urging, "项目资金拨付滞后", LATE_SIX)
    run_reminders(RUN)
    assert not Escalation.objects.exists()
