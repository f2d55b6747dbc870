"""`make bench`: the evaluation statistics for 500 units over 1,000,000 ratings (issue 13: under
300 ms): `stats.ranking()` and `stats.figures_by()` for a quarter and for the year, the signs of
steered ratings, and the pages (statistics home page of the evaluation office, a unit's page, the
ratings list) through Django's test client.

The data: 500 units under one evaluation office, one to three rating points each (1,000 in all),
1,000,000 ratings spread over the 365 days up to today, inserted with bulk_create; each 差评 a
problem of its unit's evaluation round of the quarter (as `raise_problem_for` makes them), a
third of them with a phone number and most of those called back. The daily tallies are built by
one grouped INSERT … SELECT over the ratings (the same sums `refresh_tally` computes per point
and day), not by a million calls.

SQLite by default, seeded once into bench/data/evaluations/ and reused; with DATABASE_URL set
(`scripts/with-postgres python bench/evaluation_stats.py`), that database, seeded when empty.
Figures go to bench/results.json as `evaluation_stats_<database>`.
"""

import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from own_database import child_env

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data" / "evaluations"
RESULTS = HERE / "results.json"
UNITS = 500
RATINGS = 1_000_000
VERSION = 1
REPEAT = 9
BATCH = 10_000


def _env() -> dict:
    return child_env(DATA, "zhenggai_bench_evaluations")


# Seeding


def _units(office):
    from zhenggai.orgs.models import Unit

    units = Unit.objects.bulk_create(
        [
            Unit(name=f"第{n + 1}局", kind=Unit.Kind.UNIT, parent=office, path="")
            for n in range(UNITS)
        ]
    )
    for unit in units:
        unit.path = f"{office.path}{unit.pk}/"
    Unit.objects.bulk_update(units, ["path"], batch_size=2000)
    return units


def _points(units, rng):
    from zhenggai.evaluations.models import RatingPoint
    from zhenggai.evaluations.values import Mode

    points = []
    for n, unit in enumerate(units):
        for k in range(1 + n % 3):  # 1, 2, 3, 1, 2, 3 …: 1,000 points
            online = k == 2
            points.append(
                RatingPoint(
                    unit=unit,
                    kind="item" if online else "window",
                    name=f"{unit.name}{'网上办事' if online else '服务窗口'}{k + 1}",
                    mode=Mode.ONLINE if online else Mode.ON_SITE,
                    code=f"b{n:04d}{k}{rng.randrange(10**6):06d}"[:16],
                )
            )
    return RatingPoint.objects.bulk_create(points)


def _level(rng, quality: float) -> int:
    draw = rng.random()
    if draw < 0.03 * (1.5 - quality):  # a 差评 now and then, more at weaker units
        return rng.choice((1, 2))
    return 5 if draw < 0.55 + 0.35 * quality else rng.choice((3, 4, 4))


def _ratings(points, rng, now):
    """Batches of unsaved ratings over the 365 days up to `now`, in time order."""
    from zhenggai.evaluations.models import Rating
    from zhenggai.evaluations.values import DIMENSIONS, Channel, Mode

    quality = {p.unit_id: rng.random() for p in points}
    clients = [f"{n:032x}" for n in range(50_000)]
    start = now - timedelta(days=365)
    step = timedelta(days=365) / RATINGS
    batch = []
    for n in range(RATINGS):
        point = points[rng.randrange(len(points))]
        level = _level(rng, quality[point.unit_id])
        dims = {}
        if rng.random() < 0.6:
            dims = {
                name: max(1, min(5, level + rng.choice((-1, 0, 0, 1))))
                for name, _ in DIMENSIONS[Mode(point.mode)]
            }
        bad = level <= 2
        batch.append(
            Rating(
                point_id=point.pk,
                unit_id=point.unit_id,
                level=level,
                channel=rng.choice(Channel.values),
                rated_at=start + step * n,
                comment="办理时间过长，窗口人员解释不清" if bad else "",
                phone=f"139{n % 10**8:08d}" if bad and rng.random() < 0.33 else "",
                client_hash=rng.choice(clients),
                device_hash=f"{rng.getrandbits(128):032x}",
                burst=rng.random() < 0.002,
                outside_hours=point.mode == Mode.ON_SITE and rng.random() < 0.01,
                **dims,
            )
        )
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _tallies() -> None:
    """Every point-month's tally in one grouped INSERT … SELECT: the sums of `refresh_tally`."""
    from django.db import connection
    from django.db.models import Count, DateField, Q, Sum
    from django.db.models.functions import TruncMonth

    from zhenggai.evaluations.models import MonthlyTally, Rating
    from zhenggai.evaluations.values import DIMENSION_FIELDS, Level

    sums = {
        "count": Count("id"),
        "level_sum": Sum("level"),
        "good": Count("id", filter=Q(level__gte=Level.BASICALLY_SATISFIED)),
        "bad": Count("id", filter=Q(level__lte=Level.DISSATISFIED)),
        "very_satisfied": Count("id", filter=Q(level=Level.VERY_SATISFIED)),
        "burst": Count("id", filter=Q(burst=True)),
        "outside_hours": Count("id", filter=Q(outside_hours=True)),
    }
    for name in DIMENSION_FIELDS:
        sums[f"{name}_sum"] = Sum(name, default=0)
        sums[f"{name}_n"] = Count(name)
    rows = (
        Rating.objects.counted()
        .annotate(month=TruncMonth("rated_at", output_field=DateField()))
        .values("point_id", "unit_id", "month")
        .order_by()
        .annotate(**sums)
        # In the order a running system writes them, a month's tallies as it goes by.
        .order_by("month", "point_id")
    )
    sql, params = rows.query.sql_with_params()
    columns = ["point_id", "unit_id", "month", *sums]
    table = MonthlyTally._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({quoted}) {sql}", params)  # nosec B608


