"""Two transactions changing one problem's measures at once (PostgreSQL): every service locks
the problem before its measures, and a problem's completion is computed with its row locked,
so neither a percent is lost nor do two requests deadlock."""

import threading
import time
from datetime import date

import pytest
from django.db import connection, transaction

from zhenggai.ledger import services
from zhenggai.ledger.models import Measure, Problem
from zhenggai.ledger.schedule import refresh_due_date
from zhenggai.ledger.services import evidence
from zhenggai.testing import make_world

pytestmark = [
    pytest.mark.skipif(connection.vendor == "sqlite", reason="in-memory SQLite shares one lock"),
    pytest.mark.django_db(transaction=True),
]


def in_thread(work, name: str, errors: list) -> threading.Thread:
    def run():
        try:
            work()
        except Exception as exc:  # reported by the test
            errors.append((name, type(exc).__name__, str(exc)[:200]))
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


def test_a_problems_completion_is_computed_with_its_row_locked():
    # Two transactions each completing a measure and refreshing the problem: the second waits
    # for the first and counts both (not 50% with both done).
    world = make_world()
    problem = world.problem(measures=2, approve=True)
    first, second = problem.measures.order_by("position")
    holding, errors = threading.Event(), []

    def long_transaction():
        with transaction.atomic():
            Measure.objects.filter(pk=first.pk).update(completed_on=date(2026, 10, 1))
            refresh_due_date(Problem.objects.get(pk=problem.pk))
            holding.set()
            time.sleep(1.5)

    thread = in_thread(long_transaction, "first", errors)
    assert holding.wait(10)
    with transaction.atomic():
        Measure.objects.filter(pk=second.pk).update(completed_on=date(2026, 10, 2))
        refresh_due_date(Problem.objects.get(pk=problem.pk))
    thread.join()
    assert errors == []
    problem.refresh_from_db()
    assert problem.percent == 100


def test_two_measures_completed_at_once_leave_the_problem_complete():
    world = make_world()
    problem = world.problem(measures=2, approve=True)
    first, second = problem.measures.order_by("position")
    holding, errors = threading.Event(), []

    def long_transaction():  # a progress import applying many rows in one transaction
        with transaction.atomic():
            services.update_measure(
                first, by=world.rect_office, base_version=None, completed_on=date(2026, 10, 1)
            )
            holding.set()
            time.sleep(1.5)

    thread = in_thread(long_transaction, "first", errors)
    assert holding.wait(10)
    services.update_measure(
        second, by=world.rect_office, base_version=None, completed_on=date(2026, 10, 2)
    )
    thread.join()
    assert errors == []
    problem.refresh_from_db()
    assert problem.percent == 100


def test_a_report_with_a_percent_and_a_measure_change_do_not_deadlock(monkeypatch):
    # report_progress locks the problem, then the measure; update_measure did the reverse.
    world = make_world()
    problem = world.problem(measures=1, approve=True)
    measure = world.measure(problem)
    holding, errors = threading.Event(), []
    set_percent = evidence._set_percent

    def slow(measure, percent):
        if threading.current_thread().name == "reporter":
            holding.set()
            time.sleep(1.5)
        return set_percent(measure, percent)

    monkeypatch.setattr(evidence, "_set_percent", slow)

    def report():
        evidence.report_progress(problem, by=world.staff, text="进展", measure=measure, percent=50)

    thread = in_thread(report, "reporter", errors)
    assert holding.wait(10)
    try:
        services.update_measure(
            measure, by=world.staff, base_version=None, completed_on=date(2026, 10, 1)
        )
    except Exception as exc:
        errors.append(("updater", type(exc).__name__, str(exc)[:200]))
    thread.join()
    assert errors == []
    measure.refresh_from_db()
    assert measure.percent == 50 and measure.completed_on == date(2026, 10, 1)
    problem.refresh_from_db()
    assert problem.percent == 100
