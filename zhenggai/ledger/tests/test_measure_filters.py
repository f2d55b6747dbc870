"""The ledger's measure filters: each alone, and all of them on one and the same measure; bad
values refused as filter errors; the page keeps them as hidden fields and says them."""

from datetime import date

import pytest
from django.http import QueryDict
from django.urls import reverse

from zhenggai.ledger.filters import ProblemFilter
from zhenggai.ledger.models import DeadlineKind, Measure, Problem, State


def listed(world, query: str) -> set[str]:
    filterset = ProblemFilter(QueryDict(query), queryset=Problem.objects.all())
    assert filterset.is_valid(), filterset.errors
    return {p.number for p in filterset.qs}


def problem(world, number, state=State.IN_PROGRESS):
    return Problem.objects.create(
        round=world.round, unit=world.unit, number=number, title=f"问题{number}", state=state
    )


def measure(problem, section, *, due=None, done=None, kind=DeadlineKind.DATE, **extra):
    return Measure.objects.create(
        problem=problem,
        text="措施",
        lead_section=section,
        deadline_kind=kind,
        deadline=due,
        completed_on=done,
        **extra,
    )


@pytest.fixture
def ledger(world):
    a, b = world.section, world.other_section
    # 1: A due 2 Dec done on time; B due 10 Dec open
    p1 = problem(world, "1")
    measure(p1, a, due=date(2026, 12, 2), done=date(2026, 12, 1), lead_leader=world.leader)
    measure(p1, b, due=date(2026, 12, 10))
    # 2: A due 20 Nov done late on 2 Dec
    measure(problem(world, "2"), a, due=date(2026, 11, 20), done=date(2026, 12, 2))
    # 3: 立行立改 of a round fed back 1 Sep: due 1 Oct, open
    measure(problem(world, "3"), b, kind=DeadlineKind.IMMEDIATE)
    # 4: closed with an open measure: never overdue
    measure(problem(world, "4", State.CLOSED), a, due=date(2026, 11, 1))
    # 5: withdrawn problem, and 6: withdrawn measure: never listed by a measure filter
    measure(problem(world, "5", State.WITHDRAWN), a, due=date(2026, 12, 2))
    measure(problem(world, "6"), a, due=date(2026, 12, 2), withdrawn=True)
    # 7: 立行立改 done on its last day (1 Oct) and 8: a day late
    measure(problem(world, "7"), a, kind=DeadlineKind.IMMEDIATE, done=date(2026, 10, 1))
    measure(problem(world, "8"), a, kind=DeadlineKind.IMMEDIATE, done=date(2026, 10, 2))
    return world


def test_due_between_reads_dates_and_immediate_deadlines(ledger):
    assert listed(ledger, "measure_due_from=2026-12-01&measure_due_to=2026-12-06") == {"1"}
    assert listed(ledger, "measure_due_from=2026-10-01&measure_due_to=2026-10-01") == {
        "3",
        "7",
        "8",
    }
    assert listed(ledger, "measure_due_to=2026-11-30") == {"2", "3", "4", "7", "8"}


def test_done_between_and_on_time(ledger):
    assert listed(ledger, "measure_done_from=2026-12-01&measure_done_to=2026-12-06") == {"1", "2"}
    assert listed(ledger, "measure_on_time=true") == {"1", "7"}
    assert listed(ledger, "measure_on_time=true&measure_due_to=2026-11-30") == {"7"}


def test_overdue_on_a_day_counts_open_problems_measures_not_done_by_then(ledger):
    assert listed(ledger, "measure_overdue_on=2026-12-01") == {"2", "3"}  # 2 was done on 2 Dec
    assert listed(ledger, "measure_overdue_on=2026-12-03") == {"3"}
    assert listed(ledger, "measure_overdue_on=2026-12-11") == {"1", "3"}  # 1's B measure


