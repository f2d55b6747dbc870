"""The forms of what follows a 差评: the call back, the appeal and its decision."""

from django import forms
from django.utils import timezone

from zhenggai.evaluations.models import Appeal, Callback
from zhenggai.lib.names import person_name


class CallbackForm(forms.Form):
    caller = forms.CharField(label="回访人", max_length=50)
    called_at = forms.DateTimeField(
        label="回访时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    outcome = forms.ChoiceField(
        label="回访结果", choices=Callback.Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="回访情况",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="评价人对整改的意见；未接通的，写明拨打的时间和次数。仅评价办可见。",
    )

    @classmethod
    def for_user(cls, user, data=None):
        initial = {"caller": person_name(user)}
        initial["called_at"] = timezone.localtime().replace(second=0, microsecond=0)
        return cls(data, initial=initial)


class AppealForm(forms.Form):
    ground = forms.ChoiceField(
        label="申诉理由", choices=Appeal.Ground.choices, widget=forms.RadioSelect
    )
    statement = forms.CharField(
        label="申诉说明",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="写明差评为何属于误评、恶意差评或不属本单位职责，以及核实经过。",
    )
    evidence = forms.FileField(
        label="证明材料",
        required=False,
        help_text="办件记录、监控截图、沟通记录等（PDF、图片或Office文件）。",
    )


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="复核结论",
        choices=[("uphold", "申诉成立（该评价不计入统计）"), ("reject", "申诉不成立（评价有效）")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="复核意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
