"""What every part of the dashboard is made of: figures that link to the ledger rows they count,
the states they count, and the segments of the stacked state charts."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from zhenggai.ledger.models import CLOSED_STATES, State

# Counted problems: all but the withdrawn ones.
COUNTED = tuple(s for s in State if s != State.WITHDRAWN)
RECTIFIED = (State.CLOSED, State.VERIFIED, State.LONG_TERM)
UNFINISHED = (State.PLAN_PENDING, State.IN_PROGRESS, State.SUBMITTED)


@dataclass(frozen=True, slots=True)
class Figure:
    """A count and the ledger URL of exactly the problems counted ("" when there is none)."""

    value: int
    url: str = ""


@dataclass(frozen=True)
class Group:
    """One segment of the stacked state charts."""

    key: str
    label: str
    states: tuple[str, ...]
    color: str


GROUPS = (
    Group("plan_pending", "待定方案", (State.PLAN_PENDING,), "#e0a526"),
    Group("in_progress", "整改中", (State.IN_PROGRESS,), "#1d4f91"),
    Group("submitted", "待销号审核", (State.SUBMITTED,), "#6a9be0"),
    Group("long_term", "已整改·长期坚持", (State.LONG_TERM,), "#7e57c2"),
    Group("closed", "已销号", CLOSED_STATES, "#2e7d32"),
)


class Drill:
    """Ledger URLs: the dashboard's own unit and round filters plus those of one figure."""

    def __init__(self, **base):
        self.prefix = reverse("ledger") + "?"
        self.base = [(k, v) for k, v in base.items() if v]

    def url(self, **params) -> str:
        pairs = list(self.base)
        for key, value in params.items():
            values = value if isinstance(value, (list, tuple)) else [value]
            pairs.extend((key, str(v)) for v in values)
        return self.prefix + urlencode(pairs)

    def per_unit(self, **params):
        """A function of a unit id giving `url(unit=id, **params)`, for hundreds of units."""
        rest = self.url(**params).removeprefix(self.prefix)
        return lambda unit_id: f"{self.prefix}unit={unit_id}&{rest}"


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def mean_percent(total: int, count: int) -> float | None:
    """平均完成进度: the mean of `count` problems' completion percentages summing to `total`,
    to one decimal (None without problems)."""
    return round(total / count, 1) if count else None


def on_time_rate(on_time: int, rectified: int, late: int) -> float | None:
    """按期整改率: problems rectified by their deadline, out of those rectified and those still
    unfinished past it (None when there are neither)."""
    whole = rectified + late
    return round(100 * on_time / whole, 1) if whole else None
