"""The 约谈 pages (list, detail, opening, scheduling, recording) and the clue pages (list,
handing, signing for)."""

from datetime import date

import pytest
from django.urls import reverse

from zhenggai.assessments.models import Clue, Commitment, Interview
from zhenggai.ledger.models import Problem
from zhenggai.orgs.models import Role
from zhenggai.testing import grant, make_user

HELD = date(2025, 12, 10)
OK = ("每月通报好差评推送率", "2026-02-28")


@pytest.fixture
def office(client, world):
    client.force_login(world.evaluator)
    return client


def schedule(client, interview, **changes):
    data = {
        "scheduled_on": "2025-12-10",
        "interviewer": "区评价办主任 张某",
        "interviewees": "局长 李某",
        "place": "区政府三楼会议室",
    } | changes
    return client.post(reverse("interview_schedule", args=[interview.pk]), data)


def record_data(rows, held_on="2025-12-10", minutes="指出连续末位的原因，要求限期整改。"):
    data = {
        "held_on": held_on,
        "minutes": minutes,
        "c-TOTAL_FORMS": str(len(rows)),
        "c-INITIAL_FORMS": "0",
        "c-MIN_NUM_FORMS": "0",
        "c-MAX_NUM_FORMS": "30",
    }
    for n, (text, deadline) in enumerate(rows):
        data[f"c-{n}-text"] = text
        data[f"c-{n}-deadline"] = deadline
    return data


def test_the_office_lists_its_interviews(office, assessed):
    page = office.get(reverse("interview_list")).content.decode()
    assert "区科技局" in page and "待约谈" in page and "启动约谈" in page


def test_a_unit_sees_its_own_interview_and_not_anothers(client, world, assessed):
    client.force_login(world.leader)
    page = client.get(reverse("interview_list")).content.decode()
    assert reverse("interview_detail", args=[assessed["interview"].pk]) in page
    assert reverse("interview_create") not in page
    other = make_user("other_leader")
    grant(other, assessed["other_unit"], Role.LEADER)
    client.force_login(other)
    page = client.get(reverse("interview_list")).content.decode()
    assert "区科技局" not in page
    detail = client.get(reverse("interview_detail", args=[assessed["interview"].pk]))
    assert detail.status_code == 404


def test_the_detail_links_the_month(office, assessed):
    interview = assessed["interview"]
    page = office.get(reverse("interview_detail", args=[interview.pk])).content.decode()
    assert reverse("month_detail", args=[assessed["month"].pk]) in page
    assert interview.reason in page and "安排约谈" in page


def test_the_office_opens_an_interview(office, world, assessed):
    response = office.post(
        reverse("interview_create"),
        {"office": world.office.pk, "unit": assessed["other_unit"].pk, "reason": "企业投诉较多"},
    )
    interview = Interview.objects.get(unit=assessed["other_unit"])
    assert response["Location"] == reverse("interview_schedule", args=[interview.pk])
    assert interview.trigger == Interview.Trigger.OFFICE and interview.created_by == world.evaluator


def test_opening_offers_no_unit_outside_the_office(office, world, assessed):
    form = office.get(reverse("interview_create")).content.decode()
    assert "区商务局" in form and "市财政局" not in form
    response = office.post(
        reverse("interview_create"),
        {"office": world.office.pk, "unit": world.outside_unit.pk, "reason": "越权"},
    )
    assert response.status_code == 200 and "has-error" in response.content.decode()
    assert not Interview.objects.filter(unit=world.outside_unit).exists()


def test_a_saved_schedule_shows_when_reopened(office, assessed):
    interview = assessed["interview"]
    response = schedule(office, interview)
    assert response["Location"] == reverse("interview_detail", args=[interview.pk])
    form = office.get(reverse("interview_schedule", args=[interview.pk])).content.decode()
    assert 'value="2025-12-10"' in form and "区评价办主任 张某" in form
    assert "区政府三楼会议室" in form


def test_a_schedule_without_names_is_refused(office, assessed):
    response = schedule(office, assessed["interview"], interviewer="  ")
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    assert Interview.objects.get(pk=assessed["interview"].pk).scheduled_on is None


def test_recording_turns_commitments_into_problems(office, world, assessed):
    interview = assessed["interview"]
    schedule(office, interview)
    rows = [("建立电话值守制度", "2026-01-31"), ("", ""), ("每月通报好差评推送率", "2026-02-28")]
    response = office.post(reverse("interview_record", args=[interview.pk]), record_data(rows))
    assert response["Location"] == reverse("interview_detail", args=[interview.pk])
    interview.refresh_from_db()
    assert interview.state == Interview.State.HELD and interview.held_on == HELD
    commitments = list(interview.commitments.select_related("problem"))
    assert [c.text for c in commitments] == ["建立电话值守制度", "每月通报好差评推送率"]
    assert all(c.problem.round.unit_id == world.unit.pk for c in commitments)
    page = office.get(reverse("interview_detail", args=[interview.pk])).content.decode()
    for c in commitments:
        assert reverse("problem_detail", args=[c.problem.pk]) in page
    assert c.problem.get_state_display() in page


