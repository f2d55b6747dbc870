from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhenggai.ledger.models import Event, Measure
from zhenggai.public.models import Opinion
from zhenggai.public.services import send_opinion
from zhenggai.reports import services as reports
from zhenggai.reports.models import default_notice
from zhenggai.supervision.dashboard import dashboard_page
from zhenggai.supervision.models import Escalation
from zhenggai.supervision.services import issue_escalation

pytestmark = pytest.mark.django_db
ORDERS = "/api/v1/orders/"


def _due(days: int = 7) -> str:
    return str(timezone.localdate() + timedelta(days=days))


def _order(world, problem=None, **fields):
    problem = problem or world.problem(approve=True)
    values = {"level": 1, "demand": "请加快整改", "due_on": timezone.localdate()} | fields
    return issue_escalation(problem, by=world.inspector, **values)


# ---------------------------------------------------------------- orders


def test_the_inspection_office_issues_an_order_through_the_service(bearer, world):
    problem = world.problem(approve=True)
    body = {"problem": problem.pk, "level": 2, "demand": "限期整改", "due_on": _due()}
    response = bearer(world.inspector).post(ORDERS, body, format="json")
    assert response.status_code == 201, response.json()
    order = response.json()
    assert order["status"] == "open" and order["level_display"] == "重点督办"
    assert order["issued_as"] == "inspection_office" and order["due_on"] == _due()
    problem.refresh_from_db()
    assert problem.escalation_level == 2
    assert Event.objects.filter(problem=problem, note="限期整改").exists()


def test_orders_carry_their_kind_and_number_and_a_urging_is_issued_as_one(bearer, world):
    problem = world.problem(approve=True)
    body = {"problem": problem.pk, "level": 1, "demand": "请说明进展", "due_on": _due()}
    first = bearer(world.inspector).post(ORDERS, body, format="json").json()
    urged = bearer(world.inspector).post(ORDERS, {**body, "kind": "urge"}, format="json").json()
    year = first["issued_at"][:4]
    assert (first["kind"], first["number"]) == ("supervise", f"〔{year}〕第1号")
    assert (urged["kind_display"], urged["number"]) == ("催办单", f"〔{year}〕第1号")
    assert urged["office_name"] == world.office.name  # the inspection office's own numbers
    listed = bearer(world.inspector).get(ORDERS, {"kind": "urge"}).json()["results"]
    assert [order["id"] for order in listed] == [urged["id"]]


