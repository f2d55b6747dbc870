"""The month's forms: start a month, enter a deduction or addition (a correction after the
lock), withdraw an entry, send a reviewed month back."""

from datetime import timedelta

from django import forms
from django.utils import timezone

MONTH_INPUT = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def scheme_label(scheme) -> str:
    """A scheme with its group, unless its title already names it."""
    group = scheme.group.name
    return scheme.title if group in scheme.title else f"{scheme.title}（{group}）"


class MonthOpenForm(forms.Form):
    scheme = forms.ModelChoiceField(queryset=None, label="考核办法", empty_label=None)
    month = forms.DateField(
        label="考核月份",
        widget=MONTH_INPUT,
        input_formats=["%Y-%m", "%Y-%m-%d"],
        error_messages={"invalid": "考核月份有误，请按“2025-11”的格式选择月份。"},
    )

    def __init__(self, schemes, data=None):
        last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
        super().__init__(data, initial={"month": last_month})
        self.fields["scheme"].queryset = schemes
        self.fields["scheme"].label_from_instance = scheme_label


class EntryForm(forms.Form):
    indicator = forms.ModelChoiceField(
        queryset=None,
        label="指标",
        empty_label="请选择",
        error_messages={"required": "请选择指标。"},
    )
    amount = forms.DecimalField(
        label="加减分",
        max_digits=6,
        decimal_places=2,
        help_text="扣分填负数（如 -0.5），加分填正数。",
        error_messages={"invalid": "加减分须是数字，如 -0.5。"},
    )
    reason = forms.CharField(label="事由", max_length=300)
    rule = forms.CharField(label="依据条款", max_length=200, required=False)
    occurred_on = forms.DateField(
        label="发生日期",
        widget=DATE_INPUT,
        input_formats=["%Y-%m-%d", "%Y/%m/%d"],
        error_messages={"invalid": "发生日期有误，请按“2025-11-05”的格式填写。"},
    )
    upload = forms.FileField(label="佐证材料", required=False)
    correction_reason = forms.CharField(
        label="更正理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="考核已锁定：本次录入是一项更正，将记入考核记录。",
    )

    def __init__(self, month, data=None, files=None, initial=None):
        super().__init__(data, files, initial=initial)
        self.fields["indicator"].queryset = month.version.indicators.order_by("position", "id")
        self.fields["indicator"].label_from_instance = lambda i: f"{i.section}·{i.name}"
        if not month.is_frozen:
            del self.fields["correction_reason"]

    def entry(self) -> dict:
        data = dict(self.cleaned_data)
        data.setdefault("correction_reason", "")
        data.pop("indicator")
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label="审核意见", max_length=300, required=False)
