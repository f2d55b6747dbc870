"""The assessment's plain values: kinds of indicator, the metrics the system computes, how ties
rank, and where a month stands."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import models

# Scores are kept and compared to two decimals, as published score sheets print them.
CENT = Decimal("0.01")


def cents(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class IndicatorKind(models.TextChoices):
    COMPUTED = "computed", "系统计算"
    ENTERED = "entered", "录入加减分"
    IMPORTED = "imported", "导入评分"


class Metric(models.TextChoices):
    """What the system computes for a unit and month, as of the month's end (metrics.py)."""

    ON_TIME_RATE = "on_time_rate", "按期整改率"
    RECTIFIED_RATE = "rectified_rate", "整改完成率"
    OVERDUE = "overdue", "逾期未整改问题数"
    ORDERS_ON_TIME = "orders_on_time", "督办单按时答复率"
    GOOD_RATE = "good_rate", "好评率"
    RATING_COUNT = "rating_count", "评价数量"
    BAD_RECTIFIED_RATE = "bad_rectified_rate", "差评整改率"
    CALLBACK_RATE = "callback_rate", "差评回访率"


class TieRule(models.TextChoices):
    # 1, 2, 2, 4: tied units share a place and the next place is skipped (并列占位).
    COMPETITION = "competition", "并列占位（1、2、2、4）"
    # 1, 2, 2, 3: tied units share a place and the next follows on (并列不占位).
    DENSE = "dense", "并列不占位（1、2、2、3）"


class MonthState(models.TextChoices):
    OPEN = "open", "评分中"
    REVIEWED = "reviewed", "已审核"
    LOCKED = "locked", "已锁定"
    PUBLISHED = "published", "已发布"


FROZEN_STATES = (MonthState.LOCKED, MonthState.PUBLISHED)


def month_label(month: date) -> str:
    return f"{month.year}年{month.month}月"
