"""What the ledger, the problem page and 我的任务 mark: a measure lacking its 责任人 or date (grey,
never green, never "NoneNone"), a date already past, a plan awaiting approval, the measures a
leader leads, and a close-out returned with its reason."""

from datetime import date, timedelta

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from zhenggai.ledger import services, workflow
from zhenggai.ledger.models import DeadlineKind


def page(client, name, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def bare_measure(world, problem):
    """A measure with no 责任人, 责任领导, 牵头科室 or date, as a newcomer may leave it."""
    return services.create_measure(problem, by=world.leader, text="未落实的措施")


def test_a_measure_without_owner_or_date_is_grey_everywhere_and_never_none_none(client, world):
    problem = world.problem(measures=0)
    measure = bare_measure(world, problem)
    services.update_measure(measure, by=world.leader, base_version=None, lead_section=world.section)
    client.force_login(world.staff)
    for body in (
        page(client, "ledger"),
        page(client, "problem_detail", problem.pk),
        page(client, "my_tasks"),
    ):
        assert "NoneNone" not in body and "None" not in body
        assert 'class="light green"' not in body
        assert "未定责任人" in body and "未定时限" in body
    assert "未定责任领导" in page(client, "ledger")


def test_the_problem_page_names_what_a_measure_lacks(client, world):
    problem = world.problem(measures=0)
    bare_measure(world, problem)
    client.force_login(world.leader)
    body = page(client, "problem_detail", problem.pk)
    assert "缺责任人" in body and "缺牵头科室" in body and "缺责任领导" in body


def test_the_ledgers_grey_filter_finds_what_it_shows(client, world):
    grey = world.problem("灰灯问题")
    green = world.problem("绿灯问题", deadline=date(2031, 1, 1))
    services.update_measure(
        world.measure(green), by=world.leader, base_version=None, owner=world.staff
    )
    client.force_login(world.leader)
    body = client.get(reverse("ledger") + "?warning=unset").content.decode()
    assert grey.title in body and green.title not in body
    body = client.get(reverse("ledger") + "?warning=green").content.decode()
    assert green.title in body and grey.title not in body


def test_a_past_deadline_is_accepted_and_pointed_out(client, world):
    problem = world.problem(measures=0)
    past = timezone.localdate() - timedelta(days=10)
    measure = services.create_measure(
        problem,
        by=world.leader,
        text="补录的措施",
        owner=world.staff,
        deadline_kind=DeadlineKind.DATE,
        deadline=past,
    )
    assert measure.deadline_passed
    warnings = services.measure_warnings(measure)
    assert warnings and "早于今天" in warnings[0]
    client.force_login(world.leader)
    body = page(client, "problem_detail", problem.pk)
    assert "整改时限早于今天" in body and "红灯" in body


def test_an_approved_change_to_a_past_date_is_accepted_with_a_warning(client, world):
    problem = world.problem(approve=True)
    measure = world.measure(problem)
    past = timezone.localdate() - timedelta(days=3)
    services.update_measure(
        measure, by=world.staff, base_version=None, deadline=past, reason="按实际完成日期补录"
    )
    request = problem.change_requests.get()
    client.force_login(world.leader)
    assert "早于今天" in page(client, "problem_detail", problem.pk)  # before deciding, too
    response = client.post(reverse("change_request_decide", args=[request.pk]), {"approve": "1"})
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("早于今天" in m for m in shown), shown
    measure.refresh_from_db()
    assert measure.deadline == past
    assert "整改时限早于今天" in page(client, "problem_detail", problem.pk)


def test_a_leaders_tasks_list_plans_to_approve_and_measures_they_lead(client, world):
    pending = world.problem("待审定的问题")
    led = world.problem("由书记牵头的问题", approve=True)
    services.update_measure(
        world.measure(led), by=world.leader, base_version=None, lead_leader=world.leader
    )
    client.force_login(world.leader)
    body = page(client, "my_tasks")
    assert "待审定方案" in body and pending.title in body
    assert "由书记牵头的问题" in body and "措施1：组织专题学习" in body
    workflow.approve_plan(pending, by=world.leader)
    assert "待审定方案" not in page(client, "my_tasks")


def test_plans_to_approve_are_a_leaders_only(client, world):
    world.problem("待审定的问题")
    client.force_login(world.rect_office)
    assert "待审定方案" not in page(client, "my_tasks")


def test_a_returned_close_out_shows_in_the_sections_tasks_with_the_reason(client, world):
    problem = world.problem("被退回的问题", approve=True)
    workflow.submit_for_close_out(problem, by=world.staff, note="已完成")
    workflow.return_close_out(problem, by=world.leader, reason="缺少制度印发文件，请补充。")
    client.force_login(world.staff)
    body = page(client, "my_tasks")
    assert "销号申请被退回" in body and "缺少制度印发文件，请补充。" in body
    assert "已退回" in body
    client.force_login(world.other_staff)  # another section: not theirs
    assert "缺少制度印发文件" not in page(client, "my_tasks")

    # Submitted again, it is no longer "returned"; returned again, the latest reason shows.
    workflow.submit_for_close_out(problem, by=world.staff, note="已补充")
    client.force_login(world.staff)
    assert "销号申请被退回" not in page(client, "my_tasks")
    workflow.return_close_out(problem, by=world.leader, reason="印发文件未盖章。")
    body = page(client, "my_tasks")
    assert "印发文件未盖章。" in body and "缺少制度印发文件" not in body


def test_a_reopened_problem_is_not_shown_as_returned(client, world):
    problem = world.problem(approve=True)
    workflow.submit_for_close_out(problem, by=world.staff, note="已完成")
    workflow.return_close_out(problem, by=world.leader, reason="先退回")
    workflow.submit_for_close_out(problem, by=world.staff, note="已完成")
    workflow.close_out(problem, by=world.leader)
    workflow.reopen(problem, by=world.leader, reason="群众反映仍未整改到位")
    client.force_login(world.staff)
    assert "销号申请被退回" not in page(client, "my_tasks")


def test_the_migration_fills_markers_and_names_past_returns(world):
    """0013 on a ledger from before: lights, concerns, and returns told apart in history."""
    from importlib import import_module

    from django.apps import apps

    from zhenggai.ledger.models import Event, Flag, Problem

    fill = import_module("zhenggai.ledger.migrations.0013_fill_problem_markers")
    grey = world.problem("灰灯")
    owned = world.problem("已定责任人")
    services.update_measure(
        world.measure(owned), by=world.leader, base_version=None, owner=world.staff
    )
    world.problem("无措施", measures=0)
    flagged = world.problem("有意见", approve=True)
    Flag.objects.create(problem=flagged, note="旧意见", created_by=world.discipline)
    workflow.submit_for_close_out(flagged, by=world.staff, note="完成")
    workflow.return_close_out(flagged, by=world.leader, reason="退回")
    # As 0012 left them: every problem unassigned, no concern, the return a plain transition.
    Problem.objects.update(unassigned=True, concern="")
    Problem.objects.filter(pk=owned.pk).update(unassigned=False)
    Event.objects.filter(action="returned").update(action="transition")
    fill.fill(apps, None)
    states = dict(Problem.objects.values_list("title", "unassigned"))
    assert states == {"灰灯": True, "已定责任人": False, "无措施": True, "有意见": True}
    assert Problem.objects.get(pk=flagged.pk).concern == "open"
    assert Problem.objects.get(pk=grey.pk).concern == ""
    returned = Event.objects.get(problem=flagged, action="returned")
    assert returned.note == "退回"
    fill.unfill(apps, None)
    assert not Event.objects.filter(action="returned").exists()
