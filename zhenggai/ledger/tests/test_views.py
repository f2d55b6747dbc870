"""The ledger's forms tell people what happened, in Chinese, and never lose their work."""

from django.urls import reverse

from zhenggai.ledger import services


def measure_form(measure, **changes):
    data = {
        "text": measure.text,
        "lead_section": measure.lead_section_id or "",
        "deadline_kind": measure.deadline_kind,
        "deadline": measure.deadline or "",
        "rules_made": 0,
        "rules_revised": 0,
        "funds_recovered": 0,
        "people_held_accountable": 0,
        "version": measure.version,
    }
    data.update(changes)
    return data


def test_the_second_of_two_concurrent_editors_is_told(client, world):
    problem = world.problem()
    measure = world.measure(problem)
    stale = measure_form(measure, text="乙的修改")
    services.update_measure(measure, by=world.leader, base_version=measure.version, text="甲的修改")
    client.force_login(world.rect_office)
    response = client.post(reverse("measure_edit", args=[measure.pk]), stale)
    assert response.status_code == 409
    body = response.content.decode()
    assert "已被他人修改" in body and "甲的修改" in body  # the current text is shown
    measure.refresh_from_db()
    assert measure.text == "甲的修改"


def test_an_edit_after_approval_becomes_a_request(client, world):
    problem = world.problem(approve=True)
    measure = world.measure(problem)
    client.force_login(world.rect_office)
    response = client.post(
        reverse("measure_edit", args=[measure.pk]),
        measure_form(measure, deadline="2031-03-01", reason="等待上级批复"),
        follow=True,
    )
    assert "已提交单位领导审批" in response.content.decode()
    client.force_login(world.leader)
    page = client.get(reverse("change_requests")).content.decode()
    assert "等待上级批复" in page and "2031-03-01" in page
    request = problem.change_requests.get()
    client.post(reverse("change_request_decide", args=[request.pk]), {"approve": "1"})
    measure.refresh_from_db()
    assert str(measure.deadline) == "2031-03-01"


def test_a_pending_request_on_the_problem_page_names_its_measure(client, world):
    problem = world.problem(measures=2, approve=True)
    second = problem.measures.order_by("position", "id").last()
    services.update_measure(
        second, by=world.staff, base_version=second.version, deadline="2031-03-01", reason="延期"
    )
    client.force_login(world.leader)
    page = client.get(reverse("problem_detail", args=[problem.pk])).content.decode()
    assert "<b>措施2 · 调整时限</b>" in page


