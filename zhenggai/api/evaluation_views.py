"""Ratings (read; pushed by devices and platforms with a key bound to their points) and the
assessment months. Ratings are read through `Rating.objects.visible_to` and taken by the public
page's `submit_rating`; months through the assessment's own access rules (`assessments.access`),
a forbidden month or sheet answering 404 like a missing one."""

from datetime import timedelta

import django_filters
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from zhenggai.api.authentication import BearerToken
from zhenggai.api.evaluation_serializers import (
    AssessmentMonthDetailSerializer,
    AssessmentMonthSerializer,
    PushedRatingSerializer,
    RatingPushSerializer,
    RatingSerializer,
    UnitSheetSerializer,
)
from zhenggai.api.lookups import path_id
from zhenggai.api.push_keys import HoldsPushKey, PushKeyAuthentication, bound_point
from zhenggai.assessments import month_pages
from zhenggai.assessments.access import (
    get_month_for_user,
    months_visible_to,
    reads_entries_in_full,
    reads_ranking,
    reads_sheet,
)
from zhenggai.evaluations.filters import LEVEL_CHOICES, PeriodFilter, RatingFilter
from zhenggai.evaluations.models import Rating
from zhenggai.evaluations.services.ratings import submit_rating
from zhenggai.lib.errors import Refused

# How far from now a pushed rating's time may be: a device that was offline sends what it kept
# (a week at most); a clock a little ahead is borne.
PUSH_MAX_AGE = timedelta(days=7)
PUSH_CLOCK_SKEW = timedelta(minutes=5)


def _pushed_at(at):
    now = timezone.now()
    if at is None:
        return now
    if at > now + PUSH_CLOCK_SKEW:
        raise Refused("评价时间晚于当前时间，请校准设备时钟。", f"rated_at {at} is ahead")
    if at < now - PUSH_MAX_AGE:
        raise Refused(
            f"只能推送 {PUSH_MAX_AGE.days} 天内的评价；更早的评价请由评价办从平台导入。",
            f"rated_at {at} is too old",
        )
    return at


@extend_schema_field(OpenApiTypes.STR)
class _PeriodFilter(PeriodFilter):
    """The period filter, described in the schema as the key it takes ("2026-10-01+3")."""


@extend_schema_field({"type": "string", "enum": [value for value, _ in LEVEL_CHOICES]})
class _LevelFilter(django_filters.ChoiceFilter):
    """The level filter, described as the strings it takes ("good", "bad", "1" … "5")."""


class ApiRatingFilter(RatingFilter):
    """The ratings page's FilterSet, described exactly in the schema; without the rater's
    keyed hash, which the API never shows (so offers no filter by it either)."""

    period = _PeriodFilter(label="评价期（如 2026-10-01+1）")
    level = _LevelFilter(
        choices=LEVEL_CHOICES, method="filter_level", label="满意度", empty_label="全部"
    )
    client = None

    def __init__(self, *args, **kwargs):
        # The rater's hash filter is declared away above for everyone: nothing is left for the
        # page's FilterSet to take away from a unit's people.
        super().__init__(*args, sees_raters=True, **kwargs)


class RatingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The ratings of the units the caller reads, filtered as the ratings page is; never what
    identifies a rater."""

    serializer_class = RatingSerializer
    filterset_class = ApiRatingFilter

    def get_queryset(self):
        return Rating.objects.visible_to(self.request.user).select_related("point")

    @extend_schema(
        request=RatingPushSerializer,
        responses={201: PushedRatingSerializer},
        auth=[{"pushKey": []}],
    )
    @action(
        detail=False,
        methods=["post"],
        authentication_classes=[PushKeyAuthentication, BearerToken],
        permission_classes=[HoldsPushKey],
        parser_classes=[JSONParser],
        filter_backends=[],
        pagination_class=None,
    )
    def push(self, request):
        """Push one rating from a rating device (评价器) or platform, with its key (`Authorization:
        Key zgk_…`): taken as on the public rating page (one per case and one 追评, bursts
        flagged, a 差评 becomes a problem at once). A point not bound to the key is refused
        (403)."""
        key = request.auth
        body = RatingPushSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        point = bound_point(key, data["point"])
        values = {name: data[name] for name in ("level", "channel", "comment", "phone", "staff")}
        values |= {"case_number": data["case_number"], "dimensions": data["dimensions"]}
        # The key is the client whose pushes are counted against flooding; it is the device
        # too where a case is rated, so that the device (or platform) that rated a case may
        # push its 追评 (without a case number a device rates many people in turn).
        who = f"push-key:{key.pk}"
        rating = submit_rating(
            point,
            values=values,
            client=who,
            device=who if data["case_number"] else "",
            at=_pushed_at(data.get("rated_at")),
        )
        return Response(PushedRatingSerializer(rating).data, status=status.HTTP_201_CREATED)


MONTH_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="月度考核")
UNIT_ID = OpenApiParameter("unit_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="单位")


class AssessmentMonthViewSet(viewsets.ReadOnlyModelViewSet):
    """The assessment months the caller may open: all of an office's for its 评价办 and
    discipline group; a unit's groups' for its people (the ranking once published)."""

    serializer_class = AssessmentMonthSerializer

    def get_queryset(self):
        return (
            months_visible_to(self.request.user)
            .select_related("scheme", "scheme__group")
            .order_by("-month", "scheme_id")
        )

    @extend_schema(parameters=[MONTH_ID], responses=AssessmentMonthDetailSerializer)
    def retrieve(self, request, pk=None):
        """A month, with its ranking where the caller reads it (the office always, the group's
        units once published)."""
        month = get_month_for_user(request.user, path_id(pk))
        month.api_ranked = reads_ranking(request.user, month)
        month.api_indicators, month.api_results = [], []
        if month.api_ranked:
            month.api_indicators = list(month.version.indicators.all())
            rows = month_pages.ranking(month)["results"]
            month.api_results = [_result_row(row) for row in rows]
        return Response(AssessmentMonthDetailSerializer(month).data)

    @extend_schema(parameters=[MONTH_ID, UNIT_ID], responses=UnitSheetSerializer)
    @action(detail=True, methods=["get"], url_path=r"units/(?P<unit_id>[0-9]+)/scores")
    def scores(self, request, pk=None, unit_id=None):
        """A unit's score sheet for the month, where the caller reads it: the office and the
        unit's own people at any time, the group's other units once published."""
        month = get_month_for_user(request.user, path_id(pk))
        unit = month.scheme.group.units.filter(pk=path_id(unit_id)).first()
        if unit is None or not reads_sheet(request.user, month, unit.pk):
            raise Http404
        full = reads_entries_in_full(request.user, month, unit.pk)
        sheet = month_pages.sheet(month, unit, full=full)
        ranked = reads_ranking(request.user, month)
        return Response(UnitSheetSerializer(_sheet(month, unit, sheet, ranked)).data)


def _result_row(row) -> dict:
    return {
        "unit": row.unit_id,
        "unit_name": row.name,
        "rank": row.rank,
        "total": row.total,
        "on_top_list": row.on_top_list,
        "on_bottom_list": row.on_bottom_list,
        "at_bottom": row.at_bottom,
        "subtotals": [{"section": s, "total": t} for s, t in row.subtotals.items()],
        "scores": [{"indicator": i, "score": s} for i, s in row.scores.items()],
    }


def _sheet(month, unit, sheet: dict, ranked: bool) -> dict:
    scores, entries = [], []
    for lines in sheet["sections"].values():
        for line in lines:
            line.score.figure = line.figure
            scores.append(line.score)
            entries.extend(line.entries)
    result = sheet["result"]
    placed = result if ranked else None
    return {
        "month": month.pk,
        "unit": unit.pk,
        "unit_name": unit.name,
        "total": result.total if result else None,
        "rank": placed.rank if placed else None,
        "on_top_list": placed.on_top_list if placed else None,
        "on_bottom_list": placed.on_bottom_list if placed else None,
        "at_bottom": placed.at_bottom if placed else None,
        "scores": scores,
        "entries": entries,
    }


# (prefix under /api/v1/, viewset, basename): this module's resources (api/routes.py).
ROUTES = [
    ("ratings", RatingViewSet, "api-rating"),
    ("assessment-months", AssessmentMonthViewSet, "api-assessment-month"),
]
