from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhenggai.ledger.models import ChangeRequest, Event, Evidence, ProgressReport
from zhenggai.lib import samples

pytestmark = pytest.mark.django_db
MEASURES = "/api/v1/measures/"
REPORTS = "/api/v1/reports/"
REQUESTS = "/api/v1/change-requests/"


@pytest.fixture
def problem(world):
    return world.problem(approve=True)


@pytest.fixture
def measure(world, problem):
    return world.measure(problem)


def read(client, measure):
    response = client.get(f"{MEASURES}{measure.pk}/")
    assert response.status_code == 200
    return response["ETag"]


def patch(client, measure, body, etag):
    headers = {"HTTP_IF_MATCH": etag} if etag else {}
    return client.patch(f"{MEASURES}{measure.pk}/", body, format="json", **headers)


def test_a_measure_is_read_with_its_version_as_etag(bearer, world, measure):
    client = bearer(world.leader, "read")
    response = client.get(f"{MEASURES}{measure.pk}/")
    assert response["ETag"] == '"1"'
    assert response.json()["deadline"] == "2030-01-01"
    listed = client.get(MEASURES, {"problem": measure.problem_id}).json()
    assert [m["id"] for m in listed["results"]] == [measure.pk]


def test_a_measure_changed_through_the_api_shows_on_the_problem_page(
    bearer, client, world, measure
):
    api = bearer(world.leader)
    response = patch(api, measure, {"text": "措施一：开展专题读书班"}, read(api, measure))
    assert response.status_code == 200
    assert response["ETag"] == '"2"' and response.json()["applied"] == ["text"]
    client.force_login(world.leader)
    page = client.get(reverse("problem_detail", args=[measure.problem_id])).content.decode()
    assert "措施一：开展专题读书班" in page
    history = page[page.index('id="history"') :]
    assert "<del>措施1：组织专题学习</del> → <ins>措施一：开展专题读书班</ins>" in history
    assert Event.objects.filter(action=Event.Action.CHANGED, actor=world.leader).count() == 1


def test_a_write_without_if_match_is_428_and_a_stale_one_412(bearer, world, measure):
    api = bearer(world.leader)
    etag = read(api, measure)
    missing = patch(api, measure, {"text": "新措施"}, None)
    assert missing.status_code == 428 and missing.json()["code"] == "precondition_required"
    assert patch(api, measure, {"text": "第一次修改"}, etag).status_code == 200
    stale = patch(api, measure, {"text": "第二次修改"}, etag)
    assert stale.status_code == 412
    assert stale.json() == {
        "code": "precondition_failed",
        "message": "该措施在您打开后已被他人修改。请查看最新内容后重新提交，您的修改未保存。",
    }
    assert patch(api, measure, {"text": "第二次修改"}, '"abc"').status_code == 412
    measure.refresh_from_db()
    assert measure.text == "第一次修改" and measure.version == 2


