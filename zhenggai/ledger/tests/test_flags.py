"""The discipline group's concerns (监督意见): raised, answered by the unit, closed or sent back
by the group; every step checked, recorded, and shown by the ledger's marker."""

import pytest
from django.urls import reverse

from zhenggai.ledger import services
from zhenggai.ledger.models import Event, Flag
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.orgs.models import Role
from zhenggai.testing import grant


def raised(world, note="整改措施偏重学习部署，请补充制度执行情况的佐证材料。"):
    problem = world.problem(approve=True)
    return services.flag_problem(problem, by=world.discipline, note=note)


def concern_of(flag) -> str:
    flag.problem.refresh_from_db()
    return flag.problem.concern


def one_new_event(action):
    """Run `action`, and return the one history row it wrote."""
    before = Event.objects.count()
    action()
    new = list(Event.objects.order_by("id")[before:])
    assert len(new) == 1, new
    return new[0]


# ---------------------------------------------------------------- the services


def test_a_concern_is_answered_then_closed_and_each_step_is_history(world):
    flag = raised(world)
    assert flag.status == Flag.Status.OPEN and concern_of(flag) == "open"

    event = one_new_event(
        lambda: services.answer_flag(flag, by=world.leader, answer="已补充党组会议纪要。")
    )
    flag.refresh_from_db()
    assert flag.status == Flag.Status.ANSWERED and flag.answered_by == world.leader
    assert flag.answer == "已补充党组会议纪要。" and concern_of(flag) == "answered"
    assert event.action == Event.Action.FLAG_ANSWERED and event.actor == world.leader
    assert event.changes == {"监督意见": ["待答复", "已答复"]}
    assert event.note == "已补充党组会议纪要。" and event.object_id == flag.pk

    event = one_new_event(lambda: services.close_flag(flag, by=world.discipline, note="同意"))
    flag.refresh_from_db()
    assert flag.status == Flag.Status.CLOSED and flag.decided_by == world.discipline
    assert concern_of(flag) == "closed"
    assert event.action == Event.Action.FLAG_CLOSED
    assert event.changes == {"监督意见": ["已答复", "已办结"]}


def test_an_answer_sent_back_is_open_again_with_the_reason(world):
    flag = raised(world)
    services.answer_flag(flag, by=world.rect_office, answer="已整改。")
    event = one_new_event(
        lambda: services.send_back_flag(flag, by=world.discipline, reason="未附佐证材料。")
    )
    flag.refresh_from_db()
    assert flag.status == Flag.Status.OPEN and flag.decision_note == "未附佐证材料。"
    assert concern_of(flag) == "open"
    assert event.action == Event.Action.FLAG_SENT_BACK and event.note == "未附佐证材料。"
    services.answer_flag(flag, by=world.rect_office, answer="已补充佐证材料。")
    flag.refresh_from_db()
    assert flag.status == Flag.Status.ANSWERED and flag.answer == "已补充佐证材料。"


def test_sending_back_needs_a_reason_and_answering_needs_text(world):
    flag = raised(world)
    with pytest.raises(Refused, match="答复内容"):
        services.answer_flag(flag, by=world.leader, answer="  ")
    services.answer_flag(flag, by=world.leader, answer="已办")
    with pytest.raises(Refused, match="退回理由"):
        services.send_back_flag(flag, by=world.discipline, reason=" ")
    flag.refresh_from_db()
    assert flag.status == Flag.Status.ANSWERED


@pytest.mark.parametrize("who", ["staff", "discipline", "inspector", "outsider"])
def test_only_the_units_leader_or_office_answers(world, who):
    flag = raised(world)
    with pytest.raises(NotAllowed):
        services.answer_flag(flag, by=getattr(world, who), answer="x")
    flag.refresh_from_db()
    assert flag.status == Flag.Status.OPEN


@pytest.mark.parametrize("who", ["leader", "rect_office", "staff", "outsider"])
def test_only_the_discipline_group_closes_or_sends_back(world, who):
    flag = raised(world)
    services.answer_flag(flag, by=world.leader, answer="已办")
    with pytest.raises(NotAllowed):
        services.close_flag(flag, by=getattr(world, who))
    with pytest.raises(NotAllowed):
        services.send_back_flag(flag, by=getattr(world, who), reason="x")
    flag.refresh_from_db()
    assert flag.status == Flag.Status.ANSWERED


def test_a_step_out_of_turn_is_refused_not_forbidden(world):
    flag = raised(world)
    with pytest.raises(Refused) as refused:
        services.close_flag(flag, by=world.discipline)
    assert not isinstance(refused.value, NotAllowed)
    assert "待答复" in refused.value.message
    services.answer_flag(flag, by=world.leader, answer="已办")
    with pytest.raises(Refused) as refused:
        services.answer_flag(flag, by=world.leader, answer="再答")
    assert not isinstance(refused.value, NotAllowed)
    services.close_flag(flag, by=world.discipline)
    with pytest.raises(Refused):
        services.send_back_flag(flag, by=world.discipline, reason="x")


def test_nobody_closes_their_own_answer(world):
    grant(world.leader, world.unit, Role.DISCIPLINE)
    flag = raised(world)
    services.answer_flag(flag, by=world.leader, answer="已办")
    with pytest.raises(NotAllowed):
        services.close_flag(flag, by=world.leader)


def test_the_problems_marker_is_its_most_pressing_concern(world):
    first = raised(world)
    services.answer_flag(first, by=world.leader, answer="已办")
    services.close_flag(first, by=world.discipline)
    assert concern_of(first) == "closed"
    second = services.flag_problem(first.problem, by=world.discipline, note="又一条意见")
    assert concern_of(second) == "open"
    services.answer_flag(second, by=world.leader, answer="已办")
    assert concern_of(second) == "answered"


