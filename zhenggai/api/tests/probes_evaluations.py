"""Probes of ratings (read, and pushed with a key) and the assessment months
(api/evaluation_views.py); and the small factories the area's tests share."""

from datetime import date
from decimal import Decimal

from zhenggai.api.tests.probes import Probe
from zhenggai.evaluations.models import RatingPoint
from zhenggai.evaluations.services.ratings import submit_rating
from zhenggai.evaluations.values import Mode
from zhenggai.orgs.models import Unit
from zhenggai.orgs.services import create_unit

MONTH = date(2025, 11, 1)


def make_point(world, name: str = "政务服务中心科技窗口") -> RatingPoint:
    """An on-site window of the world's unit, at its 办公室."""
    return RatingPoint.objects.create(
        unit=world.unit,
        section=world.section,
        kind=RatingPoint.Kind.WINDOW,
        name=name,
        mode=Mode.ON_SITE,
    )


def make_month(world, *, publish: bool = False):
    """An assessment month of the world's unit and a neighbour under the same office, by a
    scheme of one entered indicator; open, or published."""
    from zhenggai.assessments.services import months, schemes
    from zhenggai.assessments.values import IndicatorKind

    neighbour = create_unit("区商务局", Unit.Kind.UNIT, world.office)
    group = schemes.save_group(
        world.office, by=world.evaluator, name="部门", units=[world.unit, neighbour]
    )
    scheme = schemes.create_scheme(group, by=world.evaluator, year=MONTH.year, title="考核办法")
    version = scheme.versions.get()
    schemes.save_indicator(
        version,
        by=world.evaluator,
        section="日常督查",
        name="日常督查",
        kind=IndicatorKind.ENTERED,
        points=Decimal(20),
    )
    schemes.issue_version(version, by=world.evaluator)
    month = months.open_month(scheme, MONTH, by=world.evaluator)
    months.add_entry(
        month,
        world.unit,
        version.indicators.get(),
        by=world.evaluator,
        amount=Decimal("-0.5"),
        reason="电话接听不及时",
        occurred_on=MONTH,
    )
    if publish:
        months.review(month, by=world.evaluator)
        months.lock(month, by=world.evaluator)
        month = months.publish(month, by=world.evaluator)
    return month


def objects(world) -> dict:
    point = make_point(world)
    rating = submit_rating(point, values={"level": 5}, client="192.0.2.1")
    month = make_month(world)
    return {
        "rating": rating.pk,
        "point_code": point.code,
        "assessment_month": month.pk,
        "assessed_unit": world.unit.pk,
    }


def probes(ids) -> dict[str, Probe]:
    r, m = ids["rating"], ids["assessment_month"]
    push = {"point": ids["point_code"], "level": 5}
    return {
        "v1_ratings_list": Probe("get", "/api/v1/ratings/", lists=r),
        "v1_ratings_retrieve": Probe("get", f"/api/v1/ratings/{r}/"),
        # A device's key pushes; without one, 401; a person's token, 403.
        "v1_ratings_push_create": Probe("post", "/api/v1/ratings/push/", push, public=True),
        "v1_assessment_months_list": Probe("get", "/api/v1/assessment-months/", lists=m),
        "v1_assessment_months_retrieve": Probe("get", f"/api/v1/assessment-months/{m}/"),
        "v1_assessment_months_units_scores_retrieve": Probe(
            "get", f"/api/v1/assessment-months/{m}/units/{ids['assessed_unit']}/scores/"
        ),
    }
