"""`make bench`: the monthly assessment at scale (issue 14: scoring one month for 500 units × 20
indicators over 100,000 problems and 1,000,000 ratings under 5 s; the ranking page and a unit's
sheet under 100 ms).

The data: 500 units under one evaluation office in three groups (部门 200, 园区 100, 街道 200), a
scheme per group of 20 indicators (13 computed, covering every metric, some restricted to a kind
of round; 4 entered; 3 imported); 1,000,000 ratings over the 365 days up to today, each 差评 a
problem of its unit's evaluation round; 100,000 problems in all (the rest from 巡察 and 督查
rounds) with their state timelines (`StateSpan`): created over the year, due one to four months
later, most rectified (some late), some long-term, a few withdrawn, the rest open; call backs of
差评 left with a phone number, 3,000 督办单 answered on time, late or not at all, and the history
rows a running system writes with them (one per change of state, one per answer: the 督办单
metric reads answers from there). All of it is inserted in bulk (the problems with bulk_create, the ratings and spans with one executemany per
batch), bypassing the services; no monthly tallies (the assessment reads Rating rows).

Measured in one process, in a transaction rolled back at the end so the seeded database stays as
seeded: `open_month` of the last ended month for the three schemes (500 units, 20 indicators),
`compute_month` of the same, each metric's query over the 500 units, then (after entries, the
imported scores, review, lock and publish) the ranking page (`month_detail`) and a unit's sheet
(`unit_sheet`) through Django's test client, with their queries counted.

SQLite by default, seeded once into bench/data/assessment/ and reused; with DATABASE_URL set
(`scripts/with-postgres python bench/assessment.py`), a database of the bench's own on that
server, seeded when empty. Figures go to bench/results.json as `assessment_<database>`.
"""

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path

from own_database import child_env

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data" / "assessment"
RESULTS = HERE / "results.json"
GROUPS = [("部门", 200), ("园区", 100), ("街道", 200)]
RATINGS = 1_000_000
PROBLEMS = 100_000
ORDERS = 3_000
VERSION = 2
REPEAT = 3
# A query still running after this many seconds is interrupted and reported as such.
CAP = 60
PAGE_REPEAT = 9
BATCH = 10_000


def _env() -> dict:
    return child_env(DATA, "zhenggai_bench_assessment")


# Seeding


