"""The 403 page tells each person whom to ask, by the roles they hold: the 整改办 is never told to
contact the 整改办."""

import pytest
from django.test import override_settings
from django.urls import reverse

from zhenggai.orgs.contacts import whom_to_ask
from zhenggai.orgs.models import Role, Unit
from zhenggai.orgs.services import create_unit
from zhenggai.testing import grant, make_user

NAMES = {"leader": "李书记", "rect_office": "王主任", "inspector": "张巡察", "staff": "赵科员"}


@pytest.fixture
def named(world):
    for attr, name in NAMES.items():
        user = getattr(world, attr)
        user.first_name = name
        user.save(update_fields=["first_name"])
    return world


def forbidden_page(client, user, problem) -> str:
    client.force_login(user)
    response = client.get(reverse("problem_transition", args=[problem.pk, "approve_plan"]))
    assert response.status_code == 403
    return response.content.decode()


@override_settings(DEBUG=False)
def test_the_rectification_office_is_sent_to_its_leader_or_the_inspection_office(client, named):
    body = forbidden_page(client, named.rect_office, named.problem())
    assert "请联系本单位领导（李书记）或巡察办（张巡察）" in body
    assert "联系本单位整改办" not in body


@override_settings(DEBUG=False)
def test_others_of_the_unit_are_sent_to_their_rectification_office(client, named):
    problem = named.problem()
    for user in (named.staff, named.leader):
        if user is named.leader:
            problem = named.problem("另一个问题", approve=True)
        client.force_login(user)
        response = client.get(reverse("problem_transition", args=[problem.pk, "verify_close_out"]))
        assert response.status_code == 403
        assert "请联系本单位整改办（王主任）" in response.content.decode()


def test_the_inspecting_side_and_the_unassigned_are_told_their_way(named, db):
    assert "联系巡察办" in whom_to_ask(named.discipline)
    assert "系统管理员" in whom_to_ask(named.inspector)
    assert "还没有任何角色" in whom_to_ask(make_user("newcomer"))
    assert "角色" in whom_to_ask(named.admin)


def test_one_of_several_units_is_sent_to_the_leaders_of_each(named, db):
    second = create_unit("区财政局", Unit.Kind.UNIT, named.office)
    grant(named.rect_office, second, Role.RECTIFICATION_OFFICE)
    grant(make_user("sun", "孙局长"), second, Role.LEADER)
    grant(named.leader, second, Role.LEADER)
    assert "请联系本单位领导（李书记、孙局长）或巡察办（张巡察）" in whom_to_ask(named.rect_office)
    for n in range(3):
        grant(make_user(f"deputy{n}", f"副局长{n}"), second, Role.LEADER)
    assert "等）" in whom_to_ask(named.rect_office)


def test_the_page_still_renders_without_a_request():
    from django.template.loader import get_template

    assert "请联系本单位整改办或系统管理员" in get_template("403.html").render()


def test_people_who_left_are_not_named(named):
    named.rect_office.is_active = False
    named.rect_office.save(update_fields=["is_active"])
    assert "王主任" not in whom_to_ask(named.staff)