# ---------------------------------------------------------------- the pages


def urls(flag) -> dict:
    return {
        name: reverse(name, args=[flag.pk])
        for name in ("flag_answer", "flag_close", "flag_send_back")
    }


@pytest.mark.parametrize("name", ["flag_answer", "flag_close", "flag_send_back"])
@pytest.mark.parametrize("who", ["outsider", "outside_leader"])
def test_a_user_of_another_unit_finds_no_concern(client, world, name, who):
    flag = raised(world)
    client.force_login(getattr(world, who))
    assert client.get(urls(flag)[name]).status_code == 404
    assert client.post(urls(flag)[name], {"answer": "x", "note": "x"}).status_code == 404
    flag.refresh_from_db()
    assert flag.status == Flag.Status.OPEN


@pytest.mark.parametrize(
    "name, who",
    [
        ("flag_answer", "staff"),
        ("flag_answer", "discipline"),
        ("flag_answer", "inspector"),
        ("flag_close", "leader"),
        ("flag_close", "rect_office"),
        ("flag_send_back", "leader"),
        ("flag_send_back", "staff"),
    ],
)
def test_a_wrong_role_is_forbidden(client, world, name, who):
    flag = raised(world)
    if name != "flag_answer":
        services.answer_flag(flag, by=world.rect_office, answer="已办")
    status = Flag.objects.get(pk=flag.pk).status
    client.force_login(getattr(world, who))
    assert client.get(urls(flag)[name]).status_code == 403
    assert client.post(urls(flag)[name], {"answer": "x", "note": "x"}).status_code == 403
    assert Flag.objects.get(pk=flag.pk).status == status


def test_the_leader_answers_in_my_tasks_and_the_group_closes_it(client, world):
    flag = raised(world, note="请补充制度执行情况的佐证材料")
    ledger = reverse("ledger")
    client.force_login(world.leader)
    tasks = client.get(reverse("my_tasks")).content.decode()
    assert "待我答复" in tasks and "请补充制度执行情况的佐证材料" in tasks
    assert urls(flag)["flag_answer"] in tasks
    assert "监督意见待答复" in client.get(ledger).content.decode()

    response = client.post(
        urls(flag)["flag_answer"], {"answer": "已补充会议纪要", "next": reverse("my_tasks")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("my_tasks")
    assert "请补充制度执行情况的佐证材料" not in client.get(reverse("my_tasks")).content.decode()
    assert "监督意见已答复" in client.get(ledger).content.decode()

    client.force_login(world.discipline)
    tasks = client.get(reverse("my_tasks")).content.decode()
    assert "答复待我办结" in tasks and "已补充会议纪要" in tasks
    assert client.get(urls(flag)["flag_close"]).status_code == 200
    response = client.post(urls(flag)["flag_close"], {"note": ""})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.status == Flag.Status.CLOSED
    assert "监督意见已办结" in client.get(ledger).content.decode()
    page = client.get(reverse("problem_detail", args=[flag.problem_id])).content.decode()
    assert "已补充会议纪要" in page and "监督意见已办结" in page


def test_the_group_sends_an_answer_back_with_a_reason(client, world):
    flag = raised(world)
    services.answer_flag(flag, by=world.rect_office, answer="已整改")
    client.force_login(world.discipline)
    response = client.post(urls(flag)["flag_send_back"], {"note": ""})
    assert response.status_code == 200  # the reason is required: the form says so
    assert Flag.objects.get(pk=flag.pk).status == Flag.Status.ANSWERED
    client.post(urls(flag)["flag_send_back"], {"note": "答复过于笼统"})
    assert Flag.objects.get(pk=flag.pk).status == Flag.Status.OPEN
    client.force_login(world.rect_office)
    tasks = client.get(reverse("my_tasks")).content.decode()
    assert "答复过于笼统" in tasks


def test_a_form_opened_out_of_turn_sends_back_to_the_problem(client, world):
    flag = raised(world)
    client.force_login(world.discipline)
    response = client.get(urls(flag)["flag_close"])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("problem_detail", args=[flag.problem_id]))


def test_the_problem_page_offers_each_side_its_step(client, world):
    flag = raised(world)
    page = reverse("problem_detail", args=[flag.problem_id])
    client.force_login(world.leader)
    assert urls(flag)["flag_answer"] in client.get(page).content.decode()
    client.force_login(world.staff)
    assert urls(flag)["flag_answer"] not in client.get(page).content.decode()
    services.answer_flag(flag, by=world.leader, answer="已办")
    client.force_login(world.discipline)
    body = client.get(page).content.decode()
    assert urls(flag)["flag_close"] in body and urls(flag)["flag_send_back"] in body


def test_an_answer_sent_from_elsewhere_goes_back_only_to_this_site(client, world):
    flag = raised(world)
    client.force_login(world.leader)
    response = client.post(
        urls(flag)["flag_answer"], {"answer": "已办", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("problem_detail", args=[flag.problem_id])


def test_the_discipline_group_closes_or_sends_back_from_its_tasks(client, world):
    problem = world.problem(approve=True)
    flag = services.flag_problem(problem, by=world.discipline, note="请补充材料")
    services.answer_flag(flag, by=world.leader, answer="已补充")
    client.force_login(world.discipline)
    body = client.get(reverse("my_tasks")).content.decode()
    assert reverse("flag_close", args=[flag.pk]) in body
    assert reverse("flag_send_back", args=[flag.pk]) in body