def test_an_order_on_a_measure_of_another_problem_is_refused(bearer, world):
    problem = world.problem(approve=True)
    elsewhere = world.measure(world.problem("另一个问题", approve=True))
    body = {
        "problem": problem.pk,
        "measure": elsewhere.pk,
        "level": 1,
        "demand": "x",
        "due_on": _due(),
    }
    response = bearer(world.inspector).post(ORDERS, body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "refused"
    assert not Escalation.objects.exists()


def test_an_order_answerable_yesterday_is_refused_in_chinese(bearer, world):
    problem = world.problem(approve=True)
    body = {"problem": problem.pk, "level": 1, "demand": "x", "due_on": _due(-1)}
    response = bearer(world.inspector).post(ORDERS, body, format="json")
    assert response.status_code == 400
    assert response.json() == {"code": "refused", "message": "答复期限不能早于今天。"}


def test_only_the_offices_issue_orders(bearer, world):
    problem = world.problem(approve=True)
    body = {"problem": problem.pk, "level": 1, "demand": "x", "due_on": _due()}
    assert bearer(world.staff).post(ORDERS, body, format="json").status_code == 403
    assert bearer(world.outside_leader).post(ORDERS, body, format="json").status_code == 404
    assert not Escalation.objects.exists()


def test_the_measures_owner_answers_and_the_issuer_closes(bearer, world):
    order = _order(world)
    Measure.objects.filter(problem=order.problem).update(owner=world.staff)
    url = f"{ORDERS}{order.pk}/"
    assert bearer(world.other_staff).post(f"{url}answer/", {"answer": "x"}).status_code == 403
    answered = bearer(world.staff).post(f"{url}answer/", {"answer": "已完成整改"}, format="json")
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    assert answered.json()["answered_by"] == world.staff.pk
    assert bearer(world.staff).post(f"{url}decision/", {"accept": True}).status_code == 403
    closed = bearer(world.inspector).post(f"{url}decision/", {"accept": True}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    order.problem.refresh_from_db()
    assert order.problem.escalation_level == 0


def test_sending_an_answer_back_needs_a_reason(bearer, world):
    order = _order(world)
    bearer(world.rect_office).post(f"{ORDERS}{order.pk}/answer/", {"answer": "已办"})
    client = bearer(world.inspector)
    url = f"{ORDERS}{order.pk}/decision/"
    refused = client.post(url, {"accept": False}, format="json")
    assert refused.status_code == 400 and refused.json()["message"] == "退回督办答复须说明理由。"
    back = client.post(url, {"accept": False, "note": "答复不具体"}, format="json")
    assert back.json()["status"] == "open" and back.json()["decision_note"] == "答复不具体"


def test_orders_are_listed_as_the_caller_sees_them_and_filtered(bearer, world):
    mine = _order(world, level=3)
    _order(world, world.problem("二", approve=True))
    outside = world.problem("外单位问题", round=world.outside_round, approve=True)
    theirs = issue_escalation(
        outside, by=world.outsider, level=1, demand="x", due_on=timezone.localdate()
    )
    client = bearer(world.leader, "read")
    found = client.get(ORDERS).json()
    assert found["count"] == 2 and theirs.pk not in [o["id"] for o in found["results"]]
    assert [o["id"] for o in client.get(ORDERS, {"level": 3}).json()["results"]] == [mine.pk]
    by_problem = client.get(ORDERS, {"problem": mine.problem_id, "status": "open"}).json()
    assert [o["id"] for o in by_problem["results"]] == [mine.pk]
    assert client.get(f"{ORDERS}{theirs.pk}/").status_code == 404


# ---------------------------------------------------------------- notices and opinions


@pytest.fixture
def notice(world):
    world.problem("学习贯彻不深入")
    return reports.save_notice(default_notice(world.round), by=world.rect_office, phone="023-1")


def test_notices_read_drafts_and_the_published_text(bearer, world, notice):
    client = bearer(world.staff, "read")
    draft = client.get(f"/api/v1/notices/{notice.pk}/").json()
    assert draft["state"] == "draft" and draft["published_content"] is None
    notice = reports.publish_notice(notice, by=world.leader)
    listed = client.get("/api/v1/notices/", {"state": "published"}).json()["results"]
    assert [n["id"] for n in listed] == [notice.pk]
    assert "学习贯彻不深入" in str(listed[0]["published_content"])
    assert bearer(world.outside_leader).get("/api/v1/notices/").json()["count"] == 0


def test_opinions_show_who_sent_them_only_to_those_who_answer_them(bearer, world, notice):
    notice = reports.publish_notice(notice, by=world.leader)
    opinion = send_opinion(notice, text="意见", name="王先生", contact="139", sender="x")
    url = f"/api/v1/opinions/{opinion.pk}/"
    shown = bearer(world.rect_office).get(url).json()
    assert shown["name"] == "王先生" and shown["contact"] == "139"
    assert "sender_hash" not in shown
    hidden = bearer(world.staff).get(url).json()
    assert hidden["text"] == "意见" and hidden["name"] is None and hidden["contact"] is None
    assert bearer(world.outside_leader).get(url).status_code == 404


def test_the_office_triages_an_opinion_with_its_history(bearer, world, notice):
    notice = reports.publish_notice(notice, by=world.leader)
    opinion = send_opinion(notice, text="意见", sender="x")
    url = f"/api/v1/opinions/{opinion.pk}/triage/"
    assert bearer(world.staff).post(url, {"status": "accepted"}).status_code == 403
    refused = bearer(world.rect_office).post(url, {"status": "dismissed"}, format="json")
    assert refused.status_code == 400 and refused.json()["message"] == "不予受理须说明理由。"
    done = bearer(world.rect_office).post(url, {"status": "answered", "note": "已回复"})
    assert done.status_code == 200 and done.json()["status"] == "answered"
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.ANSWERED
    assert Event.objects.filter(object_type="opinion", object_id=opinion.pk).exists()
    assert bearer(world.rect_office, "read").post(url, {"status": "accepted"}).status_code == 403


# ---------------------------------------------------------------- the dashboard


def test_the_dashboard_gives_the_pages_figures(bearer, world):
    world.problem("一", approve=True)
    _order(world, world.problem("二", approve=True))
    figures = bearer(world.leader, "read").get("/api/v1/dashboard/").json()
    page = dashboard_page(world.leader, {})["dash"]
    assert figures["kpis"]["problems"]["value"] == page.kpis["problems"].value == 2
    assert figures["kpis"]["escalated"] == {"value": 1, "url": page.kpis["escalated"].url}
    assert figures["by_section"] is not None and figures["ranking"] == []
    assert len(figures["trend"]) == len(page.trend) and figures["groups"][0]["key"]


def test_the_dashboard_across_units_ranks_them(bearer, world):
    world.problem("一", approve=True)
    figures = bearer(world.admin, "read").get("/api/v1/dashboard/").json()
    assert figures["by_section"] is None and figures["ranking"][0]["unit"] == "区科技局"
    one = bearer(world.admin, "read").get("/api/v1/dashboard/", {"round": world.round.pk})
    assert one.json()["unit"] == world.unit.pk and one.json()["round"] == world.round.pk


def test_the_dashboard_of_a_unit_not_ones_own_is_not_found(bearer, world):
    world.problem("一", approve=True)
    client = bearer(world.outside_leader, "read")
    assert client.get("/api/v1/dashboard/", {"unit": world.unit.pk}).status_code == 404
    assert client.get("/api/v1/dashboard/", {"round": world.round.pk}).status_code == 404
    own = client.get("/api/v1/dashboard/").json()
    assert own["kpis"]["problems"]["value"] == 0


def test_an_id_no_database_key_holds_is_refused_not_a_server_error(bearer, world):
    client = bearer(world.leader, "read")
    for value in ("-1", "99999999999999999999999", "x"):
        response = client.get(ORDERS, {"problem": value})
        assert response.status_code == 400 and response.json()["code"] == "invalid"


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as done:
        assert client.get(url).status_code == 200
    return len(done)


def test_the_lists_read_in_the_same_number_of_queries_however_long(bearer, world, notice):
    notice = reports.publish_notice(notice, by=world.leader)
    client = bearer(world.rect_office, "read")
    send_opinion(notice, text="一", sender="x")
    _order(world)
    urls = ("/api/v1/orders/", "/api/v1/opinions/", "/api/v1/notices/")
    client.get("/api/v1/units/")  # the token's first use is noted once
    few = {url: _queries(client, url) for url in urls}
    for n in range(3):
        send_opinion(notice, text=f"意见{n}", sender=f"192.0.2.{n}")
        _order(world, world.problem(f"问题{n}", approve=True))
    assert {url: _queries(client, url) for url in urls} == few
