"""Measures (with ETag and If-Match), progress reports and their evidence, change requests.

Read through the same access helpers as the pages, changed only by the same services: a
measure's values through `update_measure` (checked first by the measure form itself), progress
through `report_progress` (the same content checks of evidence), a change request through
`decide_change_request`. A measure's ETag is its version; a write must send it back in
If-Match, and a stale one is refused (412) as the page refuses a stale form."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from zhenggai.api.lookups import path_id
from zhenggai.api.measure_serializers import (
    ChangeRequestSerializer,
    DecisionSerializer,
    EvidenceSerializer,
    MeasureChangeSerializer,
    MeasureSerializer,
    MeasureUpdateSerializer,
    PreconditionSerializer,
    ProgressReportCreateSerializer,
    ProgressReportSerializer,
    WithdrawSerializer,
)
from zhenggai.ledger import services
from zhenggai.ledger.filters import IdFilter
from zhenggai.ledger.forms import MeasureForm
from zhenggai.ledger.models import (
    ChangeRequest,
    Evidence,
    Measure,
    Problem,
    ProgressReport,
    get_change_request_for_user,
    get_evidence_for_user,
    get_measure_for_user,
    get_problem_for_user,
)
from zhenggai.ledger.values import serial
from zhenggai.lib.errors import Conflict
from zhenggai.lib.http import as_id, attachment
from zhenggai.lib.request_limits import body_limit
from zhenggai.lib.uploads import ALLOWED
from zhenggai.lib.views import require

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="读取该措施时返回的 ETag；措施已被他人修改时拒绝（412）",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 202],
    description="措施的当前版本，修改时放入 If-Match",
)
PRECONDITIONS = {
    412: OpenApiResponse(
        PreconditionSerializer, description="措施在读取后已被修改（If-Match 已过期）"
    ),
    428: OpenApiResponse(PreconditionSerializer, description="缺少 If-Match 请求头"),
}


def etag(measure: Measure) -> str:
    return f'"{measure.version}"'


def _precondition(status_code: int, code: str, message: str) -> Response:
    return Response({"code": code, "message": message}, status=status_code)


def _if_match(request) -> int | Response:
    """The version a write is based on, from If-Match; or the answer refusing it."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        return _precondition(
            status.HTTP_428_PRECONDITION_REQUIRED,
            "precondition_required",
            "修改措施须在 If-Match 请求头中提供读取该措施时得到的 ETag。",
        )
    version = as_id(header.split(",")[0].strip().removeprefix("W/").strip('"'))
    return version if version is not None else _stale()


def _stale(exc: Conflict | None = None) -> Response:
    message = exc.message if exc else "If-Match 与该措施的当前版本不符，请重新读取后再提交。"
    return _precondition(status.HTTP_412_PRECONDITION_FAILED, "precondition_failed", message)


def _form_data(measure: Measure, changes: dict) -> dict:
    """The measure form as the page would post it: the measure's values, with `changes`."""
    data = {name: serial(value) for name, value in MeasureForm.initial_for(measure).items()}
    return data | {name: serial(value) for name, value in changes.items()}


def _form_errors(form) -> dict:
    return {
        name: [e["message"] for e in errors] for name, errors in form.errors.get_json_data().items()
    }


class MeasureFilter(django_filters.FilterSet):
    problem = IdFilter(field_name="problem_id", label="问题")
    withdrawn = django_filters.BooleanFilter(label="已撤销")

    class Meta:
        model = Measure
        fields = ["problem", "withdrawn"]


class MeasureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The measures of the problems the caller reads; each answered with its version as ETag."""

    serializer_class = MeasureSerializer
    filterset_class = MeasureFilter
    queryset = Measure.objects.none()  # the schema's; requests read get_queryset

    def get_queryset(self):
        return (
            Measure.objects.visible_to(self.request.user)
            .select_related("problem", "problem__round")
            .prefetch_related("responsible_sections")
            .order_by("problem_id", "position", "id")
        )

    @extend_schema(parameters=[ETAG])
    def retrieve(self, request, *args, **kwargs):
        measure = self.get_object()
        return Response(MeasureSerializer(measure).data, headers={"ETag": etag(measure)})

    @extend_schema(
        request=MeasureChangeSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={
            200: MeasureUpdateSerializer,
            202: OpenApiResponse(MeasureUpdateSerializer, description="时限或方案的调整已提交审批"),
            **PRECONDITIONS,
        },
    )
    def partial_update(self, request, pk=None):
        """Change the fields the measure form edits, as the form does: results apply at once;
        plan and deadline changes by those who must ask become change requests (202)."""
        measure = get_measure_for_user(request.user, path_id(pk))
        problem = measure.problem
        require(
            services.may_change_plan(request.user, problem, measure)
            or services.may_report(request.user, problem, measure),
            "may not change this measure",
        )
        base = _if_match(request)
        if isinstance(base, Response):
            return base
        body = MeasureChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        reason = changes.pop("reason")
        form = MeasureForm(
            _form_data(measure, changes),
            unit_id=problem.unit_id,
            feedback_date=problem.round.feedback_date,
        )
        if not form.is_valid():
            raise serializers.ValidationError(_form_errors(form))
        try:
            result = services.update_measure(
                measure, by=request.user, base_version=base, reason=reason, **form.measure_fields()
            )
        except Conflict as exc:
            return _stale(exc)
        return self._changed(result.applied, result.requests)

    @extend_schema(
        request=WithdrawSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: MeasureUpdateSerializer, **PRECONDITIONS},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw the measure (kept in the history), as a leader does on the page."""
        measure = get_measure_for_user(request.user, path_id(pk))
        require(
            services.may_plan(request.user, measure.problem)
            and services.applies_directly(request.user, measure.problem),
            "may not withdraw this measure",
        )
        base = _if_match(request)
        if isinstance(base, Response):
            return base
        body = WithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.withdraw_measure(
                measure, by=request.user, reason=body.validated_data["reason"], base_version=base
            )
        except Conflict as exc:
            return _stale(exc)
        return self._changed({"withdrawn": True}, [])

    def _changed(self, applied: dict, requests: list) -> Response:
        measure = self.get_object()
        body = {
            "measure": measure,
            "applied": sorted(applied),
            "change_requests": requests,
            "warnings": services.measure_warnings(measure),
        }
        return Response(
            MeasureUpdateSerializer(body).data,
            status=status.HTTP_202_ACCEPTED if requests else status.HTTP_200_OK,
            headers={"ETag": etag(measure)},
        )