def _insert(model, objects: list) -> None:
    """Insert unsaved `objects` with one executemany: bulk_create prepares every value through
    its field, which makes seeding a million rows take minutes on SQLite."""
    from django.db import connection, models

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    ops = connection.ops
    adapt = {
        models.DateTimeField: ops.adapt_datetimefield_value,
        models.DateField: ops.adapt_datefield_value,
    }
    converters = [
        (lambda value, f=f: f.get_db_prep_save(value, connection))
        if isinstance(f, models.JSONField)
        else adapt.get(type(f), lambda value: value)
        for f in fields
    ]
    names = [f.attname for f in fields]
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({marks})"  # nosec B608
    rows = [
        [
            convert(f.pre_save(obj, True) if getattr(f, "auto_now_add", False) else getattr(obj, n))
            for f, convert, n in zip(fields, converters, names, strict=True)
        ]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _units(office) -> list:
    from zhenggai.orgs.models import Unit

    count = sum(size for _, size in GROUPS)
    units = Unit.objects.bulk_create(
        [
            Unit(name=f"第{n + 1}单位", kind=Unit.Kind.UNIT, parent=office, path="")
            for n in range(count)
        ]
    )
    for unit in units:
        unit.path = f"{office.path}{unit.pk}/"
    Unit.objects.bulk_update(units, ["path"], batch_size=2000)
    return units


def _rounds(units) -> dict:
    """Each unit's evaluation, 巡察 and 督查 round: {(unit id, kind): round}."""
    from zhenggai.rounds.models import InspectionRound

    Kind = InspectionRound.Kind
    titles = {Kind.EVALUATION: "差评整改", Kind.XUNCHA: "巡察整改", Kind.SUPERVISION: "督查整改"}
    rounds = InspectionRound.objects.bulk_create(
        [
            InspectionRound(kind=kind, title=f"{u.name}{title}", inspecting_body="市营商办", unit=u)
            for u in units
            for kind, title in titles.items()
        ],
        batch_size=2000,
    )
    return {(r.unit_id, r.kind): r for r in rounds}


class Timeline:
    """One problem's story: created at `start`, due on `due`, and what became of it."""

    def __init__(self, rng, start, now):
        self.start = start
        self.due = (start + timedelta(days=rng.randint(7, 120))).date()
        draw = rng.random()
        self.fate = (
            "rectified"
            if draw < 0.55
            else "long_term"
            if draw < 0.60
            else "withdrawn"
            if draw < 0.63
            else "open"
        )
        # Rectified around the deadline: three in four by it.
        late = rng.random() < 0.25
        offset = rng.randint(1, 30) if late else -rng.randint(0, 20)
        by_due = start + timedelta(days=(self.due - start.date()).days + offset)
        self.closed = max(start + timedelta(days=4), by_due) + timedelta(hours=rng.randint(0, 8))
        self.submitted_once = rng.random() < 0.3
        self.verified = rng.random() < 0.5

    def spans(self, now) -> list[tuple]:
        """(state, due_date, rectified_on, started_at) in order, up to `now`."""
        from zhenggai.ledger.models import State

        approved = self.start + timedelta(days=3)
        out = [(State.PLAN_PENDING, self.due, None, self.start)]
        if self.fate == "withdrawn":
            out.append((State.WITHDRAWN, None, None, self.start + timedelta(days=5)))
        elif self.fate == "open":
            out.append((State.IN_PROGRESS, self.due, None, approved))
            if self.submitted_once:
                submitted = self.closed - timedelta(days=2)
                out.append((State.SUBMITTED, self.due, None, submitted))
        else:
            closed = max(self.closed, approved + timedelta(days=3))
            out.append((State.IN_PROGRESS, self.due, None, approved))
            out.append((State.SUBMITTED, self.due, None, closed - timedelta(days=2)))
            day = closed.date()
            final = State.CLOSED if self.fate == "rectified" else State.LONG_TERM
            out.append((final, None, day, closed))
            if self.fate == "rectified" and self.verified:
                out.append((State.VERIFIED, None, day, closed + timedelta(days=10)))
        return [span for span in out if span[3] < now]


def _problem(round, unit_id, number, timeline, now):
    from zhenggai.ledger.models import Problem

    spans = timeline.spans(now)
    state, due, rectified_on, changed = spans[-1]
    return Problem(
        round=round,
        unit_id=unit_id,
        number=str(number),
        title="服务窗口：办理时间过长，窗口人员解释不清"
        if round.kind == "evaluation"
        else "优化营商环境工作推进不够有力",
        path=["整改"],
        area="整改",
        position=number,
        state=state,
        state_changed_at=changed,
        due_date=due,
        rectified_on=rectified_on,
        rectified_on_time=None if rectified_on is None else rectified_on <= timeline.due,
        unassigned=False,
        search_text="",
    )


def _events(spans) -> list:
    """The history a running system writes with a timeline: a row for each change of state."""
    from zhenggai.ledger.models import Event

    return [
        Event(
            round_id=span.problem_round_id,
            problem_id=span.problem_id,
            at=span.started_at,
            action="created"
            if n == 0 or span.started_at == spans[n - 1].started_at
            else "transition",
            object_type="problem",
            object_id=span.problem_id,
            changes={"状态": [None, span.state]},
        )
        for n, span in enumerate(spans)
    ]


def _span_rows(problem, timeline, now) -> list:
    from zhenggai.ledger.models import StateSpan

    spans = timeline.spans(now)
    rows = []
    for n, (state, due, rectified_on, started) in enumerate(spans):
        rows.append(
            StateSpan(
                problem_id=problem.pk,
                unit_id=problem.unit_id,
                round_kind=problem.round.kind,
                state=state,
                due_date=due,
                rectified_on=rectified_on,
                rectified_on_time=None if rectified_on is None else rectified_on <= timeline.due,
                started_at=started,
                ended_at=spans[n + 1][3] if n + 1 < len(spans) else None,
            )
        )
        rows[-1].problem_round_id = problem.round_id
    return rows


def _ratings_and_bad_reviews(units, points, rounds, rng, now, recorder) -> dict:
    """The ratings in time order, batch by batch; each 差评's problem made first, with its
    timeline, and a call back for one with a phone once its problem was rectified."""
    from django.utils import timezone

    from zhenggai.evaluations.models import Callback, Rating
    from zhenggai.evaluations.values import Channel
    from zhenggai.ledger.models import Event, Problem, StateSpan

    quality = {u.pk: rng.random() for u in units}
    start = now - timedelta(days=365)
    step = timedelta(days=365) / RATINGS
    made = {"ratings": 0, "bad_reviews": 0, "callbacks": 0, "spans": 0}
    numbers = {}
    for first in range(0, RATINGS, BATCH):
        batch, bad = [], []
        for n in range(first, min(first + BATCH, RATINGS)):
            point = points[rng.randrange(len(points))]
            draw = rng.random()
            level = (
                rng.choice((1, 2))
                if draw < 0.03 * (1.5 - quality[point.unit_id])
                else 5
                if draw < 0.55 + 0.35 * quality[point.unit_id]
                else rng.choice((3, 4, 4))
            )
            rating = Rating(
                point_id=point.pk,
                unit_id=point.unit_id,
                level=level,
                channel=Channel.QR,
                rated_at=start + step * n,
                comment="办理时间过长，窗口人员解释不清" if level <= 2 else "",
                phone=f"139{n % 10**8:08d}" if level <= 2 and rng.random() < 0.33 else "",
                client_hash=f"{rng.getrandbits(64):016x}",
                device_hash=f"{rng.getrandbits(128):032x}",
            )
            batch.append(rating)
            if level <= 2:
                bad.append((rating, Timeline(rng, rating.rated_at, now)))
        problems = []
        for rating, timeline in bad:
            round = rounds[(rating.unit_id, "evaluation")]
            numbers[round.pk] = numbers.get(round.pk, 0) + 1
            problems.append(_problem(round, rating.unit_id, numbers[round.pk], timeline, now))
        problems = Problem.objects.bulk_create(problems)
        spans = []
        for (rating, timeline), problem in zip(bad, problems, strict=True):
            rating.problem_id = problem.pk
            spans.extend(_span_rows(problem, timeline, now))
        _insert(Rating, batch)
        _insert(StateSpan, spans)
        _insert(Event, _events(spans))
        made["ratings"] += len(batch)
        made["bad_reviews"] += len(bad)
        made["spans"] += len(spans)
    rated = Rating.objects.filter(problem__isnull=False).exclude(phone="")
    callbacks = []
    for rating_id, rectified_on in rated.values_list("id", "problem__rectified_on"):
        if rectified_on is None or rng.random() >= 0.8:
            continue
        called = timezone.make_aware(datetime.combine(rectified_on + timedelta(days=2), clock(10)))
        if called < now:
            callbacks.append(
                Callback(
                    rating_id=rating_id,
                    caller="刘评价",
                    called_at=called,
                    outcome=rng.choice(list(Callback.Outcome.values)),
                    recorded_by=recorder,
                )
            )
    Callback.objects.bulk_create(callbacks, batch_size=5000)
    made["callbacks"] = len(callbacks)
    made["_numbers"] = numbers
    return made


def _other_problems(units, rounds, rng, now, count, numbers) -> int:
    """巡察 and 督查 problems created over the year, with their timelines."""
    from zhenggai.ledger.models import Event, Problem, StateSpan

    spans_made = 0
    for first in range(0, count, BATCH):
        pairs = []
        for _ in range(min(BATCH, count - first)):
            unit = units[rng.randrange(len(units))]
            kind = "xuncha" if rng.random() < 0.6 else "supervision"
            round = rounds[(unit.pk, kind)]
            numbers[round.pk] = numbers.get(round.pk, 0) + 1
            start = now - timedelta(days=rng.uniform(1, 365))
            timeline = Timeline(rng, start, now)
            pairs.append((_problem(round, unit.pk, numbers[round.pk], timeline, now), timeline))
        problems = Problem.objects.bulk_create([p for p, _ in pairs])
        spans = [
            row
            for problem, (_, timeline) in zip(problems, pairs, strict=True)
            for row in _span_rows(problem, timeline, now)
        ]
        _insert(StateSpan, spans)
        _insert(Event, _events(spans))
        spans_made += len(spans)
    return spans_made


def _orders(rng, now, issuer) -> int:
    """督办单 on problems open at some time, due a week after issue, most answered."""
    from zhenggai.ledger.models import Event, Problem, StateSpan
    from zhenggai.orgs.models import Role
    from zhenggai.supervision.history import Action
    from zhenggai.supervision.models import Escalation

    spans = list(
        StateSpan.objects.filter(state="in_progress")
        .order_by("?")
        .values_list("problem_id", "started_at")[:ORDERS]
    )
    orders = []
    for problem_id, started in spans:
        issued = started + timedelta(days=rng.randint(1, 20))
        if issued >= now:
            continue
        due = (issued + timedelta(days=7)).date()
        draw = rng.random()
        answered = (
            issued + timedelta(days=rng.randint(1, 6))
            if draw < 0.6
            else issued + timedelta(days=rng.randint(8, 20))
            if draw < 0.85
            else None
        )
        if answered is not None and answered >= now:
            answered = None
        orders.append(
            Escalation(
                problem_id=problem_id,
                level=rng.choice(Escalation.Level.values),
                demand="请于期限内报告整改进展。",
                due_on=due,
                status=Escalation.Status.ANSWERED if answered else Escalation.Status.OPEN,
                issued_by=issuer,
                issued_at=issued,
                issued_as=Role.EVALUATION_OFFICE,
                answer="已落实。" if answered else "",
                answered_by=issuer if answered else None,
                answered_at=answered,
            )
        )
    orders = Escalation.objects.bulk_create(orders, batch_size=5000)
    rounds = dict(
        Problem.objects.filter(pk__in=[o.problem_id for o in orders]).values_list("pk", "round_id")
    )
    # The 督办单 metric reads when an answer was given from the history, as the service writes it.
    _insert(
        Event,
        [
            Event(
                round_id=rounds[o.problem_id],
                problem_id=o.problem_id,
                actor=issuer,
                at=o.answered_at,
                action=Action.ANSWERED,
                object_type=Escalation._meta.model_name,
                object_id=o.pk,
                changes={"督办单": ["待答复", "已答复"]},
            )
            for o in orders
            if o.answered_at
        ],
    )
    return len(orders)


INDICATORS = [
    # (section, name, kind, metric, round kinds, points, extra)
    (
        "市级考核双评议",
        "好评率",
        "computed",
        "good_rate",
        [],
        10,
        {"target": "0.95", "deduct_per": "0.5"},
    ),
    ("市级考核双评议", "评价数量", "computed", "rating_count", [], 5, {"target": "150"}),
    ("企业诉求反馈", "差评整改率", "computed", "bad_rectified_rate", [], 5, {}),
    ("企业诉求反馈", "回访率", "computed", "callback_rate", [], 5, {}),
    ("八项重要指标推进情况", "按期整改率", "computed", "on_time_rate", [], 8, {}),
    ("八项重要指标推进情况", "巡察按期整改率", "computed", "on_time_rate", ["xuncha"], 5, {}),
    ("八项重要指标推进情况", "差评按期整改率", "computed", "on_time_rate", ["evaluation"], 4, {}),
    ("八项重要指标推进情况", "整改完成率", "computed", "rectified_rate", [], 5, {}),
    (
        "八项重要指标推进情况",
        "督查整改完成率",
        "computed",
        "rectified_rate",
        ["supervision"],
        4,
        {},
    ),
    ("八项重要指标推进情况", "逾期问题", "computed", "overdue", [], 5, {"deduct_per": "0.5"}),
    ("八项重要指标推进情况", "督查逾期问题", "computed", "overdue", ["supervision"], 3, {}),
    ("日常工作", "督办单按时答复率", "computed", "orders_on_time", [], 5, {}),
    ("日常工作", "巡察督办单按时答复率", "computed", "orders_on_time", ["xuncha"], 3, {}),
    ("三方考评", "第三方考评", "imported", "", [], 10, {}),
    ("三方考评", "企业座谈", "imported", "", [], 4, {}),
    ("三方考评", "群众扫码", "imported", "", [], 4, {}),
    ("政策兑现", "政策兑现", "entered", "", [], 4, {}),
    ("日常督查", "日常督查", "entered", "", [], 5, {}),
    ("日常督查", "工作简报信息", "entered", "", [], 2, {}),
    ("加分项", "创新做法", "entered", "", [], 4, {"starts_full": False}),
]


def _schemes(office, units, evaluator, year) -> list:
    from zhenggai.assessments.services import schemes

    made, offset = [], 0
    for name, size in GROUPS:
        group = schemes.save_group(
            office, by=evaluator, name=name, units=units[offset : offset + size]
        )
        offset += size
        scheme = schemes.create_scheme(
            group, by=evaluator, year=year, title=f"{year}年优化营商环境工作考核办法（{name}）"
        )
        version = scheme.versions.get()
        for section, title, kind, metric, kinds, points, extra in INDICATORS:
            values = {k: Decimal(v) if isinstance(v, str) else v for k, v in extra.items()}
            schemes.save_indicator(
                version,
                by=evaluator,
                section=section,
                name=title,
                kind=kind,
                metric=metric,
                round_kinds=kinds,
                points=Decimal(points),
                **values,
            )
        schemes.issue_version(version, by=evaluator)
        made.append(scheme)
    return made


def _first_unit() -> int:
    from zhenggai.orgs.models import Unit

    return Unit.objects.filter(kind=Unit.Kind.UNIT).order_by("pk").values_list("pk", flat=True)[0]


def _last_month():
    from django.utils import timezone

    from zhenggai.ledger.schedule import add_months

    return add_months(timezone.localdate().replace(day=1), -1)


def seed() -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from zhenggai.evaluations.models import RatingPoint
    from zhenggai.evaluations.values import Mode
    from zhenggai.orgs.models import Membership, Role, Unit

    rng = random.Random(2026)
    now = timezone.now().replace(microsecond=0)
    started = time.perf_counter()
    with transaction.atomic():
        office = Unit.objects.create(name="市营商办", kind=Unit.Kind.OFFICE, path="")
        office.path = f"/{office.pk}/"
        office.save(update_fields=["path"])
        units = _units(office)
        User = get_user_model()
        evaluator = User.objects.create_user("evaluator", password="bench-password")
        leader = User.objects.create_user("leader", password="bench-password")
        Membership.objects.create(user=evaluator, unit=office, role=Role.EVALUATION_OFFICE)
        Membership.objects.create(user=leader, unit=units[0], role=Role.LEADER)
        points = RatingPoint.objects.bulk_create(
            [
                RatingPoint(
                    unit=u,
                    kind="window",
                    name=f"{u.name}服务窗口{k + 1}",
                    mode=Mode.ON_SITE,
                    code=f"a{u.pk:05d}{k}{rng.randrange(10**6):06d}"[:16],
                )
                for u in units
                for k in range(2)
            ]
        )
        rounds = _rounds(units)
        made = _ratings_and_bad_reviews(units, points, rounds, rng, now, evaluator)
        numbers = made.pop("_numbers")
        others = PROBLEMS - made["bad_reviews"]
        made["spans"] += _other_problems(units, rounds, rng, now, others, numbers)
        made["problems"] = PROBLEMS
        made["orders"] = _orders(rng, now, evaluator)
        _schemes(office, units, evaluator, _last_month().year)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "version": VERSION,
        "units": len(units),
        **made,
        "unit": units[0].pk,
        "seed_seconds": round(time.perf_counter() - started, 1),
    }


