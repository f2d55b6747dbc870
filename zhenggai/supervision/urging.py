"""催办单 issued by the system: when the daily reminder run finds a measure so late that it goes to
its responsible leader (ESCALATE_LEADER_WORKDAYS working days), it also issues one 催办单 on that
measure, in the unit's own numbering, as the unit's rectification office would.

Only a reminder that has just escalated is urged: a measure late by ESCALATE_LEADER_WORKDAYS up
to that plus URGE_WITHIN_WORKDAYS working days (the days a stopped worker may need to catch up);
a measure late long before (say on the day the system is installed) is left to the offices,
rather than urged by the thousand at once. AUTO_URGE (ZHENGGAI_AUTO_URGE) turns it off.
At most one 催办单 not yet closed stands on a measure (one issued by hand counts too); once it
is closed and the measure is still within that window, the next run issues another. The run calls
`issue_due_urgings` in the transaction that marks the day planned (`reminders.runs`), so a day
planned again, or by two workers at once, never issues twice; the measures are locked before
they are checked, so two runs of different days cannot both urge one measure.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from zhenggai.ledger.history import write
from zhenggai.ledger.models import DeadlineKind, Event, Measure
from zhenggai.lib.dates import cn_date
from zhenggai.lib.workdays import Calendar
from zhenggai.orgs.models import Role, Unit
from zhenggai.supervision import numbering
from zhenggai.supervision.history import Action
from zhenggai.supervision.models import Escalation
from zhenggai.supervision.reminders.items import short
from zhenggai.supervision.reminders.planner import PLANNED_STATES

# Working days the unit has to answer a 催办单 of the system: within the reminders' horizon
# (REMIND_BEFORE_WORKDAYS, 3 by default), so the day's digest lists it at once.
ANSWER_WORKDAYS = 3
SYSTEM = "系统自动催办"
CHUNK = 500

FIELDS = (
    "id",
    "text",
    "deadline_kind",
    "deadline",
    "problem_id",
    "problem__unit_id",
    "problem__round_id",
    "problem__round__unit_id",
    "problem__round__feedback_date",
)


def open_urging():
    """A 催办单 not yet closed on the measure of the outer query."""
    return Escalation.objects.filter(measure=OuterRef("pk"), kind=Escalation.Kind.URGE).exclude(
        status=Escalation.Status.CLOSED
    )


def _late_measures(today: date):
    """Unfinished measures of problems being rectified whose date has passed, with no 催办单
    standing on them."""
    immediate_before = today - timedelta(days=settings.IMMEDIATE_DUE_DAYS)
    return (
        Measure.objects.filter(
            withdrawn=False, completed_on__isnull=True, problem__state__in=PLANNED_STATES
        )
        .filter(
            Q(deadline_kind=DeadlineKind.DATE, deadline__lt=today)
            | Q(
                deadline_kind=DeadlineKind.IMMEDIATE,
                problem__round__feedback_date__lt=immediate_before,
            )
        )
        .exclude(Exists(open_urging()))
    )


def _due(row: tuple) -> date:
    _, _, kind, deadline, *_, feedback = row
    if kind == DeadlineKind.IMMEDIATE:
        return feedback + timedelta(days=settings.IMMEDIATE_DUE_DAYS)
    return deadline


def due_urgings(today: date, calendar: Calendar) -> list[tuple[tuple, date, int]]:
    """Each measure whose reminder has just escalated to its leader: late on `today` by
    ESCALATE_LEADER_WORKDAYS working days, or by up to URGE_WITHIN_WORKDAYS more (a deadline on
    a rest day runs to the next working day), with its due date and lateness."""
    first = settings.ESCALATE_LEADER_WORKDAYS
    last = first + settings.URGE_WITHIN_WORKDAYS
    late_by: dict[date, int] = {}
    found = []
    for row in _late_measures(today).values_list(*FIELDS).order_by("problem_id", "position", "id"):
        due = _due(row)
        if due not in late_by:
            effective = calendar.add(due, 0)
            late_by[due] = calendar.between(effective, today) if effective < today else -1
        late = late_by[due]
        if late >= 0 and first <= late <= last:
            found.append((row, due, late))
    return found


def _still_due(rows: list) -> list:
    """Lock the measures, then keep those no 催办单 stands on now (another run may have urged
    one since they were read: a fresh statement sees what it committed)."""
    kept = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        ids = [row[0][0] for row in chunk]
        list(Measure.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
        free = set(
            Measure.objects.filter(pk__in=ids)
            .exclude(Exists(open_urging()))
            .values_list("pk", flat=True)
        )
        kept.extend(row for row in chunk if row[0][0] in free)
    return kept


def demand_for(text: str, due: date, late: int, answer_by: date) -> str:
    return (
        f"措施“{short(text, 80)}”整改时限为{cn_date(due)}，已逾期{late}个工作日。"
        f"请于{cn_date(answer_by)}前书面报告整改进展和未按期完成的原因，并抓紧整改。"
    )


def issue_due_urgings(today: date, calendar: Calendar) -> list[Escalation]:
    """Issue one 催办单 of the system on each measure due one (see the module's docstring);
    the orders are numbered per unit in one step each. Call it inside the run's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("issue_due_urgings must run inside the reminder run's transaction")
    if not settings.AUTO_URGE:
        return []
    rows = _still_due(due_urgings(today, calendar))
    if not rows:
        return []
    answer_by = calendar.add(today, ANSWER_WORKDAYS)
    year = timezone.localdate().year
    by_unit = defaultdict(list)
    for row in rows:
        by_unit[row[0][5]].append(row)
    units = Unit.objects.in_bulk(list(by_unit))
    orders = []
    for unit_id, unit_rows in by_unit.items():
        serials = numbering.next_serials(units[unit_id], Escalation.Kind.URGE, year, len(unit_rows))
        for (row, due, late), serial in zip(unit_rows, serials, strict=True):
            orders.append(_order(row, due, late, answer_by, year, serial))
    orders = Escalation.objects.bulk_create(orders, batch_size=CHUNK)
    _record(orders, {row[0][0]: row[0][6] for row in rows}, {row[0][6]: row[0][7] for row in rows})
    return orders


def _order(row: tuple, due: date, late: int, answer_by: date, year: int, serial: int):
    measure_id, text, _, _, problem_id, unit_id, *_ = row
    return Escalation(
        problem_id=problem_id,
        measure_id=measure_id,
        kind=Escalation.Kind.URGE,
        office_id=unit_id,
        year=year,
        serial=serial,
        level=Escalation.Level.SUPERVISE,
        demand=demand_for(text, due, late, answer_by),
        due_on=answer_by,
        issued_by=None,
        issued_as=Role.RECTIFICATION_OFFICE,
    )


def _record(orders: list[Escalation], rounds: dict[int, int], units: dict[int, int]) -> None:
    """One history row per order, as `ledger.history.record` writes it, by nobody (the system),
    each linked to its unit's history chain. `rounds` maps measures to rounds, `units` rounds
    to their units."""
    write(
        [
            Event(
                round_id=rounds[order.measure_id],
                problem_id=order.problem_id,
                actor=None,
                action=Action.ESCALATED,
                object_type=Escalation._meta.model_name,
                object_id=order.pk,
                changes={
                    "编号": ["", f"催办单{order.number}"],
                    "答复期限": ["", str(order.due_on)],
                    "下发": ["", SYSTEM],
                },
                note=order.demand,
            )
            for order in orders
        ],
        units=units,
    )
