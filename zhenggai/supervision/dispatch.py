"""The 调度 sheet: for a week or a month, each section's and each leader's measures due, done,
done on time and overdue, with the on-time rate and the oldest overdue items; for one unit, or
across the units an office oversees (a line per unit).

Plain functions on a measure queryset the caller has already restricted to what the user may
see. The figures are counted in one pass over the measures that matter for the period, by the
same rules (`zhenggai.ledger.filters.measure_*`) as the ledger filters each figure links to.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from zhenggai.ledger.filters import (
    measure_done_between,
    measure_due_between,
    measure_overdue_on,
)
from zhenggai.ledger.models import OPEN_STATES, Measure, State, effective_due
from zhenggai.lib.names import NAME_FIELDS, full_name
from zhenggai.orgs.models import Unit
from zhenggai.supervision.dashboard.figures import Drill

WEEK, MONTH = "week", "month"
PERIODS = {WEEK: "周", MONTH: "月"}
OLDEST = 5  # overdue items listed
NO_SECTION, NO_LEADER = "未定牵头科室", "未定责任领导"
FIGURES = ("due", "done", "on_time", "overdue")


@dataclass(frozen=True)
class Period:
    """A week (Monday to Sunday) or a calendar month."""

    kind: str
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return f"{self.start.year}年{self.start.month}月"
        year, week, _ = self.start.isocalendar()
        return (
            f"{year}年第{week}周（{self.start.month}月{self.start.day}日至"
            f"{self.end.month}月{self.end.day}日）"
        )

    @property
    def previous(self) -> "Period":
        return period_for(self.kind, self.start - timedelta(days=1))

    @property
    def next(self) -> "Period":
        return period_for(self.kind, self.end + timedelta(days=1))

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def period_for(kind: str, day: date) -> Period:
    """The week (Monday to Sunday) or month `day` falls in."""
    if kind == MONTH:
        last = calendar.monthrange(day.year, day.month)[1]
        return Period(MONTH, day.replace(day=1), day.replace(day=last))
    monday = day - timedelta(days=day.weekday())
    return Period(WEEK, monday, monday + timedelta(days=6))


def cut_off(period: Period, today: date) -> date:
    """The day overdue is judged on: the period's last day, or today while it runs."""
    return min(period.end, today)


@dataclass(frozen=True, slots=True)
class Figure:
    """A number of measures, the problems they belong to, and the ledger URL of those problems
    ("" for a line without a ledger filter, such as 未定牵头科室)."""

    value: int
    problems: int
    url: str = ""


@dataclass(frozen=True)
class Line:
    """One line of a table: a section, a leader or a unit (`key` its id, None when unset)."""

    key: int | None
    label: str
    due: Figure
    done: Figure
    on_time: Figure
    overdue: Figure
    sheet_url: str = ""  # for a unit's line of the office's sheet: that unit's own sheet

    @property
    def rate(self) -> str:
        """按期完成率: measures done on time of those due in the period ("—" when none)."""
        if not self.due.value:
            return "—"
        return f"{round(100 * self.on_time.value / self.due.value, 1):g}%"


@dataclass(frozen=True)
class Overdue:
    """One of the oldest overdue measures."""

    problem_id: int
    unit: str
    number: str
    title: str
    text: str
    section: str
    owner: str
    due: date
    days_late: int


@dataclass
class Sheet:
    period: Period
    as_of: date
    total: Line
    by_section: list[Line] = field(default_factory=list)
    by_leader: list[Line] = field(default_factory=list)
    by_unit: list[Line] = field(default_factory=list)
    oldest: list[Overdue] = field(default_factory=list)


@dataclass
class _Tally:
    """Measures and problems counted per figure, for one line."""

    measures: dict = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))
    problems: dict = field(default_factory=lambda: {f: set() for f in FIGURES})

    def add(self, figure: str, problem_id: int) -> None:
        self.measures[figure] += 1
        self.problems[figure].add(problem_id)


ROW_FIELDS = (
    "id",
    "problem_id",
    "problem__unit_id",
    "lead_section_id",
    "lead_leader_id",
    "deadline_kind",
    "deadline",
    "problem__round__feedback_date",
    "completed_on",
    "problem__state",
    "problem__rectified_on",
)


def _figures_of(row, period: Period, as_of: date) -> tuple[list[str], date | None]:
    """Which figures one measure counts in, and the day it is due. It is done on its 完成日期,
    or, when it has none, on the day its problem was found rectified (`filters.DONE_ON`)."""
    *_, kind, deadline, feedback, completed, state, rectified = row
    due = effective_due(kind, deadline, None, feedback)
    done = completed or rectified
    figures = []
    if period.contains(due):
        figures.append("due")
        if done and done <= due:
            figures.append("on_time")
    if period.contains(done):
        figures.append("done")
    if state in OPEN_STATES and due and due < as_of and (done is None or done > as_of):
        figures.append("overdue")
    return figures, due


def count(measures, period: Period, as_of: date):
    """Tallies per section, leader and unit, the total, and (due, measure id) of the overdue."""
    relevant = measures.filter(
        measure_due_between(period.start, period.end)
        | measure_done_between(period.start, period.end)
        | measure_overdue_on(as_of),
        withdrawn=False,
    ).exclude(problem__state=State.WITHDRAWN)
    tallies = {k: defaultdict(_Tally) for k in ("section", "leader", "unit")}
    total, overdue = _Tally(), []
    for row in relevant.values_list(*ROW_FIELDS).order_by():
        figures, due = _figures_of(row, period, as_of)
        measure_id, problem_id, unit_id, section_id, leader_id = row[:5]
        for figure in figures:
            for tally in (
                total,
                tallies["section"][section_id],
                tallies["leader"][leader_id],
                tallies["unit"][unit_id],
            ):
                tally.add(figure, problem_id)
        if "overdue" in figures:
            overdue.append((due, measure_id))
    return tallies, total, overdue


