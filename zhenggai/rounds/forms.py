from django import forms

from zhenggai.orgs.access import scope_for
from zhenggai.orgs.forms import UnitChoiceField
from zhenggai.orgs.models import Role, Unit
from zhenggai.rounds.models import InspectionRound
from zhenggai.rounds.services import ROUND_FIELDS


def units_user_may_inspect(user):
    scope = scope_for(user)
    ids = scope.units_with(Role.INSPECTION_OFFICE)
    return Unit.objects.filter(pk__in=ids, kind=Unit.Kind.UNIT).order_by("name")


class RoundForm(forms.ModelForm):
    class Meta:
        model = InspectionRound
        fields = list(ROUND_FIELDS)
        field_classes = {"unit": UnitChoiceField}  # units of one name told apart by their path
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in ("period_start", "period_end", "feedback_date")
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_user_may_inspect(user)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        feedback = data.get("feedback_date")
        if start and end and end < start:
            self.add_error("period_end", "巡察结束日期不能早于开始日期。")
        if feedback and (end or start) and feedback < (end or start):
            self.add_error("feedback_date", "反馈日期不能早于巡察期间。")
        return data


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="文件", help_text="反馈意见、整改方案、整改报告等（PDF、Word、Excel）。"
    )
