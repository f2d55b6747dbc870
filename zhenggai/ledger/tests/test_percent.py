"""Completion percentages: a measure's is reported with progress, a problem's follows from its
measures; the report form takes one beside the measure it concerns, and the ledger, the problem
page and my tasks show them."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhenggai.ledger import services, workflow
from zhenggai.ledger.models import Event, ProgressReport
from zhenggai.lib.errors import Refused


def _measures(problem):
    return list(problem.measures.order_by("position", "id"))


def test_a_percentage_without_a_measure_is_refused(world):
    problem = world.problem(approve=True)
    with pytest.raises(Refused) as refused:
        services.report_progress(problem, by=world.staff, text="已召开专题会议", percent=50)
    assert refused.value.message == "完成进度须针对具体措施填报。"
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("percent", [101, -1, 60.5, True])
def test_a_percentage_beyond_0_to_100_or_not_whole_is_refused(world, percent):
    problem = world.problem(approve=True)
    measure = world.measure(problem)
    with pytest.raises(Refused) as refused:
        services.report_progress(
            problem, by=world.staff, text="进展", measure=measure, percent=percent
        )
    assert refused.value.message == "完成进度应为 0 至 100 之间的整数。"
    measure.refresh_from_db()
    problem.refresh_from_db()
    assert (measure.percent, problem.percent) == (0, 0)
    assert not ProgressReport.objects.exists()


def test_a_reported_percentage_is_the_measures_and_counts_in_the_problems(world):
    problem = world.problem(measures=2, approve=True)
    first, _ = _measures(problem)
    report = services.report_progress(
        problem, by=world.staff, text="已完成制度起草", measure=first, percent=60
    )
    first.refresh_from_db()
    problem.refresh_from_db()
    assert (report.percent, first.percent, problem.percent) == (60, 60, 30)
    event = Event.objects.get(action=Event.Action.REPORTED)
    assert event.changes["完成进度"] == ["0%", "60%"]
    # Stated again unchanged: the report keeps what it said, the history no change.
    services.report_progress(problem, by=world.staff, text="继续推进", measure=first, percent=60)
    assert "完成进度" not in Event.objects.filter(action=Event.Action.REPORTED).latest("id").changes


def test_a_problems_percentage_is_rounded_down_so_100_means_every_measure_done(world):
    problem = world.problem(measures=3, approve=True)
    for measure, percent in zip(_measures(problem), [100, 100, 99], strict=True):
        services.report_progress(
            problem, by=world.staff, text="进展", measure=measure, percent=percent
        )
    problem.refresh_from_db()
    assert problem.percent == 99


def test_a_completed_measure_counts_100_whatever_was_reported(world):
    problem = world.problem(measures=2, approve=True)
    first, second = _measures(problem)
    services.report_progress(problem, by=world.staff, text="进展", measure=first, percent=20)
    services.report_progress(problem, by=world.staff, text="进展", measure=second, percent=40)
    services.update_measure(
        first, by=world.staff, base_version=None, completed_on=date(2026, 10, 1)
    )
    first.refresh_from_db()
    problem.refresh_from_db()
    assert (first.percent, first.done_percent) == (20, 100)
    assert problem.percent == 70


def test_a_withdrawn_measure_is_not_counted(world):
    problem = world.problem(measures=2, approve=False)
    first, second = _measures(problem)
    services.report_progress(problem, by=world.leader, text="进展", measure=first, percent=60)
    problem.refresh_from_db()
    assert problem.percent == 30
    services.withdraw_measure(second, by=world.leader, reason="与措施1重复", base_version=None)
    problem.refresh_from_db()
    assert problem.percent == 60


def test_a_problem_without_measures_reads_0_and_a_closed_one_100(world):
    assert world.problem(measures=0).percent == 0
    problem = world.problem(approve=True)
    services.report_progress(
        problem, by=world.staff, text="进展", measure=world.measure(problem), percent=40
    )
    workflow.submit_for_close_out(problem, by=world.staff, note="完成")
    workflow.close_out(problem, by=world.leader)
    problem.refresh_from_db()
    assert problem.percent == 100


def _problem_page(client, problem) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("problem_detail", args=[problem.pk])).content.decode()
    return html, len(queries)


def test_a_closed_out_problems_measures_read_100_on_its_page(client, world):
    """Closing out does not set the measures' 完成日期: each then reads 100, as the problem
    does, rather than what was last reported, and the page reads no more for it."""
    problem = world.problem(measures=3, approve=True)
    first, second, third = _measures(problem)
    services.report_progress(problem, by=world.staff, text="进展", measure=first, percent=40)
    client.force_login(world.leader)
    html, before = _problem_page(client, problem)
    assert 'aria-label="措施 1 完成进度">40%</progress>' in html
    assert 'aria-label="措施 2 完成进度">0%</progress>' in html
    workflow.submit_for_close_out(problem, by=world.staff, note="完成")
    assert world.measure(problem).done_percent == 40  # submitted, not yet rectified
    workflow.close_out(problem, by=world.leader)
    problem.refresh_from_db()
    assert problem.percent == 100 and problem.rectified_on is not None
    first.refresh_from_db()
    assert (first.completed_on, first.percent, first.done_percent) == (None, 40, 100)
    html, after = _problem_page(client, problem)
    assert 'aria-label="问题完成进度">100%</progress>' in html
    for n in (1, 2, 3):
        assert f'aria-label="措施 {n} 完成进度">100%</progress>' in html
    assert after == before  # each measure's problem is the page's own, not read again


def test_section_staff_may_not_state_the_percentage_of_another_sections_measure(world):
    problem = world.problem(approve=True)
    with pytest.raises(Refused):
        services.report_progress(
            problem, by=world.other_staff, text="进展", measure=world.measure(problem), percent=50
        )
    assert world.measure(problem).percent == 0


# The form.


def _field_error(html: str, name: str) -> str:
    """The error text shown beside the field `name` of a rendered form."""
    found = re.search(
        rf'<div class="field has-error">\s*<label for="id_{name}">.*?</div>', html, re.S
    )
    return found.group(0) if found else ""


def test_the_form_starts_from_the_chosen_measures_percentage(client, world):
    problem = world.problem(measures=2, approve=True)
    first, second = _measures(problem)
    services.report_progress(problem, by=world.staff, text="进展", measure=second, percent=35)
    client.force_login(world.staff)
    url = reverse("report_create", args=[problem.pk])
    html = client.get(f"{url}?measure={second.pk}").content.decode()
    assert re.search(rf'<option value="{second.pk}" selected>', html)
    assert re.search(r'name="percent"[^>]*value="35"', html)
    # Each measure's completion is on the page for the script to fill the field in.
    assert f'"{first.pk}": 0' in html and f'"{second.pk}": 35' in html
    # A measure of another problem (or none) chooses nothing.
    html = client.get(f"{url}?measure=999999").content.decode()
    assert '<option value="" selected>（整个问题）</option>' in html


def test_a_percentage_reported_through_the_form_shows_on_the_problem_page(client, world):
    problem = world.problem(measures=2, approve=True)
    first, _ = _measures(problem)
    client.force_login(world.staff)
    response = client.post(
        reverse("report_create", args=[problem.pk]),
        {"text": "已完成制度起草", "measure": first.pk, "percent": "60"},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.percent == 30
    html = client.get(reverse("problem_detail", args=[problem.pk])).content.decode()
    assert 'aria-label="问题完成进度">30%</progress>' in html
    assert 'aria-label="措施 1 完成进度">60%</progress>' in html
    assert "完成进度 <b>60%</b>" in html  # the report says what it stated
    assert f"?measure={first.pk}" in html  # the report link beside the measure


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"percent": "150"}, "完成进度应为 0 至 100 之间的整数。"),
        ({"percent": "-5"}, "完成进度应为 0 至 100 之间的整数。"),
        ({"percent": "六十"}, "完成进度应为 0 至 100 之间的整数。"),
        ({"percent": "60", "measure": ""}, "完成进度须针对具体措施填报。"),
    ],
)
def test_a_refused_percentage_is_told_beside_its_field(client, world, posted, message):
    problem = world.problem(approve=True)
    client.force_login(world.staff)
    data = {"text": "已完成制度起草", "measure": world.measure(problem).pk, **posted}
    response = client.post(reverse("report_create", args=[problem.pk]), data)
    assert response.status_code == 200
    assert message in _field_error(response.content.decode(), "percent")
    assert not ProgressReport.objects.exists()
    assert world.measure(problem).percent == 0


def test_a_report_without_a_percentage_leaves_the_measures(client, world):
    problem = world.problem(approve=True)
    measure = world.measure(problem)
    services.report_progress(problem, by=world.staff, text="进展", measure=measure, percent=45)
    client.force_login(world.staff)
    response = client.post(
        reverse("report_create", args=[problem.pk]), {"text": "继续推进", "measure": measure.pk}
    )
    assert response.status_code == 302
    assert ProgressReport.objects.latest("id").percent is None
    assert world.measure(problem).percent == 45


def test_the_report_form_of_another_units_problem_is_not_found(client, world):
    problem = world.problem(approve=True)
    client.force_login(world.outsider)
    url = reverse("report_create", args=[problem.pk])
    assert client.get(url).status_code == 404
    data = {"text": "x", "measure": world.measure(problem).pk, "percent": "90"}
    assert client.post(url, data).status_code == 404
    client.force_login(world.discipline)
    assert client.post(url, data).status_code == 403
    assert world.measure(problem).percent == 0


# Where it is shown.


def _reported(world, problem, percent):
    services.report_progress(
        problem, by=world.staff, text="进展", measure=world.measure(problem), percent=percent
    )


def test_the_ledger_shows_and_sorts_by_percentage(client, world):
    low, high = world.problem("低进度问题", approve=True), world.problem("高进度问题", approve=True)
    _reported(world, low, 10)
    _reported(world, high, 90)
    client.force_login(world.rect_office)
    html = client.get(reverse("ledger"), {"sort": "-percent"}).content.decode()
    assert "<th>完成进度</th>" in html
    assert html.index("高进度问题") < html.index("低进度问题")
    assert '完成进度">90%</progress> <b>90%</b>' in html
    html = client.get(reverse("ledger"), {"sort": "percent"}).content.decode()
    assert html.index("低进度问题") < html.index("高进度问题")
    assert '<option value="-percent">完成进度从高到低</option>' in html


def test_my_tasks_show_each_measures_percentage(client, world):
    problem = world.problem(approve=True)
    _reported(world, problem, 55)
    client.force_login(world.staff)
    html = client.get(reverse("my_tasks")).content.decode()
    assert "<th>完成进度</th>" in html
    assert '完成进度">55%</progress> <b>55%</b>' in html


def test_the_form_offers_a_section_only_the_measures_it_may_report_on(client, world):
    problem = world.problem(measures=2, approve=True)
    own, others = _measures(problem)
    services.update_measure(
        others, by=world.leader, base_version=others.version, lead_section=world.other_section
    )
    url = reverse("report_create", args=[problem.pk])
    client.force_login(world.staff)
    html = client.get(url).content.decode()
    assert f'<option value="{own.pk}">' in html and f'value="{others.pk}"' not in html
    # Posted anyway, it is refused beside the field, as a choice not offered.
    response = client.post(url, {"text": "进展", "measure": others.pk, "percent": "50"})
    assert response.status_code == 200 and "has-error" in response.content.decode()
    client.force_login(world.rect_office)
    html = client.get(url).content.decode()
    assert f'value="{own.pk}"' in html and f'value="{others.pk}"' in html
