"""Seed a benchmark database: N problems with 2.5 measures each across 500 units, in bulk."""

import json
import random
import shutil
import time
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from zhenggai.ledger import search
from zhenggai.ledger.models import DeadlineKind, Measure, Problem, ProgressReport, State
from zhenggai.orgs.models import Membership, Role, Unit
from zhenggai.rounds.models import InspectionRound

UNITS = 500
SECTIONS_PER_UNIT = 4
PHRASES = [
    "学习贯彻习近平新时代中国特色社会主义思想不够深入",
    "落实全面从严治党主体责任有差距",
    "优化营商环境工作推进不够有力",
    "政务服务事项办理时限过长",
    "三重一大决策制度执行不严格",
    "财务管理制度落实不到位",
    "干部队伍建设存在短板",
    "上轮巡察整改不彻底",
    "惠企政策宣传解读不到位",
    "专项资金使用绩效不高",
]
STATES = [
    State.PLAN_PENDING,
    State.IN_PROGRESS,
    State.IN_PROGRESS,
    State.SUBMITTED,
    State.LONG_TERM,
    State.CLOSED,
    State.CLOSED,
    State.VERIFIED,
]


RECTIFIED = (State.LONG_TERM, State.CLOSED, State.VERIFIED)
# Bumped when the seeded data changes, so that older bench databases are seeded again.
VERSION = 4


def _bulk(model, objects, batch=5000):
    return model.objects.bulk_create(objects, batch_size=batch)


@transaction.atomic
def seed(problems: int, seed_value: int = 2026) -> dict:
    rng = random.Random(seed_value)
    today = timezone.localdate()
    User = get_user_model()
    office = Unit.objects.create(name="市委巡察办", kind=Unit.Kind.OFFICE, path="")
    office.path = f"/{office.pk}/"
    office.save(update_fields=["path"])
    units = _bulk(
        Unit,
        [
            Unit(name=f"第{n}单位", kind=Unit.Kind.UNIT, parent=office, path="")
            for n in range(UNITS)
        ],
    )
    for unit in units:
        unit.path = f"{office.path}{unit.pk}/"
    Unit.objects.bulk_update(units, ["path"], batch_size=2000)
    sections = _bulk(
        Unit,
        [
            Unit(name=f"科室{k}", kind=Unit.Kind.SECTION, parent=unit, path="")
            for unit in units
            for k in range(SECTIONS_PER_UNIT)
        ],
    )
    for section in sections:
        section.path = f"{office.path}{section.parent_id}/{section.pk}/"
    Unit.objects.bulk_update(sections, ["path"], batch_size=2000)
    inspector = User.objects.create_user("inspector", password="bench-password")
    leader = User.objects.create_user("leader", password="bench-password")
    Membership.objects.create(user=inspector, unit=office, role=Role.INSPECTION_OFFICE)
    Membership.objects.create(user=leader, unit=units[0], role=Role.LEADER)
    rounds = _bulk(
        InspectionRound,
        [
            InspectionRound(
                kind=InspectionRound.Kind.XUNCHA,
                title=f"{u.name}巡察整改",
                inspecting_body="市委第一巡察组",
                unit=u,
                feedback_date=today - timedelta(days=rng.randint(30, 400)),
            )
            for u in units
        ],
    )
    per_round = problems // len(rounds)
    objects = []
    for r in rounds:
        for n in range(per_round):
            title = f"{rng.choice(PHRASES)}（{n + 1}）"
            # Areas in blocks, as a feedback document groups its problems.
            theme = ["政治建设", "营商环境", "作风建设", "整改落实"][n * 4 // per_round]
            area = f"聚焦{theme}方面存在的问题"
            state = rng.choice(STATES)
            due = (
                today + timedelta(days=rng.randint(-60, 120))
                if state not in (State.CLOSED, State.VERIFIED)
                else None
            )
            rectified = state in RECTIFIED
            description = "".join(rng.choice(PHRASES) + "，" for _ in range(3))
            objects.append(
                Problem(
                    round=r,
                    unit_id=r.unit_id,
                    number=str(n + 1),
                    title=title,
                    description=description,
                    path=[area],
                    area=area,
                    position=n + 1,
                    state=state,
                    due_date=due,
                    # Rectified over the past half year, one in four late; one open problem in
                    # ten under a supervision order: what the dashboards read.
                    rectified_on=today - timedelta(days=rng.randint(0, 180)) if rectified else None,
                    rectified_on_time=rng.random() > 0.25 if rectified else None,
                    escalation_level=rng.choice([1, 2, 3])
                    if not rectified and rng.random() < 0.1
                    else 0,
                    search_text=f"{n + 1}\n{title}\n{description}\n{area}",
                )
            )
    created = _bulk(Problem, objects)
    sections_of = {}
    for s in sections:
        sections_of.setdefault(s.parent_id, []).append(s)
    measures = []
    for p in created:
        for k in range(2 if p.pk % 2 else 3):
            measures.append(
                Measure(
                    problem=p,
                    position=k + 1,
                    text=f"针对{p.title}，{rng.choice(PHRASES)}的整改措施",
                    lead_section=rng.choice(sections_of[p.unit_id]),
                    deadline_kind=DeadlineKind.DATE,
                    deadline=p.due_date,
                    lead_leader=leader if p.unit_id == units[0].pk else None,
                )
            )
    created_measures = _bulk(Measure, measures)
    # Every measure has a responsible section; every other problem a progress report.
    through = Measure.responsible_sections.through
    _bulk(
        through,
        [
            through(measure_id=m.pk, unit_id=rng.choice(sections_of[m.problem.unit_id]).pk)
            for m in created_measures
        ],
    )
    _bulk(
        ProgressReport,
        [
            ProgressReport(problem=p, text=f"已{rng.choice(PHRASES)}，正在推进", created_by=leader)
            for p in created[::2]
        ],
    )
    search.rebuild()
    return {
        "version": VERSION,
        "problems": len(created),
        "measures": len(measures),
        "units": len(units),
        "unit": units[0].pk,
        "round": rounds[0].pk,
    }


def ensure_seeded(size: int, directory: Path) -> dict:
    """Seed the database in `directory` (the one Django is configured with) unless it already
    holds this version of the data; migrate it either way. Returns what `seed` returned."""
    marker = directory / "seeded.json"
    if marker.exists() and json.loads(marker.read_text()).get("version") == VERSION:
        call_command("migrate", verbosity=0)  # a seeded database from an older version
        return json.loads(marker.read_text())
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    info = seed(size)
    info["seed_seconds"] = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    marker.write_text(json.dumps(info))
    return info
