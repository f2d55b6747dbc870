"""Forms of the ledger. Every choice offered is restricted to what the user may see, and the
services check again what is saved."""

from django import forms
from django.contrib.auth import get_user_model

from zhenggai.ledger.imports import ACCEPT, UPLOAD_HELP_ZH
from zhenggai.ledger.models import MAX_COUNT, DeadlineKind, Measure
from zhenggai.ledger.services.evidence import check_percent
from zhenggai.ledger.services.rights import may_report
from zhenggai.lib.errors import Refused
from zhenggai.lib.names import person_name
from zhenggai.lib.workdays import MAX_WORKDAYS, workdays_after
from zhenggai.orgs.models import Unit
from zhenggai.orgs.services import people_in
from zhenggai.rounds.forms import units_user_may_inspect
from zhenggai.rounds.models import InspectionRound
from zhenggai.rounds.services import offices_for_new_units

# The form's way of giving a dated deadline as "N working days from a date".
WORKDAYS = "workdays"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return person_name(user)


def people_of(unit_id: int, roles=None):
    """Users holding a role on the unit or one of its sections."""
    return people_in([unit_id], roles)


def people_in_scope(scope):
    """Users holding a role on any unit of `scope` or on one of its sections."""
    if scope.is_admin:
        return get_user_model().objects.filter(memberships__isnull=False).distinct()
    return people_in(scope.unit_ids)


