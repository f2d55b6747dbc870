"""A problem's timeline of states: noted by the services, read as of a moment, rebuilt from the
history by the data migration."""

import importlib
from datetime import date, timedelta

from django.apps import apps
from django.utils import timezone

from zhenggai.ledger import services, workflow
from zhenggai.ledger.models import Event, State, StateSpan
from zhenggai.ledger.schedule import refresh_due_date
from zhenggai.ledger.spans import note_span

fill_state_spans = importlib.import_module("zhenggai.ledger.migrations.0016_fill_state_spans")


def spans_of(problem):
    return list(StateSpan.objects.filter(problem=problem).order_by("started_at", "id"))


def test_a_new_problem_has_one_open_span(world):
    problem = services.create_problem(world.round, by=world.inspector, title="学习贯彻不深入")
    [span] = spans_of(problem)
    assert span.ended_at is None and span.started_at == problem.created_at
    assert span.state == State.PLAN_PENDING and span.due_date is None
    assert span.unit_id == world.unit.pk and span.round_kind == world.round.kind


def test_a_transition_closes_the_open_span_and_opens_one_in_the_new_state(world):
    problem = world.problem(approve=True)
    workflow.submit_for_close_out(problem, by=world.rect_office, note="完成")
    workflow.return_close_out(problem, by=world.leader, reason="材料不全")
    workflow.submit_for_close_out(problem, by=world.rect_office, note="补齐")
    workflow.close_out(problem, by=world.leader)
    spans = spans_of(problem)
    assert [s.state for s in spans][-5:] == [
        State.IN_PROGRESS,
        State.SUBMITTED,
        State.IN_PROGRESS,
        State.SUBMITTED,
        State.CLOSED,
    ]
    assert [s.ended_at for s in spans[1:]] == [s.started_at for s in spans[2:]] + [None]
    closed = spans[-1]
    assert closed.rectified_on == timezone.localdate() and closed.rectified_on_time is True
    assert closed.due_date is None  # a closed problem owes nothing more
    assert spans[-2].due_date == date(2030, 1, 1) and spans[-2].rectified_on is None


def test_a_changed_measure_deadline_opens_a_span_with_the_new_due_date(world):
    problem = world.problem()
    before = spans_of(problem)
    measure = world.measure(problem)
    services.update_measure(measure, by=world.leader, base_version=None, deadline="2030-06-30")
    after = spans_of(problem)
    assert len(after) == len(before) + 1
    assert after[-2].due_date == date(2030, 1, 1) and after[-2].ended_at is not None
    assert after[-1].due_date == date(2030, 6, 30) and after[-1].ended_at is None
    assert after[-1].state == State.PLAN_PENDING


def test_nothing_changed_adds_no_span(world):
    problem = world.problem(approve=True)
    before = spans_of(problem)
    refresh_due_date(problem)
    note_span(problem.pk)
    services.update_problem(problem, by=world.inspector, title="学习贯彻不够深入")
    assert spans_of(problem) == before
    assert [s.ended_at for s in before].count(None) == 1


def test_as_of_a_past_moment_gives_the_state_then(world):
    problem = world.problem(approve=True)
    then = spans_of(problem)[-1].started_at
    workflow.submit_for_close_out(problem, by=world.rect_office, note="完成")
    workflow.close_out(problem, by=world.leader)
    other = world.problem("另一个问题")

    def states_as_of(moment):
        spans = StateSpan.objects.as_of(moment).filter(unit=world.unit)
        return dict(spans.values_list("problem_id", "state"))

    assert states_as_of(then) == {problem.pk: State.IN_PROGRESS}
    assert states_as_of(timezone.now()) == {
        problem.pk: State.CLOSED,
        other.pk: State.PLAN_PENDING,
    }
    assert states_as_of(problem.created_at - timedelta(seconds=1)) == {}


def test_the_data_migration_rebuilds_a_timeline_from_the_history(world):
    problem = world.problem(approve=True)
    workflow.submit_for_close_out(problem, by=world.rect_office, note="完成")
    workflow.close_out(problem, by=world.leader)
    workflow.verify_close_out(problem, by=world.inspector)
    problem.refresh_from_db()
    # A label that is no state's is skipped.
    Event.objects.create(
        round=world.round,
        problem=problem,
        action=Event.Action.CHANGED,
        object_type="problem",
        object_id=problem.pk,
        changes={"状态": ["旧状态", "已撤销"]},
    )
    untouched = world.problem("未审定的问题")
    untouched.refresh_from_db()
    StateSpan.objects.all().delete()

    fill_state_spans.fill(apps, None)

    changes = Event.objects.filter(problem=problem, changes__has_key="状态").order_by("at", "id")
    at = [e.at for e in changes][:4]
    spans = spans_of(problem)
    assert [(s.state, s.started_at, s.ended_at) for s in spans] == [
        (State.PLAN_PENDING, problem.created_at, at[0]),
        (State.IN_PROGRESS, at[0], at[1]),
        (State.SUBMITTED, at[1], at[2]),
        (State.CLOSED, at[2], at[3]),
        (State.VERIFIED, at[3], None),
    ]
    # Past deadlines are lost; the closed span keeps the problem's rectification, whether in
    # time included: verified later, it was on time when closed out.
    assert [s.due_date for s in spans[:-1]] == [None] * 4
    assert spans[3].rectified_on == problem.rectified_on == timezone.localdate(at[2])
    assert spans[3].rectified_on_time is problem.rectified_on_time is True
    last = spans[-1]
    assert (last.due_date, last.rectified_on, last.rectified_on_time) == (
        problem.due_date,
        problem.rectified_on,
        problem.rectified_on_time,
    )
    assert {(s.unit_id, s.round_kind) for s in spans} == {(world.unit.pk, world.round.kind)}
    [span] = spans_of(untouched)
    assert (span.state, span.started_at, span.ended_at) == (
        State.PLAN_PENDING,
        untouched.created_at,
        None,
    )
    assert span.due_date == untouched.due_date == date(2030, 1, 1)

    fill_state_spans.clear(apps, None)
    assert not StateSpan.objects.exists()