def test_a_measure_without_a_date_is_done_when_its_problem_is_rectified(ledger):
    """9: closed out on 28 Nov, its measure due 2 Dec has no 完成日期: done on time on 28 Nov.
    10: rectified and kept at long term on 5 Dec, its measure due 1 Dec: done late, overdue
    until then. 11: closed out on 3 Dec, its measure completed on 30 Nov: its own date holds."""
    closed = problem(ledger, "9", State.CLOSED)
    kept = problem(ledger, "10", State.LONG_TERM)
    own = problem(ledger, "11", State.CLOSED)
    for rectified, on in [
        (closed, date(2026, 11, 28)),
        (kept, date(2026, 12, 5)),
        (own, date(2026, 12, 3)),
    ]:
        rectified.rectified_on = on
        rectified.save(update_fields=["rectified_on"])
    measure(closed, ledger.section, due=date(2026, 12, 2))
    measure(kept, ledger.section, due=date(2026, 12, 1))
    measure(own, ledger.section, due=date(2026, 12, 2), done=date(2026, 11, 30))
    assert listed(ledger, "measure_done_from=2026-11-28&measure_done_to=2026-11-28") == {"9"}
    assert listed(ledger, "measure_done_from=2026-11-30&measure_done_to=2026-11-30") == {"11"}
    assert listed(ledger, "measure_done_from=2026-12-01&measure_done_to=2026-12-06") == {
        "1",
        "2",
        "10",
    }
    assert listed(ledger, "measure_done_to=2026-11-29") == {"7", "8", "9"}
    assert listed(ledger, "measure_on_time=true") == {"1", "7", "9", "11"}
    assert listed(ledger, "measure_on_time=false&measure_due_from=2026-12-01") == {"1", "10"}
    assert listed(ledger, "measure_overdue_on=2026-12-03") == {"3", "10"}
    assert listed(ledger, "measure_overdue_on=2026-12-05") == {"3"}


def test_every_condition_holds_on_one_and_the_same_measure(ledger):
    b = ledger.other_section.pk
    # Problem 1 has a B measure and a measure due 2 Dec, but not one that is both.
    assert listed(ledger, f"measure_section={b}&measure_due_to=2026-12-06") == {"3"}
    assert listed(ledger, f"measure_section={ledger.section.pk}&measure_on_time=true") == {
        "1",
        "7",
    }
    assert listed(ledger, f"measure_leader={ledger.leader.pk}&measure_overdue_on=2026-12-11") == (
        set()
    )
    # The existing `section` filter still reads lead or responsible sections on any measure.
    assert listed(ledger, f"section={b}&due_before=2031-01-01") == set()
    assert "1" in listed(ledger, f"section={b}")


@pytest.mark.parametrize(
    "query", ["measure_due_from=12/01/2026", "measure_section=0", "measure_overdue_on=明天"]
)
def test_bad_values_are_filter_errors(world, query):
    filterset = ProblemFilter(QueryDict(query), queryset=Problem.objects.all())
    assert not filterset.is_valid()


def test_the_ledger_page_keeps_and_says_the_measure_filters(client, ledger):
    client.force_login(ledger.rect_office)
    response = client.get(reverse("ledger"), {"measure_overdue_on": "2026-12-03"})
    body = response.content.decode()
    assert response.context["page"].paginator.count == 1
    assert '<input type="hidden" name="measure_overdue_on" value="2026-12-03">' in body
    assert "按措施筛选：截至该日逾期未完成 2026-12-03" in body
    response = client.get(reverse("ledger"), {"measure_due_from": "bad"})
    assert response.status_code == 200 and "筛选条件有误" in response.content.decode()


def test_the_api_reads_the_same_measure_filters(client, ledger):
    client.force_login(ledger.rect_office)
    response = client.get("/api/v1/problems/", {"measure_overdue_on": "2026-12-03"})
    assert response.status_code == 200
    assert [row["number"] for row in response.json()["results"]] == ["3"]
