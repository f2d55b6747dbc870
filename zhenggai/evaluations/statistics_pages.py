"""What the evaluation statistics pages show: the units' figures and ranking for a period, one
unit's figures by point and by month, and the ratings list. Each is built in a fixed number of
queries, whatever the number of units, points and ratings.

Who reads what: the evaluation office (评价办) every unit below it, with the signs of steered
ratings and what identifies a rater; a unit's leader, rectification office and discipline group
their own unit(s), never a rater's phone, case number or hashes (背靠背). Section staff and
anyone else have no evaluation data to read."""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from zhenggai.evaluations import stats
from zhenggai.evaluations.filters import LEVEL_CHOICES, RatingFilter
from zhenggai.evaluations.models import PeriodRound, Rating, RatingPoint
from zhenggai.evaluations.stats import Figures
from zhenggai.evaluations.values import (
    DIMENSIONS,
    Channel,
    Mode,
    Period,
    parse_period,
    period_of,
)
from zhenggai.evaluations.warnings import points_of, steering_signs
from zhenggai.ledger.models import OPEN_STATES
from zhenggai.lib.html import options
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Role, Unit

STATS_ROLES = (Role.EVALUATION_OFFICE, Role.LEADER, Role.RECTIFICATION_OFFICE, Role.DISCIPLINE)
# The period selector offers the current period and this many before it.
PREVIOUS_PERIODS = 7
PAGE_SIZE = 50


@dataclass(frozen=True)
class Viewer:
    """The units whose evaluation figures a user reads, and those they read as the office."""

    unit_ids: frozenset[int]
    office_unit_ids: frozenset[int]
    is_admin: bool = False

    @property
    def is_office(self) -> bool:
        return self.is_admin or bool(self.office_unit_ids)

    def sees_raters_of(self, unit_id: int) -> bool:
        """A rater's case number, phone and hashes: the evaluation office's alone."""
        return self.is_admin or unit_id in self.office_unit_ids

    @property
    def office_scope(self) -> list[int] | None:
        """The units the user reads as the office (None: every unit, for an administrator)."""
        return None if self.is_admin else sorted(self.office_unit_ids)


def viewer_of(user) -> Viewer:
    scope = scope_for(user)
    if scope.is_admin:
        units = Unit.objects.filter(kind=Unit.Kind.UNIT).values_list("id", flat=True)
        return Viewer(frozenset(units), frozenset(), is_admin=True)
    return Viewer(
        frozenset(scope.units_with(*STATS_ROLES)),
        frozenset(scope.units_with(Role.EVALUATION_OFFICE)),
    )


# Periods


def chosen_period(params, today: date | None = None) -> tuple[Period, str]:
    """The period asked for by `period` (its key), else the current one; and what was wrong
    with the key, if anything."""
    current = period_of(today or timezone.localdate())
    key = (params.get("period") or "").strip().replace(" ", "+")
    if not key:
        return current, ""
    period = parse_period(key)
    if period is None:
        return current, "评价期不正确，已显示本期数据。"
    return period, ""


def period_choices(chosen: Period | None, today: date | None = None) -> str:
    """<option>s of the current period and the ones before it (and this year and last when
    periods are shorter), the chosen one (if any) selected."""
    period = period_of(today or timezone.localdate())
    periods = [period]
    for _ in range(PREVIOUS_PERIODS):
        period = period.previous()
        periods.append(period)
    if periods[0].months != 12:
        year = period_of(periods[0].start, 12)
        periods += [year, year.previous()]
    if chosen is not None and chosen not in periods:
        periods.insert(0, chosen)
    return options([(p.key, p.label) for p in periods], chosen.key if chosen else None)