def _bad_reviews(units, now) -> dict:
    """Each 差评 a problem of its unit's evaluation round of the quarter; call backs for most of
    those that left a phone number."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from zhenggai.evaluations.models import Callback, PeriodRound, Rating
    from zhenggai.evaluations.values import period_of
    from zhenggai.ledger.models import Problem, State
    from zhenggai.rounds.models import InspectionRound

    rng = random.Random(7)
    bad = list(
        Rating.objects.bad().order_by("id").values_list("id", "unit_id", "rated_at", "phone")
    )
    periods = sorted(
        {period_of(timezone.localtime(at).date(), 3) for _, _, at, _ in bad}, key=lambda p: p.start
    )
    names = {u.pk: u.name for u in units}
    rounds = InspectionRound.objects.bulk_create(
        [
            InspectionRound(
                kind=InspectionRound.Kind.EVALUATION,
                title=f"{names[u.pk]}{p.label}“好差评”差评整改",
                inspecting_body="市营商办",
                unit=u,
                period_start=p.start,
                period_end=p.end,
                feedback_date=p.start,
            )
            for u in units
            for p in periods
        ],
        batch_size=2000,
    )
    round_of = {(r.unit_id, r.period_start): r for r in rounds}
    PeriodRound.objects.bulk_create(
        [
            PeriodRound(
                unit_id=r.unit_id,
                period_start=r.period_start,
                period_months=3,
                purpose=PeriodRound.Purpose.BAD_REVIEWS,
                round=r,
            )
            for r in rounds
        ],
        batch_size=2000,
    )
    states = [
        State.PLAN_PENDING,
        State.IN_PROGRESS,
        State.SUBMITTED,
        State.CLOSED,
        State.CLOSED,
        State.VERIFIED,
    ]
    problems = []
    for n, (_, unit_id, at, _) in enumerate(bad):
        r = round_of[(unit_id, period_of(timezone.localtime(at).date(), 3).start)]
        problems.append(
            Problem(
                round=r,
                unit_id=unit_id,
                number=f"差评{n + 1}",
                title="服务窗口：办理时间过长，窗口人员解释不清",
                path=["差评整改", "服务窗口"],
                area="差评整改",
                position=n + 1,
                state=rng.choice(states),
            )
        )
    problems = Problem.objects.bulk_create(problems, batch_size=5000)
    updates = [
        Rating(pk=rid, problem_id=p.pk) for (rid, _, _, _), p in zip(bad, problems, strict=True)
    ]
    Rating.objects.bulk_update(updates, ["problem"], batch_size=5000)
    recorder = get_user_model().objects.get(username="evaluator")
    callbacks = [
        Callback(
            rating_id=rid,
            caller="刘评价",
            called_at=now,
            outcome=rng.choice(list(Callback.Outcome.values)),
            recorded_by=recorder,
        )
        for (rid, _, _, phone), p in zip(bad, problems, strict=True)
        if phone and p.state in (State.SUBMITTED, State.CLOSED, State.VERIFIED)
    ]
    Callback.objects.bulk_create(callbacks, batch_size=5000)
    return {"bad_reviews": len(bad), "rounds": len(rounds), "callbacks": len(callbacks)}


def seed() -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from zhenggai.evaluations.models import Rating
    from zhenggai.orgs.models import Membership, Role, Unit

    rng = random.Random(2026)
    now = timezone.now().replace(microsecond=0)
    started = time.perf_counter()
    with transaction.atomic():
        office = Unit.objects.create(name="市营商办", kind=Unit.Kind.OFFICE, path="")
        office.path = f"/{office.pk}/"
        office.save(update_fields=["path"])
        units = _units(office)
        points = _points(units, rng)
        User = get_user_model()
        evaluator = User.objects.create_user("evaluator", password="bench-password")
        leader = User.objects.create_user("leader", password="bench-password")
        Membership.objects.create(user=evaluator, unit=office, role=Role.EVALUATION_OFFICE)
        Membership.objects.create(user=leader, unit=units[0], role=Role.LEADER)
    inserted = 0
    for batch in _ratings(points, rng, now):
        with transaction.atomic():
            Rating.objects.bulk_create(batch)
        inserted += len(batch)
    ratings_seconds = time.perf_counter() - started
    with transaction.atomic():
        follow_up = _bad_reviews(units, now)
    started_tallies = time.perf_counter()
    with transaction.atomic():
        _tallies()
    tally_seconds = time.perf_counter() - started_tallies
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "version": VERSION,
        "units": len(units),
        "points": len(points),
        "ratings": inserted,
        **follow_up,
        "unit": units[0].pk,
        "seed_ratings_seconds": round(ratings_seconds, 1),
        "seed_tallies_seconds": round(tally_seconds, 1),
    }


def ensure_seeded() -> dict:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from zhenggai.orgs.models import Unit

    sqlite = connection.vendor == "sqlite"
    marker = DATA / "seeded.json"
    if sqlite and marker.exists() and json.loads(marker.read_text()).get("version") == VERSION:
        call_command("migrate", verbosity=0)
        return json.loads(marker.read_text())
    if sqlite:
        import shutil

        shutil.rmtree(DATA, ignore_errors=True)
        DATA.mkdir(parents=True)
    call_command("migrate", verbosity=0)
    if not sqlite and get_user_model().objects.filter(username="evaluator").exists():
        unit = Unit.objects.filter(kind=Unit.Kind.UNIT).order_by("id").first()
        return {"reused": True, "unit": unit.pk}
    info = seed()
    if sqlite:
        marker.write_text(json.dumps(info))
    return info


# Timing


def _time(call, repeat: int = REPEAT) -> dict:
    call()  # warm-up
    call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}


def _pages(client, info, quarter, year) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pages = {
        "home_current": "/evaluations/",
        "home_quarter": f"/evaluations/?period={quarter.key.replace('+', '%2B')}",
        "home_year": f"/evaluations/?period={year.key.replace('+', '%2B')}",
        "unit_quarter": f"/evaluations/units/{info['unit']}/?period={quarter.key.replace('+', '%2B')}",
        "ratings_list": "/evaluations/ratings/",
        "ratings_list_bad_quarter": f"/evaluations/ratings/?level=bad&period={quarter.key.replace('+', '%2B')}",
    }
    out = {}
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url
        out[name] = _time(lambda url=url: client.get(url))
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        out[name]["queries"] = len(queries)
    return out


def measure() -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from zhenggai.evaluations import stats
    from zhenggai.evaluations.models import MonthlyTally, Rating
    from zhenggai.evaluations.values import period_of
    from zhenggai.evaluations.warnings import steering_signs
    from zhenggai.orgs.models import Unit

    settings.ALLOWED_HOSTS = ["*"]
    info = ensure_seeded()
    unit_ids = list(Unit.objects.filter(kind=Unit.Kind.UNIT).values_list("id", flat=True))
    today = timezone.localdate()
    quarter = period_of(today, 3).previous()  # the last whole quarter
    year = period_of(today, 12)  # this calendar year, as the period selector offers it
    out = {"database": connection.vendor, "units": len(unit_ids)}
    for label, period in (("quarter", quarter), ("year", year)):
        start, end = period.bounds()
        out[f"{label}_period"] = period.label
        out[f"{label}_ratings"] = Rating.objects.filter(
            rated_at__gte=start, rated_at__lt=end
        ).count()
        out[f"ranking_{label}"] = _time(lambda p=period: stats.ranking(p, unit_ids))
        out[f"figures_by_unit_{label}"] = _time(
            lambda p=period: stats.figures_by(p, "unit_id", unit_ids)
        )
        out[f"figures_by_point_{label}"] = _time(
            lambda p=period: stats.figures_by(p, "point_id", unit_ids)
        )
        out[f"steering_signs_{label}"] = _time(lambda p=period: steering_signs(p, unit_ids))
    out["monthly_trend"] = _time(lambda: stats.monthly_trend(info["unit"]))
    out["tallies"] = MonthlyTally.objects.count()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="evaluator"))
    out["pages"] = _pages(client, info, quarter, year)
    out["_data"] = info
    return out


def main() -> None:
    if len(sys.argv) == 2 and sys.argv[1] == "--child":
        print(json.dumps(measure(), ensure_ascii=False))
        return
    database = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    print(
        f"measuring the evaluation statistics on {database} (the first run seeds 1,000,000 ratings)"
    )
    run = subprocess.run(
        [sys.executable, __file__, "--child"],
        env=_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if run.returncode:
        sys.exit(run.stderr)
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    print(f"  data: {figures.pop('_data')}")
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[f"evaluation_stats_{database}"] = figures
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
