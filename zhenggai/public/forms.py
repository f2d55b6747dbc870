from django import forms

from zhenggai.public.models import Opinion

# The handling note is the reply: the model keeps no internal wording apart from it.
REPLY_HELP = (
    "处理意见即对提交人的答复：办结或不予受理后，提交人凭查询码可在公开页面看到处理结果、"
    "本栏内容和日期（看不到处理人）。请勿在本栏填写内部意见。"
)


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
        label="处理意见",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REPLY_HELP,
    )


class TrackingForm(forms.Form):
    code = forms.CharField(
        label="查询码",
        max_length=40,
        help_text="提交意见时页面显示的12位查询码，不区分大小写，可不输入短横线。",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "XXXX-XXXX-XXXX",
            }
        ),
    )