def test_a_deadline_change_by_the_office_becomes_a_request_a_leader_decides(bearer, world, measure):
    office = bearer(world.rect_office)
    etag = read(office, measure)
    unexplained = patch(office, measure, {"deadline": "2030-06-30"}, etag)
    assert unexplained.status_code == 400 and unexplained.json()["code"] == "refused"
    assert "说明理由" in unexplained.json()["message"]
    asked = patch(office, measure, {"deadline": "2030-06-30", "reason": "需延期"}, etag)
    assert asked.status_code == 202
    body = asked.json()
    assert body["applied"] == [] and body["measure"]["deadline"] == "2030-01-01"
    (request,) = body["change_requests"]
    assert request["kind"] == "deadline" and request["changes"] == {"deadline": "2030-06-30"}
    url = f"{REQUESTS}{request['id']}/decision/"
    assert office.post(url, {"approve": True}, format="json").status_code == 403
    leader = bearer(world.leader)
    assert leader.post(url, {"approve": False}, format="json").json()["code"] == "refused"
    decided = leader.post(url, {"approve": True, "note": "同意"}, format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    measure.refresh_from_db()
    assert measure.deadline == date(2030, 6, 30)
    again = leader.post(url, {"approve": True}, format="json")
    assert again.status_code == 400 and again.json()["message"] == "该申请已处理。"


def test_the_form_checks_the_values_as_on_the_page(bearer, world, measure):
    api = bearer(world.leader)
    etag = read(api, measure)
    undated = patch(api, measure, {"deadline_kind": "date", "deadline": None}, etag)
    assert undated.status_code == 400
    assert undated.json()["errors"]["deadline"] == ["限期完成的措施须填写完成日期。"]
    foreign = patch(api, measure, {"lead_section": world.outside_section.pk}, etag)
    assert foreign.status_code == 400 and "lead_section" in foreign.json()["errors"]
    workdays = patch(
        api,
        measure,
        {"deadline_kind": "workdays", "deadline_workdays": 10, "deadline_from": "2026-09-01"},
        etag,
    )
    assert workdays.status_code == 200
    assert workdays.json()["measure"]["deadline"] == "2026-09-15"


def test_the_carrying_sections_staff_report_completion_and_others_are_refused(
    bearer, world, measure
):
    staff = bearer(world.staff)
    done = patch(staff, measure, {"completed_on": "2026-10-08"}, read(staff, measure))
    assert done.status_code == 200 and done.json()["applied"] == ["completed_on"]
    other = bearer(world.other_staff)
    refused = patch(other, measure, {"completed_on": "2026-10-09"}, read(other, measure))
    assert refused.status_code == 403
    assert bearer(world.outside_leader).get(f"{MEASURES}{measure.pk}/").status_code == 404


def test_a_read_only_token_changes_no_measure(bearer, world, measure):
    api = bearer(world.leader, "read")
    response = patch(api, measure, {"text": "x"}, read(api, measure))
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_a_leader_withdraws_a_measure_and_the_office_may_not(bearer, world, measure):
    office = bearer(world.rect_office)
    url = f"{MEASURES}{measure.pk}/withdraw/"
    etag = read(office, measure)
    assert (
        office.post(url, {"reason": "重复"}, format="json", HTTP_IF_MATCH=etag).status_code == 403
    )
    leader = bearer(world.leader)
    assert leader.post(url, {"reason": "重复"}, format="json").status_code == 428
    done = leader.post(url, {"reason": "与措施二重复"}, format="json", HTTP_IF_MATCH=etag)
    assert done.status_code == 200 and done.json()["measure"]["withdrawn"] is True
    assert done["ETag"] == '"2"'
    # A pending request of a withdrawn measure lapses, as on the page.
    assert not ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING).exists()


def upload(client, problem, name, data, **extra):
    body = {"problem": problem.pk, "text": "已组织专题学习", **extra}
    if data is not None:
        body["files"] = [SimpleUploadedFile(name, data)]
    return client.post(REPORTS, body, format="multipart")


