from datetime import timedelta

from django import forms
from django.utils import timezone

from zhenggai.ledger.forms import MultipleFileField
from zhenggai.orgs.models import Person
from zhenggai.supervision.models import Escalation, Preference, normalise_mobile


class EscalationForm(forms.Form):
    kind = forms.ChoiceField(
        label="类别",
        choices=Escalation.Kind.choices,
        initial=Escalation.Kind.SUPERVISE,
        widget=forms.RadioSelect,
        required=False,  # a form posted without it (an older page) issues a 督办单
        help_text="督办单：对问题或措施提出督办要求；催办单：催促逾期或进展滞后的事项。各自按年度连续编号。",
    )
    level = forms.TypedChoiceField(
        label="督办级别",
        choices=Escalation.Level.choices,
        coerce=int,
        required=False,  # asked of a 督办单 only (clean); a 催办单 has no level
        empty_value=None,
        help_text="仅督办单填写；催办单不分级别。",
    )
    measure = forms.TypedChoiceField(label="督办措施", required=False, coerce=int, empty_value=None)
    demand = forms.CharField(
        label="督办要求",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="写明存在的问题、整改要求和答复内容。",
    )
    due_on = forms.DateField(label="答复期限", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Escalation.Kind.choices  # no blank choice
        self.fields["measure"].choices = [("", "（针对整个问题）")] + [
            (m.pk, f"措施{n}：{m.text[:40]}") for n, m in enumerate(measures, 1)
        ]
        self.fields["due_on"].initial = timezone.localdate() + timedelta(days=7)

    def clean_kind(self) -> str:
        return self.cleaned_data["kind"] or Escalation.Kind.SUPERVISE

    def clean(self):
        data = super().clean()
        if data.get("kind") == Escalation.Kind.URGE:
            data["level"] = Escalation.Level.SUPERVISE  # stored as the lowest, never shown
        elif "kind" in data and not data.get("level") and "level" not in self.errors:
            self.add_error("level", "请选择督办级别。")
        return data


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="答复内容",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="说明针对督办要求已做的工作、取得的成效和下一步安排。",
    )
    files = MultipleFileField(
        label="附件",
        required=False,
        help_text="可多选，如盖章的书面答复、会议纪要；接受 PDF、Word、Excel 和图片。",
    )


class EscalationDecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label="意见",
        choices=[("1", "同意办结"), ("0", "退回重新答复")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="说明", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MilestoneForm(forms.Form):
    done_on = forms.DateField(
        label="完成日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due_on = forms.DateField(
        label="另定期限",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="上级另有要求时填写；留空则按规则计算。",
    )
    note = forms.CharField(label="说明", required=False, max_length=300)


class PreferenceForm(forms.ModelForm):
    quiet_weekdays = forms.TypedMultipleChoiceField(
        label="以下日子不提醒",
        choices=Preference.WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Preference
        fields = ["by_email", "by_robot", "mobile", "quiet_on_rest_days", "quiet_weekdays"]
        widgets = {"mobile": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})}
        help_texts = {
            "mobile": "中国大陆手机号，可带 +86、空格或短横线，如 +86 139 1234 5678；保存为11位数字。"
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, reminders @-mention the mobile of the directory (通讯录).
        user_id = self.instance.user_id
        person = Person.objects.filter(user_id=user_id).first() if user_id else None
        if person and person.mobile:
            field = self.fields["mobile"]
            field.widget.attrs["placeholder"] = person.mobile
            field.help_text = f"留空则使用通讯录中的手机号 {person.mobile}。{field.help_text}"
        else:
            self.fields["mobile"].help_text += "留空且通讯录中也没有手机号时，群消息不@您。"

    def clean_mobile(self):
        return normalise_mobile(self.cleaned_data["mobile"])
