"""An indicator's scoring rule in words, as a published 考核办法 would print it: "按期整改率，每低
1个百分点扣0.2分", "逾期未整改问题每件扣1分", "评价数量，达到200条得满分". It says what scoring.py
does with the indicator, no more."""

from decimal import ROUND_HALF_UP, Decimal

from zhenggai.assessments.scoring import LAPSES, RATES, VOLUMES
from zhenggai.assessments.values import IndicatorKind
from zhenggai.rounds.models import InspectionRound


def number(value: Decimal) -> str:
    """A decimal without trailing zeros: 0.50 → "0.5", 40.00 → "40"."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent(fraction: Decimal) -> str:
    """A fraction as a percentage to a tenth at most, as score sheets print rates: 0.6667 →
    "66.7%", 0.95 → "95%"."""
    tenths = (Decimal(fraction) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{number(tenths)}%"


def _rate(indicator) -> str:
    label = indicator.get_metric_display()
    target = indicator.target if indicator.target is not None else Decimal(1)
    if indicator.deduct_per is not None:
        below = "每低1个百分点" if target == 1 else f"以{percent(target)}为满分，每低1个百分点"
        text = f"{label}，{below}扣{number(indicator.deduct_per)}分"
    else:
        text = f"{label}，按比例得分，达到{percent(target)}得满分"
    return text + "，当月无应统计事项的不扣分"


def _computed(indicator) -> str:
    if indicator.metric in LAPSES:
        per = indicator.deduct_per if indicator.deduct_per is not None else Decimal(1)
        text = f"逾期未整改问题每件扣{number(per)}分"
    elif indicator.metric in RATES:
        text = _rate(indicator)
    elif indicator.metric in VOLUMES and indicator.target:
        text = f"{indicator.get_metric_display()}，达到{number(indicator.target)}条得满分，不足按比例得分"
    else:
        text = indicator.get_metric_display() or "（未选择计算指标）"
    if indicator.round_kinds:
        labels = dict(InspectionRound.Kind.choices)
        kinds = "、".join(labels.get(kind, kind) for kind in indicator.round_kinds)
        text += f"（只统计{kinds}轮次）"
    return text


def rule_in_words(indicator) -> str:
    """How the indicator is scored, with its floor and cap when they differ from the plain
    0 to `points`."""
    if indicator.kind == IndicatorKind.COMPUTED:
        text = _computed(indicator)
    elif indicator.kind == IndicatorKind.IMPORTED:
        text = "按导入的第三方评分计分"
    elif indicator.starts_full:
        text = "满分起扣，按评价办录入的扣分和加分计分"
    else:
        text = "从0分起加，按评价办录入的加分计分"
    if indicator.floor != 0 or indicator.cap != indicator.points:
        text += f"；最低{number(indicator.floor)}分，最高{number(indicator.cap)}分"
    return text
