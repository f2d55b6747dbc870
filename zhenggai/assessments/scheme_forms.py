"""The forms of setting up an assessment: a group of units, a scheme and its ranking rules, an
indicator of a draft version, and a new version. Each offers only the office's own units and
groups; the services check again what is saved."""

from datetime import date
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from zhenggai.assessments.models import Indicator, Scheme, UnitGroup
from zhenggai.assessments.scoring import RATES, VOLUMES
from zhenggai.assessments.services.schemes import units_below
from zhenggai.assessments.values import IndicatorKind, Metric
from zhenggai.assessments.wording import number
from zhenggai.rounds.models import InspectionRound

HUNDRED = Decimal(100)
RULES = ("tie_rule", "list_size", "bottom_count", "bottom_months", "public_lists")
RULE_HELP = {
    "tie_rule": "总分相同的单位名次并列；选择并列之后的下一个名次是否顺延。",
    "list_size": "每月公布总分最高的几名（红榜）和最低的几名（黑榜）；分组单位较少时两榜平分。",
    "bottom_count": "排名在最后几名之内算作末位，与末位并列的单位一并计入。",
    "bottom_months": "连续这么多个月处于末位即自动启动约谈，每个单位每月只启动一次。",
    "public_lists": "勾选后，已发布月份的红黑榜同时在公开页面展示。",
}


class GroupForm(forms.Form):
    name = forms.CharField(
        label="分组名称",
        max_length=50,
        help_text="同一分组的单位相互排名，如“部门”“园区”“街道”。",
    )
    units = forms.ModelMultipleChoiceField(
        label="单位",
        queryset=UnitGroup.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="本机构下属的单位；每个单位只能在一个分组中。",
    )

    def __init__(self, data=None, *, office, group: UnitGroup | None = None):
        initial = {}
        if group is not None:
            initial = {"name": group.name, "units": list(group.units.values_list("pk", flat=True))}
        super().__init__(data, initial=initial)
        self.fields["units"].queryset = units_below(office).order_by("path", "name")


class RulesForm(forms.Form):
    """The ranking rules of a scheme (名次、红黑榜、末位约谈)."""

    def __init__(self, data=None, *, scheme: Scheme | None = None, initial=None):
        initial = dict(initial or {})
        if scheme is not None:
            initial.update((name, getattr(scheme, name)) for name in RULES)
        super().__init__(data, initial=initial)
        fields = forms.fields_for_model(
            Scheme, fields=RULES, widgets={"tie_rule": forms.RadioSelect}, help_texts=RULE_HELP
        )
        for name, field in fields.items():
            # A plain form does not run the model's validators: the ranges are checked here.
            for validator in Scheme._meta.get_field(name).validators:
                if isinstance(validator, MinValueValidator | MaxValueValidator):
                    field.validators.append(validator)
                    bound = "min" if isinstance(validator, MinValueValidator) else "max"
                    field.widget.attrs[bound] = validator.limit_value
        self.fields.update(fields)

    def rules(self) -> dict:
        return {name: self.cleaned_data[name] for name in RULES}


