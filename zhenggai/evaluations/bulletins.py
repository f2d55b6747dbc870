"""The periodic 通报 of an evaluation office: the units below it ranked by score for a period,
issued once per period with the rows kept as they stood, and for each unit at the bottom an
evaluation round opened with the findings as problems, on which the unit writes its
rectification plan in the ledger (the situation of seed 003)."""

from dataclasses import asdict, dataclass, field
from datetime import date
from statistics import mean

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhenggai.evaluations import stats
from zhenggai.evaluations.models import Bulletin, PeriodRound
from zhenggai.evaluations.offices import works_in
from zhenggai.evaluations.services.bad_reviews import period_round
from zhenggai.evaluations.values import DIMENSION_FIELDS, DIMENSION_LABELS, Period, period_of
from zhenggai.ledger.services.problems import add_problem, refresh_search_text
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.lib.workdays import workdays_after
from zhenggai.orgs.models import Unit

# The bottom units submit their rectification plan within this many working days of the 通报.
PLAN_WORKDAYS = 10
# A dimension is a finding when its average is this far (on the five-level scale) below the
# average of the ranked units: 0.2 is four points of the hundred-point score.
DIMENSION_GAP = 0.2
# The bounds a person may choose in the preview.
MAX_MIN_SAMPLE = 100_000
MAX_BOTTOM = 50


def default_period(today: date | None = None) -> Period:
    """The last complete period."""
    return period_of(today or timezone.localdate()).previous()


def title_of(period: Period) -> str:
    return f"关于{period.label}营商环境“背靠背”评价结果的通报"


