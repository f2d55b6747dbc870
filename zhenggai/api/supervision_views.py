"""Supervision orders (督办单), notices, the public's opinions, the dashboard's figures: read
through the same `visible_to` helpers as the pages, changed only by the same services."""

import django_filters
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zhenggai.api.supervision_serializers import (
    DashboardSerializer,
    NoticeSerializer,
    OpinionSerializer,
    OrderAnswerSerializer,
    OrderDecisionSerializer,
    OrderIssueSerializer,
    OrderSerializer,
    TriageSerializer,
)
from zhenggai.ledger.filters import IdFilter
from zhenggai.ledger.models import get_measure_for_user, get_problem_for_user
from zhenggai.lib.http import as_id
from zhenggai.public import services as public_services
from zhenggai.public.models import Opinion
from zhenggai.reports.models import Notice
from zhenggai.supervision import services
from zhenggai.supervision.dashboard import GROUPS, dashboard_page
from zhenggai.supervision.models import Escalation

# The one error shape (api/schema.py writes the component), for a 404 on a path without an id.
ERROR = {"$ref": "#/components/schemas/Error"}


# ---------------------------------------------------------------- orders (督办单)


class OrderFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Escalation.Status.choices, label="状态")
    level = django_filters.TypedChoiceFilter(
        choices=Escalation.Level.choices, coerce=int, label="督办级别"
    )
    problem = IdFilter(field_name="problem_id", label="问题")
    kind = django_filters.ChoiceFilter(choices=Escalation.Kind.choices, label="类别")

    class Meta:
        model = Escalation
        fields = ["status", "level", "problem", "kind"]


class OrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The orders on the problems the caller reads, open ones first (as 督办事项 lists them);
    issued, answered and decided with the same checks as the pages."""

    serializer_class = OrderSerializer
    filterset_class = OrderFilter

    def get_queryset(self):
        return (
            Escalation.objects.visible_to(self.request.user)
            .select_related("office")
            .order_by("status", "due_on", "-id")
        )

    @extend_schema(
        request=OrderIssueSerializer,
        responses={
            201: OrderSerializer,
            404: OpenApiResponse(ERROR, description="问题或措施不存在，或您无权查看"),
        },
    )
    def create(self, request):
        """Issue an order on a problem (or one of its measures), as the problem page's 督办
        form does: the inspection office or the unit's rectification office, on an open problem."""
        body = OrderIssueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        problem = get_problem_for_user(request.user, data["problem"])
        measure = data["measure"] and get_measure_for_user(request.user, data["measure"])
        order = services.issue_escalation(
            problem,
            by=request.user,
            level=data["level"],
            demand=data["demand"],
            due_on=data["due_on"],
            measure=measure or None,
            kind=data["kind"],
        )
        return Response(OrderSerializer(order).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OrderAnswerSerializer, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Answer an open order: the measure's owner or the unit's rectification office."""
        order = self.get_object()
        body = OrderAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answered = services.answer_escalation(
            order, by=request.user, answer=body.validated_data["answer"]
        )
        return Response(OrderSerializer(answered).data)

    @extend_schema(request=OrderDecisionSerializer, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        """Close an answered order, or send it back to be answered again (with a reason)."""
        order = self.get_object()
        body = OrderDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decided = services.decide_escalation(order, by=request.user, **body.validated_data)
        return Response(OrderSerializer(decided).data)


# ---------------------------------------------------------------- notices


class NoticeFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=Notice.State.choices, label="发布状态")
    round = IdFilter(field_name="round_id", label="巡察轮次")

    class Meta:
        model = Notice
        fields = ["state", "round"]


class NoticeViewSet(viewsets.ReadOnlyModelViewSet):
    """The saved notices of the rounds the caller reads, drafts too (as the round's notice page
    shows them); `published_content` is the text the public reads."""

    serializer_class = NoticeSerializer
    filterset_class = NoticeFilter

    def get_queryset(self):
        return Notice.objects.visible_to(self.request.user).order_by("-updated_at", "-id")


# ---------------------------------------------------------------- opinions


class OpinionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Opinion.Status.choices, label="处理状态")
    notice = IdFilter(field_name="notice_id", label="整改通报")
    round = IdFilter(field_name="notice__round_id", label="巡察轮次")

    class Meta:
        model = Opinion
        fields = ["status", "notice", "round"]


class OpinionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The public's opinions on the notices of the rounds the caller reads (as the round's
    opinions page lists them), triaged by the unit's leaders and office."""

    serializer_class = OpinionSerializer
    filterset_class = OpinionFilter

    def get_queryset(self):
        return Opinion.objects.visible_to(self.request.user).select_related("notice__round")

    @extend_schema(request=TriageSerializer, responses=OpinionSerializer)
    @action(detail=True, methods=["post"])
    def triage(self, request, pk=None):
        """Accept, answer or dismiss an opinion (dismissing needs a note)."""
        opinion = self.get_object()
        body = TriageSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        handled = public_services.triage_opinion(opinion, by=request.user, **body.validated_data)
        return Response(self.get_serializer(handled).data)


# ---------------------------------------------------------------- the dashboard


class DashboardViewSet(viewsets.ViewSet):
    """督办看板's figures for the caller's scope, narrowed by `unit` and `round`."""

    @extend_schema(
        operation_id="v1_dashboard_retrieve",
        responses={
            200: DashboardSerializer,
            404: OpenApiResponse(ERROR, description="所选单位或轮次不存在，或您无权查看"),
        },
        parameters=[
            OpenApiParameter(
                "unit", OpenApiTypes.INT, description="单位（不存在或无权查看时答 404）"
            ),
            OpenApiParameter(
                "round",
                OpenApiTypes.INT,
                description="轮次（不存在、无权查看或不属于所选单位时答 404）",
            ),
        ],
    )
    def list(self, request):
        """The same figures as the dashboard page (the same function builds both)."""
        params = request.query_params
        page = dashboard_page(request.user, params)
        dash, chosen = page["dash"], page["selection"]
        # The page ignores a unit or round the caller may not see; the API says so (404).
        asked = as_id(params.get("unit")), as_id(params.get("round"))
        if asked[0] not in (None, chosen.unit_id) or asked[1] not in (None, chosen.round_id):
            raise Http404("unit or round not visible")
        figures = {
            **vars(dash),
            "unit": chosen.unit_id,
            "round": chosen.round_id,
            "groups": GROUPS,
        }
        return Response(DashboardSerializer(figures).data)


# (prefix under /api/v1/, viewset, basename): this module's resources (api/routes.py).
ROUTES = [
    ("orders", OrderViewSet, "api-order"),
    ("notices", NoticeViewSet, "api-notice"),
    ("opinions", OpinionViewSet, "api-opinion"),
    ("dashboard", DashboardViewSet, "api-dashboard"),
]
