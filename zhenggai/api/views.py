"""The API's resources, each read through the same `visible_to` helpers as the pages, and every
change made by the same services: a problem's state moves only by a workflow transition."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from zhenggai.api.serializers import (
    ProblemSerializer,
    RoundSerializer,
    TransitionSerializer,
    UnitSerializer,
)
from zhenggai.ledger import workflow
from zhenggai.ledger.filters import ProblemFilter
from zhenggai.ledger.models import Problem
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Unit
from zhenggai.rounds.models import InspectionRound


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """The units and sections the caller reads."""

    serializer_class = UnitSerializer

    def get_queryset(self):
        return scope_for(self.request.user).restrict(Unit.objects.all(), "id").order_by("path")


class RoundViewSet(viewsets.ReadOnlyModelViewSet):
    """The rounds of the units the caller reads."""

    serializer_class = RoundSerializer

    def get_queryset(self):
        return InspectionRound.objects.visible_to(self.request.user).order_by(
            "-feedback_date", "id"
        )


class ProblemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The problems the caller reads, filtered and searched as the ledger page is."""

    serializer_class = ProblemSerializer
    filterset_class = ProblemFilter

    def get_queryset(self):
        return Problem.objects.visible_to(self.request.user).select_related("round", "unit")

    @extend_schema(
        request=TransitionSerializer,
        responses=ProblemSerializer,
        parameters=[
            OpenApiParameter(
                "name",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=sorted(workflow.TRANSITIONS),
                description="工作流操作",
            )
        ],
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)")
    def transition(self, request, pk=None, name=None):
        """Take a workflow transition (approve_plan, submit_for_close_out, close_out, …) on the
        problem, as the problem page's buttons do, with the same checks."""
        problem = get_object_or_404(self.get_queryset(), pk=pk)
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        moved = workflow.transition(
            problem, name, by=request.user, note=body.validated_data["note"]
        )
        return Response(ProblemSerializer(moved).data)


# (prefix under /api/v1/, viewset, basename): this module's resources (api/routes.py).
ROUTES = [
    ("units", UnitViewSet, "api-unit"),
    ("rounds", RoundViewSet, "api-round"),
    ("problems", ProblemViewSet, "api-problem"),
]
