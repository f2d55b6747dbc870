"""What the API shows of supervision orders, notices, the public's opinions and the dashboard's
figures, and what it accepts to issue, answer and decide an order or triage an opinion."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from zhenggai.public.models import Opinion
from zhenggai.public.services import may_see_contacts
from zhenggai.reports.models import Notice
from zhenggai.supervision.models import Escalation

# ---------------------------------------------------------------- orders (督办单)


class OrderSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    issued_as_display = serializers.CharField(source="get_issued_as_display", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    number = serializers.CharField(
        read_only=True, help_text="编号，如“〔2026〕第12号”（编号前下发的为空）"
    )
    office_name = serializers.CharField(
        source="office.name", read_only=True, allow_null=True, help_text="下发机关（编号所属）"
    )

    class Meta:
        model = Escalation
        fields = [
            "id",
            "kind",
            "kind_display",
            "number",
            "office",
            "office_name",
            "problem",
            "measure",
            "level",
            "level_display",
            "demand",
            "due_on",
            "is_overdue",
            "status",
            "status_display",
            "issued_by",
            "issued_at",
            "issued_as",
            "issued_as_display",
            "answer",
            "answered_by",
            "answered_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class OrderIssueSerializer(serializers.Serializer):
    """A new order on a problem the caller sees, or on one of its measures."""

    problem = serializers.IntegerField(min_value=1)
    measure = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(
        choices=Escalation.Kind.choices, default=Escalation.Kind.SUPERVISE
    )
    level = serializers.ChoiceField(choices=Escalation.Level.choices)
    demand = serializers.CharField(max_length=4000)
    due_on = serializers.DateField()


class OrderAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=4000)


class OrderDecisionSerializer(serializers.Serializer):
    accept = serializers.BooleanField(help_text="true：同意办结；false：退回重新答复（须说明理由）")
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


# ---------------------------------------------------------------- notices


class NoticeSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    title = serializers.CharField(source="__str__", read_only=True)
    # A plain string: blank when not given (an "email" format would refuse the blank).
    email = serializers.CharField(read_only=True, help_text="电子邮箱（未填为空）")
    published_content = serializers.JSONField(
        read_only=True, allow_null=True, help_text="发布时保存的公开文本（未发布为 null）"
    )

    class Meta:
        model = Notice
        fields = [
            "id",
            "round",
            "title",
            "issuer",
            "subject",
            "addressee",
            "organisation",
            "next_steps",
            "phone",
            "email",
            "address",
            "postcode",
            "signed_on",
            "state",
            "state_display",
            "published_at",
            "published_content",
            "updated_at",
        ]
        read_only_fields = fields


# ---------------------------------------------------------------- opinions


class OpinionSerializer(serializers.ModelSerializer):
    """An opinion of the public; who sent it and how to reach them only for those the pages show
    them to (the unit's leaders, its office and the discipline group), never the sender's hash."""

    status_display = serializers.CharField(source="get_status_display", read_only=True)
    round = serializers.IntegerField(source="notice.round_id", read_only=True)
    name = serializers.SerializerMethodField()
    contact = serializers.SerializerMethodField()

    class Meta:
        model = Opinion
        fields = [
            "id",
            "notice",
            "round",
            "text",
            "name",
            "contact",
            "created_at",
            "status",
            "status_display",
            "handling_note",
            "handled_by",
            "handled_at",
        ]
        read_only_fields = fields

    def _shows_contacts(self, opinion: Opinion) -> bool:
        user = self.context["request"].user
        return may_see_contacts(user, opinion.notice)

    def get_name(self, opinion: Opinion) -> str | None:
        return opinion.name if self._shows_contacts(opinion) else None

    def get_contact(self, opinion: Opinion) -> str | None:
        return opinion.contact if self._shows_contacts(opinion) else None


class TriageSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[c for c in Opinion.Status.choices if c[0] != Opinion.Status.NEW]
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


# ---------------------------------------------------------------- the dashboard's figures


class FigureSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    url = serializers.CharField(help_text="台账中恰好列出这些问题的链接（无则为空）")


class RowSerializer(serializers.Serializer):
    label = serializers.CharField()
    cells = FigureSerializer(many=True, help_text="每个状态分组一格，顺序同 groups")
    total = FigureSerializer()
    average = serializers.FloatField(allow_null=True, help_text="平均完成进度（%）")


class BreakdownSerializer(serializers.Serializer):
    rows = RowSerializer(many=True)
    more_bars = serializers.IntegerField()
    more_problems = serializers.IntegerField()


class WeekSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    done = FigureSerializer()
    cumulative = FigureSerializer()
    rate = serializers.FloatField()


class DueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    unit = serializers.CharField(source="unit__name")
    due_date = serializers.DateField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    days = serializers.IntegerField(help_text="距整改期限的天数（逾期为负数）")


class RankedSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    unit = serializers.CharField()
    problems = FigureSerializer()
    rectified = FigureSerializer()
    on_time = FigureSerializer()
    late = FigureSerializer()
    rate = serializers.FloatField(allow_null=True)
    average = serializers.FloatField(allow_null=True, help_text="平均完成进度（%）")


class GroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    states = serializers.ListField(child=serializers.CharField())


class KpisSerializer(serializers.Serializer):
    problems = FigureSerializer()
    rectified = FigureSerializer()
    closed_out = FigureSerializer()
    long_term = FigureSerializer()
    unfinished = FigureSerializer()
    overdue = FigureSerializer()
    due_soon = FigureSerializer()
    escalated = FigureSerializer()
    on_time = FigureSerializer()
    late = FigureSerializer()


# One object, though the router serves it as the resource's list.
@extend_schema_serializer(many=False)
class DashboardSerializer(serializers.Serializer):
    """The dashboard page's figures: the section and leader breakdowns for one unit (else
    null), the ranking across units (else empty)."""

    unit = serializers.IntegerField(allow_null=True, help_text="所选单位（未选为 null）")
    round = serializers.IntegerField(allow_null=True, help_text="所选轮次（未选为 null）")
    today = serializers.DateField()
    kpis = KpisSerializer()
    completion_rate = serializers.FloatField()
    on_time_rate = serializers.FloatField(allow_null=True)
    average_percent = serializers.FloatField(
        allow_null=True, help_text="平均完成进度（%）：各问题完成进度的平均值，无问题为 null"
    )
    groups = GroupSerializer(many=True)
    by_area = BreakdownSerializer()
    by_section = BreakdownSerializer(allow_null=True)
    by_leader = BreakdownSerializer(allow_null=True)
    ranking = RankedSerializer(many=True)
    trend = WeekSerializer(many=True)
    overdue = DueSerializer(many=True)
    due_soon = DueSerializer(many=True)
