"""The warning lights at their boundaries, and the ledger's filter agrees with each light."""

from datetime import date, timedelta

import pytest

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


@pytest.mark.parametrize("days_left", [-1, 0, 7, 8])
def test_the_ledger_filter_agrees_with_the_light(world, settings, days_left):
    settings.WARNING_DUE_SOON_DAYS = 7
    problem = world.problem(deadline=TODAY + timedelta(days=days_left), approve=True)
    light = warning_for(problem.due_date, problem.is_open, TODAY)
    found = {
        level
        for level in (Warning.RED, Warning.YELLOW, Warning.GREEN, Warning.NONE)
        if Problem.objects.with_warning(level, TODAY).filter(pk=problem.pk).exists()
    }
    assert found == {light}
