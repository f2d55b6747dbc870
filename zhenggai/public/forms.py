from django import forms

from zhenggai.public.models import Opinion


class OpinionForm(forms.Form):
    text = forms.CharField(
        label="意见建议", max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    name = forms.CharField(label="姓名（选填）", max_length=50, required=False)
    contact = forms.CharField(
        label="联系方式（选填）",
        max_length=100,
        required=False,
        help_text="留下电话或邮箱，便于我们回复您。",
    )
    # Left empty by people (it is hidden); filled in by form-filling robots.
    website = forms.CharField(required=False, widget=forms.HiddenInput)


class TriageForm(forms.Form):
    status = forms.ChoiceField(
        label="处理结果", choices=[c for c in Opinion.Status.choices if c[0] != Opinion.Status.NEW]
    )
    note = forms.CharField(
        label="处理意见", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
