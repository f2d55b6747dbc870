"""What the API shows of measures, progress reports with their evidence, and change requests,
and the bodies it takes to change them. The values of a measure change are checked by the
page's own form (ledger/forms.MeasureForm) after these fields are read."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhenggai.ledger.filters import MAX_ID
from zhenggai.ledger.forms import MeasureForm
from zhenggai.ledger.models import ChangeRequest, Evidence, Measure, ProgressReport

# The form's own choices: a date, 立行立改, 长期坚持, or "N working days from a date".
DEADLINE_KINDS = MeasureForm.base_fields["deadline_kind"].choices
MAX_TEXT = 20000


class MeasureSerializer(serializers.ModelSerializer):
    deadline_kind_display = serializers.CharField(
        source="get_deadline_kind_display", read_only=True
    )
    deadline_display = serializers.CharField(read_only=True)
    warning = serializers.CharField(read_only=True)
    done_percent = serializers.IntegerField(
        read_only=True, help_text="计入问题完成进度的值：已完成的措施为 100，否则同 percent"
    )

    class Meta:
        model = Measure
        fields = [
            "id",
            "problem",
            "position",
            "text",
            "lead_leader",
            "lead_section",
            "responsible_sections",
            "owner",
            "deadline_kind",
            "deadline_kind_display",
            "deadline",
            "deadline_workdays",
            "deadline_from",
            "deadline_display",
            "completed_on",
            "percent",
            "done_percent",
            "withdrawn",
            "rules_made",
            "rules_revised",
            "funds_recovered",
            "people_held_accountable",
            "warning",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MeasureChangeSerializer(serializers.Serializer):
    """The fields of the measure form, each optional (what is left out stays as it is). Plan
    and deadline changes that the caller may only ask for need `reason`."""

    text = serializers.CharField(required=False, max_length=MAX_TEXT)
    lead_leader = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    lead_section = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    responsible_sections = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=200,
    )
    owner = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)
    deadline_kind = serializers.ChoiceField(choices=DEADLINE_KINDS, required=False)
    deadline = serializers.DateField(required=False, allow_null=True)
    deadline_workdays = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MeasureForm.base_fields["deadline_workdays"].max_value,
    )
    deadline_from = serializers.DateField(required=False, allow_null=True)
    completed_on = serializers.DateField(required=False, allow_null=True)
    rules_made = serializers.IntegerField(required=False, min_value=0)
    rules_revised = serializers.IntegerField(required=False, min_value=0)
    funds_recovered = serializers.DecimalField(
        required=False, max_digits=14, decimal_places=2, min_value=0
    )
    people_held_accountable = serializers.IntegerField(required=False, min_value=0)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class PreconditionSerializer(serializers.Serializer):
    """A write refused for its If-Match, in the API's one error shape (api/errors.py)."""

    code = serializers.CharField()
    message = serializers.CharField()


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class ChangeRequestSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    changes = serializers.JSONField(read_only=True, help_text="申请的新值（字段名 → 值）")
    before = serializers.JSONField(read_only=True, help_text="申请时的原值（字段名 → 值）")

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "measure",
            "problem",
            "kind",
            "kind_display",
            "changes",
            "before",
            "reason",
            "status",
            "status_display",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class MeasureUpdateSerializer(serializers.Serializer):
    """What a change did: the measure as it now is, the fields applied at once, the change
    requests opened for a leader to decide, and what to point out about the saved measure."""

    measure = MeasureSerializer()
    applied = serializers.ListField(child=serializers.CharField())
    change_requests = ChangeRequestSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true 批准，false 不予批准（须填写意见）")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class EvidenceSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "original_name", "content_type", "size", "download"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_download(self, evidence: Evidence) -> str:
        return reverse("api-evidence-file", args=[evidence.pk])


class ProgressReportSerializer(serializers.ModelSerializer):
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "problem",
            "measure",
            "text",
            "percent",
            "created_by",
            "created_at",
            "evidence",
        ]
        read_only_fields = fields


class ProgressReportCreateSerializer(serializers.Serializer):
    """A progress report on a problem (or one of its measures), with evidence files checked by
    their content as on the page; sent as multipart/form-data."""

    problem = serializers.IntegerField(min_value=1)
    measure = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    text = serializers.CharField(max_length=MAX_TEXT)
    percent = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=100,
        help_text="所报措施的完成进度（0–100），须同时指定 measure；不填则不变",
    )
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), required=False, default=list
    )
