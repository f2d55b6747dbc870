"""What the month's pages show, gathered in a few queries: the months a person may open, a
group's ranking with its subtotals per 指标类别, a unit's score sheet, and the rows behind a
computed figure."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from zhenggai.assessments import metrics, standings
from zhenggai.assessments.access import months_visible_to, own_unit_ids, reads_office, runs
from zhenggai.assessments.models import AssessmentMonth, Entry, Indicator, Score, UnitGroup
from zhenggai.assessments.scoring import RATES
from zhenggai.assessments.values import IndicatorKind, Metric
from zhenggai.assessments.wording import percent, rule_in_words
from zhenggai.evaluations.models import Rating
from zhenggai.evaluations.offices import read_office_ids
from zhenggai.evaluations.values import BAD_LEVELS
from zhenggai.ledger.models import Problem
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Unit

COUNT_WORDS = {Metric.OVERDUE: "件", Metric.RATING_COUNT: "条"}


def figure_text(score: Score) -> str:
    """A computed figure in words: "按期整改率 75%（3/4）", "逾期未整改问题数 2件"."""
    indicator = score.indicator
    if indicator.kind != IndicatorKind.COMPUTED:
        return ""
    label = Metric(indicator.metric).label
    if indicator.metric in RATES:
        if not score.denominator:
            return f"{label} 无数据（0/0）"
        return f"{label} {percent(score.value)}（{score.numerator}/{score.denominator}）"
    return f"{label} {score.numerator or 0}{COUNT_WORDS.get(indicator.metric, '')}"


@dataclass
class MonthRow:
    month: AssessmentMonth
    own_units: list = field(default_factory=list)


def home_rows(user) -> list[MonthRow]:
    """The months `user` may open, the latest first, each with the user's own units in its
    group (whose sheets they read before publication)."""
    found = list(
        months_visible_to(user)
        .select_related("scheme__group", "version")
        .order_by("-month", "scheme__group__position", "scheme_id")
    )
    own = own_unit_ids(user)
    by_group = defaultdict(list)
    if own:
        links = UnitGroup.units.through.objects.filter(
            unitgroup_id__in={m.scheme.group_id for m in found}, unit_id__in=own
        ).select_related("unit")
        for link in links:
            by_group[link.unitgroup_id].append(link.unit)
    return [MonthRow(m, by_group.get(m.scheme.group_id, [])) for m in found]


def takes_part(user) -> bool:
    """Whether `user` has a part in any assessment: an office's readers, or a unit's people
    whose unit is in some group."""
    if scope_for(user).is_admin or read_office_ids(user).exists():
        return True
    own = own_unit_ids(user)
    return bool(own) and UnitGroup.units.through.objects.filter(unit_id__in=own).exists()


def schemes_to_open(user):
    """The schemes whose months `user` may start."""
    from zhenggai.assessments.models import Scheme

    schemes = Scheme.objects.select_related("group").order_by("-year", "group__position")
    return [s for s in schemes.visible_to(user) if runs(user, s.office_id)]


def ranking(month: AssessmentMonth) -> dict:
    """The group's results in order of rank, each with its subtotals per 指标类别."""
    _, sections, rows = standings.ranking(month)
    return {"sections": sections, "results": rows}


@dataclass
class SheetLine:
    score: Score
    figure: str
    entries: list
    rule: str = ""


def sheet(month: AssessmentMonth, unit: Unit, *, full: bool = True) -> dict:
    """A unit's score sheet: each indicator under its 类别 with its figures and entries (only
    those in force unless `full`)."""
    scores = (
        month.scores.filter(unit=unit)
        .select_related("indicator")
        .order_by("indicator__position", "indicator_id")
    )
    entries = defaultdict(list)
    found = Entry.objects.filter(month=month, unit=unit).select_related(
        "created_by", "withdrawn_by"
    )
    if not full:
        found = found.filter(withdrawn_at__isnull=True)
    for entry in found.order_by("occurred_on", "id"):
        entries[entry.indicator_id].append(entry)
    sections: dict[str, list[SheetLine]] = {}
    for score in scores:
        line = SheetLine(
            score,
            figure_text(score),
            entries.get(score.indicator_id, []),
            rule_in_words(score.indicator),
        )
        sections.setdefault(score.indicator.section, []).append(line)
    result = month.results.filter(unit=unit).first()
    return {"sections": sections, "result": result, "has_entries": bool(entries)}


