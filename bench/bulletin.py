"""`make bench`: the quarterly 通报 for 500 units (issue 13: under 5 s): `issue_bulletin` (the
ranking read from the daily tallies and the 差评, the rows stored, an evaluation round of findings
opened for each bottom unit), then the Word document and the Excel table of what was issued.

The data, made afresh each run: 500 units under one evaluation office, one or two rating points
each, about 100,000 ratings over the last complete quarter (a unit's sample from none to 400, so
some are short of the minimum), inserted with bulk_create, and their daily tallies summed in
Python and bulk-created as well. Each measurement runs in a transaction rolled back afterwards,
so every repetition issues the same 通报 once. Also measured: the same with the largest bottom
(50 units asked for a plan, 50 rounds opened).

SQLite always; PostgreSQL too when DATABASE_URL is set (`scripts/with-postgres python
bench/bulletin.py`), in a database of its own created and dropped here. Figures go to
bench/results.json as `bulletin_500_<database>`.
"""

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
RESULTS = HERE / "results.json"
UNITS = 500
REPEAT = 5
BATCH = 10_000
PG_DATABASE = "zhenggai_bench_bulletin"


def _env(database_url: str | None, data: Path) -> dict:
    env = dict(os.environ)
    env.update(
        ZHENGGAI_DATA_DIR=str(data),
        ZHENGGAI_DEMO="true",
        DJANGO_SETTINGS_MODULE="zhenggai.settings",
        PYTHONPATH=str(ROOT),
    )
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


# Seeding


def _tally_key(rating) -> tuple:
    from django.utils import timezone

    return (
        rating.point_id,
        rating.unit_id,
        timezone.localtime(rating.rated_at).date().replace(day=1),
    )


def _add(tally: dict, rating) -> None:
    from zhenggai.evaluations.values import BAD_LEVELS, DIMENSION_FIELDS

    tally["count"] += 1
    tally["level_sum"] += rating.level
    bad = rating.level in BAD_LEVELS
    tally["bad"] += bad
    tally["good"] += not bad
    tally["very_satisfied"] += rating.level == 5
    for name in DIMENSION_FIELDS:
        value = getattr(rating, name)
        if value:
            tally[f"{name}_sum"] += value
            tally[f"{name}_n"] += 1