def test_a_refused_transition_explains_itself(client, world):
    problem = world.problem(measures=0)
    client.force_login(world.leader)
    response = client.post(
        reverse("problem_transition", args=[problem.pk, "approve_plan"]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("problem_detail", args=[problem.pk])
    assert "请先为该问题制定至少一条整改措施" in response.content.decode()


def test_a_transition_by_the_wrong_role_is_forbidden(client, world):
    problem = world.problem()
    client.force_login(world.staff)
    response = client.post(reverse("problem_transition", args=[problem.pk, "approve_plan"]))
    assert response.status_code == 403


def test_an_unknown_transition_is_not_found(client, world):
    problem = world.problem()
    client.force_login(world.leader)
    assert (
        client.get(reverse("problem_transition", args=[problem.pk, "explode"])).status_code == 404
    )


def test_ledger_filters_by_warning_state_and_section(client, world):
    from datetime import timedelta

    from django.utils import timezone

    late = world.problem("逾期的问题", deadline=timezone.localdate() - timedelta(days=3))
    world.problem("正常的问题", deadline=timezone.localdate() + timedelta(days=60))
    client.force_login(world.leader)
    body = client.get(reverse("ledger") + "?warning=red").content.decode()
    assert "逾期的问题" in body and "正常的问题" not in body
    body = client.get(reverse("ledger") + f"?section={world.other_section.pk}").content.decode()
    assert "没有符合条件的问题" in body
    body = client.get(reverse("ledger") + "?state=plan_pending&sort=due").content.decode()
    assert body.index("逾期的问题") < body.index("正常的问题")
    assert late.warning == "red"


def test_htmx_asks_for_the_table_only(client, world):
    world.problem()
    client.force_login(world.leader)
    response = client.get(reverse("ledger"), headers={"HX-Request": "true"})
    assert (
        "<html" not in response.content.decode() and "学习贯彻不深入" in response.content.decode()
    )


def test_bulk_deadline_change_from_the_ledger(client, world):
    drafted = world.problem("草案中的问题")
    client.force_login(world.rect_office)
    response = client.post(
        reverse("ledger_bulk"),
        {
            "action": "deadline",
            "problems": [drafted.pk],
            "deadline": "2031-06-30",
            "reason": "统一",
        },
        follow=True,
    )
    assert "已直接调整 1 条措施" in response.content.decode()
    assert str(world.measure(drafted).deadline) == "2031-06-30"


def test_the_ledger_offers_units_and_then_that_units_sections(client, world):
    world.problem()
    client.force_login(world.inspector)
    body = client.get(reverse("ledger")).content.decode()
    assert f'<option value="{world.unit.pk}">区科技局</option>' in body
    assert "市财政局" not in body  # another office's unit is not offered
    assert "（先选择单位）" in body
    body = client.get(reverse("ledger") + f"?unit={world.unit.pk}").content.decode()
    assert f'<option value="{world.unit.pk}" selected>区科技局</option>' in body
    assert f'<option value="{world.section.pk}">办公室</option>' in body


def test_forms_a_role_cannot_use_are_refused_before_they_are_filled(client, world):
    problem = world.problem(approve=True)
    measure = world.measure(problem)
    client.force_login(world.discipline)
    for url in [
        reverse("report_create", args=[problem.pk]),
        reverse("problem_transition", args=[problem.pk, "submit_for_close_out"]),
        reverse("measure_edit", args=[measure.pk]),
        reverse("measure_create", args=[problem.pk]),
        reverse("problem_edit", args=[problem.pk]),
        reverse("problem_create", args=[world.round.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    client.force_login(world.leader)
    assert client.get(reverse("flag_create", args=[problem.pk])).status_code == 403


def test_a_measures_owner_may_report_on_it(client, world):
    from zhenggai.orgs.models import Role
    from zhenggai.testing import grant, make_user

    owner = make_user("owner")
    grant(owner, world.other_section, Role.SECTION_STAFF)
    problem = world.problem(approve=True)
    services.update_measure(world.measure(problem), by=world.leader, base_version=None, owner=owner)
    client.force_login(owner)
    assert client.get(reverse("measure_edit", args=[world.measure(problem).pk])).status_code == 200
    assert client.get(reverse("report_create", args=[problem.pk])).status_code == 200


def test_change_requests_page_offers_decisions_to_leaders_only(client, world):
    problem = world.problem(approve=True)
    services.update_measure(
        world.measure(problem),
        by=world.staff,
        base_version=None,
        deadline="2031-01-01",
        reason="延期",
    )
    client.force_login(world.staff)
    body = client.get(reverse("change_requests")).content.decode()
    assert "批准" not in body.replace("待审批", "") and "我提出的申请" in body
    client.force_login(world.leader)
    body = client.get(reverse("change_requests")).content.decode()
    assert "待我审批的变更申请" in body and 'value="1"' in body and "区科技局" in body


def test_an_odd_digit_in_a_form_is_not_a_crash(client, world):
    client.force_login(world.rect_office)
    response = client.post(reverse("ledger_bulk"), {"problems": ["²"], "action": "deadline"})
    assert response.status_code == 302


def test_an_enormous_count_is_refused_in_chinese_not_a_crash(client, world):
    problem = world.problem()
    measure = world.measure(problem)
    client.force_login(world.leader)
    response = client.post(
        reverse("measure_edit", args=[measure.pk]),
        measure_form(measure, people_held_accountable="99999999999999999999"),
    )
    assert response.status_code == 200 and "1000000" in response.content.decode()
    import pytest

    from zhenggai.lib.errors import Refused

    with pytest.raises(Refused):
        services.update_measure(measure, by=world.leader, base_version=None, rules_made=10**12)


def test_bulk_reassignment_of_owner_from_the_ledger(client, world):
    drafted = world.problem("草案中的问题")
    client.force_login(world.rect_office)
    page = client.get(reverse("ledger") + f"?unit={world.unit.pk}").content.decode()
    assert f'<option value="{world.staff.pk}">staff</option>' in page
    client.post(
        reverse("ledger_bulk"),
        {"action": "reassign", "problems": [drafted.pk], "owner": world.staff.pk, "reason": ""},
    )
    assert world.measure(drafted).owner == world.staff


def test_a_deadline_in_working_days_is_worked_out_on_the_official_calendar(client, world):
    import datetime

    problem = world.problem()
    measure = world.measure(problem)
    client.force_login(world.leader)
    # 20 working days from the feedback (2026-09-01), across Mid-Autumn and National Day.
    response = client.post(
        reverse("measure_edit", args=[measure.pk]),
        measure_form(measure, deadline_kind="workdays", deadline="", deadline_workdays=20),
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.deadline_kind == "date"
    assert measure.deadline == datetime.date(2026, 9, 29)
    assert (measure.deadline_workdays, measure.deadline_from) == (20, datetime.date(2026, 9, 1))
    assert measure.deadline_display == "2026-09-29（自2026-09-01起20个工作日）"
    page = client.get(reverse("measure_edit", args=[measure.pk])).content.decode()
    assert '<option value="workdays" selected>' in page
    assert 'name="deadline_workdays" value="20"' in page


def test_a_deadline_in_working_days_needs_the_count(client, world):
    problem = world.problem()
    measure = world.measure(problem)
    client.force_login(world.leader)
    response = client.post(
        reverse("measure_edit", args=[measure.pk]),
        measure_form(measure, deadline_kind="workdays", deadline=""),
    )
    assert response.status_code == 200
    assert "请填写工作日数" in response.content.decode()


def test_a_plain_date_clears_an_earlier_working_day_rule(client, world):
    problem = world.problem()
    measure = world.measure(problem)
    client.force_login(world.leader)
    client.post(
        reverse("measure_edit", args=[measure.pk]),
        measure_form(measure, deadline_kind="workdays", deadline="", deadline_workdays=5),
    )
    measure.refresh_from_db()
    client.post(
        reverse("measure_edit", args=[measure.pk]),
        measure_form(measure, deadline="2031-01-01"),
    )
    measure.refresh_from_db()
    assert str(measure.deadline) == "2031-01-01" and measure.deadline_workdays is None


def test_sorting_by_deadline_lists_open_problems_first(client, world):
    from datetime import date

    from zhenggai.ledger import workflow

    closed = world.problem("早已销号的问题", deadline=date(2026, 10, 1), approve=True)
    workflow.transition(closed, "submit_for_close_out", by=world.rect_office, note="已完成")
    workflow.transition(closed, "close_out", by=world.leader)
    world.problem("仍在整改的问题", deadline=date(2030, 1, 1), approve=True)
    world.problem("还没有期限的问题", deadline=None)
    client.force_login(world.leader)
    for sort in ("due", "-due"):
        body = client.get(reverse("ledger") + f"?sort={sort}").content.decode()
        order = [body.index(t) for t in ("仍在整改的问题", "还没有期限的问题", "早已销号的问题")]
        assert order == sorted(order), sort


def test_a_new_unit_sends_the_lists_that_follow_it(client, world):
    client.force_login(world.inspector)
    url = reverse("ledger") + f"?unit={world.unit.pk}"
    table_only = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'id="ledger-filters"' not in table_only
    lists = client.get(url, headers={"HX-Request": "true", "X-Ledger-Lists": "1"})
    body = lists.content.decode()
    assert 'id="ledger-filters" method="get" hx-swap-oob="true"' in body and "综合科" in body


def test_a_problems_reports_and_history_are_paged(client, world):
    problem = world.problem(approve=True)
    for n in range(60):
        services.report_progress(problem, by=world.staff, text=f"第{n + 1}次进展")
    client.force_login(world.leader)
    url = reverse("problem_detail", args=[problem.pk])

    def reports(query=""):
        body = client.get(url + query).content.decode()
        return body.split('id="reports"')[1].split('id="history"')[0], body

    first, body = reports()
    assert "第60次进展" in first and "第41次进展" in first and "第40次进展" not in first
    assert "第 1 / 3 页" in first and "reports=2#reports" in first
    third, _ = reports("?reports=3")
    assert "第1次进展" in third and "第21次进展" not in third
    assert "history=2#history" in body  # 60 reports: more than a page of history


def test_the_history_says_which_measure_a_change_was_made_to(client, world):
    problem = world.problem(measures=2, approve=True)
    second = problem.measures.order_by("position")[1]
    services.update_measure(second, by=world.staff, base_version=second.version, rules_made=1)
    client.force_login(world.leader)
    body = client.get(reverse("problem_detail", args=[problem.pk])).content.decode()
    history = body.split('id="history"')[1]
    assert "修改（措施 2）" in history


def test_an_id_beyond_what_the_database_holds_is_ignored_not_a_server_error(client, world):
    client.force_login(world.leader)
    for name in ("round", "unit", "section", "leader"):
        response = client.get("/ledger/", {name: "9" * 30})
        assert response.status_code == 200, name
