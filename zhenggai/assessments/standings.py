"""A month's standing as the outputs print it: the ranking with each unit's indicator scores and
subtotals per 指标类别, the 红榜 and 黑榜, the active deductions and additions, the units the
bottom rule calls in, and the corrections made after the lock. Plain dataclasses read in a few
queries, shared by the Word 通报, the Excel ranking and the public 红黑榜."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from zhenggai.assessments.models import AssessmentMonth, MonthEvent
from zhenggai.assessments.services.interviews import bottom_streak


@dataclass
class Row:
    unit_id: int
    name: str
    rank: int
    total: Decimal
    on_top_list: bool
    on_bottom_list: bool
    at_bottom: bool
    scores: dict[int, Decimal] = field(default_factory=dict)  # indicator id → score
    subtotals: dict[str, Decimal] = field(default_factory=dict)  # 指标类别 → sum


@dataclass
class Deduction:
    unit: str
    indicator: str
    reason: str
    rule: str
    amount: Decimal
    occurred_on: object
    is_correction: bool


@dataclass
class Correction:
    on: object
    unit: str
    note: str


@dataclass
class Standing:
    month: AssessmentMonth
    indicators: list
    sections: list[str]
    rows: list[Row]
    deductions: list[Deduction]
    interviewed: list[str]
    corrections: list[Correction]

    @property
    def top(self) -> list[Row]:
        return [row for row in self.rows if row.on_top_list]

    @property
    def bottom(self) -> list[Row]:
        return [row for row in self.rows if row.on_bottom_list]


def sections_of(indicators) -> list[str]:
    """The 指标类别 in the order of their first indicator."""
    return list(dict.fromkeys(indicator.section for indicator in indicators))


def rows_of(month: AssessmentMonth) -> list[Row]:
    """The month's results in rank order (then by name), without the scores."""
    return [
        Row(
            unit_id=result.unit_id,
            name=result.unit.name,
            rank=result.rank,
            total=result.total,
            on_top_list=result.on_top_list,
            on_bottom_list=result.on_bottom_list,
            at_bottom=result.at_bottom,
        )
        for result in month.results.select_related("unit").order_by("rank", "unit__name")
    ]


def ranking(month: AssessmentMonth) -> tuple[list, list[str], list[Row]]:
    """The month's indicators, their 指标类别, and the results in rank order, each with its
    scores and its subtotal per 类别 (the ranking page and every output read this)."""
    indicators = list(month.version.indicators.all())
    section_of = {indicator.pk: indicator.section for indicator in indicators}
    sections = sections_of(indicators)
    rows = rows_of(month)
    by_unit = {row.unit_id: row for row in rows}
    for row in rows:
        row.subtotals = dict.fromkeys(sections, Decimal(0))
    for unit_id, indicator_id, score in month.scores.values_list(
        "unit_id", "indicator_id", "score"
    ):
        row = by_unit.get(unit_id)
        if row is not None:
            row.scores[indicator_id] = score
            row.subtotals[section_of[indicator_id]] += score
    return indicators, sections, rows


def standing(month: AssessmentMonth) -> Standing:
    indicators, sections, rows = ranking(month)
    deductions = [
        Deduction(
            unit=entry.unit.name,
            indicator=entry.indicator.name,
            reason=entry.reason,
            rule=entry.rule,
            amount=entry.amount,
            occurred_on=entry.occurred_on,
            is_correction=entry.is_correction,
        )
        for entry in month.entries.filter(withdrawn_at__isnull=True)
        .select_related("unit", "indicator")
        .order_by("unit__name", "occurred_on", "id")
    ]
    streak = bottom_streak(month) if month.is_frozen else set()
    corrections = [
        Correction(
            on=timezone.localtime(event.at).date(),
            unit=event.unit.name if event.unit else "",
            note=event.note,
        )
        for event in month.events.filter(action=MonthEvent.Action.CORRECTED).select_related("unit")
    ]
    return Standing(
        month=month,
        indicators=indicators,
        sections=sections,
        rows=rows,
        deductions=deductions,
        interviewed=[row.name for row in rows if row.unit_id in streak],
        corrections=corrections,
    )
