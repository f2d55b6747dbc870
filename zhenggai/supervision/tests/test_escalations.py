from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhenggai.ledger import services as ledger
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.supervision.history import Action
from zhenggai.supervision.models import Escalation
from zhenggai.supervision.services import (
    answer_escalation,
    decide_escalation,
    issue_escalation,
    may_answer,
)

LATER = timezone.localdate() + timedelta(days=7)


@pytest.fixture
def problem(world):
    problem = world.problem("项目资金拨付滞后", approve=True)
    measure = world.measure(problem)
    ledger.update_measure(measure, by=world.leader, base_version=measure.version, owner=world.staff)
    return problem


def test_an_order_is_issued_answered_and_closed_with_history(world, problem):
    order = issue_escalation(
        problem,
        by=world.inspector,
        level=Escalation.Level.LISTED,
        demand="限期整改到位",
        due_on=LATER,
    )
    problem.refresh_from_db()
    assert problem.escalation_level == 3
    answer_escalation(order, by=world.staff, answer="已拨付到位")
    decide_escalation(order, by=world.inspector, accept=True, note="同意办结")
    order.refresh_from_db()
    problem.refresh_from_db()
    assert order.status == Escalation.Status.CLOSED
    assert problem.escalation_level == 0
    actions = list(problem.events.filter(object_type="escalation").values_list("action", flat=True))
    assert actions == [
        Action.ESCALATED,
        Action.ANSWERED,
        Action.ESCALATION_DECIDED,
    ]


def test_the_highest_open_level_shows_on_the_problem(world, problem):
    issue_escalation(problem, by=world.rect_office, level=1, demand="加快进度", due_on=LATER)
    listed = issue_escalation(problem, by=world.inspector, level=3, demand="挂牌", due_on=LATER)
    problem.refresh_from_db()
    assert problem.escalation_level == 3
    answer_escalation(listed, by=world.staff, answer="已办")
    decide_escalation(listed, by=world.inspector, accept=True)
    problem.refresh_from_db()
    assert problem.escalation_level == 1


def test_a_weak_answer_is_sent_back_with_a_reason(world, problem):
    order = issue_escalation(problem, by=world.inspector, level=2, demand="说明原因", due_on=LATER)
    answer_escalation(order, by=world.staff, answer="在办")
    with pytest.raises(Refused):
        decide_escalation(order, by=world.inspector, accept=False, note="")
    decide_escalation(order, by=world.inspector, accept=False, note="未说明原因")
    order.refresh_from_db()
    assert order.status == Escalation.Status.OPEN
    assert may_answer(world.staff, order)


@pytest.mark.parametrize("who", ["staff", "leader", "discipline", "outsider"])
def test_only_the_offices_issue_orders(world, problem, who):
    with pytest.raises(NotAllowed):
        issue_escalation(problem, by=getattr(world, who), level=1, demand="x", due_on=LATER)


def test_orders_need_a_demand_a_level_and_a_date_not_past(world, problem):
    with pytest.raises(Refused):
        issue_escalation(problem, by=world.inspector, level=1, demand="  ", due_on=LATER)
    with pytest.raises(Refused):
        issue_escalation(problem, by=world.inspector, level=9, demand="x", due_on=LATER)
    with pytest.raises(Refused):
        issue_escalation(problem, by=world.inspector, level=1, demand="x", due_on=date(2020, 1, 1))
    assert not Escalation.objects.exists()


def test_only_the_owner_or_the_rectification_office_answer_and_never_the_issuer(world, problem):
    order = issue_escalation(problem, by=world.rect_office, level=1, demand="x", due_on=LATER)
    for who in ("other_staff", "leader", "discipline", "rect_office"):
        with pytest.raises(NotAllowed):
            answer_escalation(order, by=getattr(world, who), answer="x")
    answer_escalation(order, by=world.staff, answer="已办")
    # The one who answered cannot close their own answer.
    with pytest.raises(NotAllowed):
        decide_escalation(order, by=world.staff, accept=True)
    decide_escalation(order, by=world.leader, accept=True)


def test_an_order_from_the_inspection_office_is_closed_by_it_not_by_the_unit(world, problem):
    order = issue_escalation(problem, by=world.inspector, level=3, demand="x", due_on=LATER)
    answer_escalation(order, by=world.staff, answer="已办")
    for who in ("leader", "rect_office"):
        with pytest.raises(NotAllowed):
            decide_escalation(order, by=getattr(world, who), accept=True)


def test_the_ledger_shows_and_filters_escalated_problems(client, world, problem):
    calm = world.problem("未督办的问题", approve=True)
    issue_escalation(problem, by=world.inspector, level=3, demand="x", due_on=LATER)
    client.force_login(world.rect_office)
    body = client.get(reverse("ledger") + "?escalation=3").content.decode()
    assert "项目资金拨付滞后" in body and "挂牌督办" in body
    assert calm.title not in body


def test_the_answer_page_and_the_problem_page_show_the_order(client, world, problem):
    order = issue_escalation(
        problem, by=world.inspector, level=2, demand="请说明滞后原因", due_on=LATER
    )
    client.force_login(world.staff)
    page = client.get(reverse("problem_detail", args=[problem.pk])).content.decode()
    assert "请说明滞后原因" in page and reverse("escalation_answer", args=[order.pk]) in page
    response = client.post(reverse("escalation_answer", args=[order.pk]), {"answer": "已说明"})
    assert response.status_code == 302
    tasks = client.get(reverse("my_tasks")).content.decode()
    assert "待我答复" not in tasks
    client.force_login(world.inspector)
    assert "答复待我办结" in client.get(reverse("my_tasks")).content.decode()


def test_issuing_through_the_form_refuses_a_past_date_in_chinese(client, world, problem):
    client.force_login(world.rect_office)
    response = client.post(
        reverse("escalation_create", args=[problem.pk]),
        {"level": "1", "demand": "x", "due_on": "2020-01-01"},
    )
    assert response.status_code == 400
    assert "答复期限不能早于今天" in response.content.decode()
