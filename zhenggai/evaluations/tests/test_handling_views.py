"""The rating page, the call back, the appeal and its decision, as the people who use them."""

from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from zhenggai.evaluations.models import Appeal, MonthlyTally, Rating
from zhenggai.evaluations.services import appeals
from zhenggai.evaluations.services.bad_reviews import record_callback
from zhenggai.evaluations.services.ratings import submit_rating
from zhenggai.ledger import services, workflow
from zhenggai.ledger.models import State
from zhenggai.lib import samples

AT = timezone.make_aware(datetime(2026, 11, 20, 10, 0))
PHONE = "13912345678"
CASE = "SX2026-0042"


@pytest.fixture
def bad(point):
    values = {"level": "1", "comment": "跑了三趟还没办成", "phone": PHONE, "case_number": CASE}
    return submit_rating(point, values=values, client="198.51.100.9", device="d" * 24, at=AT)


def _page(client, user, rating):
    client.force_login(user)
    return client.get(reverse("rating_detail", args=[rating.pk]))


def test_the_evaluation_office_sees_what_the_rater_gave(client, world, bad):
    body = _page(client, world.evaluator, bad).content.decode()
    assert PHONE in body and CASE in body and bad.client_hash[:10] in body


@pytest.mark.parametrize("who", ["leader", "rect_office", "staff", "discipline"])
def test_the_rated_unit_never_sees_the_rater(client, world, bad, who):
    response = _page(client, getattr(world, who), bad)
    body = response.content.decode()
    assert response.status_code == 200 and "跑了三趟还没办成" in body
    assert PHONE not in body and CASE not in body
    assert bad.client_hash[:10] not in body and bad.device_hash[:10] not in body


@pytest.mark.parametrize("who", ["outsider", "outside_leader"])
def test_another_unit_reaches_no_rating(client, world, bad, who):
    assert _page(client, getattr(world, who), bad).status_code == 404


def _rectified(world, problem):
    measure = problem.measures.get()
    services.update_measure(
        measure, by=world.rect_office, base_version=measure.version, owner=world.staff.pk
    )
    workflow.approve_plan(problem, by=world.leader)
    workflow.submit_for_close_out(problem, by=world.staff, note="已整改")


def test_the_office_records_a_call_back_from_the_page(client, world, bad):
    _rectified(world, bad.problem)
    client.force_login(world.evaluator)
    url = reverse("callback_create", args=[bad.pk])
    page = client.get(url).content.decode()
    assert PHONE in page
    data = {"caller": "刘评价", "called_at": "2026-11-25T15:30", "outcome": "satisfied"}
    response = client.post(url, {**data, "note": "评价人表示满意"})
    assert response.status_code == 302
    callback = bad.callbacks.get()
    assert callback.get_outcome_display() == "满意" and callback.recorded_by == world.evaluator


def test_a_call_back_before_the_rectification_is_refused_in_chinese(client, world, bad):
    client.force_login(world.evaluator)
    data = {"caller": "刘评价", "called_at": "2026-11-25T15:30", "outcome": "satisfied"}
    response = client.post(reverse("callback_create", args=[bad.pk]), data)
    assert response.status_code == 400
    assert "整改完成并申请销号后才能回访评价人" in response.content.decode()
    assert not bad.callbacks.exists()


@pytest.mark.parametrize("who", ["leader", "rect_office", "discipline", "inspector"])
def test_no_one_but_the_evaluation_office_calls_back(client, world, bad, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("callback_create", args=[bad.pk])).status_code == 403


def test_the_unit_appeals_and_the_office_upholds(client, world, bad):
    client.force_login(world.rect_office)
    evidence = SimpleUploadedFile("办件记录.pdf", samples.pdf())
    data = {"ground": "malicious", "statement": "该企业当日未到窗口办理，系恶意差评。"}
    response = client.post(reverse("appeal_create", args=[bad.pk]), {**data, "evidence": evidence})
    assert response.status_code == 302
    appeal = Appeal.objects.get(rating=bad)
    client.force_login(world.evaluator)
    assert client.get(reverse("appeal_evidence", args=[appeal.pk])).status_code == 200
    url = reverse("appeal_decide", args=[appeal.pk])
    response = client.post(url, {"decision": "uphold", "reason": "经调取监控，申诉属实。"})
    assert response.status_code == 302
    bad.refresh_from_db()
    assert bad.excluded and bad.problem.state == State.WITHDRAWN
    assert MonthlyTally.objects.get(point=bad.point).count == 0
    assert Appeal.objects.get().get_status_display() == "申诉成立"


def test_a_rejected_appeal_leaves_the_rating_counted(client, world, bad):
    client.force_login(world.leader)
    data = {"ground": "mistaken", "statement": "非本窗口事项。"}
    client.post(reverse("appeal_create", args=[bad.pk]), data)
    client.force_login(world.evaluator)
    url = reverse("appeal_decide", args=[Appeal.objects.get().pk])
    client.post(url, {"decision": "reject", "reason": "办件记录显示确为本窗口办理。"})
    bad.refresh_from_db()
    assert not bad.excluded and bad.problem.state == State.PLAN_PENDING
    assert MonthlyTally.objects.get(point=bad.point).count == 1


