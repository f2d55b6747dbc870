"""create_round for a new unit: one rule decides (the inspection office over the unit's office),
and a refusal leaves no unit behind; a document's dates fill only a round's empty ones."""

from datetime import date

import pytest

from zhenggai.ledger.models import Event
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.orgs.models import Unit
from zhenggai.rounds.services import (
    create_round,
    empty_dates_to_fill,
    fill_empty_dates,
    may_create_rounds,
    offices_for_new_units,
)

FIELDS = {"kind": "xuncha", "title": "新单位巡察整改", "inspecting_body": "区委第二巡察组"}


def test_the_inspection_office_sets_up_a_new_unit_with_its_round(world):
    round = create_round(by=world.inspector, new_unit=" 区教育局 ", office=world.office, **FIELDS)
    assert round.unit.name == "区教育局" and round.unit.parent == world.office
    assert round.unit.path.startswith(world.office.path)
    again = create_round(by=world.inspector, new_unit="区教育局", office=world.office, **FIELDS)
    assert again.unit == round.unit  # the office's unit of that name, not a second one


def test_anyone_else_is_refused_and_leaves_no_unit(world):
    other_office = Unit.objects.get(name="市委巡察办")
    for user, office in ((world.inspector, other_office), (world.rect_office, world.office)):
        with pytest.raises(NotAllowed):
            create_round(by=user, new_unit="区教育局", office=office, **FIELDS)
    assert not Unit.objects.filter(name="区教育局").exists()


def test_a_new_unit_needs_an_office_and_a_name_that_is_no_section(world):
    with pytest.raises(Refused):
        create_round(by=world.inspector, new_unit="区教育局", office=world.unit, **FIELDS)
    from zhenggai.orgs.services import create_unit

    create_unit("督查科", Unit.Kind.SECTION, world.office)
    with pytest.raises(Refused):
        create_round(by=world.inspector, new_unit="督查科", office=world.office, **FIELDS)


def test_who_may_create_rounds(world):
    assert may_create_rounds(world.inspector)
    assert list(offices_for_new_units(world.inspector)) == [world.office]
    for name in ("leader", "rect_office", "staff", "discipline", "outside_leader"):
        assert not may_create_rounds(getattr(world, name)), name


def test_a_documents_dates_fill_only_what_is_empty(world):
    round = world.round
    round.feedback_date = None
    round.save()
    found = {
        "period_start": "2026-06-01",
        "period_end": "2026-07-01",
        "feedback_date": "2026-08-01",
    }
    filled = fill_empty_dates(round, found, by=world.rect_office, note="按导入文件填写")
    assert filled == {
        "period_start": date(2026, 6, 1),
        "period_end": date(2026, 7, 1),
        "feedback_date": date(2026, 8, 1),
    }
    round.refresh_from_db()
    assert round.feedback_date == date(2026, 8, 1)
    event = Event.objects.filter(object_type="inspectionround", action="changed").get()
    assert event.changes["反馈日期"] == ["—", "2026-08-01"] and event.actor == world.rect_office
    assert fill_empty_dates(round, {"feedback_date": "2026-09-09"}, by=world.rect_office) == {}
    round.refresh_from_db()
    assert round.feedback_date == date(2026, 8, 1)


def test_dates_that_contradict_the_round_fill_nothing(world):
    round = world.round  # feedback 2026-09-01, no period
    assert empty_dates_to_fill(round, {"period_start": "2026-10-01"}) == {}
    assert empty_dates_to_fill(round, {"period_start": "2026-07-01"}) == {
        "period_start": date(2026, 7, 1)
    }
    assert (
        empty_dates_to_fill(round, {"period_start": "2026-07-01", "feedback_date": "2026-08-01"})
        == {}
    )


@pytest.mark.django_db(transaction=True)
def test_two_offices_importing_the_same_new_unit_at_once_make_it_once(monkeypatch):
    """Both confirm at the same moment; the second waits for the first and finds its unit
    (without the lock it hit the unique name and answered 500 on PostgreSQL)."""
    import threading
    import time

    from django.db import connection, connections
    from django.test import Client

    from zhenggai.ledger.tests.test_new_round_import import posted_data, upload
    from zhenggai.orgs.models import Role, Unit
    from zhenggai.rounds import services as round_services
    from zhenggai.testing import grant, make_user, make_world

    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writing transaction at a time: no race to show")
    world = make_world()
    second = make_user("inspector2")
    grant(second, world.office, Role.INSPECTION_OFFICE)
    posts = []
    for user in (world.inspector, second):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        location = upload(client)["Location"]
        posts.append((client, location, posted_data(client.get(location))))
    real = round_services.create_unit

    def slow_create(*args, **kwargs):  # the other confirm arrives meanwhile
        time.sleep(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(round_services, "create_unit", slow_create)
    codes = [None, None]

    def confirm(n):
        client, location, data = posts[n]
        try:
            codes[n] = client.post(location, data).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    name = posts[0][2]["round-new_unit"] if "round-new_unit" in posts[0][2] else None
    assert codes == [302, 302]
    units = Unit.objects.filter(parent=world.office, kind=Unit.Kind.UNIT)
    assert units.count() == len(set(units.values_list("name", flat=True)))
    assert name is None or units.filter(name=name).count() == 1