class Links:
    """The ledger URLs of a sheet's figures: each names the measures it counts."""

    def __init__(self, period: Period, as_of: date, **base):
        self.drill = Drill(**base)
        self.terms = {
            "due": {"measure_due_from": period.start, "measure_due_to": period.end},
            "on_time": {
                "measure_due_from": period.start,
                "measure_due_to": period.end,
                "measure_on_time": "true",
            },
            "done": {"measure_done_from": period.start, "measure_done_to": period.end},
            "overdue": {"measure_overdue_on": as_of},
        }

    def url(self, figure: str, **narrowed) -> str:
        return self.drill.url(**narrowed, **self.terms[figure])


# The ledger's own 科室 and 责任领导 filters, given with the measure's so that its lists show the
# section or leader followed. They list the problems with a measure led by (or, for a section,
# carried out by) it, of which those of the measure filters are a part: the rows are the same.
SHOWN_AS = {"measure_section": "section", "measure_leader": "leader"}


def _line(key, label: str, tally: _Tally, links: Links | None, param: str, **extra) -> Line:
    narrowed = {param: key} if param else {}
    if param in SHOWN_AS:
        narrowed[SHOWN_AS[param]] = key

    def figure(name: str) -> Figure:
        url = ""
        if links is not None and tally.measures[name]:
            url = links.url(name, **narrowed)
        return Figure(tally.measures[name], len(tally.problems[name]), url)

    return Line(key, label, *(figure(name) for name in FIGURES), **extra)


def _section_names(unit_ids, keys) -> dict:
    sections = Unit.objects.filter(parent_id__in=unit_ids, kind=Unit.Kind.SECTION)
    return dict(sections.values_list("id", "name")) | dict(
        Unit.objects.filter(pk__in=[k for k in keys if k]).values_list("id", "name")
    )


def _leader_names(keys) -> dict:
    from django.contrib.auth import get_user_model

    rows = get_user_model().objects.filter(pk__in=[k for k in keys if k])
    return {pk: full_name(*names) for pk, *names in rows.values_list("pk", *NAME_FIELDS)}


def _lines(tallies: dict, names: dict, unset: str, links: Links, param: str) -> list[Line]:
    """Lines of the keys named (every section of the unit, even at nought) and of those
    counted; the unset key last, without links (the ledger has no filter for it)."""
    keys = sorted(set(names) | {k for k in tallies if k}, key=lambda k: (names.get(k, ""), k))
    lines = [_line(k, names.get(k, ""), tallies.get(k, _Tally()), links, param) for k in keys]
    if None in tallies:
        lines.append(_line(None, unset, tallies[None], None, param))
    return lines


def oldest_overdue(overdue: list, as_of: date) -> list[Overdue]:
    """The OLDEST overdue measures (earliest due first), read in one query."""
    chosen = dict((pk, due) for due, pk in sorted(overdue)[:OLDEST])
    rows = Measure.objects.filter(pk__in=list(chosen)).values_list(
        "pk",
        "problem_id",
        "problem__unit__name",
        "problem__number",
        "problem__title",
        "text",
        "lead_section__name",
        *(f"owner__{name}" for name in NAME_FIELDS),
    )
    items = [
        Overdue(
            problem_id=problem_id,
            unit=unit,
            number=number,
            title=title,
            text=text,
            section=section or NO_SECTION,
            owner=full_name(*owner) if owner[-1] else "未定责任人",
            due=chosen[pk],
            days_late=(as_of - chosen[pk]).days,
        )
        for pk, problem_id, unit, number, title, text, section, *owner in rows
    ]
    return sorted(items, key=lambda item: (item.due, item.problem_id))


def unit_sheet(measures, unit_id: int, period: Period, *, round_id=None, today=None) -> Sheet:
    """The sheet of one unit (optionally one round of it): lines per section and per leader."""
    as_of = cut_off(period, today or timezone.localdate())
    measures = measures.filter(problem__unit_id=unit_id)
    if round_id:
        measures = measures.filter(problem__round_id=round_id)
    tallies, total, overdue = count(measures, period, as_of)
    links = Links(period, as_of, unit=unit_id, round=round_id)
    sections = _section_names([unit_id], tallies["section"])
    return Sheet(
        period=period,
        as_of=as_of,
        total=_line(None, "合计", total, links, ""),
        by_section=_lines(tallies["section"], sections, NO_SECTION, links, "measure_section"),
        by_leader=_lines(
            tallies["leader"], _leader_names(tallies["leader"]), NO_LEADER, links, "measure_leader"
        ),
        oldest=oldest_overdue(overdue, as_of),
    )


def office_sheet(measures, units: dict[int, str], period: Period, *, sheet_url, today=None):
    """The sheet across `units` ({id: name}: every unit `measures`, already restricted to what
    the office sees, may belong to): a line per unit, each leading (`sheet_url(unit_id)`) to
    that unit's own sheet."""
    as_of = cut_off(period, today or timezone.localdate())
    tallies, total, overdue = count(measures, period, as_of)
    links = Links(period, as_of)
    by_unit = [
        _line(pk, name, tallies["unit"].get(pk, _Tally()), links, "unit", sheet_url=sheet_url(pk))
        for pk, name in sorted(units.items(), key=lambda item: (item[1], item[0]))
    ]
    return Sheet(
        period=period,
        as_of=as_of,
        total=_line(None, "合计", total, links, ""),
        by_unit=by_unit,
        oldest=oldest_overdue(overdue, as_of),
    )
