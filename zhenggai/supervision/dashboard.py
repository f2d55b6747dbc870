"""The supervision dashboards (督办看板): figures over the problems a user may see.

Every figure is a `Figure`: a count and the ledger URL that lists exactly the problems it counts
(the ledger's own filters, so the numbers on the dashboard and in the ledger cannot disagree).
Each part is one GROUP BY query, so the page runs a fixed number of queries however many
problems and units it covers.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from zhenggai.ledger.models import CLOSED_STATES, OPEN_STATES, Measure, Problem, State, Warning
from zhenggai.ledger.pages import options
from zhenggai.lib.http import as_id
from zhenggai.lib.names import full_name
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Unit
from zhenggai.rounds.models import InspectionRound

# Counted problems: all but the withdrawn ones.
COUNTED = tuple(s for s in State if s != State.WITHDRAWN)
RECTIFIED = (State.CLOSED, State.VERIFIED, State.LONG_TERM)
UNFINISHED = (State.PLAN_PENDING, State.IN_PROGRESS, State.SUBMITTED)
WEEKS = 16
LIST_SIZE = 15
# Bars of one breakdown chart; the rest are summed in one line.
MAX_BARS = 20


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


@dataclass(frozen=True)
class Row:
    """One bar of a breakdown chart: its label, one figure per group, and their total."""

    label: str
    cells: list[Figure]
    total: Figure


@dataclass(frozen=True)
class Breakdown:
    rows: list[Row]
    # Bars left out (beyond MAX_BARS) and the problems they count.
    more_bars: int = 0
    more_problems: int = 0


@dataclass(frozen=True)
class Week:
    start: date
    end: date
    done: Figure
    cumulative: Figure
    rate: float


@dataclass(frozen=True)
class Ranked:
    rank: int
    unit: str
    problems: Figure
    rectified: Figure
    on_time: Figure
    late: Figure
    rate: float | None


@dataclass
class Dashboard:
    today: date
    kpis: dict[str, Figure]
    completion_rate: float
    on_time_rate: float | None
    by_area: Breakdown
    trend: list[Week]
    overdue: list[dict]
    due_soon: list[dict]
    ranking: list[Ranked] = field(default_factory=list)
    by_section: Breakdown | None = None
    by_leader: Breakdown | None = None


def _rate(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _counts(problems, today: date) -> tuple[list[dict], dict]:
    """Everything the KPIs, the ranking and the areas count, in three narrow passes.

    Per unit and state: problems, on-time and escalated ones, read from the covering index
    `problem_unit_state`; the open problems overdue or due soon, a range of the same index;
    per area and state from `problem_area_state`. Each count costs SQLite a little for every
    row it scans, so the deadline counts are taken only over the rows they concern. The rest
    follows from the state in Python. Returns the counts per unit, and the problems per area
    and state (withdrawn ones left out).
    """
    soon = today + timedelta(days=settings.WARNING_DUE_SOON_DAYS)
    units: dict[int, dict] = {}
    rows = (
        problems.order_by()
        .values_list("unit_id", "state")
        .annotate(
            n=Count("id"),
            on_time=Count("id", filter=Q(rectified_on_time=True)),
            escalated=Count("id", filter=Q(escalation_level__gte=1)),
        )
    )
    for unit_id, state, n, on_time, escalated in rows:
        u = units.get(unit_id) or units.setdefault(unit_id, _blank(unit_id))
        u["escalated"] += escalated
        u["on_time"] += on_time
        if state == State.WITHDRAWN:
            continue
        u["problems"] += n
        if state in RECTIFIED:
            u["rectified"] += n
        if state in CLOSED_STATES:
            u["closed_out"] += n
        if state == State.LONG_TERM:
            u["long_term"] += n
        if state in UNFINISHED:
            u["unfinished"] += n
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
    areas: dict = defaultdict(lambda: defaultdict(int))
    by_area = (
        problems.exclude(state=State.WITHDRAWN)
        .order_by()
        .values_list("area", "state")
        .annotate(n=Count("id"))
    )
    for area, state, n in by_area:
        areas[area or None][state] += n
    return list(units.values()), areas


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
)


def _blank(unit_id: int) -> dict:
    return {"unit_id": unit_id, **dict.fromkeys(COUNTS, 0)}


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


def _kpis(units: list[dict], drill: Drill) -> dict[str, Figure]:
    return {
        name: Figure(sum(u[name] for u in units), drill.url(**filters))
        for name, filters in KPI_FILTERS.items()
    }


def on_time_rate(on_time: int, rectified: int, late: int) -> float | None:
    """按期整改率: problems rectified by their deadline, out of those rectified and those still
    unfinished past it (None when there are neither)."""
    whole = rectified + late
    return round(100 * on_time / whole, 1) if whole else None


def _ranking(units: list[dict], names: dict[int, str], drill: Drill) -> list[Ranked]:
    """Units by on-time rate, then by problems rectified on time; equal rates share a rank."""
    rated = [(on_time_rate(u["on_time"], u["rectified"], u["late"]), u) for u in units]
    rated.sort(
        key=lambda r: (r[0] is None, -(r[0] or 0), -r[1]["on_time"], names.get(r[1]["unit_id"], ""))
    )
    urls = {name: drill.per_unit(**KPI_FILTERS[name]) for name in RANKED}
    ranked, previous, rank = [], object(), 0
    for n, (rate, u) in enumerate(rated, start=1):
        if rate != previous:
            rank, previous = n, rate
        unit = u["unit_id"]
        figures = {name: Figure(u[name], urls[name](unit)) for name in RANKED}
        ranked.append(Ranked(rank=rank, unit=names.get(unit, ""), rate=rate, **figures))
    return ranked


# The ranking's columns, each a KPI's count and filters for one unit.
RANKED = ("problems", "rectified", "on_time", "late")


def ranking_rows(ranking: list[Ranked]) -> str:
    """The ranking table's rows, built in one pass: hundreds of units cost more through template
    tags than all of the dashboard's queries."""

    def cell(figure: Figure, late: bool = False) -> str:
        css = "num late" if late and figure.value else "num"
        return f'<td class="{css}"><a href="{escape(figure.url)}">{figure.value}</a></td>'

    # Bandit: built only from escaped parts and numbers.
    return mark_safe(  # nosec B308 B703
        "".join(
            f'<tr><td class="num">{r.rank}</td><td>{escape(r.unit)}</td>'
            f"{cell(r.problems)}{cell(r.rectified)}{cell(r.on_time)}{cell(r.late, True)}"
            f'<td class="num">{"—" if r.rate is None else f"{r.rate}%"}</td></tr>'
            for r in ranking
        )
    )


