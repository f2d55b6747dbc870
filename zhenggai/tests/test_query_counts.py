"""Lists and overviews run a fixed number of queries, however much data there is."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhenggai.ledger import search, services, workflow
from zhenggai.supervision.models import Notification, ReminderRun
from zhenggai.supervision.services import answer_escalation, issue_escalation

PAGES = {
    "escalation_list": lambda w: reverse("escalation_list"),
    "notification_list_leader": lambda w: reverse("notification_list"),
    "ledger": lambda w: reverse("ledger"),
    "ledger_filtered": lambda w: reverse("ledger") + f"?state=in_progress&unit={w.unit.pk}",
    "ledger_search": lambda w: reverse("ledger") + "?q=学习",
    "round_overview": lambda w: reverse("round_detail", args=[w.round.pk]),
    "home": lambda w: reverse("home"),
    "my_tasks": lambda w: reverse("my_tasks"),
    "problem_detail": lambda w: reverse("problem_detail", args=[w.round.problems.first().pk]),
    "change_requests": lambda w: reverse("change_requests"),
    "change_requests_leader": lambda w: reverse("change_requests"),
    "my_tasks_leader": lambda w: reverse("my_tasks"),
    "my_tasks_discipline": lambda w: reverse("my_tasks"),
    "dashboard": lambda w: reverse("dashboard"),
    "dashboard_unit_leader": lambda w: reverse("dashboard") + f"?unit={w.unit.pk}",
    "dashboard_admin": lambda w: reverse("dashboard"),  # across units: the ranking
    "notice_edit": lambda w: reverse("notice_edit", args=[_published(w).round_id]),
    "public_notice": lambda w: reverse("public_notice", args=[_published(w).pk]),
    "public_notices": lambda w: reverse("public_notices") if _published(w) else "",
    "opinion_list": lambda w: reverse("opinion_list", args=[_published(w).round_id]),
}


def _published(world):
    """The round's notice, published again with the ledger as it now is, and an opinion."""
    from zhenggai.public.services import send_opinion
    from zhenggai.reports.models import Notice, default_notice
    from zhenggai.reports.services import publish_notice, save_notice

    notice = Notice.objects.filter(round=world.round).first()
    notice = notice or save_notice(default_notice(world.round), by=world.rect_office)
    notice = publish_notice(notice, by=world.rect_office)
    send_opinion(notice, text="意见", sender=f"192.0.2.{notice.opinions.count()}")
    return notice


# The locked counts: a change that adds queries to a page must update this on purpose.
LOCKED = {
    "escalation_list": 6,
    "notification_list_leader": 5,
    "change_requests": 5,
    "change_requests_leader": 6,
    # 9, + plans awaiting 审定方案, concerns to answer, problems returned at close-out, and the
    # rows of the measures they lead as 责任领导 (none listed before).
    "my_tasks_leader": 14,  # + the rounds whose 进度填报表 the person may fill in
    # Concerns whose answer waits to be closed by the discipline group.
    "my_tasks_discipline": 9,
    "ledger": 9,
    "ledger_filtered": 11,
    "ledger_search": 9 + search.uses_index(),  # the index probe runs on SQLite only
    "round_overview": 13,  # + whether section staff carry a measure (the progress sheet)
    "home": 5,
    # + problems of the section returned at close-out, with the reason, + the rounds whose
    # 进度填报表 the person may fill in
    "my_tasks": 9,
    "problem_detail": 17,  # + a count each for the paged progress reports and history
    "dashboard": 19,
    "dashboard_unit_leader": 20,
    "dashboard_admin": 16,
    "notice_edit": 14,
    "public_notice": 4,
    "public_notices": 5,
    "opinion_list": 8,
}


def add_problems(world, count):
    for n in range(count):
        problem = world.problem(f"学习贯彻不深入{n}", measures=2, approve=n % 2 == 0)
        if n % 2 == 0:
            services.report_progress(problem, by=world.staff, text="进展")
            services.update_measure(
                world.measure(problem),
                by=world.staff,
                base_version=None,
                lead_section=world.other_section,
                deadline="2031-01-01",
                reason="调整",
            )
        if n % 3 == 0:
            escalation = issue_escalation(
                problem, by=world.inspector, level=2, demand="督办", due_on=date(2031, 1, 1)
            )
            answer_escalation(escalation, by=world.rect_office, answer="已办")
        if n % 4 == 0:
            workflow.submit_for_close_out(problem, by=world.rect_office, note="完成")
            send_reminder(world, problem)
        if n % 8 == 0:
            workflow.return_close_out(problem, by=world.leader, reason="材料不全")
        if n % 3 == 1:
            flag = services.flag_problem(problem, by=world.discipline, note="请核实")
            if n % 2:
                services.answer_flag(flag, by=world.rect_office, answer="已核实")
        if n % 3 == 2:
            services.update_measure(
                world.measure(problem),
                by=world.leader,
                base_version=None,
                lead_leader=world.leader,
                owner=world.staff,
            )


def send_reminder(world, problem):
    run, _ = ReminderRun.objects.get_or_create(run_date=date(2026, 11, 23))
    Notification.objects.create(
        unit=world.unit,
        run=run,
        recipient=world.staff,
        kind="email",
        key=f"qc{problem.pk}",
        subject=problem.title,
        body=problem.title,
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_queries_do_not_grow_with_the_data(client, world, page):
    login = {"_leader": world.leader, "_admin": world.admin, "_discipline": world.discipline}
    client.force_login(next((u for k, u in login.items() if page.endswith(k)), world.staff))
    add_problems(world, 3)
    small = count_queries(client, PAGES[page](world))
    add_problems(world, 12)
    large = count_queries(client, PAGES[page](world))
    assert small == large
    assert large == LOCKED[page], f"{page} now runs {large} queries"
