"""Who hears of an item (`Recipients.route`), apart from the run that sends it: each person once,
in the first role that reaches them."""

from datetime import date

import pytest

from zhenggai.orgs.models import Role, Unit
from zhenggai.orgs.services import create_unit
from zhenggai.supervision.reminders.items import (
    AS_LEADER,
    AS_OFFICE,
    AS_OWNER,
    AS_SECTION,
    BEFORE,
    OVERDUE,
    Item,
)
from zhenggai.supervision.reminders.routing import Recipients
from zhenggai.testing import grant


@pytest.fixture(autouse=True)
def escalation(settings):
    settings.ESCALATE_SECTION_WORKDAYS = 1
    settings.ESCALATE_LEADER_WORKDAYS = 5


def item(world, *, late: int = 0) -> Item:
    stage = OVERDUE if late else BEFORE
    return Item(
        "measure",
        1,
        world.unit.pk,
        "1",
        "问题",
        "区科技局",
        "措施",
        date(2026, 11, 20),
        stage,
        late,
    )


def ids(routed):
    return [(sorted(users), role) for users, role in routed]


def test_an_item_not_yet_late_reaches_its_owner_only(world):
    routed = Recipients().route(
        item(world), [world.other_staff.pk], world.section.pk, world.leader.pk
    )
    assert ids(routed) == [([world.other_staff.pk], AS_OWNER)]


def test_a_late_item_reaches_the_section_then_the_leader(world):
    owner, staff, leader = world.other_staff.pk, world.staff.pk, world.leader.pk
    recipients = Recipients()
    routed = recipients.route(item(world, late=1), [owner], world.section.pk, leader)
    assert ids(routed) == [([owner], AS_OWNER), ([staff], AS_SECTION)]
    routed = recipients.route(item(world, late=5), [owner], world.section.pk, leader)
    assert ids(routed) == [([owner], AS_OWNER), ([staff], AS_SECTION), ([leader], AS_LEADER)]


def test_an_owner_in_the_lead_section_is_told_once_as_owner(world):
    routed = Recipients().route(
        item(world, late=5), [world.staff.pk], world.section.pk, world.staff.pk
    )
    assert ids(routed) == [([world.staff.pk], AS_OWNER)]


def test_an_inactive_owner_passes_the_item_to_the_section_at_once(world):
    world.other_staff.is_active = False
    world.other_staff.save()
    routed = Recipients().route(item(world), [world.other_staff.pk], world.section.pk, None)
    assert ids(routed) == [([world.staff.pk], AS_SECTION)]


def test_without_owner_or_section_the_office_of_the_unit_is_told(world):
    # An office held on a section (办公室) serves the unit it belongs to.
    registry = create_unit("机要科", Unit.Kind.SECTION, world.unit)
    clerk = world.discipline
    grant(clerk, registry, Role.RECTIFICATION_OFFICE)
    routed = Recipients().route(item(world), [], None, None)
    assert ids(routed) == [(sorted([world.rect_office.pk, clerk.pk]), AS_OFFICE)]
