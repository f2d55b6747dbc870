"""The one FilterSet of ratings, shared by the ratings list and the links of the statistics pages
(a figure's drill-down is this list with the filters that select its ratings)."""

import django_filters
from django import forms

from zhenggai.evaluations.models import Rating
from zhenggai.evaluations.values import BAD_LEVELS, Channel, Level, Period, parse_period

GOOD_LEVELS = tuple(level for level in Level.values if level not in BAD_LEVELS)
LEVEL_CHOICES = [
    ("good", "好评（基本满意及以上）"),
    ("bad", "差评（不满意、非常不满意）"),
    *((str(value), label) for value, label in Level.choices),
]


class PeriodField(forms.CharField):
    """An evaluation period by its key, "2026-10-01+3" (a "+" read from a hand-typed query
    string arrives as a space, and is taken back)."""

    def to_python(self, value) -> Period | None:
        value = super().to_python(value).strip().replace(" ", "+")
        if not value:
            return None
        period = parse_period(value)
        if period is None:
            raise forms.ValidationError("评价期不正确，请从列表中选择。")
        return period


class PeriodFilter(django_filters.Filter):
    field_class = PeriodField

    def filter(self, qs, value):
        if not value:
            return qs
        start, end = value.bounds()
        return qs.filter(rated_at__gte=start, rated_at__lt=end)


class IdFilter(django_filters.NumberFilter):
    """A record's id: a whole number a database column can hold (a longer one is refused as a
    bad value, not passed on to overflow the query)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)

    field_class = forms.IntegerField


class RatingFilter(django_filters.FilterSet):
    """Ratings by unit, point, period, level, channel and flags; `client` (a rater's keyed
    address hash) only for the evaluation office, which alone may see hashes."""

    # Ids, not model choices: the queryset filtered is already restricted to what the user may
    # see, so an id of another unit finds nothing, and no list of options is built to validate.
    unit = IdFilter(field_name="unit_id", label="单位")
    point = IdFilter(field_name="point_id", label="评价点")
    period = PeriodFilter(label="评价期")
    level = django_filters.ChoiceFilter(
        choices=LEVEL_CHOICES, method="filter_level", label="满意度", empty_label="全部"
    )
    channel = django_filters.ChoiceFilter(
        choices=Channel.choices, label="评价渠道", empty_label="全部"
    )
    burst = django_filters.BooleanFilter(label="疑似集中评价")
    outside_hours = django_filters.BooleanFilter(label="非办公时间")
    excluded = django_filters.BooleanFilter(label="申诉成立已剔除")
    client = django_filters.CharFilter(field_name="client_hash", label="来源标识")

    class Meta:
        model = Rating
        fields = []

    def __init__(self, *args, sees_raters: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not sees_raters:
            # A unit's users never filter by what identifies a rater: not even blindly.
            del self.filters["client"]

    def filter_level(self, queryset, name, value):
        if value == "good":
            return queryset.filter(level__in=GOOD_LEVELS)
        if value == "bad":
            return queryset.filter(level__in=BAD_LEVELS)
        return queryset.filter(level=int(value))