def _insert(model, objects: list) -> None:
    """Insert unsaved `objects` with one executemany: bulk_create prepares every value through
    its field, which makes seeding 100,000 ratings take a minute on SQLite."""
    from django.db import connection, models

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    ops = connection.ops
    adapt = {
        models.DateTimeField: ops.adapt_datetimefield_value,
        models.DateField: ops.adapt_datefield_value,
    }
    converters = [adapt.get(type(f), lambda value: value) for f in fields]
    names = [f.attname for f in fields]
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({marks})"  # nosec B608
    rows = [
        [convert(getattr(obj, name)) for convert, name in zip(converters, names, strict=True)]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def seed(period) -> dict:
    """The office, its units and points, the ratings of `period` and their daily tallies."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from zhenggai.evaluations.models import MonthlyTally, Rating, RatingPoint
    from zhenggai.evaluations.values import DIMENSIONS, Channel, Mode
    from zhenggai.orgs.models import Membership, Role, Unit

    rng = random.Random(2026)
    with transaction.atomic():
        office = Unit.objects.create(name="市营商环境建设办公室", kind=Unit.Kind.OFFICE, path="")
        office.path = f"/{office.pk}/"
        office.save(update_fields=["path"])
        units = Unit.objects.bulk_create(
            [
                Unit(name=f"第{n + 1}局", kind=Unit.Kind.UNIT, parent=office, path="")
                for n in range(UNITS)
            ]
        )
        for unit in units:
            unit.path = f"{office.path}{unit.pk}/"
        Unit.objects.bulk_update(units, ["path"], batch_size=2000)
        points = RatingPoint.objects.bulk_create(
            [
                RatingPoint(
                    unit=unit,
                    kind="item" if k else "window",
                    name=f"{unit.name}{'网上办事' if k else '服务窗口'}",
                    mode=Mode.ONLINE if k else Mode.ON_SITE,
                    code=f"bb{n:04d}{k}",
                )
                for n, unit in enumerate(units)
                for k in range(1 + n % 2)
            ]
        )
        evaluator = get_user_model().objects.create_user("evaluator", password="bench-password")
        Membership.objects.create(user=evaluator, unit=office, role=Role.EVALUATION_OFFICE)
    by_unit = defaultdict(list)
    for point in points:
        by_unit[point.unit_id].append(point)
    start = timezone.make_aware(datetime.combine(period.start, datetime.min.time()))
    now = timezone.now()
    seconds = ((period.end - period.start).days + 1) * 86400
    tallies = defaultdict(lambda: defaultdict(int))
    batch, count = [], 0
    for unit in units:
        quality = rng.random()
        sample = rng.choice((0, 5, 20)) if rng.random() < 0.1 else rng.randint(30, 400)
        for _ in range(sample):
            point = rng.choice(by_unit[unit.pk])
            draw = rng.random()
            if draw < 0.04 * (1.5 - quality):
                level = rng.choice((1, 2))
            else:
                level = 5 if draw < 0.5 + 0.4 * quality else rng.choice((3, 4, 4))
            dims = {
                name: max(1, min(5, level + rng.choice((-1, 0, 0, 1))))
                for name, _ in DIMENSIONS[Mode(point.mode)]
            }
            rating = Rating(
                created_at=now,
                point_id=point.pk,
                unit_id=unit.pk,
                level=level,
                channel=Channel.QR,
                rated_at=start + timedelta(seconds=rng.randrange(seconds)),
                comment="办理时间过长" if level <= 2 else "",
                **dims,
            )
            _add(tallies[_tally_key(rating)], rating)
            batch.append(rating)
            if len(batch) == BATCH:
                _insert(Rating, batch)
                count, batch = count + len(batch), []
    _insert(Rating, batch)
    count += len(batch)
    _insert(
        MonthlyTally,
        [
            MonthlyTally(point_id=point_id, unit_id=unit_id, month=month, **sums)
            for (point_id, unit_id, month), sums in tallies.items()
        ],
    )
    return {"units": len(units), "points": len(points), "ratings": count, "tallies": len(tallies)}


# Timing


def _once(office, period, evaluator, bottom) -> dict:
    """Issue the 通报, then make its two documents; rolled back."""
    from django.db import transaction

    from zhenggai.evaluations import bulletins
    from zhenggai.evaluations.bulletin_docx import bulletin_docx
    from zhenggai.evaluations.bulletin_xlsx import write_bulletin

    times = {}
    with transaction.atomic():
        started = time.perf_counter()
        bulletin = bulletins.issue_bulletin(office, period, by=evaluator, bottom=bottom)
        times["issue"] = time.perf_counter() - started
        started = time.perf_counter()
        ranking = bulletins.issued(bulletin)
        docx = bulletin_docx(
            ranking,
            title=bulletin.title,
            issued_on=bulletins.issued_on(bulletin),
            due=bulletins.plan_due(bulletin),
        )
        times["docx"] = time.perf_counter() - started
        started = time.perf_counter()
        out = BytesIO()
        write_bulletin(
            bulletins.issued(bulletin),
            out,
            title=bulletin.title,
            issued_on=bulletins.issued_on(bulletin),
        )
        times["xlsx"] = time.perf_counter() - started
        assert len(docx) > 10_000 and len(out.getvalue()) > 10_000
        times["asked"] = sum(row["bottom"] for row in bulletin.rows)
        transaction.set_rollback(True)
    times["total"] = times["issue"] + times["docx"] + times["xlsx"]
    return times


def _median(runs: list[dict], name: str) -> float:
    return round(statistics.median(run[name] for run in runs) * 1000, 1)


def measure() -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from zhenggai.evaluations.bulletins import default_period, preview
    from zhenggai.orgs.models import Unit

    call_command("migrate", verbosity=0)
    period = default_period()
    started = time.perf_counter()
    with transaction.atomic():
        info = seed(period)
    info["seed_seconds"] = round(time.perf_counter() - started, 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    office = Unit.objects.get(kind=Unit.Kind.OFFICE)
    evaluator = get_user_model().objects.get(username="evaluator")
    out = {"database": connection.vendor, "period": period.label, **info}
    started = time.perf_counter()
    ranking = preview(office, period)
    out["preview_ms"] = round((time.perf_counter() - started) * 1000, 1)
    out["ranked"], out["short_of_sample"] = len(ranking.ranked), len(ranking.unranked)
    for label, bottom in (("bottom_3", None), ("bottom_50", 50)):
        _once(office, period, evaluator, bottom)  # warm-up
        runs = [_once(office, period, evaluator, bottom) for _ in range(REPEAT)]
        out[label] = {
            "units_asked": runs[0]["asked"],
            **{f"{name}_median_ms": _median(runs, name) for name in ("issue", "docx", "xlsx")},
            "total_median_ms": _median(runs, "total"),
            "total_max_ms": round(max(run["total"] for run in runs) * 1000, 1),
        }
    return out


# Databases


@contextmanager
def _postgres_database(url: str):
    """A database of its own on the server of `url`, dropped afterwards."""
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}"')
        connection.execute(f'CREATE DATABASE "{PG_DATABASE}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{PG_DATABASE}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')


def _child(env: dict) -> dict:
    run = subprocess.run(
        [sys.executable, __file__, "--child"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if run.returncode:
        sys.exit(run.stderr)
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> None:
    if sys.argv[1:] == ["--child"]:
        print(json.dumps(measure()))
        return
    figures = {}
    data = DATA / "bulletin"
    shutil.rmtree(data, ignore_errors=True)
    print(f"the quarterly 通报 of {UNITS} units, SQLite")
    figures["sqlite"] = _child(_env(None, data))
    print(f"  {figures['sqlite']}")
    url = os.environ.get("DATABASE_URL")
    if url and url.startswith("postgres"):
        print(f"the quarterly 通报 of {UNITS} units, PostgreSQL")
        shutil.rmtree(data, ignore_errors=True)
        with _postgres_database(url) as own:
            figures["postgresql"] = _child(_env(own, data))
        print(f"  {figures['postgresql']}")
    shutil.rmtree(data, ignore_errors=True)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for database, found in figures.items():
        results[f"bulletin_500_{database}"] = found
        total = found["bottom_3"]["total_median_ms"]
        verdict = "within" if total < 5000 else "OVER"
        print(f"  {database}: issue + Word + Excel {total} ms ({verdict} the 5 s target)")
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