# Figures as shown


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def average(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


ON_SITE = DIMENSIONS[Mode.ON_SITE]
ONLINE = DIMENSIONS[Mode.ONLINE]


@dataclass
class Shown:
    """One unit's or point's figures, as the tables print them."""

    figures: Figures
    count: int = 0
    score: str = "—"
    good_rate: str = "—"
    bad_rate: str = "—"
    rectified_rate: str = "—"
    callback_rate: str = "—"
    rated_share: str = "—"
    on_site: list[str] = field(default_factory=list)
    online: list[str] = field(default_factory=list)

    @property
    def on_site_pairs(self) -> list[tuple[str, str]]:
        return [(label, v) for (_, label), v in zip(ON_SITE, self.on_site, strict=True)]

    @property
    def online_pairs(self) -> list[tuple[str, str]]:
        return [(label, v) for (_, label), v in zip(ONLINE, self.online, strict=True)]

    @classmethod
    def of(cls, f: Figures) -> "Shown":
        return cls(
            figures=f,
            count=f.count,
            score=average(f.score),
            good_rate=percent(f.good_rate),
            bad_rate=percent(f.bad_rate),
            rectified_rate=percent(f.rectified_rate),
            callback_rate=percent(f.callback_rate),
            rated_share=percent(f.rated_share),
            on_site=[average(f.dimensions.get(name)) for name, _ in ON_SITE],
            online=[average(f.dimensions.get(name)) for name, _ in ONLINE],
        )


def ratings_url(**filters) -> str:
    """The ratings list showing the ratings that `filters` select."""
    query = urlencode({k: v for k, v in filters.items() if v not in (None, "")})
    return f"{reverse('rating_list')}?{query}"


def _columns() -> dict:
    return {"on_site": [label for _, label in ON_SITE], "online": [label for _, label in ONLINE]}


# The home page


@dataclass
class UnitRow:
    unit_id: int
    name: str
    rank: int | None
    shown: Shown
    url: str
    below_sample: bool


def home_page(user, params) -> dict:
    """Every unit the user reads, ranked by score for the period; for the office, the signs of
    steered ratings too."""
    viewer = viewer_of(user)
    period, period_error = chosen_period(params)
    context = {"viewer": viewer, "period": period, "period_error": period_error}
    if not viewer.unit_ids:
        return context
    names = dict(Unit.objects.filter(pk__in=viewer.unit_ids).values_list("id", "name"))
    unit_ids = sorted(viewer.unit_ids)
    # One pass over the tallies by point serves the ranking (added up per unit) and the signs.
    by_point = stats.figures_by(period, "point_id", unit_ids)
    points = points_of(unit_ids)
    unit_of = {pk: p.unit_id for pk, p in points.items()}
    rated = set(unit_of.values())
    by_unit = stats.roll_up(by_point, unit_of, period, unit_ids)
    unit_base = reverse("evaluation_unit", args=[0]).removesuffix("0/")
    suffix = "/?" + urlencode({"period": period.key})
    rows = [
        UnitRow(
            unit_id=r.unit_id,
            name=names.get(r.unit_id, ""),
            rank=r.rank,
            shown=Shown.of(r.figures),
            url=f"{unit_base}{r.unit_id}{suffix}",
            below_sample=r.rank is None,
        )
        for r in stats.ranking(period, unit_ids, figures=by_unit)
        # A unit's own people read the units of theirs that are rated, not every unit where
        # they hold a role; the office reads all of its units, rated or not yet.
        if viewer.is_office or r.unit_id in rated
    ]
    signs = []
    if viewer.is_office:
        office = viewer.office_scope
        in_office = (
            by_point
            if office is None
            else {pk: f for pk, f in by_point.items() if unit_of[pk] in viewer.office_unit_ids}
        )
        signs = steering_signs(period, office, figures=in_office, points=points)
    for sign in signs:
        sign.unit_name = names.get(sign.unit_id, "")
        sign.url = ratings_url(**sign.filters)
    context.update(
        rows=rows,
        signs=signs,
        columns=_columns(),
        period_options=period_choices(period),
        with_services=any(r.shown.figures.services is not None for r in rows),
        ranked=viewer.is_office,
        min_sample=settings.RANKING_MIN_SAMPLE,
    )
    return context


# A unit's page


@dataclass
class Bar:
    """One month of the trend chart: good ratings below, 差评 on top, in SVG units."""

    label: str
    period_label: str
    title: str
    x: float
    width: float
    good_y: float
    good_height: float
    bad_y: float
    bad_height: float
    url: str
    shown: Shown


CHART = {"width": 520, "height": 200, "left": 40, "right": 6, "top": 12, "bottom": 28}


def _nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50… at least `value` (the chart's top)."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if step * m >= value:
                return step * m
        step *= 10


def trend_chart(unit_id: int, trend: list[tuple[Period, Figures]]) -> dict:
    """The monthly trend as SVG geometry: a stacked bar of good and bad ratings per month, each
    linking to its ratings; the axis' top is a round number."""
    c = CHART
    top = _nice_ceiling(max((f.count for _, f in trend), default=0) or 1)
    plot_height = c["height"] - c["top"] - c["bottom"]
    slot = (c["width"] - c["left"] - c["right"]) / max(len(trend), 1)
    bars = []
    for n, (period, f) in enumerate(trend):
        good_h = round((f.count - f.bad) / top * plot_height, 1)
        bad_h = round(f.bad / top * plot_height, 1)
        base = c["top"] + plot_height
        first = n == 0 or period.start.month == 1
        bars.append(
            Bar(
                label=f"{period.start:%y}年{period.start.month}月"
                if first
                else f"{period.start.month}月",
                period_label=period.label,
                title=f"{period.label}：{f.count} 条，差评 {f.bad} 条",
                x=round(c["left"] + n * slot + slot * 0.2, 1),
                width=round(slot * 0.6, 1),
                good_y=round(base - good_h, 1),
                good_height=good_h,
                bad_y=round(base - good_h - bad_h, 1),
                bad_height=bad_h,
                url=ratings_url(unit=unit_id, period=period.key),
                shown=Shown.of(f),
            )
        )
    base = c["top"] + plot_height
    ticks = [{"value": top * k // 2, "y": round(base - plot_height * k / 2, 1)} for k in range(3)]
    return {
        **c,
        "bars": bars,
        "ticks": ticks,
        "base": base,
        "plot_height": plot_height,
        "plot_right": c["width"] - c["right"],
        "label_y": c["height"] - 8,
        "tick_x": c["left"] - 4,
        "slot": round(slot, 1),
    }


@dataclass
class PointRow:
    point: RatingPoint
    shown: Shown
    url: str


def _point_rows(unit: Unit, period: Period) -> list[PointRow]:
    figures = stats.figures_by(period, "point_id", [unit.pk])
    points = RatingPoint.objects.filter(unit=unit).select_related("section")
    return [
        PointRow(
            p, Shown.of(figures.get(p.pk, Figures())), ratings_url(point=p.pk, period=period.key)
        )
        for p in points
        if p.active or p.pk in figures
    ]


def _rounds(unit: Unit, period: Period) -> list[PeriodRound]:
    """The unit's evaluation rounds of periods starting within `period` (a year's page shows
    its quarters'), with how many of their problems are still open."""
    rounds = (
        PeriodRound.objects.filter(
            unit=unit, period_start__gte=period.start, period_start__lte=period.end
        )
        .select_related("round")
        .annotate(
            problems=Count("round__problems"),
            open_problems=Count(
                "round__problems", filter=Q(round__problems__state__in=OPEN_STATES)
            ),
        )
        .order_by("period_start", "purpose")
    )
    ledger = reverse("ledger")
    found = list(rounds)
    for r in found:
        r.ledger_url = f"{ledger}?{urlencode({'round': r.round_id})}"
    return found


def unit_page(user, pk: int, params) -> dict:
    """One unit's figures for the period, by point, and month by month over the last year, with
    links to its ratings and to the problems its 差评 became."""
    viewer = viewer_of(user)
    if pk not in viewer.unit_ids:
        raise Http404("no such unit in the user's evaluation scope")
    unit = Unit.objects.filter(pk=pk, kind=Unit.Kind.UNIT).first()
    if unit is None:
        raise Http404("no such unit")
    period, period_error = chosen_period(params)
    figures = stats.figures_by(period, "unit_id", [pk]).get(pk, Figures())
    trend = stats.monthly_trend(pk)
    links = {
        "all": ratings_url(unit=pk, period=period.key),
        "good": ratings_url(unit=pk, period=period.key, level="good"),
        "bad": ratings_url(unit=pk, period=period.key, level="bad"),
    }
    return {
        "viewer": viewer,
        "unit": unit,
        "period": period,
        "period_error": period_error,
        "period_options": period_choices(period),
        "shown": Shown.of(figures),
        "points": _point_rows(unit, period),
        "chart": trend_chart(pk, trend),
        "rounds": _rounds(unit, period),
        "links": links,
        "columns": _columns(),
        "home_url": f"{reverse('evaluation_home')}?{urlencode({'period': period.key})}",
    }


# The ratings list


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP rows (`count_capped` says whether there are more): a million
    ratings are not counted for a pager's "of N"."""

    COUNT_CAP = 10_000
    count_capped = False

    @cached_property
    def count(self) -> int:
        found = self.object_list[: self.COUNT_CAP + 1].count()
        self.count_capped = found > self.COUNT_CAP
        return min(found, self.COUNT_CAP)


def _detail_url(pk: int) -> str | None:
    try:
        return reverse("rating_detail", args=[pk])
    except NoReverseMatch:
        return None


@dataclass
class RatingRow:
    rating: Rating
    dimensions: str
    flags: list[str]
    url: str | None
    problem_url: str | None
    rater: dict | None  # case number, phone and shortened hashes: the office's only


def _row(rating: Rating, viewer: Viewer, scope) -> RatingRow:
    dims = " · ".join(f"{label} {v}" for label, v in rating.dimension_values() if v)
    flags = [
        label
        for on, label in (
            (rating.burst, "集中评价"),
            (rating.outside_hours, "非办公时间"),
            (rating.excluded, "申诉成立已剔除"),
            (rating.superseded, "已被追评取代"),
            (rating.follow_up_of_id, "追评"),
        )
        if on
    ]
    problem = rating.problem
    rater = None
    if viewer.sees_raters_of(rating.unit_id):
        rater = {
            "case_number": rating.case_number,
            "phone": rating.phone,
            "device": rating.device_hash[:8],
            "client": rating.client_hash[:8],
        }
    return RatingRow(
        rating=rating,
        dimensions=dims,
        flags=flags,
        url=_detail_url(rating.pk),
        problem_url=reverse("problem_detail", args=[problem.pk])
        if problem is not None and scope.can_read(problem.unit_id)
        else None,
        rater=rater,
    )


FLAGS = (("burst", "集中评价"), ("outside_hours", "非办公时间"), ("excluded", "申诉成立已剔除"))
YES_NO = (("true", "是"), ("false", "否"))


def _list_choices(viewer: Viewer, data: dict) -> dict:
    """The filter form's options: units by name, and the points of the chosen unit (or of the
    only one)."""
    units = Unit.objects.filter(pk__in=viewer.unit_ids).order_by("name").values_list("id", "name")
    unit_id = int(data["unit"]) if data.get("unit") is not None else None
    if unit_id is None and len(viewer.unit_ids) == 1:
        unit_id = next(iter(viewer.unit_ids))
    points = []
    if unit_id in viewer.unit_ids:
        points = RatingPoint.objects.filter(unit_id=unit_id).values_list("id", "name")
    point_id = int(data["point"]) if data.get("point") is not None else None
    flags = []
    for name, label in FLAGS:
        value = data.get(name)
        chosen = None if value is None else ("true" if value else "false")
        flags.append({"name": name, "label": label, "options": options(YES_NO, chosen)})
    return {
        "units": options(units, str(unit_id) if data.get("unit") is not None else None),
        "points": options(points, str(point_id)),
        "point_choices": bool(points),
        "levels": options(LEVEL_CHOICES, data.get("level")),
        "channels": options(Channel.choices, data.get("channel")),
        "periods": period_choices(data.get("period")),
        "flags": flags,
        "client": data.get("client") or "",
    }


def rating_list_page(user, params) -> dict:
    viewer = viewer_of(user)
    context = {"viewer": viewer}
    if not viewer.unit_ids:
        return context
    base = Rating.objects.select_related("point", "unit", "problem").order_by("-rated_at", "-id")
    if not viewer.is_admin:
        base = base.filter(unit_id__in=sorted(viewer.unit_ids))
    filterset = RatingFilter(params or None, queryset=base, sees_raters=viewer.is_office)
    ratings = filterset.qs
    data = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else {}
    by_time = data.get("unit") is not None or data.get("point") is not None
    if not by_time:
        # Across many units no index serves "newest rating first" (a million rows would be
        # sorted): the newest received come first, by the primary key, read backwards.
        ratings = ratings.order_by("-id")
    if data.get("client") and not viewer.is_admin:
        ratings = ratings.filter(unit_id__in=sorted(viewer.office_unit_ids))
    page = CappedPaginator(ratings, PAGE_SIZE).get_page(params.get("page"))
    scope = scope_for(user)
    context.update(
        filter=filterset,
        page=page,
        rows=[_row(r, viewer, scope) for r in page.object_list],
        choices=_list_choices(viewer, data),
        sees_raters=viewer.is_office,
        clear_url=reverse("rating_list"),
        by_time=by_time,
    )
    return context
