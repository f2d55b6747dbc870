"""The dashboard's counts: per unit (for the KPIs and the ranking) and per area, each pass one
GROUP BY query over a covering index."""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Q, Sum

from zhenggai.ledger.models import CLOSED_STATES, OPEN_STATES, State, Warning
from zhenggai.supervision.dashboard.figures import (
    COUNTED,
    RECTIFIED,
    UNFINISHED,
    Drill,
    Figure,
)

COUNTS = (
    "problems",
    "rectified",
    "closed_out",
    "long_term",
    "unfinished",
    "overdue",
    "due_soon",
    "escalated",
    "on_time",
    "late",
    "percent_sum",  # the counted problems' completion percentages, summed
)

# The counts that follow from a problem's state alone (withdrawn problems count in none).
BY_STATE = {
    "problems": COUNTED,
    "rectified": RECTIFIED,
    "closed_out": CLOSED_STATES,
    "long_term": (State.LONG_TERM,),
    "unfinished": UNFINISHED,
}

# The ledger filters behind each KPI.
KPI_FILTERS = {
    "problems": {"state": COUNTED},
    "rectified": {"state": RECTIFIED},
    "closed_out": {"state": CLOSED_STATES},
    "long_term": {"state": State.LONG_TERM},
    "unfinished": {"state": UNFINISHED},
    "overdue": {"warning": Warning.RED, "sort": "due"},
    "due_soon": {"warning": Warning.YELLOW, "sort": "due"},
    "escalated": {"escalation": 1},
    "on_time": {"on_time": "true"},
    "late": {"warning": Warning.RED, "state": UNFINISHED, "sort": "due"},
}


def count_problems(problems, today: date) -> tuple[list[dict], dict]:
    """Everything the KPIs, the ranking and the areas count, in three narrow passes.

    Per unit and state: problems, on-time and escalated ones, read from the covering index
    `problem_unit_state`; the open problems overdue or due soon, a range of the same index;
    per area and state from `problem_area_state`. Each count costs SQLite a little for every
    row it scans, so the deadline counts are taken only over the rows they concern. The rest
    follows from the state in Python. Returns the counts per unit, the problems per area
    and state (withdrawn ones left out), and the sum of their completion per area.
    """
    units = _per_unit(problems)
    _add_deadlines(units, problems, today)
    return list(units.values()), *_per_area(problems)


def _blank(unit_id: int) -> dict:
    return {"unit_id": unit_id, **dict.fromkeys(COUNTS, 0)}


def _per_unit(problems) -> dict[int, dict]:
    """The counts of each unit that its problems' states and flags give."""
    units: dict[int, dict] = {}
    rows = (
        problems.order_by()
        .values_list("unit_id", "state")
        .annotate(
            n=Count("id"),
            on_time=Count("id", filter=Q(rectified_on_time=True)),
            escalated=Count("id", filter=Q(escalation_level__gte=1)),
            percent=Sum("percent"),
        )
    )
    for unit_id, state, n, on_time, escalated, percent in rows:
        u = units.get(unit_id) or units.setdefault(unit_id, _blank(unit_id))
        u["escalated"] += escalated
        u["on_time"] += on_time
        if state == State.WITHDRAWN:
            continue
        u["percent_sum"] += percent or 0
        for name, states in BY_STATE.items():
            if state in states:
                u[name] += n
    return units


def _add_deadlines(units: dict[int, dict], problems, today: date) -> None:
    """Add each unit's open problems overdue, due soon, and unfinished past their deadline."""
    soon = today + timedelta(days=settings.WARNING_DUE_SOON_DAYS)
    dues = (
        problems.filter(state__in=OPEN_STATES, due_date__lte=soon)
        .order_by()
        .values_list("unit_id", "state")
        .annotate(
            overdue=Count("id", filter=Q(due_date__lt=today)),
            due_soon=Count("id", filter=Q(due_date__gte=today)),
        )
    )
    for unit_id, state, overdue, due_soon in dues:
        u = units[unit_id]
        u["overdue"] += overdue
        u["due_soon"] += due_soon
        if state in UNFINISHED:
            u["late"] += overdue


def _per_area(problems) -> tuple[dict, dict]:
    """{area or None: {state: problems}} and {area or None: their completion summed},
    withdrawn problems left out."""
    areas: dict = defaultdict(lambda: defaultdict(int))
    sums: dict = defaultdict(int)
    by_area = (
        problems.exclude(state=State.WITHDRAWN)
        .order_by()
        .values_list("area", "state")
        .annotate(n=Count("id"), percent=Sum("percent"))
    )
    for area, state, n, percent in by_area:
        areas[area or None][state] += n
        sums[area or None] += percent or 0
    return areas, sums


def kpi_figures(units: list[dict], drill: Drill) -> dict[str, Figure]:
    return {
        name: Figure(sum(u[name] for u in units), drill.url(**filters))
        for name, filters in KPI_FILTERS.items()
    }
