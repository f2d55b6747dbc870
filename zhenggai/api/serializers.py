"""What the API shows of each record: its own fields, ids for what it points to, and the
labels of its codes; dates in ISO 8601, moments with their time zone."""

from rest_framework import serializers

from zhenggai.ledger.models import Problem
from zhenggai.orgs.models import Unit
from zhenggai.rounds.models import InspectionRound


class UnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "kind", "kind_display", "parent"]


class RoundSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = InspectionRound
        fields = [
            "id",
            "kind",
            "kind_display",
            "title",
            "unit",
            "inspecting_body",
            "period_start",
            "period_end",
            "feedback_date",
        ]


class ProblemSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    warning = serializers.CharField(read_only=True)

    class Meta:
        model = Problem
        fields = [
            "id",
            "round",
            "unit",
            "number",
            "title",
            "description",
            "path",
            "area",
            "state",
            "state_display",
            "state_changed_at",
            "due_date",
            "warning",
            "rectified_on",
            "rectified_on_time",
            "escalation_level",
            "percent",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "percent": {
                "help_text": "完成进度（%）：有效措施进度的平均值（向下取整），已整改为 100"
            }
        }


class TransitionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
