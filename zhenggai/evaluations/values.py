"""The national rating scheme as plain values (国办发〔2019〕51号; GB/T 39734/39735-2020): the five
levels, the dimensions of on-site and online service, the channels, and the evaluation periods."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class Level(models.IntegerChoices):
    VERY_SATISFIED = 5, "非常满意"
    SATISFIED = 4, "满意"
    BASICALLY_SATISFIED = 3, "基本满意"
    DISSATISFIED = 2, "不满意"
    VERY_DISSATISFIED = 1, "非常不满意"


# A 差评 is a rating of 2 or 1; 好评 is the other three levels, as the national scheme counts.
BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)


def is_bad(level: int) -> bool:
    return level in BAD_LEVELS


class Mode(models.TextChoices):
    ON_SITE = "on_site", "现场服务（一次一评）"
    ONLINE = "online", "网上办事（一事一评）"


# Each dimension is a column of `Rating`: (field, label), per mode, in the scheme's order.
DIMENSIONS = {
    Mode.ON_SITE: (
        ("service_efficiency", "服务效率"),
        ("service_level", "服务水平"),
        ("service_attitude", "服务态度"),
    ),
    Mode.ONLINE: (
        ("handling_efficiency", "办事效率"),
        ("guide_accuracy", "办事指南精确度"),
        ("convenience", "办事便捷度"),
        ("operability", "平台操作性"),
    ),
}
DIMENSION_FIELDS = tuple(name for dims in DIMENSIONS.values() for name, _ in dims)
DIMENSION_LABELS = dict(dim for dims in DIMENSIONS.values() for dim in dims)


class Channel(models.TextChoices):
    QR = "qr", "二维码"
    DEVICE = "device", "评价器"
    SMS = "sms", "短信链接"
    WEB = "web", "网页"
    OTHER = "other", "其他"


def score(level_sum: int, count: int) -> float | None:
    """The ranking's score: the average level on a 100-point scale (5 → 100, 1 → 20)."""
    return round(level_sum * 20 / count, 2) if count else None


@dataclass(frozen=True)
class Period:
    """An evaluation period: a month, quarter, half year or year, by EVALUATION_PERIOD_MONTHS."""

    start: date
    months: int

    @property
    def end(self) -> date:
        """The last day of the period."""
        years, month = divmod(self.start.month - 1 + self.months, 12)
        return date(self.start.year + years, month + 1, 1) - timedelta(days=1)

    @property
    def label(self) -> str:
        year, month = self.start.year, self.start.month
        if self.months == 1:
            return f"{year}年{month}月"
        if self.months == 3:
            return f"{year}年第{'一二三四'[(month - 1) // 3]}季度"
        if self.months == 6:
            return f"{year}年{'上' if month == 1 else '下'}半年"
        if self.months == 12:
            return f"{year}年"
        return f"{self.start:%Y年%m月%d日}至{self.end:%Y年%m月%d日}"

    @property
    def key(self) -> str:
        """The period in a URL: its first day and length, "2026-10-01+3"."""
        return f"{self.start.isoformat()}+{self.months}"

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as aware datetimes: from its first day's midnight to the next period's."""
        start = timezone.make_aware(datetime.combine(self.start, time.min))
        end = timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))
        return start, end

    def previous(self) -> "Period":
        return period_of(self.start - timedelta(days=1), self.months)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


PERIOD_MONTHS = (1, 3, 6, 12)


def period_of(day: date, months: int | None = None) -> Period:
    """The period of `months` (by default the configured one) that `day` falls in."""
    months = months or settings.EVALUATION_PERIOD_MONTHS
    if months not in PERIOD_MONTHS:
        raise ValueError(f"an evaluation period is 1, 3, 6 or 12 months, not {months}")
    first_month = (day.month - 1) // months * months + 1
    return Period(date(day.year, first_month, 1), months)


# Periods a person may ask for: ratings began long after the first, and the last leaves room to
# count to its end and to the next period's start without leaving the calendar.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def parse_period(key: str) -> Period | None:
    """The period of a URL's "2026-10-01+3", or None when it names no period we could hold."""
    start, _, months = key.partition("+")
    try:
        period = period_of(date.fromisoformat(start), int(months or 0) or None)
    except ValueError:
        return None
    if not FIRST_YEAR <= period.start.year <= LAST_YEAR:
        return None
    return period if period.start.isoformat() == start else None
