"""Writers of one unit's history at once (PostgreSQL, one connection a thread): each waits for
the unit's chain head, so the rows are numbered 1..n without a gap or a repeat and the chain
holds, also when the unit's first rows are written at once."""

import threading
import time
from datetime import date

import pytest
from django.db import connection, transaction

from zhenggai.ledger import services
from zhenggai.ledger.history import record
from zhenggai.ledger.history_chain import verify
from zhenggai.ledger.models import Event, HistoryChain, Problem
from zhenggai.rounds.models import InspectionRound
from zhenggai.testing import make_world

pytestmark = [
    pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises every writer"),
    pytest.mark.django_db(transaction=True),
]

WRITERS = 20


def at_once(work, count: int) -> list:
    """Run `work(n)` in `count` threads that start together; the errors they met."""
    start, errors = threading.Barrier(count), []

    def run(n):
        try:
            start.wait(10)
            work(n)
        except Exception as exc:  # reported by the test
            errors.append((n, type(exc).__name__, str(exc)[:200]))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


def test_twenty_first_writers_of_a_unit_number_its_rows_one_to_twenty():
    world = make_world()
    round = InspectionRound.objects.create(
        unit=world.other_section, title="新轮次", inspecting_body="组", feedback_date=date.today()
    )
    assert not HistoryChain.objects.filter(unit=world.other_section).exists()

    def write(n):
        with transaction.atomic():
            record("changed", round, by=None, problem=None, round=round, note=f"第{n}条")

    assert at_once(write, WRITERS) == []
    rows = Event.objects.filter(chain_unit=world.other_section).order_by("seq")
    assert [e.seq for e in rows] == list(range(1, WRITERS + 1))
    assert sorted(e.note for e in rows) == sorted(f"第{n}条" for n in range(WRITERS))
    (chain,) = verify(world.other_section.pk)
    assert chain.ok and chain.count == WRITERS


def test_twenty_services_writing_to_one_unit_at_once_keep_its_chain():
    world = make_world()
    problems = [world.problem(f"问题{n}", approve=True) for n in range(4)]
    before = HistoryChain.objects.get(unit=world.unit).seq

    def report(n):
        problem = Problem.objects.get(pk=problems[n % len(problems)].pk)
        services.report_progress(problem, by=world.staff, text=f"进展{n}")

    assert at_once(report, WRITERS) == []
    head = HistoryChain.objects.get(unit=world.unit)
    seqs = list(
        Event.objects.filter(chain_unit=world.unit).order_by("seq").values_list("seq", flat=True)
    )
    assert seqs == list(range(1, head.seq + 1)) and head.seq >= before + WRITERS
    assert all(chain.ok for chain in verify())


def test_a_change_of_many_problems_and_one_of_a_single_problem_do_not_deadlock():
    # The change of many problems locks them all before its first history row: a service
    # holding one of them (and about to write history) is waited for, not deadlocked with.
    world = make_world()
    first, second = (world.problem(f"问题{n}", approve=True) for n in range(2))
    holding, errors = threading.Event(), []

    def single():
        try:
            with transaction.atomic():
                locked = Problem.objects.select_for_update().get(pk=second.pk)
                holding.set()
                time.sleep(1.5)  # the change of many is waiting by now
                record("changed", locked, by=world.leader, problem=locked, note="单独修改")
        except Exception as exc:  # reported by the test
            errors.append(("single", type(exc).__name__, str(exc)[:200]))
        finally:
            connection.close()

    thread = threading.Thread(target=single)
    thread.start()
    assert holding.wait(10)
    try:
        services.bulk_update_measures(
            [first, second], by=world.leader, reason="统一调整", deadline=date(2031, 1, 1)
        )
    except Exception as exc:  # reported by the test
        errors.append(("bulk", type(exc).__name__, str(exc)[:200]))
    thread.join(30)
    assert errors == []
    assert all(chain.ok for chain in verify())
