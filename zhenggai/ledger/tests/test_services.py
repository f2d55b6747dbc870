"""Measures, change requests, concurrent edits, history and bulk changes."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from zhenggai.ledger import services, workflow
from zhenggai.ledger.figures import figures_for
from zhenggai.ledger.models import ChangeRequest, Event, Measure, State
from zhenggai.lib.errors import Conflict, NotAllowed, Refused


def events(problem, action):
    return list(Event.objects.filter(problem=problem, action=action).order_by("id"))


def test_problem_creation_and_change_are_in_the_history(world):
    problem = world.problem()
    assert events(problem, Event.Action.CREATED)[0].changes["问题"] == ["—", "学习贯彻不深入"]
    services.update_problem(
        problem, by=world.rect_office, title="理论学习不深入", path=["政治建设方面"]
    )
    change = events(problem, Event.Action.CHANGED)[-1]
    assert change.actor == world.rect_office
    assert change.changes["问题"] == ["学习贯彻不深入", "理论学习不深入"]
    assert change.changes["所属方面"] == ["政治建设方面 / 理论学习", "政治建设方面"]
    problem.refresh_from_db()
    assert problem.area == "政治建设方面"


def test_sections_cannot_enter_or_edit_problems(world):
    with pytest.raises(NotAllowed):
        services.create_problem(world.round, by=world.staff, title="x")
    with pytest.raises(NotAllowed):
        services.update_problem(world.problem(), by=world.leader, title="y")


def test_plan_changes_apply_directly_while_the_plan_is_drafted(world):
    problem = world.problem()
    measure = world.measure(problem)
    result = services.update_measure(
        measure, by=world.rect_office, base_version=measure.version, deadline=date(2030, 6, 30)
    )
    assert result.applied and not result.requests
    measure.refresh_from_db()
    assert measure.deadline == date(2030, 6, 30) and measure.version == 2
    change = events(problem, Event.Action.CHANGED)[-1]
    assert change.changes["整改时限"] == ["2030-01-01", "2030-06-30"]


def test_after_approval_a_deadline_change_is_a_request_a_leader_approves(world):
    problem = world.problem(approve=True)
    measure = world.measure(problem)
    with pytest.raises(Refused) as refused:
        services.update_measure(
            measure, by=world.rect_office, base_version=measure.version, deadline=date(2030, 6, 30)
        )
    assert "理由" in refused.value.message
    result = services.update_measure(
        measure,
        by=world.rect_office,
        base_version=measure.version,
        deadline=date(2030, 6, 30),
        reason="需等待上级文件",
    )
    assert not result.applied and len(result.requests) == 1
    measure.refresh_from_db()
    assert measure.deadline == date(2030, 1, 1)
    request = result.requests[0]
    assert request.kind == ChangeRequest.Kind.DEADLINE
    with pytest.raises(NotAllowed):
        services.decide_change_request(request, by=world.rect_office, approve=True)
    services.decide_change_request(request, by=world.leader, approve=True, note="同意")
    measure.refresh_from_db()
    request.refresh_from_db()
    assert measure.deadline == date(2030, 6, 30)
    assert request.status == ChangeRequest.Status.APPROVED and request.decided_by == world.leader
    assert events(problem, Event.Action.REQUESTED) and events(problem, Event.Action.DECIDED)


def test_a_rejection_needs_a_note_and_changes_nothing(world):
    problem = world.problem(approve=True)
    measure = world.measure(problem)
    request = services.update_measure(
        measure,
        by=world.staff,
        base_version=measure.version,
        lead_section=world.other_section,
        reason="职责调整",
    ).requests[0]
    assert request.kind == ChangeRequest.Kind.PLAN
    with pytest.raises(Refused):
        services.decide_change_request(request, by=world.leader, approve=False)
    services.decide_change_request(request, by=world.leader, approve=False, note="不符合分工")
    measure.refresh_from_db()
    assert measure.lead_section == world.section


def test_a_request_overtaken_by_another_change_is_superseded(world):
    problem = world.problem(approve=True)
    measure = world.measure(problem)
    request = services.update_measure(
        measure, by=world.rect_office, base_version=1, deadline=date(2031, 1, 1), reason="延期"
    ).requests[0]
    services.update_measure(measure, by=world.leader, base_version=1, deadline=date(2030, 3, 1))
    with pytest.raises(Conflict):
        services.decide_change_request(request, by=world.leader, approve=True)
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.SUPERSEDED
    measure.refresh_from_db()
    assert measure.deadline == date(2030, 3, 1)


def test_a_concurrent_edit_is_detected_and_never_overwrites(world):
    problem = world.problem()
    measure = world.measure(problem)
    first, second = (Measure.objects.get(pk=measure.pk) for _ in range(2))
    services.update_measure(
        first, by=world.rect_office, base_version=first.version, text="甲修改的措施"
    )
    with pytest.raises(Conflict) as conflict:
        services.update_measure(
            second, by=world.leader, base_version=second.version, text="乙修改的措施"
        )
    assert "已被他人修改" in conflict.value.message
    measure.refresh_from_db()
    assert measure.text == "甲修改的措施"


def test_results_apply_directly_for_the_section_but_not_for_others(world):
    problem = world.problem(approve=True)
    measure = world.measure(problem)
    services.update_measure(
        measure,
        by=world.staff,
        base_version=measure.version,
        completed_on=date(2026, 10, 1),
        rules_made=2,
        funds_recovered=Decimal("12.50"),
    )
    measure.refresh_from_db()
    assert measure.rules_made == 2 and measure.completed_on == date(2026, 10, 1)
    with pytest.raises(NotAllowed):
        services.update_measure(measure, by=world.other_staff, base_version=None, rules_made=3)
    with pytest.raises(NotAllowed):
        services.update_measure(measure, by=world.discipline, base_version=None, rules_made=3)


def test_sections_and_people_must_belong_to_the_problems_unit(world):
    problem = world.problem()
    with pytest.raises(Refused):
        services.create_measure(
            problem, by=world.leader, text="x", lead_section=world.outside_section
        )
    with pytest.raises(Refused):
        services.create_measure(problem, by=world.leader, text="x", owner=world.outsider)


def test_withdrawing_a_measure_keeps_it(world):
    problem = world.problem(measures=2)
    measure = world.measure(problem)
    services.withdraw_measure(measure, by=world.leader, reason="与措施2重复", base_version=1)
    measure.refresh_from_db()
    assert measure.withdrawn and Measure.objects.filter(pk=measure.pk).exists()
    assert events(problem, Event.Action.WITHDRAWN)[0].note == "与措施2重复"


def test_closed_problems_cannot_be_edited(world):
    problem = world.problem(approve=True)
    workflow.submit_for_close_out(problem, by=world.rect_office, note="完成")
    workflow.close_out(problem, by=world.leader)
    with pytest.raises(Refused):
        services.update_problem(problem, by=world.inspector, title="改")
    with pytest.raises(Refused):
        services.update_measure(
            world.measure(problem), by=world.leader, base_version=None, text="改"
        )


def test_progress_report_is_recorded(world):
    problem = world.problem(approve=True)
    report = services.report_progress(problem, by=world.staff, text="已召开专题会议")
    assert report.created_by == world.staff
    assert events(problem, Event.Action.REPORTED)[0].note == "已召开专题会议"
    with pytest.raises(NotAllowed):
        services.report_progress(problem, by=world.other_staff, text="x")


def test_flags_are_for_the_discipline_group(world):
    problem = world.problem()
    flag = services.flag_problem(problem, by=world.discipline, note="整改表面化，请核实")
    assert events(problem, Event.Action.FLAGGED)[0].object_id == flag.pk
    with pytest.raises(NotAllowed):
        services.flag_problem(problem, by=world.leader, note="x")


def test_bulk_change_is_all_or_nothing(world):
    mine = world.problem(approve=True)
    drafted = world.problem("作风建设不严")
    result = services.bulk_update_measures(
        [drafted, mine], by=world.rect_office, reason="统一延期", deadline=date(2030, 12, 31)
    )
    assert len(result.applied) == 1 and len(result.requests) == 1
    outside = world.problem(round=world.outside_round)
    before = ChangeRequest.objects.count()
    with pytest.raises(NotAllowed):
        services.bulk_update_measures(
            [mine, outside], by=world.rect_office, reason="x", deadline=date(2031, 1, 1)
        )
    assert ChangeRequest.objects.count() == before


def test_due_date_follows_the_earliest_open_measure(world):
    problem = world.problem(measures=2)
    first, second = problem.measures.order_by("position")
    services.update_measure(second, by=world.leader, base_version=None, deadline=date(2029, 5, 1))
    problem.refresh_from_db()
    assert problem.due_date == date(2029, 5, 1)
    services.update_measure(
        second, by=world.leader, base_version=None, completed_on=date(2026, 1, 1)
    )
    problem.refresh_from_db()
    assert problem.due_date == date(2030, 1, 1)


def test_immediate_measures_are_due_a_set_time_after_feedback(world, settings):
    settings.IMMEDIATE_DUE_DAYS = 30
    problem = world.problem(deadline=None)
    services.update_measure(
        world.measure(problem), by=world.leader, base_version=None, deadline_kind="immediate"
    )
    problem.refresh_from_db()
    assert problem.due_date == world.round.feedback_date + timedelta(days=30)


def test_figures_count_what_a_notice_states(world):
    a = world.problem("一", approve=True)
    b = world.problem("二", approve=True)
    world.problem("三")
    c = world.problem("四", approve=True, deadline=timezone.localdate() - timedelta(days=1))
    services.update_measure(
        world.measure(a),
        by=world.leader,
        base_version=None,
        rules_made=2,
        people_held_accountable=1,
    )
    workflow.submit_for_close_out(a, by=world.rect_office, note="完成")
    workflow.close_out(a, by=world.leader)
    workflow.submit_for_close_out(b, by=world.rect_office, note="完成")
    workflow.mark_long_term(b, by=world.leader)
    workflow.withdraw(c, by=world.inspector, reason="与问题一重复")
    figures = figures_for(world.round.problems.all())
    assert (figures.problems, figures.closed, figures.long_term, figures.withdrawn) == (3, 1, 1, 1)
    assert figures.areas == 1 and figures.rectified == 2
    assert figures.completion_rate == 66.7
    assert figures.outcomes["rules_made"] == 2
    assert figures.outcomes["people_held_accountable"] == 1
    assert figures.measures == 3  # the withdrawn problem's measure is not counted


def test_overdue_counts_open_problems_past_their_date(world):
    world.problem("逾期", deadline=timezone.localdate() - timedelta(days=1))
    world.problem("临期", deadline=timezone.localdate() + timedelta(days=2))
    figures = figures_for(world.round.problems.all())
    assert figures.overdue == 1 and figures.due_soon == 1
    assert world.round.problems.get(title="逾期").warning == "red"
    assert world.round.problems.get(title="临期").warning == "yellow"


def test_a_withdrawn_problem_stays_in_the_ledger(world):
    problem = world.problem()
    workflow.withdraw(problem, by=world.inspector, reason="重复")
    problem.refresh_from_db()
    assert problem.state == State.WITHDRAWN
    assert workflow.restore(problem, by=world.inspector, reason="误撤").state == State.PLAN_PENDING


def test_overlong_text_is_refused_with_a_message_on_every_database(world):
    with pytest.raises(Refused) as refused:
        services.create_problem(world.round, by=world.inspector, number="1" * 21, title="x")
    assert "最多 20 个字" in refused.value.message


def test_section_staff_ask_for_plan_changes_even_while_the_plan_is_drafted(world):
    problem = world.problem()
    measure = world.measure(problem)
    result = services.update_measure(
        measure,
        by=world.staff,
        base_version=measure.version,
        deadline=date(2020, 1, 1),
        reason="提前完成",
    )
    assert not result.applied and len(result.requests) == 1
    measure.refresh_from_db()
    assert measure.deadline == date(2030, 1, 1)


def test_only_a_change_of_the_requested_fields_makes_a_request_stale(world):
    problem = world.problem(approve=True)
    measure = world.measure(problem)
    result = services.update_measure(
        measure,
        by=world.staff,
        base_version=measure.version,
        deadline=date(2031, 1, 1),
        lead_section=world.other_section,
        reason="调整",
    )
    plan, deadline = sorted(result.requests, key=lambda r: r.kind != ChangeRequest.Kind.PLAN)
    services.update_measure(measure, by=world.staff, base_version=None, rules_made=1)
    services.decide_change_request(plan, by=world.leader, approve=True)
    services.decide_change_request(deadline, by=world.leader, approve=True)
    measure.refresh_from_db()
    assert measure.lead_section == world.other_section and measure.deadline == date(2031, 1, 1)


def test_closing_a_problem_retires_its_pending_requests(world):
    problem = world.problem(approve=True)
    measure = world.measure(problem)
    request = services.update_measure(
        measure, by=world.staff, base_version=None, deadline=date(2031, 1, 1), reason="延期"
    ).requests[0]
    workflow.submit_for_close_out(problem, by=world.rect_office, note="完成")
    workflow.close_out(problem, by=world.leader)
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.SUPERSEDED
    assert "已销号" in request.decision_note


def test_a_dated_deadline_may_be_open_while_drafting_but_not_after_approval(world):
    from zhenggai.ledger import workflow

    drafted = world.problem()
    measure = services.create_measure(
        drafted, by=world.leader, text="待定时限", deadline_kind="date"
    )
    assert measure.deadline is None
    with pytest.raises(Refused) as refused:
        workflow.approve_plan(drafted, by=world.leader)
    assert "未定整改时限" in refused.value.message
    approved = world.problem(approve=True)
    with pytest.raises(Refused) as refused:
        services.create_measure(approved, by=world.leader, text="x", deadline_kind="date")
    assert "完成日期" in refused.value.message
    with pytest.raises(Refused):
        services.update_measure(
            world.measure(approved), by=world.leader, base_version=None, deadline=None
        )


def test_saving_equal_values_changes_nothing(world):
    """0 and 0.00 are one amount, and a browser's \\r\\n is the stored \\n: no version, no history."""
    problem = world.problem(approve=True)
    measure = world.measure(problem)
    services.update_measure(
        measure, by=world.leader, base_version=measure.version, text="第一行\n第二行"
    )
    measure.refresh_from_db()
    version, events = measure.version, Event.objects.count()
    result = services.update_measure(
        measure,
        by=world.staff,
        base_version=version,
        text="第一行\r\n第二行",
        funds_recovered=Decimal("0"),
        rules_made=0,
    )
    measure.refresh_from_db()
    assert (result.applied, result.requests) == ({}, [])
    assert (measure.version, Event.objects.count()) == (version, events)


def test_a_problem_saved_with_browser_line_breaks_is_unchanged(world):
    problem = services.create_problem(
        world.round, by=world.inspector, title="问题", description="甲\n乙"
    )
    events = Event.objects.count()
    services.update_problem(problem, by=world.inspector, description="甲\r\n乙")
    assert Event.objects.count() == events
