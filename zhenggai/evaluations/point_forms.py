"""The forms of rating points: the evaluation office's point form, and the public rating form."""

from django import forms

from zhenggai.evaluations.models import RatingPoint
from zhenggai.evaluations.points import units_for_points
from zhenggai.evaluations.services.ratings import COMMENT_MAX
from zhenggai.evaluations.values import Level, Mode
from zhenggai.orgs.forms import UnitChoiceField
from zhenggai.orgs.models import Unit


class PointForm(forms.Form):
    """A point of a unit the evaluation office oversees; on edit its unit stays (the code on a
    printed poster belongs to it), so only its sections are offered."""

    unit = UnitChoiceField(label="被评价单位", queryset=Unit.objects.none())
    section = UnitChoiceField(
        label="科室",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="（不限科室）",
        help_text="评价对象为科室、或窗口和事项属于某个科室时选择。",
    )
    kind = forms.ChoiceField(label="评价对象类型", choices=RatingPoint.Kind.choices)
    name = forms.CharField(
        label="评价对象名称",
        max_length=200,
        help_text="印在海报上，如“政务服务中心科技窗口”“高新技术企业认定”。",
    )
    mode = forms.ChoiceField(
        label="服务方式", choices=Mode.choices, widget=forms.RadioSelect, initial=Mode.ON_SITE
    )
    active = forms.BooleanField(
        label="启用", required=False, initial=True, help_text="停用后不再接受评价，已有评价保留。"
    )

    def __init__(self, data=None, *, user, point: RatingPoint | None = None, unit_id=None):
        initial = {}
        if point is not None:
            initial = {
                "unit": point.unit_id,
                "section": point.section_id,
                "kind": point.kind,
                "name": point.name,
                "mode": point.mode,
                "active": point.active,
            }
        elif unit_id:
            initial = {"unit": unit_id}
        super().__init__(data, initial=initial)
        units = units_for_points(user, manage=True)
        self.fields["unit"].queryset = units
        sections = Unit.objects.filter(kind=Unit.Kind.SECTION).select_related("parent")
        if point is not None:
            self.fields["unit"].disabled = True
            sections = sections.filter(parent_id=point.unit_id)
        elif unit_id and units.filter(pk=unit_id).exists():
            sections = sections.filter(parent_id=unit_id)
        else:
            sections = sections.filter(parent__in=units)
        self.fields["section"].queryset = sections.order_by("parent__name", "name")

    def clean(self):
        data = super().clean()
        unit, section = data.get("unit"), data.get("section")
        if unit and section and section.parent_id != unit.pk:
            self.add_error("section", f"所选科室不属于“{unit.name}”。")
        return data


LEVEL_CHOICES = [(level.value, level.label) for level in sorted(Level, reverse=True)]


class RatingForm(forms.Form):
    """The public rating form: the level, each dimension of the point's mode (optional), and
    what the rater chooses to add. Lengths and markup are checked by `submit_rating`, whose
    refusal is shown with everything typed kept."""

    level = forms.TypedChoiceField(
        label="总体满意度",
        choices=LEVEL_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择总体满意度（五个等级之一）。"},
    )
    case_number = forms.CharField(
        label="办件编号",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 64, "autocomplete": "off"}),
        help_text="受理单或短信上的编号。填写后，同一办件只能评价一次、追评一次。",
    )
    staff = forms.CharField(
        label="工作人员",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 50, "autocomplete": "off"}),
        help_text="为您办理的工作人员姓名或工号。",
    )
    comment = forms.CharField(
        label="评价内容",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX}),
        help_text=f"选择“不满意”或“非常不满意”时必填，请写明原因，以便整改（最多 {COMMENT_MAX} 字）。",
    )
    phone = forms.CharField(
        label="联系电话",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 20, "inputmode": "tel", "autocomplete": "tel"}),
        help_text="仅用于差评整改后的回访。只有评价办能看到，被评价单位看不到。",
    )

    def __init__(self, data=None, *, point: RatingPoint):
        super().__init__(data)
        self.point = point
        choices = [("", "未评")] + LEVEL_CHOICES
        for name, label in point.dimensions:
            self.fields[name] = forms.TypedChoiceField(
                label=label, choices=choices, coerce=int, empty_value=None, required=False
            )

    def dimension_fields(self):
        return [self[name] for name, _ in self.point.dimensions]

    def values(self, channel: str) -> dict:
        """What `submit_rating` takes."""
        data = self.cleaned_data
        return {
            "level": data["level"],
            "channel": channel,
            "case_number": data["case_number"],
            "staff": data["staff"],
            "comment": data["comment"],
            "phone": data["phone"],
            "dimensions": {name: data.get(name) for name, _ in self.point.dimensions},
        }
