"""Each transition, allowed and refused, per role; separation of duties; history of each."""

import pytest

from zhenggai.ledger import workflow
from zhenggai.ledger.models import Event, State
from zhenggai.lib.errors import NotAllowed, Refused

ROLES = ["inspector", "leader", "rect_office", "staff", "other_staff", "discipline", "outsider"]

# transition → (state to start from, roles that may take it)
ALLOWED = {
    "approve_plan": (State.PLAN_PENDING, {"leader"}),
    "submit_for_close_out": (State.IN_PROGRESS, {"rect_office", "staff"}),
    "close_out": (State.SUBMITTED, {"leader"}),
    "mark_long_term": (State.SUBMITTED, {"leader"}),
    "return_close_out": (State.SUBMITTED, {"leader", "inspector"}),
    "verify_close_out": (State.CLOSED, {"inspector"}),
    "reopen": (State.CLOSED, {"leader", "inspector"}),
    "withdraw": (State.IN_PROGRESS, {"inspector"}),
    "restore": (State.WITHDRAWN, {"inspector"}),
}


def bring_to(world, problem, state):
    """Walk a problem to `state` along the loop, as the roles that may do it."""
    steps = {
        State.IN_PROGRESS: [("approve_plan", world.leader)],
        State.SUBMITTED: [
            ("approve_plan", world.leader),
            ("submit_for_close_out", world.rect_office),
        ],
        State.CLOSED: [
            ("approve_plan", world.leader),
            ("submit_for_close_out", world.rect_office),
            ("close_out", world.leader),
        ],
        State.WITHDRAWN: [("withdraw", world.inspector)],
    }
    for name, actor in steps.get(state, []):
        problem = workflow.transition(problem, name, by=actor, note="依据")
    return problem


def test_the_matrix_names_every_transition():
    assert set(ALLOWED) == set(workflow.TRANSITIONS)