def ensure_seeded() -> dict:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "sqlite":
        call_command("migrate", verbosity=0)
        if get_user_model().objects.filter(username="evaluator").exists():
            return {"reused": True, "unit": _first_unit()}
        return seed() | {"year": _last_month().year}
    marker = DATA / "seeded.json"
    if marker.exists():
        info = json.loads(marker.read_text())
        if info.get("version") == VERSION and info.get("year") == _last_month().year:
            call_command("migrate", verbosity=0)
            return info
    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True)
    call_command("migrate", verbosity=0)
    info = seed() | {"year": _last_month().year}
    marker.write_text(json.dumps(info))
    return info


# Timing


def _median(times: list[float]) -> dict:
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}


def _timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


class TooSlow(Exception):
    pass


def _capped(call, seconds: int = CAP):
    """Run `call`, its queries interrupted after `seconds` (TooSlow): one query that scans far
    too much must not keep `make bench` running for an hour."""
    from django.db import connection, transaction
    from django.db.utils import OperationalError

    started = time.perf_counter()
    connection.ensure_connection()
    try:
        with transaction.atomic():
            if connection.vendor == "sqlite":
                raw = connection.connection
                raw.set_progress_handler(lambda: time.perf_counter() - started > seconds, 100_000)
            else:
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL statement_timeout = {seconds * 1000}")
            return call()
    except OperationalError as error:
        raise TooSlow(str(error)) from error
    finally:
        if connection.vendor == "sqlite":
            connection.connection.set_progress_handler(None, 0)


