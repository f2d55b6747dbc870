from datetime import date
from decimal import Decimal

import pytest

from zhenggai.assessments.services import schemes
from zhenggai.assessments.values import IndicatorKind, Metric
from zhenggai.ledger.models import Event, StateSpan
from zhenggai.orgs.models import Unit
from zhenggai.orgs.services import create_unit
from zhenggai.tests.browser.conftest import browser, sign_in  # noqa: F401 - for browser tests

# A month long ended, and the one before it in the same year.
MONTH = date(2025, 11, 1)
EARLIER = date(2025, 10, 1)


def backdate(problem, to: date) -> None:
    """Move a problem's timeline back so that it began on `to`, as if made then."""
    first = StateSpan.objects.filter(problem=problem).order_by("started_at").first()
    from django.utils import timezone

    shift = first.started_at - timezone.make_aware(
        timezone.datetime.combine(to, timezone.datetime.min.time())
    )
    for span in StateSpan.objects.filter(problem=problem):
        span.started_at -= shift
        if span.ended_at:
            span.ended_at -= shift
        span.save(update_fields=["started_at", "ended_at"])
    Event.objects.filter(problem=problem).update(at=first.started_at - shift)


@pytest.fixture
def units(world):
    """The world's unit and two more under the same office, to be ranked together."""
    return [
        world.unit,
        create_unit("区商务局", Unit.Kind.UNIT, world.office),
        create_unit("区税务局", Unit.Kind.UNIT, world.office),
    ]


@pytest.fixture
def group(world, units):
    return schemes.save_group(world.office, by=world.evaluator, name="部门", units=units)


@pytest.fixture
def scheme(world, group):
    """A scheme of the tests' year with a computed, an entered and an imported indicator,
    issued."""
    scheme = schemes.create_scheme(
        group, by=world.evaluator, year=MONTH.year, title=f"{MONTH.year}年优化营商环境工作考核办法"
    )
    version = scheme.versions.get()
    schemes.save_indicator(
        version,
        by=world.evaluator,
        section="日常工作",
        name="按期整改",
        kind=IndicatorKind.COMPUTED,
        metric=Metric.ON_TIME_RATE,
        points=Decimal(40),
    )
    schemes.save_indicator(
        version,
        by=world.evaluator,
        section="日常督查",
        name="日常督查",
        kind=IndicatorKind.ENTERED,
        points=Decimal(20),
    )
    schemes.save_indicator(
        version,
        by=world.evaluator,
        section="三方考评",
        name="第三方考评",
        kind=IndicatorKind.IMPORTED,
        points=Decimal(40),
    )
    schemes.issue_version(version, by=world.evaluator)
    return scheme


@pytest.fixture
def assessed(world, scheme, units):
    """A published month of the world's group (the world's unit last two months running, so a
    约谈 is open), an entry on the world's unit, a held-over draft month, and a clue."""
    from zhenggai.assessments.services import interviews, months
    from zhenggai.orgs.models import Role
    from zhenggai.testing import grant, make_user

    published = []
    for day in (EARLIER, MONTH):
        month = months.open_month(scheme, day, by=world.evaluator)
        imported = month.version.indicators.get(name="第三方考评")
        scores = {u.pk: Decimal(30 if u == world.unit else 38) for u in units}
        months.set_imported(month, imported, scores, by=world.evaluator, source="三方.xlsx")
        entered = month.version.indicators.get(name="日常督查")
        entry = months.add_entry(
            month,
            world.unit,
            entered,
            by=world.evaluator,
            amount=Decimal("-0.5"),
            reason="电话接听不及时",
            occurred_on=day,
        )
        months.review(month, by=world.evaluator)
        months.lock(month, by=world.evaluator)
        published.append(months.publish(month, by=world.evaluator))
    open_month = months.open_month(scheme, date(2025, 12, 1), by=world.evaluator)
    watcher = make_user("watcher", "王纪检")
    grant(watcher, world.office, Role.DISCIPLINE)
    interview = published[-1].interviews.get()
    clue = interviews.hand_clue(
        world.office, world.unit, by=world.evaluator, summary="连续两月末位", interview=interview
    )
    return {
        "month": published[-1],
        "open_month": open_month,
        "entry": entry,
        "interview": interview,
        "clue": clue,
        "unit": world.unit,
        "other_unit": units[1],
        "indicator": entered,
        "scheme": scheme,
        "group": scheme.group,
        "version": scheme.versions.get(),
        "watcher": watcher,
    }