class ProblemForm(forms.Form):
    number = forms.CharField(label="序号", max_length=20, required=False)
    title = forms.CharField(label="问题", max_length=500)
    description = forms.CharField(
        label="问题描述", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    path = forms.CharField(
        label="所属方面",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一级：第一行为方面，第二行为类别（如有）。",
    )

    def clean_path(self):
        return [line.strip() for line in self.cleaned_data["path"].splitlines() if line.strip()]


class MeasureForm(forms.Form):
    text = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 4}))
    lead_leader = PersonChoiceField(label="责任领导", queryset=None, required=False)
    lead_section = forms.ModelChoiceField(label="牵头科室", queryset=None, required=False)
    responsible_sections = forms.ModelMultipleChoiceField(
        label="责任科室", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    owner = PersonChoiceField(label="责任人", queryset=None, required=False)
    deadline_kind = forms.ChoiceField(
        label="整改时限", choices=[*DeadlineKind.choices, (WORKDAYS, "N个工作日内")]
    )
    deadline = forms.DateField(
        label="完成日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    deadline_workdays = forms.IntegerField(
        label="工作日数",
        required=False,
        min_value=1,
        max_value=MAX_WORKDAYS,
        help_text="选“N个工作日内”时填写：按国家法定节假日和调休安排计算完成日期。",
    )
    deadline_from = forms.DateField(
        label="起算日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="留空则自巡察反馈日期起算。",
    )
    completed_on = forms.DateField(
        label="实际完成日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    rules_made = forms.IntegerField(
        label="新建制度（项）", min_value=0, max_value=MAX_COUNT, initial=0
    )
    rules_revised = forms.IntegerField(
        label="修订制度（项）", min_value=0, max_value=MAX_COUNT, initial=0
    )
    funds_recovered = forms.DecimalField(
        label="挽回/追缴资金（万元）", min_value=0, max_digits=14, decimal_places=2, initial=0
    )
    people_held_accountable = forms.IntegerField(
        label="问责人数", min_value=0, max_value=MAX_COUNT, initial=0
    )
    reason = forms.CharField(
        label="调整理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="方案审定后调整时限或方案，须说明理由并报单位领导审批。",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, unit_id: int, feedback_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.feedback_date = feedback_date
        sections = Unit.objects.filter(parent_id=unit_id, kind=Unit.Kind.SECTION)
        self.fields["lead_section"].queryset = sections
        self.fields["responsible_sections"].queryset = sections
        self.fields["lead_leader"].queryset = people_of(unit_id, ["leader"])
        self.fields["owner"].queryset = people_of(unit_id)

    def clean(self):
        data = super().clean()
        if data.get("deadline_kind") == WORKDAYS:
            self._clean_workdays(data)
        else:
            data["deadline_workdays"] = data["deadline_from"] = None
        if data.get("deadline_kind") == DeadlineKind.DATE and not data.get("deadline"):
            self.add_error("deadline", "限期完成的措施须填写完成日期。")
        if data.get("deadline_kind") != DeadlineKind.DATE:
            data["deadline"] = None
        return data

    def _clean_workdays(self, data: dict) -> None:
        """ "N working days from a date" becomes the dated deadline it works out to."""
        data["deadline_kind"] = DeadlineKind.DATE
        start = data.get("deadline_from") or self.feedback_date
        if not data.get("deadline_workdays"):
            self.add_error("deadline_workdays", "请填写工作日数。")
        elif start is None:
            self.add_error("deadline_from", "该轮次没有反馈日期，请填写起算日期。")
        else:
            data["deadline_from"] = start
            try:
                data["deadline"] = workdays_after(start, data["deadline_workdays"])
            except (OverflowError, ValueError):  # counted past the calendar's end
                self.add_error("deadline_from", "起算日期加上工作日数超出了日历范围，请检查日期。")

    @staticmethod
    def initial_for(measure: Measure) -> dict:
        initial = {
            name: getattr(measure, name)
            for name in (
                "text",
                "lead_leader",
                "lead_section",
                "owner",
                "deadline_kind",
                "deadline",
                "completed_on",
                "rules_made",
                "rules_revised",
                "funds_recovered",
                "people_held_accountable",
                "version",
            )
        }
        initial["responsible_sections"] = list(measure.responsible_sections.all())
        if measure.deadline_workdays:
            initial["deadline_kind"] = WORKDAYS
            initial["deadline_workdays"] = measure.deadline_workdays
            initial["deadline_from"] = measure.deadline_from
        return initial

    def measure_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("reason", "version")}


class NoteForm(forms.Form):
    note = forms.CharField(
        label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    text = forms.CharField(
        label="整改进展",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        help_text="最新一条进展会写入整改报告和公开的整改情况通报，请用正式表述。",
    )
    measure = forms.ModelChoiceField(
        label="对应措施", queryset=None, required=False, empty_label="（整个问题）"
    )
    percent = forms.IntegerField(
        label="完成进度（%）",
        required=False,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"step": 1, "inputmode": "numeric", "class": "percent"}),
        help_text="选择对应措施后填写该措施的完成进度（0–100）；不填则不变。",
        error_messages={
            "invalid": "完成进度应为 0 至 100 之间的整数。",
            "min_value": "完成进度应为 0 至 100 之间的整数。",
            "max_value": "完成进度应为 0 至 100 之间的整数。",
        },
    )
    files = MultipleFileField(
        label="佐证材料", required=False, help_text="可多选；接受 PDF、Word、Excel 和图片。"
    )

    def __init__(self, *args, problem, user, chosen=None, **kwargs):
        """`chosen`: the id of a measure to report on (from the link beside it), whose current
        completion the percentage field starts from. Only the measures `user` may report on
        are offered (a section's staff: those their section carries or they own)."""
        super().__init__(*args, **kwargs)
        active = problem.measures.filter(withdrawn=False).prefetch_related("responsible_sections")
        measures = [m for m in active.order_by("position", "id") if may_report(user, problem, m)]
        self.fields["measure"].queryset = problem.measures.filter(pk__in=[m.pk for m in measures])
        # Each measure's completion now, for the page to fill the field in when one is chosen.
        self.percents = {str(m.pk): m.done_percent for m in measures}
        measure = next((m for m in measures if str(m.pk) == str(chosen)), None)
        if measure is not None and not self.is_bound:
            self.initial.update(measure=measure, percent=measure.done_percent)

    def clean(self):
        data = super().clean()
        try:  # the service's own rule, shown beside the field
            check_percent(data.get("percent"), data.get("measure"))
        except Refused as exc:
            self.add_error("percent", exc.message)
        return data