def _metrics(unit_ids, month, indicators) -> dict:
    """Each metric's query over the units, once under the cap, then the median of three."""
    from zhenggai.assessments import metrics

    by_metric = {}
    for metric, kinds in sorted({(i.metric, tuple(i.round_kinds)) for i in indicators}):
        if not metric:
            continue
        label = metric + ("_" + "_".join(kinds) if kinds else "")

        def call(m=metric, k=kinds):
            return metrics.compute(m, unit_ids, month, list(k))

        try:
            _capped(call)
        except TooSlow:
            by_metric[label] = f"over {CAP} s: interrupted"
            continue
        by_metric[label] = _median([_timed(call) for _ in range(3)])["median_ms"]
    return by_metric


def _scoring(schemes, evaluator, month) -> dict:
    """Each metric's query, then open_month and compute_month of `month` for every scheme."""
    from django.db import transaction

    from zhenggai.assessments.models import Indicator
    from zhenggai.assessments.services import months

    unit_ids = [u for s in schemes for u in s.group.units.values_list("pk", flat=True)]
    indicators = Indicator.objects.filter(version__scheme=schemes[0])
    out = {"metric_query_ms_500_units": _metrics(unit_ids, month, indicators)}
    if any(isinstance(v, str) for v in out["metric_query_ms_500_units"].values()):
        out["open_month_500_units"] = "not measured: a metric's query is over the cap"
        return out, None
    opened = []
    for _ in range(REPEAT):
        with transaction.atomic():
            opened.append(
                _timed(lambda: [months.open_month(s, month, by=evaluator) for s in schemes])
            )
            transaction.set_rollback(True)
    out["open_month_500_units"] = _median(opened)
    kept = [months.open_month(s, month, by=evaluator) for s in schemes]
    out["compute_month_500_units"] = _median(
        [
            _timed(lambda: [months.compute_month(m, by=evaluator) for m in kept])
            for _ in range(REPEAT)
        ]
    )
    biggest = kept[0]
    out["compute_month_200_units"] = _median(
        [_timed(lambda: months.compute_month(biggest, by=evaluator)) for _ in range(REPEAT)]
    )
    out["scores"] = sum(m.scores.count() for m in kept)
    out["computed_scores_with_data"] = sum(
        m.scores.filter(indicator__kind="computed", value__isnull=False).count() for m in kept
    )
    return out, kept


