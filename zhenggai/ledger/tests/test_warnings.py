"""The warning lights at their boundaries, and the ledger's filter agrees with each light."""

from datetime import date, timedelta

import pytest

from zhenggai.ledger import services
from zhenggai.ledger.models import Problem, Warning, warning_for

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    "days_left, light",
    [
        (-30, Warning.RED),
        (-1, Warning.RED),  # the day after the deadline
        (0, Warning.YELLOW),  # the deadline itself is not yet late
        (7, Warning.YELLOW),  # the last day of the due-soon window
        (8, Warning.GREEN),
        (365, Warning.GREEN),
    ],
)
def test_lights_at_their_boundaries(settings, days_left, light):
    settings.WARNING_DUE_SOON_DAYS = 7
    assert warning_for(TODAY + timedelta(days=days_left), True, TODAY) == light


def test_no_deadline_is_green_and_a_finished_item_has_no_light():
    assert warning_for(None, True, TODAY) == Warning.GREEN
    assert warning_for(TODAY - timedelta(days=5), False, TODAY) == Warning.NONE


@pytest.mark.parametrize(
    "days_left, light",
    [(None, Warning.UNSET), (30, Warning.UNSET), (3, Warning.YELLOW), (-3, Warning.RED)],
)
def test_an_unassigned_item_is_grey_not_green_but_red_and_yellow_still_show(days_left, light):
    due = None if days_left is None else TODAY + timedelta(days=days_left)
    assert warning_for(due, True, TODAY, unassigned=True) == light
    assert warning_for(due, False, TODAY, unassigned=True) == Warning.NONE


def _owned(world, problem):
    for measure in problem.measures.all():
        services.update_measure(measure, by=world.leader, base_version=None, owner=world.staff)
    problem.refresh_from_db()
    return problem


@pytest.mark.parametrize("days_left", [-1, 0, 7, 8])
@pytest.mark.parametrize("owned", [True, False])
def test_the_ledger_filter_agrees_with_the_light(world, settings, days_left, owned):
    settings.WARNING_DUE_SOON_DAYS = 7
    problem = world.problem(deadline=TODAY + timedelta(days=days_left), approve=True)
    if owned:
        problem = _owned(world, problem)
    assert problem.unassigned is not owned
    light = warning_for(problem.due_date, problem.is_open, TODAY, unassigned=problem.unassigned)
    assert _found(problem) == {light}


def _found(problem) -> set[str]:
    return {
        level
        for level in Warning.values
        if Problem.objects.with_warning(level, TODAY).filter(pk=problem.pk).exists()
    }


def test_a_measure_with_neither_owner_nor_deadline_is_grey_and_so_is_its_problem(world):
    problem = world.problem(deadline=None)
    measure = services.create_measure(problem, by=world.leader, text="未定的措施")
    assert measure.gaps == ("未定责任人", "未定时限")
    assert measure.warning == Warning.UNSET
    problem.refresh_from_db()
    assert problem.unassigned and problem.warning == Warning.UNSET
    assert _found(problem) == {Warning.UNSET}


def test_the_light_turns_green_once_the_measures_have_owners_and_dates(world):
    problem = world.problem(deadline=date(2031, 1, 1))
    assert problem.warning == Warning.UNSET  # the factory's measures have no 责任人
    problem = _owned(world, problem)
    assert not problem.unassigned and problem.warning == Warning.GREEN
    assert world.measure(problem).warning == Warning.GREEN
    assert world.measure(problem).gaps == ()


def test_a_problem_without_measures_is_grey(world):
    problem = world.problem(measures=0)
    assert problem.unassigned and problem.warning == Warning.UNSET


def test_long_term_and_immediate_measures_have_their_deadline(world):
    problem = world.problem(deadline=None)  # 长期坚持
    measure = world.measure(problem)
    assert measure.gaps == ("未定责任人",)
    services.update_measure(measure, by=world.leader, base_version=None, owner=world.staff)
    problem.refresh_from_db()
    assert not problem.unassigned and problem.warning == Warning.GREEN


def test_withdrawn_and_completed_measures_leave_no_gap(world):
    problem = _owned(world, world.problem(measures=2, approve=True))
    first, second = problem.measures.order_by("position")
    services.update_measure(second, by=world.leader, base_version=None, owner=None)
    problem.refresh_from_db()
    assert problem.unassigned
    services.update_measure(
        second, by=world.leader, base_version=None, completed_on=date(2026, 10, 1)
    )
    problem.refresh_from_db()
    assert not problem.unassigned
