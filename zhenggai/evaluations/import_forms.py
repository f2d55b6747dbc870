"""The upload form of an import of 好差评 data."""

from django import forms

from zhenggai.evaluations.imports import FORMATS_ZH
from zhenggai.evaluations.platform import KINDS, RATINGS

ACCEPT = ".xlsx,.csv"


class OfficeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return unit.name


class RatingImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="文件内容",
        choices=[
            (
                key,
                f"{label}（{'好差评平台导出的评价明细' if key == RATINGS else '各单位每月办件数'}）",
            )
            for key, label in KINDS.items()
        ],
        initial=RATINGS,
        widget=forms.RadioSelect,
    )
    office = OfficeChoiceField(label="评价机构", queryset=None, empty_label=None)
    file = forms.FileField(
        label="文件",
        help_text=f"{FORMATS_ZH}，按文件内容识别，不看扩展名。",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        if len(offices) == 1:  # the usual case: the office is the user's one
            self.fields["office"].initial = offices[0]
            self.fields["office"].widget = forms.HiddenInput()
