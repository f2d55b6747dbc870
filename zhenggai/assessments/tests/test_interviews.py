from datetime import timedelta
from decimal import Decimal

import pytest

from zhenggai.assessments.models import Clue, Interview
from zhenggai.assessments.services import interviews, months
from zhenggai.assessments.tests.conftest import EARLIER, MONTH
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.orgs.models import Role
from zhenggai.testing import grant, make_user

pytestmark = pytest.mark.django_db


def _publish(scheme, month_day, units, world, *, last):
    month = months.open_month(scheme, month_day, by=world.evaluator)
    imported = month.version.indicators.get(name="第三方考评")
    scores = {u.pk: Decimal(30 if u == last else 38) for u in units}
    months.set_imported(month, imported, scores, by=world.evaluator, source="三方.xlsx")
    months.review(month, by=world.evaluator)
    months.lock(month, by=world.evaluator)
    return months.publish(month, by=world.evaluator)


def test_last_two_months_running_opens_one_interview(world, scheme, units):
    _publish(scheme, EARLIER, units, world, last=units[2])
    assert not Interview.objects.exists()
    month = _publish(scheme, MONTH, units, world, last=units[2])
    interview = Interview.objects.get()
    assert (interview.unit, interview.month, interview.trigger) == (units[2], month, "bottom")
    assert interviews.apply_bottom_rule(month, by=world.evaluator) == []
    assert Interview.objects.count() == 1


def test_last_in_one_month_only_opens_none(world, scheme, units):
    _publish(scheme, EARLIER, units, world, last=units[1])
    _publish(scheme, MONTH, units, world, last=units[2])
    assert not Interview.objects.exists()


def test_commitments_become_problems_of_the_units_round(world, scheme, units):
    _publish(scheme, EARLIER, units, world, last=units[0])
    _publish(scheme, MONTH, units, world, last=units[0])
    interview = Interview.objects.get()
    with pytest.raises(Refused):
        interviews.record_interview(
            interview, by=world.evaluator, held_on=MONTH, minutes="x", commitments=[]
        )
    interviews.schedule_interview(
        interview,
        by=world.evaluator,
        scheduled_on=MONTH + timedelta(days=40),
        interviewer="区营商办主任",
        interviewees="区科技局局长",
    )
    interviews.record_interview(
        interview,
        by=world.evaluator,
        held_on=MONTH + timedelta(days=40),
        minutes="指出连续两月排名末位的原因。",
        commitments=[("建立电话值守制度", MONTH + timedelta(days=70)), ("", None)],
    )
    interview.refresh_from_db()
    commitment = interview.commitments.get()
    problem = commitment.problem
    assert problem.unit == units[0] and problem.round == interview.round
    assert problem.round.kind == "evaluation"
    assert problem.measures.get().deadline == MONTH + timedelta(days=70)
    assert f"约谈日期：{MONTH + timedelta(days=40)}" in problem.description


def test_a_clue_is_handed_to_the_discipline_group_who_signs_for_it(world, units):
    with pytest.raises(Refused):
        interviews.hand_clue(world.office, units[1], by=world.evaluator, summary="排名造假")
    watcher = make_user("watcher")
    grant(watcher, world.office, Role.DISCIPLINE)
    clue = interviews.hand_clue(world.office, units[1], by=world.evaluator, summary="排名造假")
    assert list(Clue.objects.visible_to(watcher)) == [clue]
    with pytest.raises(NotAllowed):
        interviews.receive_clue(clue, by=world.evaluator)
    assert interviews.receive_clue(clue, by=watcher).received_by == watcher
