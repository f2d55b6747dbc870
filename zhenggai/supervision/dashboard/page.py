"""The dashboard page: the unit and round it is narrowed to, its parts put together, and what
the template shows."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from zhenggai.ledger.models import Problem
from zhenggai.ledger.pages import options
from zhenggai.lib.http import as_id
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Unit
from zhenggai.rounds.models import InspectionRound
from zhenggai.supervision.dashboard.breakdowns import Breakdown, by_area, by_leader, by_section
from zhenggai.supervision.dashboard.charts import chart_data
from zhenggai.supervision.dashboard.counts import KPI_FILTERS, count_problems, kpi_figures
from zhenggai.supervision.dashboard.figures import (
    GROUPS,
    Drill,
    Figure,
    mean_percent,
    on_time_rate,
    percent,
)
from zhenggai.supervision.dashboard.ranking import Ranked, ranking, ranking_rows
from zhenggai.supervision.dashboard.timeline import Week, listed, trend


@dataclass
class Dashboard:
    today: date
    kpis: dict[str, Figure]
    completion_rate: float
    on_time_rate: float | None
    # 平均完成进度: the mean of the counted problems' completion percentages (None: no problem).
    average_percent: float | None
    percent_url: str  # the problems it averages, in the ledger, the least advanced first
    by_area: Breakdown
    trend: list[Week]
    overdue: list[dict]
    due_soon: list[dict]
    ranking: list[Ranked] = field(default_factory=list)
    by_section: Breakdown | None = None
    by_leader: Breakdown | None = None


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
    units, areas, area_sums = count_problems(problems, today)
    kpis = kpi_figures(units, drill)
    result = Dashboard(
        today=today,
        kpis=kpis,
        **_rates(kpis),
        average_percent=mean_percent(sum(u["percent_sum"] for u in units), kpis["problems"].value),
        percent_url=drill.url(**KPI_FILTERS["problems"], sort="percent"),
        by_area=by_area(areas, drill, area_sums),
        trend=trend(problems, today, kpis["problems"].value, drill),
        **_due_lists(problems, today),
    )
    if one_unit:
        result.by_section = by_section(problems, drill)
        result.by_leader = by_leader(problems, drill)
    else:
        result.ranking = ranking(units, unit_names, drill)
    return result


def _rates(kpis: dict[str, Figure]) -> dict[str, float | None]:
    """完成率 (rectified of all counted) and 按期整改率."""
    rectified = kpis["rectified"].value
    return {
        "completion_rate": percent(rectified, kpis["problems"].value),
        "on_time_rate": on_time_rate(kpis["on_time"].value, rectified, kpis["late"].value),
    }


def _due_lists(problems, today: date) -> dict[str, list[dict]]:
    """The problems listed as overdue and as due soon."""
    soon = today + timedelta(days=settings.WARNING_DUE_SOON_DAYS)
    return {
        "overdue": listed(problems.filter(due_date__lt=today), today),
        "due_soon": listed(problems.filter(due_date__gte=today, due_date__lte=soon), today),
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


def _problems(user, chosen: Selection):
    problems = Problem.objects.visible_to(user)
    if chosen.unit_id is not None:
        problems = problems.filter(unit_id=chosen.unit_id)
    if chosen.round_id is not None:
        problems = problems.filter(round_id=chosen.round_id)
    return problems


def _units(user) -> list[tuple[int, str]]:
    """The units (not sections) the user may see, by name."""
    units = scope_for(user).restrict(Unit.objects.filter(kind=Unit.Kind.UNIT), "id")
    return list(units.order_by("name").values_list("id", "name"))


def _rounds(user, unit_id: int | None) -> list[tuple[int, str]]:
    """The rounds of the chosen unit the user may see, latest first (none without a unit)."""
    rounds = InspectionRound.objects.visible_to(user).order_by("-feedback_date", "-id")
    return list(rounds.filter(unit_id=unit_id).values_list("id", "title") if unit_id else [])


def dashboard_page(user, params) -> dict:
    """Everything the dashboard page shows for `user` and its query string."""
    chosen = selection_for(user, params)
    drill = Drill(unit=chosen.unit_id, round=chosen.round_id)
    units = _units(user)
    result = dashboard(
        _problems(user, chosen), drill=drill, one_unit=chosen.one_unit, unit_names=dict(units)
    )
    rounds = _rounds(user, chosen.unit_id)
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