def _breakdown(counts: dict, labels: dict, param: str, drill: Drill) -> Breakdown:
    """Stacked bars from {key: {state: problems}}; `param` is the ledger filter of a key
    (a key of None has no ledger filter: its figures have no URL)."""
    totals = {key: sum(by_state.values()) for key, by_state in counts.items()}
    keys = sorted(counts, key=lambda k: (-totals[k], labels[k]))
    rows = []
    for key in keys[:MAX_BARS]:
        by_state = counts[key]

        def url(states, key=key):
            return drill.url(**{param: key, "state": states}) if key is not None else ""

        cells = [Figure(sum(by_state.get(s, 0) for s in g.states), url(g.states)) for g in GROUPS]
        rows.append(Row(labels[key], cells, Figure(totals[key], url(COUNTED))))
    rest = keys[MAX_BARS:]
    return Breakdown(rows, len(rest), sum(totals[k] for k in rest))


def _by_area(areas: dict, drill: Drill) -> Breakdown:
    labels = {area: area or "（未分方面）" for area in areas}
    return _breakdown(areas, labels, "area", drill)


def _distinct_problems(pairs) -> tuple[dict, dict]:
    """{key: {state: problems}} and {key: label} from (key, label, problem, state) rows that may
    name a problem twice under one key."""
    seen, counts, labels = set(), defaultdict(lambda: defaultdict(int)), {}
    for key, label, problem, state in pairs:
        if (key, problem) not in seen:
            seen.add((key, problem))
            counts[key][state] += 1
            labels[key] = label
    return counts, labels


def _by_section(problems, drill: Drill) -> Breakdown:
    """Problems per section leading or carrying out one of their measures (the ledger's
    `section` filter: measures not withdrawn)."""
    ids = problems.filter(state__in=COUNTED).values("id")
    lead = Measure.objects.filter(
        problem__in=ids, withdrawn=False, lead_section__isnull=False
    ).values_list("lead_section_id", "lead_section__name", "problem_id", "problem__state")
    carrying = Measure.responsible_sections.through.objects.filter(
        measure__problem__in=ids, measure__withdrawn=False
    ).values_list("unit_id", "unit__name", "measure__problem_id", "measure__problem__state")
    counts, labels = _distinct_problems([*lead.distinct(), *carrying.distinct()])
    return _breakdown(counts, labels, "section", drill)


def _by_leader(problems, drill: Drill) -> Breakdown:
    """Problems per responsible leader of one of their measures (the ledger's `leader` filter,
    which reads every measure, withdrawn ones too)."""
    rows = (
        Measure.objects.filter(
            problem__in=problems.filter(state__in=COUNTED).values("id"),
            lead_leader__isnull=False,
        )
        .values_list(
            "lead_leader_id",
            "lead_leader__first_name",
            "lead_leader__last_name",
            "lead_leader__username",
            "problem_id",
            "problem__state",
        )
        .distinct()
    )
    counts, labels = _distinct_problems(
        (leader, full_name(first, last, username), problem, state)
        for leader, first, last, username, problem, state in rows
    )
    return _breakdown(counts, labels, "leader", drill)


def _trend(problems, today: date, total: int, drill: Drill) -> list[Week]:
    """Problems rectified per week (Monday to Sunday) over the last WEEKS weeks, and how many
    had been rectified by the end of each, of all problems counted now."""
    start = today - timedelta(days=today.weekday() + 7 * (WEEKS - 1))
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
                rate=_rate(cumulative, total),
            )
        )
    return weeks


