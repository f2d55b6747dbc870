"""The choices of a 通报's preview: which office, which period, the minimum sample and how many
units at the bottom. The same fields go back, hidden, with the 签发 button."""

from django import forms
from django.conf import settings
from django.utils import timezone

from zhenggai.evaluations.bulletins import MAX_BOTTOM, MAX_MIN_SAMPLE, default_period
from zhenggai.evaluations.values import Period, parse_period

RECENT_PERIODS = 8


def recent_periods(count: int = RECENT_PERIODS) -> list[Period]:
    """The last `count` complete periods, the latest first."""
    period, found = default_period(), []
    for _ in range(count):
        found.append(period)
        period = period.previous()
    return found


class RankingOptionsForm(forms.Form):
    office = forms.ModelChoiceField(queryset=None, label="评价机构", empty_label=None)
    period = forms.ChoiceField(label="评价期")
    min_sample = forms.IntegerField(label="最少样本量（条）", min_value=1, max_value=MAX_MIN_SAMPLE)
    bottom = forms.IntegerField(label="末位单位数", min_value=0, max_value=MAX_BOTTOM)

    def __init__(self, offices, data=None):
        """`offices`: those the user may issue for; `data`: the query or the POST, whose
        missing fields take their defaults (the last complete period, the settings)."""
        periods = recent_periods()
        given = parse_period((data or {}).get("period", ""))
        if given and given not in periods and given.end < timezone.localdate():
            periods.insert(0, given)  # an older or other-length period, asked by its key
        defaults = {
            "office": offices[0].pk if offices else "",
            "period": periods[0].key,
            "min_sample": settings.RANKING_MIN_SAMPLE,
            "bottom": settings.RANKING_BOTTOM,
        }
        super().__init__({**defaults, **{k: v for k, v in (data or {}).items() if v != ""}})
        self.fields["office"].queryset = offices
        self.fields["period"].choices = [(p.key, p.label) for p in periods]
        self.fields["period"].error_messages["invalid_choice"] = (
            "评价期有误：请从列表中选择一个已结束的评价期。"
        )

    def options(self) -> dict:
        """The valid choices as `preview` and `issue_bulletin` take them."""
        data = self.cleaned_data
        return {
            "office": data["office"],
            "period": parse_period(data["period"]),
            "min_sample": data["min_sample"],
            "bottom": data["bottom"],
        }