@dataclass
class BehindRow:
    when: object
    what: str
    detail: str
    counts: bool
    url_problem: int | None = None
    flags: list = field(default_factory=list)


# Rows listed at most on the page behind a figure; the counts always cover them all.
SHOWN = 500


def _problem_titles(problem_ids) -> dict[int, str]:
    found = Problem.objects.filter(pk__in=set(problem_ids)).only("pk", "number", "title")
    return {p.pk: f"{p.number} {p.title}".strip() for p in found}


def _problem_rows(found) -> list[BehindRow]:
    found = list(found.order_by("due_date", "problem_id")[:SHOWN])
    titles = _problem_titles(s.problem_id for s in found)
    rows = []
    for span in found:
        detail = f"月末状态：{span.get_state_display()}"
        if span.due_date:
            detail += f"；期限 {span.due_date:%Y-%m-%d}"
        if span.rectified_on:
            detail += f"；完成于 {span.rectified_on:%Y-%m-%d}"
            if span.rectified_on_time is not None:
                detail += "（按期）" if span.rectified_on_time else "（逾期）"
        title = titles[span.problem_id]
        rows.append(BehindRow(span.due_date, title, detail, span.counts, span.problem_id))
    return rows


def _order_rows(found) -> list[BehindRow]:
    found = list(found.order_by("due_on", "pk")[:SHOWN])
    titles = _problem_titles(o.problem_id for o in found)
    rows = []
    for order in found:
        answered = "按时答复" if order.on_time else "未按时答复"
        detail = f"{order.get_level_display()}；答复期限 {order.due_on:%Y-%m-%d}；{answered}"
        title = titles[order.problem_id]
        rows.append(BehindRow(order.due_on, title, detail, order.counts, order.problem_id))
    return rows


def _rating_rows(found) -> list[BehindRow]:
    """Ratings as time, point, level and what followed a 差评: never who rated."""
    found = found.select_related("point").only("pk", "rated_at", "level", "point__name")
    rows = []
    for rating in found.order_by("rated_at", "pk")[:SHOWN]:
        flags = []
        # What followed a 差评, where the figure reads it (the 差评 metrics annotate it).
        if rating.level in BAD_LEVELS and hasattr(rating, "rectified"):
            flags.append("已整改" if rating.rectified else "未整改")
            flags.append("已回访" if rating.called_back else "未回访")
        detail = rating.get_level_display()
        rows.append(
            BehindRow(rating.rated_at, rating.point.name, detail, rating.counts, None, flags)
        )
    return rows


ROWS = {"problem": _problem_rows, "order": _order_rows, "rating": _rating_rows}


def _visible(kind: str, user) -> Q:
    """The rows behind a figure that `user` may read: problems and 督办单 of problems they may
    open, ratings of units they read (another unit's people see a published figure, never
    the ratings behind it)."""
    if kind == "rating":
        return Q(pk__in=Rating.objects.visible_to(user).values("pk"))
    return Q(problem_id__in=Problem.objects.visible_to(user).values("pk"))


def behind(user, month: AssessmentMonth, unit: Unit, indicator: Indicator) -> dict:
    """The rows behind one computed figure, marked counted or not; only those `user` may see
    are listed (the rest are counted, not shown), the first SHOWN of them."""
    spec = metrics.SPECS[indicator.metric]
    found = metrics.behind(indicator.metric, unit.pk, month.month, list(indicator.round_kinds))
    total = found.count()
    seen = found.filter(_visible(spec.kind, user))
    shown = seen.count()
    return {
        "kind": spec.kind,
        "rows": ROWS[spec.kind](seen),
        "total": total,
        "counted": found.filter(counts=True).count(),
        "hidden": total - shown,
        "more": max(0, shown - SHOWN),
        "is_rate": spec.numerator is not None,
    }


def may_see_history(user, month: AssessmentMonth) -> bool:
    return reads_office(user, month.scheme.office_id)