class ProgressReportFilter(django_filters.FilterSet):
    problem = IdFilter(field_name="problem_id", label="问题")
    measure = IdFilter(field_name="measure_id", label="措施")

    class Meta:
        model = ProgressReport
        fields = ["problem", "measure"]


class ProgressReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Progress reports on the problems the caller reads, newest first, with their evidence."""

    serializer_class = ProgressReportSerializer
    filterset_class = ProgressReportFilter
    parser_classes = [MultiPartParser, FormParser]
    queryset = ProgressReport.objects.none()

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        # Uploads may be as large as on the page (request_limits reads the view's own limit).
        return body_limit("UPLOAD_MAX_BYTES")(super().as_view(actions, **initkwargs))

    def get_queryset(self):
        return (
            ProgressReport.objects.filter(problem__in=Problem.objects.visible_to(self.request.user))
            .prefetch_related("evidence")
            .order_by("-created_at", "-id")
        )

    @extend_schema(
        request=ProgressReportCreateSerializer, responses={201: ProgressReportSerializer}
    )
    def create(self, request):
        """Report progress with evidence files (multipart), checked by content as on the page."""
        body = ProgressReportCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        problem = get_problem_for_user(request.user, data["problem"])
        require(services.may_report(request.user, problem), "may not report on this problem")
        measure = None
        if data.get("measure"):
            measure = problem.measures.filter(pk=data["measure"]).first()
            if measure is None:
                raise serializers.ValidationError({"measure": ["措施不属于该问题。"]})
        percent = data.get("percent")
        if percent is not None and measure is None:
            raise serializers.ValidationError({"percent": ["完成进度须针对具体措施填报。"]})
        report = services.report_progress(
            problem,
            by=request.user,
            text=data["text"],
            measure=measure,
            files=data["files"],
            percent=percent,
        )
        report = self.get_queryset().get(pk=report.pk)
        return Response(ProgressReportSerializer(report).data, status=status.HTTP_201_CREATED)


class EvidenceViewSet(viewsets.GenericViewSet):
    """Evidence files, downloaded as on the page: never inline, under their original name."""

    serializer_class = EvidenceSerializer
    queryset = Evidence.objects.none()

    def perform_content_negotiation(self, request, force=False):
        # A client asking for the file's own type (Accept: application/pdf) still gets it; only
        # errors are rendered, and those as JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        responses={(200, kind): OpenApiTypes.BINARY for kind in sorted(ALLOWED)},
    )
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        evidence = get_evidence_for_user(request.user, path_id(pk))
        return attachment(evidence.file, evidence.original_name, evidence.content_type)


class ChangeRequestFilter(django_filters.FilterSet):
    problem = IdFilter(field_name="problem_id", label="问题")
    measure = IdFilter(field_name="measure_id", label="措施")
    status = django_filters.ChoiceFilter(choices=ChangeRequest.Status.choices, label="状态")

    class Meta:
        model = ChangeRequest
        fields = ["problem", "measure", "status"]


class ChangeRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Change requests of measures the caller reads, newest first."""

    serializer_class = ChangeRequestSerializer
    filterset_class = ChangeRequestFilter
    queryset = ChangeRequest.objects.none()

    def get_queryset(self):
        return ChangeRequest.objects.visible_to(self.request.user).order_by("-requested_at", "-id")

    @extend_schema(request=DecisionSerializer, responses=ChangeRequestSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        """A leader approves (the change applies) or rejects (with a note) a pending request."""
        change = get_change_request_for_user(request.user, path_id(pk))
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decided = services.decide_change_request(change, by=request.user, **body.validated_data)
        return Response(ChangeRequestSerializer(decided).data)


# (prefix under /api/v1/, viewset, basename): this module's resources (api/routes.py).
ROUTES = [
    ("measures", MeasureViewSet, "api-measure"),
    ("reports", ProgressReportViewSet, "api-report"),
    ("evidence", EvidenceViewSet, "api-evidence"),
    ("change-requests", ChangeRequestViewSet, "api-change-request"),
]
