"""The dashboard by date: problems rectified week by week, and the problems next due."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count

from zhenggai.ledger.models import OPEN_STATES, State
from zhenggai.supervision.dashboard.figures import Drill, Figure, percent

WEEKS = 16
LIST_SIZE = 15


@dataclass(frozen=True)
class Week:
    start: date
    end: date
    done: Figure
    cumulative: Figure
    rate: float


def trend(problems, today: date, total: int, drill: Drill) -> list[Week]:
    """Problems rectified per week (Monday to Sunday) over the last WEEKS weeks, and how many
    had been rectified by the end of each, of all problems counted now."""
    start = today - timedelta(days=today.weekday() + 7 * (WEEKS - 1))
    earlier, done = _rectified_per_week(problems, start)
    weeks, cumulative = [], earlier
    for k in range(WEEKS):
        monday = start + timedelta(weeks=k)
        sunday = monday + timedelta(days=6)
        cumulative += done[k]
        weeks.append(
            Week(
                start=monday,
                end=sunday,
                done=Figure(done[k], drill.url(rectified_after=monday, rectified_before=sunday)),
                cumulative=Figure(cumulative, drill.url(rectified_before=sunday)),
                rate=percent(cumulative, total),
            )
        )
    return weeks


def _rectified_per_week(problems, start: date) -> tuple[int, list[int]]:
    """Problems rectified before `start`, and in each of the WEEKS weeks from it."""
    end = start + timedelta(weeks=WEEKS, days=-1)
    daily = (
        problems.filter(rectified_on__lte=end)
        .order_by()
        .values_list("rectified_on")
        .annotate(n=Count("id"))
    )
    done, earlier = [0] * WEEKS, 0
    for day, n in daily:
        if day < start:
            earlier += n
        else:
            done[(day - start).days // 7] += n
    return earlier, done


def listed(problems, today: date) -> list[dict]:
    """The first LIST_SIZE problems by due date, with their state's label and the days from
    today to the due date (negative when overdue).

    One query per open state, each read in order from the (state, due date) index and stopped
    after LIST_SIZE rows: one query over all of them would sort every match first.
    """
    fields = ("id", "number", "title", "unit__name", "due_date", "state")
    rows = []
    for state in OPEN_STATES:
        found = problems.filter(state=state).values(*fields).order_by("due_date", "id")
        rows.extend(found[:LIST_SIZE])
    rows = sorted(rows, key=lambda row: (row["due_date"], row["id"]))[:LIST_SIZE]
    for row in rows:
        row["state_label"] = State(row["state"]).label
        row["days"] = (row["due_date"] - today).days
        row["days_late"] = -row["days"]
    return rows