class BulkForm(forms.Form):
    ACTIONS = [("reassign", "批量调整责任"), ("deadline", "批量调整时限")]
    action = forms.ChoiceField(choices=ACTIONS, label="操作")
    problems = forms.ModelMultipleChoiceField(queryset=None, label="问题")
    lead_section = forms.ModelChoiceField(queryset=None, required=False, label="牵头科室")
    owner = PersonChoiceField(queryset=None, required=False, label="责任人")
    deadline = forms.DateField(
        required=False, label="新的完成日期", widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(required=False, label="理由", max_length=2000)

    def __init__(self, *args, problems, sections, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problems"].queryset = problems
        self.fields["lead_section"].queryset = sections
        self.fields["owner"].queryset = people

    def clean(self):
        data = super().clean()
        if data.get("action") == "deadline" and not data.get("deadline"):
            self.add_error("deadline", "请填写新的完成日期。")
        if data.get("action") == "reassign" and not (data.get("lead_section") or data.get("owner")):
            self.add_error("lead_section", "请选择新的牵头科室或责任人。")
        return data

    def changes(self) -> dict:
        data = self.cleaned_data
        if data["action"] == "deadline":
            return {"deadline_kind": DeadlineKind.DATE, "deadline": data["deadline"]}
        return {k: data[k] for k in ("lead_section", "owner") if data.get(k)}


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("1", "批准"), ("0", "不批准")], coerce=lambda v: v == "1"
    )
    note = forms.CharField(required=False, label="意见", max_length=2000)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="文件",
        help_text=UPLOAD_HELP_ZH,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class ImportRowForm(forms.Form):
    include = forms.BooleanField(label="导入", required=False, initial=True)
    merge = forms.BooleanField(label="并入上一条", required=False)
    source = forms.IntegerField(widget=forms.HiddenInput, required=False)
    path = forms.CharField(
        label="所属方面", required=False, max_length=1000, help_text="上下级之间以“ / ”分隔"
    )
    number = forms.CharField(label="序号", required=False, max_length=20)
    title = forms.CharField(label="问题", required=False, max_length=500)
    description = forms.CharField(
        label="问题描述",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="问题本身的表现和情况（不是整改措施）",
    )
    measures = forms.CharField(
        label="整改措施",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每行一条；以空格开头的一行接续上一条措施；以 # 开头的一行另起一个问题（拆分）",
    )
    lead = forms.CharField(label="牵头科室", required=False, max_length=200)

    @classmethod
    def initial_rows(cls, parsed: dict) -> list[dict]:
        return [
            {
                "include": True,
                "source": n,
                "path": " / ".join(p["path"]),
                "number": p["number"],
                "title": p["title"],
                "description": p.get("text", ""),
                # One measure a line; a measure's further lines indented by one space.
                "measures": "\n".join(m["text"].replace("\n", "\n　") for m in p["measures"]),
                "lead": (p["lead_units"] or [""])[0],
            }
            for n, p in enumerate(parsed.get("problems", []))
        ]


# One page of an import preview (settings.IMPORT_PAGE_SIZE rows; the pages are kept on the draft).
ImportRowFormSet = forms.formset_factory(ImportRowForm, extra=0, max_num=100, validate_max=True)


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NewRoundForm(forms.Form):
    """The round a document describes, as the import preview proposes it for the inspection
    office to check; rounds.services.create_round decides whether the user may set it up."""

    title = forms.CharField(label="轮次名称", max_length=300)
    kind = forms.ChoiceField(label="类型", choices=InspectionRound.Kind.choices)
    inspecting_body = forms.CharField(label="巡察机构", max_length=200)
    unit = forms.ModelChoiceField(
        label="被巡察单位",
        queryset=None,
        required=False,
        empty_label="（新单位：填写下方名称）",
    )
    new_unit = forms.CharField(
        label="新单位名称",
        max_length=200,
        required=False,
        help_text="单位不在上面的列表中时填写全称，确认导入时在所选巡察机构下新建。",
    )
    office = forms.ModelChoiceField(label="新单位所属巡察机构", queryset=None, required=False)
    period_start = forms.DateField(label="巡察开始", required=False, widget=_date_input())
    period_end = forms.DateField(label="巡察结束", required=False, widget=_date_input())
    feedback_date = forms.DateField(
        label="反馈日期",
        required=False,
        widget=_date_input(),
        help_text="整改时限和各节点（报送整改报告、集中整改结束等）从反馈日期起算。",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_user_may_inspect(user)
        offices = offices_for_new_units(user)
        self.fields["office"].queryset = offices
        self.fields["office"].empty_label = None if len(offices) == 1 else "（请选择）"

    def clean(self):
        data = super().clean()
        new_unit = " ".join(data.get("new_unit", "").split())
        data["new_unit"] = new_unit
        if data.get("unit") and new_unit:
            self.add_error("new_unit", "已选择被巡察单位时，请清空新单位名称。")
        elif not data.get("unit") and not new_unit:
            self.add_error("unit", "请选择被巡察单位，或填写新单位名称。")
        elif new_unit and not data.get("office"):
            self.add_error("office", "请选择新单位所属的巡察机构。")
        return data

    def round_fields(self) -> dict:
        """create_round's keywords: the unit chosen, or a new unit's name and office."""
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "title",
                "kind",
                "inspecting_body",
                "period_start",
                "period_end",
                "feedback_date",
            )
        }
        if data["unit"]:
            return {**fields, "unit": data["unit"]}
        return {**fields, "new_unit": data["new_unit"], "office": data["office"]}


class FlagAnswerForm(forms.Form):
    """The unit's answer to a concern of the discipline group."""

    answer = forms.CharField(
        label="答复", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