def _listed(problems, today: date) -> list[dict]:
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


def dashboard(
    problems,
    *,
    drill: Drill,
    one_unit: bool,
    unit_names: dict[int, str],
    today: date | None = None,
) -> Dashboard:
    """The dashboard of `problems` (already restricted to what the user may see, and to the unit
    or round asked for): the section and leader charts for one unit, the ranking across units
    (named by `unit_names`)."""
    today = today or timezone.localdate()
    units, areas = _counts(problems, today)
    kpis = _kpis(units, drill)
    result = Dashboard(
        today=today,
        kpis=kpis,
        completion_rate=_rate(kpis["rectified"].value, kpis["problems"].value),
        on_time_rate=on_time_rate(
            kpis["on_time"].value, kpis["rectified"].value, kpis["late"].value
        ),
        by_area=_by_area(areas, drill),
        trend=_trend(problems, today, kpis["problems"].value, drill),
        overdue=_listed(problems.filter(due_date__lt=today), today),
        due_soon=_listed(
            problems.filter(
                due_date__gte=today,
                due_date__lte=today + timedelta(days=settings.WARNING_DUE_SOON_DAYS),
            ),
            today,
        ),
    )
    if one_unit:
        result.by_section = _by_section(problems, drill)
        result.by_leader = _by_leader(problems, drill)
    else:
        result.ranking = _ranking(units, unit_names, drill)
    return result


def _breakdown_chart(breakdown: Breakdown | None) -> dict | None:
    if breakdown is None:
        return None
    return {
        "categories": [row.label for row in breakdown.rows],
        "series": [
            {
                "name": group.label,
                "color": group.color,
                "data": [
                    {"value": row.cells[n].value, "url": row.cells[n].url} for row in breakdown.rows
                ],
            }
            for n, group in enumerate(GROUPS)
        ],
    }


def chart_data(result: Dashboard) -> dict:
    """What dashboard.js draws, every bar and point with the ledger URL behind it."""
    return {
        "area": _breakdown_chart(result.by_area),
        "section": _breakdown_chart(result.by_section),
        "leader": _breakdown_chart(result.by_leader),
        "trend": {
            "categories": [f"{w.start:%m-%d}" for w in result.trend],
            "ranges": [f"{w.start:%Y-%m-%d} 至 {w.end:%Y-%m-%d}" for w in result.trend],
            "done": [{"value": w.done.value, "url": w.done.url} for w in result.trend],
            "rate": [
                {"value": w.rate, "url": w.cumulative.url, "count": w.cumulative.value}
                for w in result.trend
            ],
        },
    }


@dataclass(frozen=True)
class Selection:
    """The unit and round a dashboard is narrowed to (only ones the user may see)."""

    unit_id: int | None
    round_id: int | None
    one_unit: bool


def selection_for(user, params) -> Selection:
    """Read `unit` and `round` from the query string; ones the user may not see are ignored."""
    scope = scope_for(user)
    unit_id = as_id(params.get("unit"))
    if unit_id is not None and not scope.can_read(unit_id):
        unit_id = None
    round_id = as_id(params.get("round"))
    if round_id is not None:
        rounds = InspectionRound.objects.visible_to(user).filter(pk=round_id)
        if unit_id is not None:
            rounds = rounds.filter(unit_id=unit_id)
        round_unit = rounds.values_list("unit_id", flat=True).first()
        round_id = round_id if round_unit is not None else None
        unit_id = unit_id or round_unit
    one_unit = unit_id is not None or (not scope.is_admin and len(scope.unit_ids) == 1)
    return Selection(unit_id, round_id, one_unit)


def dashboard_page(user, params) -> dict:
    """Everything the dashboard page shows for `user` and its query string."""
    chosen = selection_for(user, params)
    problems = Problem.objects.visible_to(user)
    if chosen.unit_id is not None:
        problems = problems.filter(unit_id=chosen.unit_id)
    if chosen.round_id is not None:
        problems = problems.filter(round_id=chosen.round_id)
    drill = Drill(unit=chosen.unit_id, round=chosen.round_id)
    units = scope_for(user).restrict(Unit.objects.filter(kind=Unit.Kind.UNIT), "id")
    units = list(units.order_by("name").values_list("id", "name"))
    result = dashboard(problems, drill=drill, one_unit=chosen.one_unit, unit_names=dict(units))
    rounds = InspectionRound.objects.visible_to(user).order_by("-feedback_date", "-id")
    rounds = list(
        rounds.filter(unit_id=chosen.unit_id).values_list("id", "title") if chosen.unit_id else []
    )
    return {
        "dash": result,
        "charts": chart_data(result),
        "ranking_rows": ranking_rows(result.ranking),
        "groups": GROUPS,
        "selection": chosen,
        "units": len(units),
        "unit_name": dict(units).get(chosen.unit_id) or (units[0][1] if len(units) == 1 else ""),
        "round_title": dict(rounds).get(chosen.round_id, ""),
        "unit_options": options(units, str(chosen.unit_id)),
        "round_options": options(rounds, str(chosen.round_id)),
        "ledger_url": drill.url(),
    }