def _publish(kept, evaluator, rng) -> dict:
    """Entries on a tenth of the units, every imported score, review, lock and publish."""
    from zhenggai.assessments.services import months
    from zhenggai.orgs.models import Unit

    started = time.perf_counter()
    entered = 0
    for month in kept:
        indicators = {i.name: i for i in month.version.indicators.all()}
        units = list(Unit.objects.filter(assessment_groups=month.scheme.group).order_by("pk"))
        for unit in units[::10]:
            months.add_entry(
                month,
                unit,
                indicators["日常督查"],
                by=evaluator,
                amount=Decimal("-0.5"),
                reason="电话接听不及时",
                occurred_on=month.month + timedelta(days=3),
            )
            entered += 1
    entries_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    for month in kept:
        units = list(month.scheme.group.units.values_list("pk", flat=True))
        for indicator in month.version.indicators.filter(kind="imported"):
            scores = {u: Decimal(rng.randrange(50, 100)) * indicator.cap / 100 for u in units}
            months.set_imported(month, indicator, scores, by=evaluator, source="bench.xlsx")
    imports_ms = (time.perf_counter() - started) * 1000
    for month in kept:
        months.review(month, by=evaluator)
        months.lock(month, by=evaluator)
        months.publish(month, by=evaluator)
    return {
        "entries": entered,
        "add_entry_each_ms": round(entries_ms / entered, 1),
        "set_imported_1500_scores_ms": round(imports_ms, 1),
    }


