"""`make bench`: the cost of the history's hash chain (issue 18), on SQLite (or on PostgreSQL
when DATABASE_URL is set, e.g. under scripts/with-postgres).

A fresh database. Timed: 10,000 history rows written one a transaction, as services write them,
first as `record` wrote them before the chain (a bare insert) and then through `record` (lock the
unit's head, hash, insert, move the head), with the time and statements a row; 100,000 rows
written in batches through `ledger.history.write` (as the daily urging writes them) across 20
units; `verify` over all of them; and chaining them anew as the data migration does (the rows
already there when the chain came). Peak RSS after each step; the load average before, since
the machine may be shared. Figures go to bench/results.json.
"""

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results.json"
SINGLE = int(os.environ.get("BENCH_CHAIN_SINGLE", 10_000))
MANY = int(os.environ.get("BENCH_CHAIN_ROWS", 100_000))
UNITS = 20
BATCH = 1000


def _create_database(url: str) -> None:
    """The database of `url` created anew on its server (as scripts/with-postgres starts one
    without it)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')


def _setup(folder: Path) -> None:
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        _create_database(os.environ["DATABASE_URL"])
    os.environ.update(
        ZHENGGAI_DATA_DIR=str(folder),
        DJANGO_SETTINGS_MODULE="zhenggai.settings",
        ZHENGGAI_DEMO="true",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _timed(action):
    started = time.perf_counter()
    value = action()
    return value, round(time.perf_counter() - started, 2)


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Statements:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _event(problem, n: int):
    from zhenggai.ledger.models import Event

    return Event(
        round=problem.round,
        problem=problem,
        action=Event.Action.REPORTED,
        object_type="problem",
        object_id=problem.pk,
        changes={"完成进度": [f"{n % 100}%", f"{(n + 1) % 100}%"]},
        note=f"第{n}次报告整改进展：已按计划推进，制度修订稿已起草。",
    )


def _singles(problem, chained: bool) -> tuple[float, int]:
    """SINGLE rows, one a transaction; the time and statements each."""
    from django.db import connection, transaction

    from zhenggai.ledger.history import record

    statements = Statements()

    def bare(n):
        _event(problem, n).save(force_insert=True)

    def chain(n):
        event = _event(problem, n)
        record(
            event.action, problem, by=None, problem=problem, changes=event.changes, note=event.note
        )

    write = chain if chained else bare
    with connection.execute_wrapper(statements):
        started = time.perf_counter()
        for n in range(SINGLE):
            with transaction.atomic():
                write(n)
        took = time.perf_counter() - started
    return round(took * 1000 / SINGLE, 3), statements.count // SINGLE


def _units(world):
    from datetime import date

    from zhenggai.ledger.models import Problem
    from zhenggai.orgs.models import Unit
    from zhenggai.orgs.services import create_unit
    from zhenggai.rounds.models import InspectionRound

    problems = []
    for n in range(UNITS):
        unit = create_unit(f"第{n + 1}局", Unit.Kind.UNIT, world.office)
        round = InspectionRound.objects.create(
            unit=unit,
            title=f"第{n + 1}局巡察整改",
            inspecting_body="组",
            feedback_date=date.today(),
        )
        problems.append(
            Problem.objects.create(round=round, unit=unit, number="1", title="问题", position=1)
        )
    return problems


def _many(problems) -> None:
    from django.db import transaction

    from zhenggai.ledger.history import write

    for start in range(0, MANY, BATCH):
        with transaction.atomic():
            write([_event(problems[n % UNITS], n) for n in range(start, start + BATCH)])


def main() -> None:
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as work:
        _setup(Path(work))
        from django.db import connection

        from zhenggai.ledger.history_chain import chain_anew, verify
        from zhenggai.ledger.models import Event, HistoryChain
        from zhenggai.testing import make_world

        world = make_world()
        problem = world.problem("基准问题")
        problem.round  # noqa: B018 -- loaded once, as a service has it
        (bare_ms, bare_statements), _ = _timed(lambda: _singles(problem, chained=False))
        Event.objects.filter(seq__isnull=True).delete()  # the bare rows: outside the chain
        (chained_ms, chained_statements), _ = _timed(lambda: _singles(problem, chained=True))
        singles_rss = _peak_mb()
        problems = _units(world)
        _, many_s = _timed(lambda: _many(problems))
        many_rss = _peak_mb()
        rows = Event.objects.count()
        chains, verify_s = _timed(verify)
        verify_rss = _peak_mb()
        assert all(chain.ok for chain in chains), [c.broken for c in chains if not c.ok]
        assert sum(c.count for c in chains) == rows
        chained, anew_s = _timed(lambda: chain_anew(Event, HistoryChain))
        assert chained == rows and all(chain.ok for chain in verify())
        figures = {
            "database": connection.vendor,
            "single_rows": SINGLE,
            "record_before_ms_per_row": bare_ms,
            "record_after_ms_per_row": chained_ms,
            "statements_per_row_before": bare_statements,
            "statements_per_row_after": chained_statements,
            "bulk_rows": MANY,
            "bulk_write_s": many_s,
            "bulk_write_ms_per_row": round(many_s * 1000 / MANY, 3),
            "verify_rows": rows,
            "verify_units": len(chains),
            "verify_s": verify_s,
            "verify_us_per_row": round(verify_s * 1_000_000 / rows, 1),
            "chain_anew_s": anew_s,
            "cpus": os.cpu_count(),
            "load_average_before": round(load, 2),
            "peak_rss_mb": {
                "after_single_rows": singles_rss,
                "after_bulk_write": many_rss,
                "after_verify": verify_rss,
                "after_chain_anew": _peak_mb(),
            },
        }
    name = f"history_chain_{connection.vendor}"
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[name] = figures
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(name, figures)


if __name__ == "__main__":
    main()
