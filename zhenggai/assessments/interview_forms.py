"""The forms of 约谈 and clues: each offers only the offices and units its user may choose."""

from django import forms

from zhenggai.assessments.services.schemes import units_below
from zhenggai.orgs.models import Unit

COMMITMENT_ROWS = 5  # empty rows offered at once; more are added in the page (or after saving)


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NameChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return unit.name


class InterviewCreateForm(forms.Form):
    office = NameChoiceField(label="约谈机构", queryset=None, empty_label=None)
    unit = NameChoiceField(label="被约谈单位", queryset=None, empty_label="请选择")
    reason = forms.CharField(
        label="约谈事由", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        offices = list(offices)
        self.fields["office"].queryset = Unit.objects.filter(pk__in=[o.pk for o in offices])
        self.fields["unit"].queryset = units_below(*offices).order_by("name")
        if len(offices) == 1:
            self.fields["office"].initial = offices[0]
            self.fields["office"].widget = forms.HiddenInput()


class ScheduleForm(forms.Form):
    scheduled_on = forms.DateField(label="约谈日期", widget=_date_input())
    interviewer = forms.CharField(label="约谈人", max_length=200, help_text="如：区评价办主任 张某")
    interviewees = forms.CharField(
        label="被约谈人", max_length=200, help_text="如：局长 李某、分管副局长 王某"
    )
    place = forms.CharField(label="地点", max_length=200, required=False)

    @classmethod
    def for_interview(cls, interview, data=None):
        initial = {
            "scheduled_on": interview.scheduled_on,
            "interviewer": interview.interviewer,
            "interviewees": interview.interviewees,
            "place": interview.place,
        }
        return cls(data, initial=initial)


class RecordForm(forms.Form):
    held_on = forms.DateField(label="实际约谈日期", widget=_date_input())
    minutes = forms.CharField(
        label="约谈纪要", max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )


class CommitmentForm(forms.Form):
    text = forms.CharField(
        label="整改承诺", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    deadline = forms.DateField(label="完成时限", required=False, widget=_date_input())

    def clean(self):
        data = super().clean()
        if (
            data.get("text", "").strip()
            and not data.get("deadline")
            and "deadline" not in self.errors
        ):
            self.add_error("deadline", "请填写该项承诺的完成时限。")
        if data.get("deadline") and not data.get("text", "").strip():
            self.add_error("text", "填写了完成时限，请同时填写承诺内容。")
        return data


CommitmentFormSet = forms.formset_factory(
    CommitmentForm, extra=COMMITMENT_ROWS, max_num=30, validate_max=True, absolute_max=30
)


def commitments_from(formset) -> list[tuple[str, object]]:
    return [
        (form.cleaned_data["text"], form.cleaned_data["deadline"])
        for form in formset
        if form.cleaned_data.get("text", "").strip()
    ]


class ClueForm(forms.Form):
    unit = NameChoiceField(label="涉及单位", queryset=None, empty_label="请选择")
    summary = forms.CharField(
        label="线索内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("name")