def test_a_second_appeal_is_refused(client, world, bad):
    client.force_login(world.leader)
    data = {"ground": "mistaken", "statement": "非本窗口事项。"}
    client.post(reverse("appeal_create", args=[bad.pk]), data)
    response = client.post(reverse("appeal_create", args=[bad.pk]), data, follow=True)
    assert "每条差评只能申诉一次" in response.content.decode()
    assert Appeal.objects.count() == 1


def test_an_appeal_with_a_disguised_file_keeps_nothing(client, world, bad):
    client.force_login(world.leader)
    fake = SimpleUploadedFile("记录.pdf", b"MZ\x90\x00 not a pdf")
    data = {"ground": "mistaken", "statement": "非本窗口事项。", "evidence": fake}
    response = client.post(reverse("appeal_create", args=[bad.pk]), data)
    assert response.status_code == 400 and "记录.pdf" in response.content.decode()
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("who", ["leader", "rect_office", "staff", "discipline", "inspector"])
def test_only_the_evaluation_office_decides_appeals(client, world, bad, who):
    client.force_login(world.leader)
    client.post(reverse("appeal_create", args=[bad.pk]), {"ground": "mistaken", "statement": "x"})
    client.force_login(getattr(world, who))
    url = reverse("appeal_decide", args=[Appeal.objects.get().pk])
    assert client.post(url, {"decision": "uphold", "reason": "x"}).status_code == 403
    assert Appeal.objects.get().status == "open"


def test_staff_and_the_discipline_group_do_not_appeal(client, world, bad):
    for user in (world.staff, world.discipline, world.evaluator):
        client.force_login(user)
        assert client.get(reverse("appeal_create", args=[bad.pk])).status_code == 403


def test_the_appeal_list_shows_the_open_ones_to_the_office(client, world, bad):
    client.force_login(world.leader)
    client.post(reverse("appeal_create", args=[bad.pk]), {"ground": "mistaken", "statement": "x"})
    client.force_login(world.evaluator)
    body = client.get(reverse("appeal_list")).content.decode()
    assert "跑了三趟还没办成" in body
    client.force_login(world.outside_leader)
    assert "跑了三趟还没办成" not in client.get(reverse("appeal_list")).content.decode()


def test_the_problem_page_says_where_the_problem_came_from(client, world, bad):
    client.force_login(world.rect_office)
    body = client.get(reverse("problem_detail", args=[bad.problem_id])).content.decode()
    assert reverse("rating_detail", args=[bad.pk]) in body
    assert Rating.objects.get(pk=bad.pk).problem_id == bad.problem_id


def test_my_tasks_lists_the_call_backs_and_appeals_waiting_for_the_office(
    client, world, bad, django_assert_max_num_queries
):
    _rectified(world, bad.problem)
    client.force_login(world.leader)
    client.post(reverse("appeal_create", args=[bad.pk]), {"ground": "mistaken", "statement": "x"})
    client.force_login(world.evaluator)
    with django_assert_max_num_queries(14):
        body = client.get(reverse("my_tasks")).content.decode()
    assert reverse("callback_create", args=[bad.pk]) in body
    assert reverse("appeal_decide", args=[Appeal.objects.get().pk]) in body
    record_callback(
        bad, by=world.evaluator, caller="刘", called_at=timezone.now(), outcome="satisfied"
    )
    body = client.get(reverse("my_tasks")).content.decode()
    assert reverse("callback_create", args=[bad.pk]) not in body


def test_the_appeal_list_takes_a_fixed_number_of_queries(
    client, world, point, django_assert_max_num_queries
):
    for n in range(12):
        values = {"level": "2", "comment": f"第{n}次差评原因", "case_number": f"Q{n}"}
        rating = submit_rating(point, values=values, at=AT)
        appeals.file_appeal(rating, by=world.leader, ground="mistaken", statement="x")
    client.force_login(world.evaluator)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("appeal_list"))
    assert response.content.decode().count("次差评原因") == 12


def test_the_problem_page_tells_the_office_to_call_back_before_verifying(client, world, bad):
    _rectified(world, bad.problem)
    workflow.close_out(bad.problem, by=world.leader)
    client.force_login(world.evaluator)
    body = client.get(reverse("problem_detail", args=[bad.problem_id])).content.decode()
    assert "尚未回访评价人" in body and reverse("callback_create", args=[bad.pk]) in body
    client.force_login(world.leader)
    body = client.get(reverse("problem_detail", args=[bad.problem_id])).content.decode()
    assert "尚未回访评价人" not in body


def test_a_bad_review_whose_problem_is_done_is_not_appealed(client, world, bad):
    _rectified(world, bad.problem)
    workflow.close_out(bad.problem, by=world.leader)
    client.force_login(world.leader)
    assert "提出申诉" not in client.get(reverse("rating_detail", args=[bad.pk])).content.decode()
    response = client.post(
        reverse("appeal_create", args=[bad.pk]), {"ground": "mistaken", "statement": "x"}
    )
    assert response.status_code == 400 and "已办结，不能再申诉" in response.content.decode()
    assert not Appeal.objects.exists()