def number(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


@dataclass
class Row:
    """One unit's line of the 通报, as stored in `Bulletin.rows`. Rates are fractions (0–1)
    or None; `dimensions` maps a dimension's field to its average level (1–5) or None."""

    unit_id: int
    name: str
    rank: int | None
    sample: int
    score: float | None
    good_rate: float | None
    bad_rate: float | None
    rectified_rate: float | None
    callback_rate: float | None
    good: int = 0
    bad: int = 0
    bad_rectified: int = 0
    dimensions: dict[str, float | None] = field(default_factory=dict)
    bottom: bool = False
    round_id: int | None = None  # the LOW_RANK round opened for a bottom unit

    @classmethod
    def from_json(cls, data: dict) -> "Row":
        return cls(**{name: data.get(name) for name in cls.__dataclass_fields__ if name in data})

    # As the pages and documents show them.
    @property
    def score_shown(self) -> str:
        return number(self.score)

    @property
    def good_shown(self) -> str:
        return percent(self.good_rate)

    @property
    def bad_shown(self) -> str:
        return percent(self.bad_rate)

    @property
    def rectified_shown(self) -> str:
        return percent(self.rectified_rate)

    @property
    def callback_shown(self) -> str:
        return percent(self.callback_rate)


@dataclass
class Ranking:
    """The units below an office ranked for a period: what the preview shows and, once issued,
    what the bulletin keeps."""

    office: Unit
    period: Period
    min_sample: int
    bottom: int
    rows: list[Row]

    @property
    def ranked(self) -> list[Row]:
        return [row for row in self.rows if row.rank is not None]

    @property
    def unranked(self) -> list[Row]:
        return [row for row in self.rows if row.rank is None]

    @property
    def bottom_rows(self) -> list[Row]:
        return [row for row in self.rows if row.bottom]

    @property
    def sample(self) -> int:
        return sum(row.sample for row in self.rows)

    @property
    def good_rate(self) -> float | None:
        """The overall 好评率 over every rating of the period, ranked units or not."""
        return round(sum(row.good for row in self.rows) / self.sample, 4) if self.sample else None

    @property
    def average_score(self) -> float | None:
        scores = [row.score for row in self.ranked if row.score is not None]
        return round(mean(scores), 2) if scores else None

    @property
    def good_rate_shown(self) -> str:
        return percent(self.good_rate)

    @property
    def average_shown(self) -> str:
        return number(self.average_score)

    @property
    def dimension_averages(self) -> dict[str, float]:
        """Per dimension, the mean of the ranked units' averages (units rated on it only)."""
        found = {}
        for name in DIMENSION_FIELDS:
            values = [row.dimensions[name] for row in self.ranked if row.dimensions.get(name)]
            if values:
                found[name] = round(mean(values), 2)
        return found


# ---------------------------------------------------------------- who may


# ---------------------------------------------------------------- the ranking


def rated_units(office: Unit):
    """The units below `office` that are evaluated: those with a rating point (a unit never set
    up for ratings is not listed as short of them)."""
    return (
        Unit.objects.filter(
            kind=Unit.Kind.UNIT, path__startswith=office.path, rating_points__isnull=False
        )
        .distinct()
        .order_by("path")
    )


def _row(unit_id: int, name: str, ranked: stats.Ranked) -> Row:
    figures = ranked.figures
    return Row(
        unit_id=unit_id,
        name=name,
        rank=ranked.rank,
        sample=figures.count,
        score=figures.score,
        good_rate=figures.good_rate,
        bad_rate=figures.bad_rate,
        rectified_rate=figures.rectified_rate,
        callback_rate=figures.callback_rate,
        good=figures.good,
        bad=figures.bad,
        bad_rectified=figures.bad_rectified,
        dimensions=dict(figures.dimensions),
    )


def mark_bottom(ranked: list[Row], bottom: int) -> None:
    """Mark the last `bottom` ranked units; units tied with the last one marked are marked too
    (a tie is not broken by chance), and a unit ranked first never is."""
    if bottom <= 0 or not ranked:
        return
    cut = ranked[max(len(ranked) - bottom, 0)].rank
    for row in ranked:
        row.bottom = row.rank >= cut and row.rank > 1


def _checked(min_sample: int | None, bottom: int | None) -> tuple[int, int]:
    min_sample = settings.RANKING_MIN_SAMPLE if min_sample is None else min_sample
    bottom = settings.RANKING_BOTTOM if bottom is None else bottom
    if not 1 <= min_sample <= MAX_MIN_SAMPLE:
        raise Refused(
            f"最少样本量应在 1 到 {MAX_MIN_SAMPLE} 之间。", f"min_sample {min_sample} out of range"
        )
    if not 0 <= bottom <= MAX_BOTTOM:
        raise Refused(f"末位单位数应在 0 到 {MAX_BOTTOM} 之间。", f"bottom {bottom} out of range")
    return min_sample, bottom


def preview(office: Unit, period: Period | None = None, *, min_sample=None, bottom=None) -> Ranking:
    """The ranking of the units below `office` for `period` (by default the last complete one):
    ranked by score, those under the minimum sample listed after them unranked (样本不足), and
    the bottom units marked among the ranked ones."""
    min_sample, bottom = _checked(min_sample, bottom)
    period = period or default_period()
    names = dict(rated_units(office).values_list("id", "name"))
    rows = [
        _row(r.unit_id, names[r.unit_id], r) for r in stats.ranking(period, list(names), min_sample)
    ]
    ranking = Ranking(office, period, min_sample, bottom, rows)
    mark_bottom(ranking.ranked, bottom)
    return ranking


def issued(bulletin: Bulletin) -> Ranking:
    """The ranking as the bulletin was issued, from its stored rows."""
    period = Period(bulletin.period_start, bulletin.period_months)
    rows = [Row.from_json(data) for data in bulletin.rows]
    return Ranking(bulletin.office, period, bulletin.min_sample, bulletin.bottom, rows)


def preview_page(office: Unit, period: Period, *, min_sample: int, bottom: int) -> dict:
    """What the preview page shows: the ranking, and the bulletin already issued for the
    period, if any."""
    earlier = Bulletin.objects.filter(
        office=office, period_start=period.start, period_months=period.months
    ).first()
    ranking = preview(office, period, min_sample=min_sample, bottom=bottom)
    asked = [(row, findings(row, ranking)) for row in ranking.bottom_rows]
    return {"ranking": ranking, "issued": earlier, "asked": asked}


def issued_on(bulletin: Bulletin) -> date:
    return timezone.localtime(bulletin.created_at).date()


def plan_due(bulletin: Bulletin) -> date:
    """The day by which the bottom units submit their rectification plan."""
    return workdays_after(issued_on(bulletin), PLAN_WORKDAYS)


# ---------------------------------------------------------------- the findings


@dataclass
class Finding:
    title: str
    description: str
    area: str


def findings(row: Row, ranking: Ranking) -> list[Finding]:
    """What the 通报 finds of a bottom unit: its rank and score, each dimension clearly below
    the ranked units' average, and its 差评 not rectified."""
    label, ranked = ranking.period.label, ranking.ranked
    tied = sum(other.rank == row.rank for other in ranked) - 1
    found = [
        Finding(
            f"在{label}营商环境“背靠背”评价中排名第{row.rank}（共{len(ranked)}个单位），"
            f"得分{number(row.score)}分，低于参评单位平均分（{number(ranking.average_score)}分），"
            "排名靠后",
            f"本期共收到企业和群众有效评价{row.sample}条，好评率{percent(row.good_rate)}，"
            f"差评率{percent(row.bad_rate)}"
            + (f"，与其他{tied}个单位并列" if tied else "")
            + "。得分按评价等级折算为百分制（非常满意100分、满意80分、基本满意60分、"
            "不满意40分、非常不满意20分）后平均。",
            "评价排名方面",
        )
    ]
    averages = ranking.dimension_averages
    for name in DIMENSION_FIELDS:
        value, average = row.dimensions.get(name), averages.get(name)
        if value is None or average is None or average - value < DIMENSION_GAP:
            continue
        what = DIMENSION_LABELS[name]
        found.append(
            Finding(
                f"“{what}”评价偏低：平均{number(value)}分（满分5分），"
                f"低于参评单位平均水平（{number(average)}分）",
                f"在{label}评价中，企业和群众对本单位“{what}”的评价平均为{number(value)}分，"
                f"参评单位平均为{number(average)}分，相差{number(average - value)}分，"
                "是本单位服务的突出短板。",
                "服务质量方面",
            )
        )
    open_bad = row.bad - row.bad_rectified
    if open_bad > 0:
        found.append(
            Finding(
                f"差评整改不到位：本期收到差评{row.bad}件，尚有{open_bad}件未整改到位",
                f"{label}本单位共收到差评{row.bad}件，已整改{row.bad_rectified}件，"
                f"差评整改率{percent(row.rectified_rate)}。未整改的差评已在本单位“好差评”"
                "差评整改轮次中逐件列出，须逐件核实、整改到位。",
                "差评整改方面",
            )
        )
    return found


def _open_round(row: Row, ranking: Ranking, *, by, title: str) -> int:
    unit = Unit.objects.get(pk=row.unit_id)
    round = period_round(unit, ranking.period, PeriodRound.Purpose.LOW_RANK)
    start = round.problems.count()
    for n, finding in enumerate(findings(row, ranking), start=start + 1):
        problem = add_problem(
            round,
            by=by,
            title=finding.title,
            number=str(n),
            description=finding.description,
            path=[finding.area],
            note=f"《{title}》所列排名靠后单位的问题，由本单位制定整改方案。",
        )
        refresh_search_text(problem)
    return round.pk


# ---------------------------------------------------------------- issuing


def issue_bulletin(
    office: Unit, period: Period | None = None, *, by, min_sample=None, bottom=None
) -> Bulletin:
    """Issue the 通报 of `office` for `period` (by default the last complete one), once: the
    ranking stored as it stands, and an evaluation round opened for each bottom unit with the
    findings as its problems. All of it or nothing."""
    if not works_in(by, office):
        raise NotAllowed("只有本级评价办可以签发评价通报。", f"{by} may not issue for {office}")
    period = period or default_period()
    if period.end >= timezone.localdate():
        raise Refused(
            f"{period.label}尚未结束，评价期结束后才能签发通报。", f"{period} is not over"
        )
    with transaction.atomic():
        Unit.objects.select_for_update().filter(pk=office.pk).first()  # one issuer at a time
        earlier = Bulletin.objects.filter(
            office=office, period_start=period.start, period_months=period.months
        ).first()
        if earlier is not None:
            raise Refused(
                f"{period.label}的评价通报已于 {timezone.localtime(earlier.created_at):%Y-%m-%d} "
                "签发，不能重复签发。",
                f"bulletin {earlier.pk} exists for {office} {period}",
            )
        ranking = preview(office, period, min_sample=min_sample, bottom=bottom)
        title = title_of(period)
        for row in ranking.bottom_rows:
            row.round_id = _open_round(row, ranking, by=by, title=title)
        return Bulletin.objects.create(
            office=office,
            title=title,
            period_start=period.start,
            period_months=period.months,
            min_sample=ranking.min_sample,
            bottom=ranking.bottom,
            rows=[asdict(row) for row in ranking.rows],
            created_by=by,
        )