def test_the_record_form_offers_empty_rows(office, assessed):
    schedule(office, assessed["interview"])
    form = office.get(reverse("interview_record", args=[assessed["interview"].pk])).content
    assert form.decode().count('name="c-') >= 10  # five rows of text and deadline
    assert b'value="2025-12-10"' in form  # the held date starts as the scheduled one


@pytest.mark.parametrize(
    "rows, held_on, message",
    [
        ([OK, ("建立制度", "")], "2025-12-10", "请填写该项承诺的完成时限"),
        ([OK, ("", "2026-01-31")], "2025-12-10", "请同时填写承诺内容"),
        ([("", ""), ("", "")], "2025-12-10", "请至少填写一项整改承诺"),
        ([OK, ("建立制度", "2025-11-30")], "2025-12-10", "不早于约谈日期"),
        ([OK, ("建立制度", "2099-01-31")], "2099-01-01", "约谈日期不能晚于今天"),
    ],
)
def test_a_wrong_record_is_refused_and_writes_nothing(office, assessed, rows, held_on, message):
    interview = assessed["interview"]
    schedule(office, interview)
    problems = Problem.objects.count()
    data = record_data(rows, held_on=held_on)
    response = office.post(reverse("interview_record", args=[interview.pk]), data)
    assert response.status_code in (200, 400) and message in response.content.decode()
    assert Interview.objects.get(pk=interview.pk).state == Interview.State.PLANNED
    assert Commitment.objects.count() == 0 and Problem.objects.count() == problems


def test_recording_needs_a_schedule_first(office, assessed):
    interview = assessed["interview"]
    data = record_data([("建立制度", "2026-01-31")])
    response = office.post(reverse("interview_record", args=[interview.pk]), data)
    assert response.status_code == 400 and "请先安排约谈" in response.content.decode()


def test_a_held_interview_cannot_be_rescheduled(office, assessed):
    interview = assessed["interview"]
    schedule(office, interview)
    data = record_data([("建立制度", "2026-01-31")])
    office.post(reverse("interview_record", args=[interview.pk]), data)
    response = schedule(office, interview, place="别处")
    assert response.status_code == 400 and "不能再改安排" in response.content.decode()


# Clues.


def test_a_clue_is_handed_from_an_interview(office, world, assessed):
    interview = assessed["interview"]
    url = reverse("clue_create") + f"?interview={interview.pk}"
    form = office.get(url).content.decode()
    assert "区科技局" in form and "区商务局" not in form
    response = office.post(url, {"unit": world.unit.pk, "summary": "约谈中发现虚报整改情况"})
    assert response["Location"] == reverse("clue_list")
    clue = Clue.objects.get(summary="约谈中发现虚报整改情况")
    assert clue.interview == interview and clue.handed_by == world.evaluator


def test_a_clue_is_handed_from_a_month(office, world, assessed):
    month = assessed["month"]
    url = reverse("clue_create") + f"?month={month.pk}"
    response = office.post(url, {"unit": assessed["other_unit"].pk, "summary": "数据造假"})
    assert response.status_code == 302
    clue = Clue.objects.get(summary="数据造假")
    assert clue.month == month and clue.unit == assessed["other_unit"]


def test_a_clue_without_a_source_is_not_found(office, assessed):
    assert office.get(reverse("clue_create")).status_code == 404


def test_the_discipline_group_sees_and_receives_clues(client, assessed):
    watcher, clue = assessed["watcher"], assessed["clue"]
    client.force_login(watcher)
    page = client.get(reverse("clue_list")).content.decode()
    assert clue.summary in page and reverse("clue_receive", args=[clue.pk]) in page
    response = client.post(reverse("clue_receive", args=[clue.pk]))
    assert response["Location"] == reverse("clue_list")
    clue.refresh_from_db()
    assert clue.received_by == watcher and clue.received_at
    again = client.post(reverse("clue_receive", args=[clue.pk]), follow=True)
    assert "该线索已签收" in again.content.decode()


def test_the_office_sees_clues_but_does_not_receive_them(office, assessed):
    clue = assessed["clue"]
    page = office.get(reverse("clue_list")).content.decode()
    assert clue.summary in page and reverse("clue_receive", args=[clue.pk]) not in page
    assert office.post(reverse("clue_receive", args=[clue.pk])).status_code == 403
    assert Clue.objects.get(pk=clue.pk).received_at is None


def test_the_unit_does_not_see_the_clues_about_it(client, world, assessed):
    client.force_login(world.leader)
    page = client.get(reverse("interview_detail", args=[assessed["interview"].pk]))
    assert page.status_code == 200
    assert assessed["clue"].summary not in page.content.decode()
    assert "移交线索" not in page.content.decode()


def test_the_lists_take_a_fixed_number_of_queries(
    office, world, assessed, django_assert_max_num_queries
):
    from zhenggai.assessments.services import interviews

    for unit in (assessed["other_unit"], world.unit):
        interview = interviews.open_interview(world.office, unit, by=world.evaluator, reason="约谈")
        interviews.hand_clue(
            world.office, unit, by=world.evaluator, summary="线索", interview=interview
        )
    with django_assert_max_num_queries(16):
        assert office.get(reverse("interview_list")).status_code == 200
    with django_assert_max_num_queries(16):
        assert office.get(reverse("clue_list")).status_code == 200
