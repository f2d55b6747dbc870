"""The assessment months through the API, read by the assessment's own access rules: the
office reads everything; a unit's people their own sheet at any time, the ranking and the
others' sheets once published; anyone else finds nothing (404 as for a missing month)."""

import pytest

from zhenggai.api.tests.probes_evaluations import make_month
from zhenggai.assessments.models import Entry
from zhenggai.assessments.services import months
from zhenggai.assessments.values import MonthState
from zhenggai.orgs.models import Role
from zhenggai.testing import grant, make_user

pytestmark = pytest.mark.django_db
LIST = "/api/v1/assessment-months/"


def _neighbour(month):
    return month.scheme.group.units.exclude(name="区科技局").get()


def _sheet(month, unit_id) -> str:
    return f"{LIST}{month.pk}/units/{unit_id}/scores/"


def test_the_office_reads_a_month_with_its_ranking_and_every_sheet(bearer, world):
    month = make_month(world)
    client = bearer(world.evaluator, "read")
    assert [m["id"] for m in client.get(LIST).json()["results"]] == [month.pk]
    found = client.get(f"{LIST}{month.pk}/").json()
    assert found["state"] == MonthState.OPEN and found["ranked"] is True
    assert [row["unit"] for row in found["results"]] == [_neighbour(month).pk, world.unit.pk]
    last = found["results"][-1]
    assert last["rank"] == 2 and last["total"] == "19.50"
    assert last["subtotals"] == [{"section": "日常督查", "total": "19.50"}]
    sheet = client.get(_sheet(month, world.unit.pk)).json()
    assert sheet["total"] == "19.50" and sheet["rank"] == 2
    assert [e["reason"] for e in sheet["entries"]] == ["电话接听不及时"]
    assert sheet["scores"][0]["name"] == "日常督查" and sheet["scores"][0]["score"] == "19.50"
    assert client.get(_sheet(month, _neighbour(month).pk)).status_code == 200


def test_before_publication_a_unit_reads_its_own_sheet_and_no_ranking(bearer, world):
    month = make_month(world)
    client = bearer(world.leader, "read")
    assert [m["id"] for m in client.get(LIST).json()["results"]] == [month.pk]
    found = client.get(f"{LIST}{month.pk}/").json()
    assert found["ranked"] is False and found["results"] == [] and found["indicators"] == []
    own = client.get(_sheet(month, world.unit.pk)).json()
    assert own["total"] == "19.50" and own["rank"] is None and own["on_top_list"] is None
    assert client.get(_sheet(month, _neighbour(month).pk)).status_code == 404


def test_once_published_a_unit_reads_the_ranking_and_the_others_deductions_in_force(bearer, world):
    month = make_month(world, publish=True)
    months.withdraw_entry(Entry.objects.get(), by=world.evaluator, reason="核实后不予扣分")
    neighbour = make_user("neighbour")
    grant(neighbour, _neighbour(month), Role.LEADER)
    client = bearer(neighbour, "read")
    found = client.get(f"{LIST}{month.pk}/").json()
    assert found["ranked"] is True and len(found["results"]) == 2
    assert [i["name"] for i in found["indicators"]] == ["日常督查"]
    others = client.get(_sheet(month, world.unit.pk)).json()
    assert others["rank"] in (1, 2) and others["entries"] == [], "only deductions in force"
    own = bearer(world.leader, "read").get(_sheet(month, world.unit.pk)).json()
    assert [e["withdrawn_reason"] for e in own["entries"]] == ["核实后不予扣分"]


def test_people_outside_the_group_find_no_month(bearer, world):
    month = make_month(world, publish=True)
    for person in (world.outside_leader, world.staff, world.inspector):
        client = bearer(person, "read")
        assert client.get(LIST).json()["results"] == [], person
        assert client.get(f"{LIST}{month.pk}/").status_code == 404
        assert client.get(_sheet(month, world.unit.pk)).status_code == 404


def test_a_unit_outside_the_group_or_an_impossible_id_has_no_sheet(bearer, world):
    month = make_month(world)
    client = bearer(world.evaluator, "read")
    assert client.get(_sheet(month, world.outside_unit.pk)).status_code == 404
    assert client.get(_sheet(month, 2**63)).status_code == 404
    assert client.get(f"{LIST}{2**63}/").status_code == 404
    assert client.get(f"{LIST}0/").status_code == 404