class SchemeForm(RulesForm):
    """A new scheme: the group it ranks, its year and title, and its rules."""

    group = forms.ModelChoiceField(label="考核分组", queryset=UnitGroup.objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(
        label="考核办法名称",
        max_length=200,
        help_text="如“2025年优化营商环境工作考核办法（部门）”。",
    )

    def __init__(self, data=None, *, office):
        super().__init__(data, initial={"year": date.today().year})
        self.fields["group"].queryset = UnitGroup.objects.filter(office=office)
        self.order_fields(["group", "year", "title", *RULES])


class IndicatorForm(forms.Form):
    """One indicator of a draft version. A rate's target is typed as a percentage (95 for 95%)
    and kept as a fraction; the cap left empty is the indicator's points."""

    section = forms.CharField(
        label="指标类别",
        max_length=100,
        help_text="考核办法中的一级标题，如“日常工作”“三方考评”；同类指标在页面上合并显示。",
        widget=forms.TextInput(attrs={"list": "indicator-sections"}),
    )
    name = forms.CharField(label="指标名称", max_length=200)
    kind = forms.ChoiceField(
        label="评分方式",
        choices=IndicatorKind.choices,
        widget=forms.RadioSelect,
        initial=IndicatorKind.ENTERED,
        help_text="系统计算：按台账、督办单和评价数据自动算分；录入加减分：由评价办逐项录入扣分、加分及理由；导入评分：每月从Excel导入第三方评分。",
    )
    points = forms.DecimalField(label="分值", max_digits=6, decimal_places=2, min_value=0)
    metric = forms.ChoiceField(
        label="计算指标",
        choices=[("", "请选择")] + Metric.choices,
        required=False,
        help_text="比率类指标（按期整改率、好评率等）按月末的台账和评价数据计算；逾期未整改问题数按件扣分；评价数量按条数计分。",
    )
    round_kinds = forms.MultipleChoiceField(
        label="统计的轮次类型",
        choices=InspectionRound.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="只对整改问题和督办单有效；都不勾选则统计全部类型。",
    )
    target = forms.DecimalField(
        label="目标值",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text="比率类填百分数（如95表示95%，不填为100%），达到即得满分；评价数量填满分所需的评价条数。",
    )
    deduct_per = forms.DecimalField(
        label="每项扣分",
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        help_text="比率类：每低于目标1个百分点扣的分，不填则按比例得分；逾期问题：每件扣的分，不填为1分。",
    )
    starts_full = forms.BooleanField(
        label="满分起扣",
        required=False,
        initial=True,
        help_text="用于录入加减分的指标：勾选则从满分起扣；不勾选则从0分起加（加分项）。",
    )
    floor = forms.DecimalField(
        label="最低分",
        required=False,
        max_digits=6,
        decimal_places=2,
        help_text="扣分后不低于此分，不填为0分。",
    )
    cap = forms.DecimalField(
        label="最高分",
        required=False,
        max_digits=6,
        decimal_places=2,
        help_text="加分后不高于此分，不填等于分值。",
    )
    standard = forms.CharField(
        label="评分标准",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="照录考核办法的原文，供被考核单位查阅。",
    )

    def __init__(self, data=None, *, indicator: Indicator | None = None):
        initial = {}
        if indicator is not None:
            initial = {name: getattr(indicator, name) for name in self.base_fields}
            if indicator.target is not None:
                # A rate's 0.9500 shows as 95, a volume's 200.0000 as 200: no more decimals
                # than the field takes, or saving the form unchanged would be refused.
                scale = HUNDRED if indicator.metric in RATES else 1
                initial["target"] = Decimal(number(indicator.target * scale))
            if indicator.cap == indicator.points:
                initial["cap"] = None
            if indicator.floor == 0:
                initial["floor"] = None
        super().__init__(data, initial=initial)

    def clean(self):
        data = super().clean()
        if data.get("kind") == IndicatorKind.COMPUTED and not data.get("metric"):
            self.add_error("metric", "系统计算的指标须选择计算指标。")
        if data.get("metric") in VOLUMES and data.get("target") is None:
            self.add_error("target", "评价数量指标须填写满分所需的评价条数。")
        if data.get("metric") in RATES and (data.get("target") or 0) > HUNDRED:
            self.add_error("target", "比率的目标值不能超过100%。")
        if data.get("points") == 0:
            self.add_error("points", "分值须大于0。")
        return data

    def values(self) -> dict:
        """What `save_indicator` takes: only what the kind and metric use."""
        data = dict(self.cleaned_data)
        metric = data["metric"] if data["kind"] == IndicatorKind.COMPUTED else ""
        data["metric"] = metric
        if not metric:
            data.update(round_kinds=[], target=None, deduct_per=None)
        elif metric in RATES and data["target"] is not None:
            data["target"] = data["target"] / HUNDRED
        elif metric not in RATES and metric not in VOLUMES:
            data["target"] = None
        if metric in VOLUMES:
            data["deduct_per"] = None
        data["floor"] = data["floor"] if data["floor"] is not None else Decimal(0)
        return data


class VersionForm(forms.Form):
    """A new version of an issued scheme: the month it is in force from, and why."""

    month = forms.TypedChoiceField(label="施行月份", coerce=int, choices=())
    note = forms.CharField(
        label="修订说明",
        max_length=300,
        required=False,
        help_text="如“增加差评整改率指标”。",
    )

    def __init__(self, data=None, *, scheme: Scheme):
        today = date.today()
        start = today.month + 1 if today.year == scheme.year else 1
        super().__init__(data, initial={"month": min(start, 12)})
        self.scheme = scheme
        self.fields["month"].choices = [(m, f"{scheme.year}年{m}月") for m in range(1, 13)]
        self.fields[
            "month"
        ].help_text = "从这个月起，月度考核按新版本评分；此前的月份仍按原版本，不受影响。"

    def effective_from(self) -> date:
        return date(self.scheme.year, self.cleaned_data["month"], 1)