def test_evidence_uploaded_through_the_api_passes_the_forms_content_checks(bearer, world, problem):
    api = bearer(world.staff)
    fake = upload(api, problem, "说明.pdf", b"just some text pretending to be a pdf")
    assert fake.status_code == 400 and fake.json()["code"] == "refused"
    renamed = upload(api, problem, "报告.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200)
    assert renamed.status_code == 400
    assert "只接受 PDF、Word、Excel 和图片文件" in renamed.json()["message"]
    assert "报告.pdf" in renamed.json()["message"]
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()
    stored = upload(api, problem, "学习纪要.pdf", samples.pdf())
    assert stored.status_code == 201
    (evidence,) = stored.json()["evidence"]
    assert evidence["content_type"] == "application/pdf"
    assert evidence["original_name"] == "学习纪要.pdf"
    assert Event.objects.filter(action=Event.Action.REPORTED, problem=problem).count() == 1


def test_evidence_is_downloaded_as_on_the_page_and_only_by_its_readers(bearer, api, world, problem):
    report = upload(bearer(world.staff), problem, "学习纪要.pdf", samples.pdf()).json()
    url = report["evidence"][0]["download"]
    response = bearer(world.leader, "read").get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.pdf()
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert bearer(world.outside_leader).get(url).status_code == 404
    assert api.get(url).status_code == 401


def test_a_report_is_refused_to_whom_the_page_refuses_it(bearer, world, problem):
    assert upload(bearer(world.other_staff), problem, "", None).status_code == 403
    assert upload(bearer(world.outside_leader), problem, "", None).status_code == 404
    other = world.problem("另一个问题", approve=True)
    wrong = upload(bearer(world.leader), problem, "", None, measure=world.measure(other).pk)
    assert wrong.status_code == 400 and wrong.json()["errors"]["measure"]


def test_reports_and_requests_are_listed_to_their_readers_only(bearer, world, problem, measure):
    upload(bearer(world.staff), problem, "", None)
    office = bearer(world.rect_office)
    patch(office, measure, {"deadline": "2030-06-30", "reason": "需延期"}, read(office, measure))
    leader = bearer(world.leader, "read")
    assert leader.get(REPORTS, {"problem": problem.pk}).json()["count"] == 1
    assert leader.get(REQUESTS, {"status": "pending"}).json()["count"] == 1
    outside = bearer(world.outside_leader, "read")
    assert outside.get(REPORTS).json()["count"] == 0
    assert outside.get(REQUESTS).json()["count"] == 0


def test_the_lists_read_in_the_same_number_of_queries_however_long(bearer, world):
    def counts() -> list[int]:
        found = []
        for url in (MEASURES, REPORTS, REQUESTS):
            with CaptureQueriesContext(connection) as queries:
                assert leader.get(url).status_code == 200
            found.append(len(queries))
        return found

    def add(n: int) -> None:
        problem = world.problem(f"问题{n}", measures=2, approve=True)
        upload(staff, problem, "学习纪要.pdf", samples.pdf())
        measure = world.measure(problem)
        patch(
            office, measure, {"deadline": "2030-06-30", "reason": "需延期"}, read(office, measure)
        )

    staff, office, leader = bearer(world.staff), bearer(world.rect_office), bearer(world.leader)
    leader.get(MEASURES)  # the token's first use of the minute notes when it was used
    add(0)
    one = counts()
    add(1)
    add(2)
    assert counts() == one


def test_a_malformed_id_is_not_found_and_a_malformed_filter_invalid(bearer, world, measure):
    api = bearer(world.leader)
    assert patch(api, measure, {}, '"1"').status_code == 200
    assert api.patch(f"{MEASURES}x,y/", {}, format="json", HTTP_IF_MATCH='"1"').status_code == 404
    assert api.get("/api/v1/evidence/null/file/").json()["code"] == "not_found"
    invalid = api.get(MEASURES, {"problem": "1e300"})
    assert invalid.status_code == 400 and invalid.json()["code"] == "invalid"


def test_a_tokens_upload_is_held_to_the_signed_in_limit_not_the_anonymous_one(
    bearer, api, world, problem
):
    big = samples.pdf("x" * 200_000)  # about 200 KB: over the anonymous 64 KB
    stored = upload(bearer(world.staff), problem, "大文件.pdf", big)
    assert stored.status_code == 201
    api.credentials(HTTP_AUTHORIZATION="Bearer zg_000000000000_forged")
    assert upload(api, problem, "大文件.pdf", big).status_code == 413


def test_an_upload_over_the_limit_answers_in_the_apis_error_shape(bearer, world, problem, settings):
    settings.EVIDENCE_MAX_BYTES = settings.UPLOAD_MAX_BYTES = 1024
    response = upload(bearer(world.staff), problem, "大文件.pdf", samples.pdf("x" * 5000))
    assert response.status_code == 413
    assert response.json()["code"] == "too_large" and "MB" in response.json()["message"]


def test_a_deadline_counted_past_the_calendar_is_refused_not_a_server_error(bearer, world, measure):
    api = bearer(world.leader)
    body = {"deadline_kind": "workdays", "deadline_workdays": 20, "deadline_from": "9999-12-31"}
    response = patch(api, measure, body, read(api, measure))
    assert response.status_code == 400 and "超出了日历范围" in str(response.json())
    huge = patch(api, measure, {"responsible_sections": [10**25]}, read(api, measure))
    assert huge.status_code == 400