@pytest.mark.parametrize("name", sorted(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_each_transition_is_taken_only_by_its_roles(world, name, role):
    start, roles = ALLOWED[name]
    problem = bring_to(world, world.problem(), start)
    actor = getattr(world, role)
    if role == "outsider":
        # An outsider's request never even finds the problem; the service refuses too.
        with pytest.raises(NotAllowed):
            workflow.transition(problem, name, by=actor, note="理由")
        return
    if role in roles:
        after = workflow.transition(problem, name, by=actor, note="理由")
        assert after.state == workflow.TRANSITIONS[name].target
        action = workflow.TRANSITIONS[name].action  # a return is told apart: 退回销号
        event = Event.objects.filter(problem=problem, action=action).last()
        assert event.actor == actor and event.note == "理由"
        assert event.changes["状态"] == [State(start).label, State(after.state).label]
    else:
        with pytest.raises(NotAllowed):
            workflow.transition(problem, name, by=actor, note="理由")
        problem.refresh_from_db()
        assert problem.state == start


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_a_transition_from_the_wrong_state_is_refused(world, name):
    start, roles = ALLOWED[name]
    wrong = next(s for s in State if s not in workflow.TRANSITIONS[name].sources)
    problem = world.problem()
    problem.state = wrong
    problem.save(update_fields=["state"])
    actor = getattr(world, sorted(roles)[0])
    with pytest.raises(Refused) as refused:
        workflow.transition(problem, name, by=actor, note="理由")
    assert not isinstance(refused.value, NotAllowed)
    assert "不能执行" in refused.value.message


def test_return_needs_a_reason(world):
    problem = bring_to(world, world.problem(), State.SUBMITTED)
    with pytest.raises(Refused) as refused:
        workflow.return_close_out(problem, by=world.leader, reason="  ")
    assert "退回理由" in refused.value.message
    problem.refresh_from_db()
    assert problem.state == State.SUBMITTED


def test_the_section_that_did_the_work_cannot_close_it_out(world):
    """Even holding the leader role, staff of the section that carried the measure may not sign."""
    from zhenggai.orgs.models import Role
    from zhenggai.testing import grant

    grant(world.staff, world.unit, Role.LEADER)
    problem = world.problem(approve=True)
    problem = workflow.submit_for_close_out(problem, by=world.rect_office, note="已完成")
    with pytest.raises(NotAllowed) as refused:
        workflow.close_out(problem, by=world.staff)
    assert "不能审核" in refused.value.message


def test_the_submitter_cannot_close_out_their_own_submission(world):
    from zhenggai.orgs.models import Role
    from zhenggai.testing import grant

    grant(world.rect_office, world.unit, Role.LEADER)
    problem = world.problem(approve=True)
    problem = workflow.submit_for_close_out(problem, by=world.rect_office, note="已完成")
    with pytest.raises(NotAllowed):
        workflow.close_out(problem, by=world.rect_office)
    assert workflow.close_out(problem, by=world.leader).state == State.CLOSED


def test_staff_of_an_uninvolved_section_cannot_submit(world):
    problem = world.problem(approve=True)
    with pytest.raises(NotAllowed):
        workflow.submit_for_close_out(problem, by=world.other_staff, note="已完成")


def test_only_the_inspection_office_returns_a_closed_problem(world):
    problem = bring_to(world, world.problem(), State.CLOSED)
    with pytest.raises(NotAllowed):
        workflow.return_close_out(problem, by=world.leader, reason="不实")
    after = workflow.return_close_out(problem, by=world.inspector, reason="核验发现整改不实")
    assert after.state == State.IN_PROGRESS


def test_a_plan_without_measures_cannot_be_approved(world):
    problem = world.problem(measures=0)
    with pytest.raises(Refused) as refused:
        workflow.approve_plan(problem, by=world.leader)
    assert "整改措施" in refused.value.message


def test_long_term_problem_owes_a_periodic_report_and_can_be_closed_later(world):
    problem = bring_to(world, world.problem(), State.SUBMITTED)
    problem = workflow.mark_long_term(problem, by=world.leader, note="需长期坚持")
    assert problem.state == State.LONG_TERM
    assert problem.due_date is not None  # the next quarterly report
    problem = workflow.submit_for_close_out(problem, by=world.staff, note="长效机制已运行")
    assert workflow.close_out(problem, by=world.leader).state == State.CLOSED


def test_available_transitions_match_what_the_actor_may_do(world):
    problem = bring_to(world, world.problem(), State.SUBMITTED)
    names = {t.name for t in workflow.available_transitions(problem, world.leader)}
    assert names == {"close_out", "mark_long_term", "return_close_out"}
    assert workflow.available_transitions(problem, world.discipline) == []


def test_a_restored_problem_starts_again_from_its_plan(world):
    problem = world.problem(approve=True)
    workflow.withdraw(problem, by=world.inspector, reason="与第3个问题重复")
    with pytest.raises(Refused):
        workflow.reopen(problem, by=world.inspector, reason="误撤")
    assert workflow.restore(problem, by=world.inspector, reason="误撤").state == State.PLAN_PENDING


def test_staff_with_another_role_still_submit_only_their_sections_problems(world):
    from zhenggai.orgs.models import Role
    from zhenggai.testing import grant

    grant(world.other_staff, world.unit, Role.DISCIPLINE)
    problem = world.problem(approve=True)
    with pytest.raises(NotAllowed):
        workflow.submit_for_close_out(problem, by=world.other_staff, note="已完成")


def test_a_leader_who_owns_a_measure_or_reported_on_it_cannot_sign_it_off(world, client):
    """The probe: a leader made owner of a measure reported progress, the 整改办 submitted, and
    the same leader signed the close-out. Owning a measure, or having reported progress, is
    enough to be refused; the page says why."""
    from django.urls import reverse

    from zhenggai.ledger import services
    from zhenggai.orgs.models import Role
    from zhenggai.testing import grant, make_user

    second_leader = make_user("second_leader")
    grant(second_leader, world.unit, Role.LEADER)
    owned = world.problem("领导自己负责的问题", approve=True)
    measure = world.measure(owned)
    services.update_measure(
        measure, by=world.leader, base_version=measure.version, owner=world.leader
    )
    reported = world.problem("领导报告过进展的问题", approve=True)
    services.report_progress(reported, by=world.rect_office, text="进展")
    grant(world.rect_office, world.unit, Role.LEADER)
    for problem, leader, part in (
        (owned, world.leader, "责任人"),
        (reported, world.rect_office, "报告过"),
    ):
        problem = workflow.submit_for_close_out(problem, by=world.staff, note="已完成")
        with pytest.raises(NotAllowed) as refused:
            workflow.close_out(problem, by=leader)
        assert part in refused.value.message and "职责分离" in refused.value.message
        client.force_login(leader)
        page = client.get(reverse("problem_detail", args=[problem.pk])).content.decode()
        assert "职责分离" in page and "同意销号" not in page
        # Opening the sign-off's own address says the same, on the problem page, not a 403.
        response = client.get(reverse("problem_transition", args=[problem.pk, "close_out"]))
        assert response.status_code == 302
        assert "职责分离" in client.get(response["Location"]).content.decode()
        workflow.close_out(problem, by=second_leader)


def test_whoever_did_the_work_cannot_verify_it_either(world):
    from zhenggai.orgs.models import Role
    from zhenggai.testing import grant

    problem = world.problem(approve=True)
    problem = workflow.submit_for_close_out(problem, by=world.rect_office, note="已完成")
    problem = workflow.close_out(problem, by=world.leader)
    grant(world.rect_office, world.office, Role.INSPECTION_OFFICE)
    with pytest.raises(NotAllowed):
        workflow.transition(problem, "verify_close_out", by=world.rect_office)
    workflow.transition(problem, "verify_close_out", by=world.inspector)