def _pages(kept, info) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    month = kept[0]
    unit = info["unit"]
    try:
        pages = {
            "ranking_page_200_units": ("evaluator", reverse("month_detail", args=[month.pk])),
            "unit_sheet": ("evaluator", reverse("unit_sheet", args=[month.pk, unit])),
            "unit_sheet_as_its_leader": ("leader", reverse("unit_sheet", args=[month.pk, unit])),
        }
    except NoReverseMatch:
        return {"pages": "the month pages are not there yet"}
    out = {}
    User = get_user_model()
    for name, (username, url) in pages.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        client.get(url)
        out[name] = _median([_timed(lambda c=client, u=url: c.get(u)) for _ in range(PAGE_REPEAT)])
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        out[name]["queries"] = len(queries)
    return out


def measure() -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from zhenggai.assessments.models import Scheme

    settings.ALLOWED_HOSTS = ["*"]
    info = ensure_seeded()
    evaluator = get_user_model().objects.get(username="evaluator")
    month = _last_month()
    out = {"database": connection.vendor, "month": month.isoformat()}
    with transaction.atomic():
        schemes = list(Scheme.objects.filter(year=month.year).order_by("group__position"))
        figures, kept = _scoring(schemes, evaluator, month)
        out.update(figures)
        if kept:
            out.update(_publish(kept, evaluator, random.Random(5)))
            out.update(_pages(kept, info))
        transaction.set_rollback(True)  # the seeded database stays as seeded
    out["_data"] = info
    return out


def main() -> None:
    if len(sys.argv) == 2 and sys.argv[1] == "--child":
        print(json.dumps(measure(), ensure_ascii=False))
        return
    database = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    print(f"measuring the monthly assessment on {database} (the first run seeds 1,000,000 ratings)")
    run = subprocess.run(
        [sys.executable, __file__, "--child"], env=_env(), cwd=ROOT, capture_output=True, text=True
    )
    if run.returncode:
        sys.exit(run.stderr)
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    print(f"  data: {figures.pop('_data')}")
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[f"assessment_{figures['database']}"] = figures
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
