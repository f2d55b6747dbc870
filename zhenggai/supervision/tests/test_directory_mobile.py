"""The directory's mobile (通讯录, orgs.Person.mobile) reaches reminders: a robot message
@-mentions it when the person set none in 提醒设置, and the number set there wins."""

from datetime import date

import pytest
from django.urls import reverse

from zhenggai.ledger import services
from zhenggai.orgs.models import Person
from zhenggai.supervision.models import Channel, Notification, Preference
from zhenggai.supervision.reminders import run_reminders
from zhenggai.supervision.tests.test_channels import FakeRobot

RUN = date(2026, 11, 23)


@pytest.fixture
def robot(settings):
    settings.ROBOT_HOSTS = ["127.0.0.1"]
    settings.ROBOT_ALLOW_HTTP = True
    fake = FakeRobot()
    yield fake
    fake.close()


def _late_item_with_robot(world, robot):
    problem = world.problem("干部选拔任用不规范", deadline=date(2026, 11, 20), approve=True)
    measure = world.measure(problem)
    services.update_measure(
        measure, by=world.leader, base_version=measure.version, owner=world.staff
    )
    Channel.objects.create(
        unit=world.unit,
        kind=Channel.Kind.WECOM,
        name="整改工作群",
        url=f"{robot.url}/cgi-bin/webhook/send?key=abc",
    )


def _mentioned(robot) -> list[str]:
    [request] = robot.requests
    return request["json"]["text"]["mentioned_mobile_list"]


def test_a_robot_message_mentions_the_directory_mobile_when_none_is_set(world, robot):
    _late_item_with_robot(world, robot)
    Person.objects.update_or_create(user=world.staff, defaults={"mobile": "13800000009"})
    run_reminders(RUN)
    assert _mentioned(robot) == ["13800000009"]
    assert "@13800000009" in Notification.objects.get().body


def test_the_reminder_settings_mobile_wins_over_the_directory(world, robot):
    _late_item_with_robot(world, robot)
    Person.objects.update_or_create(user=world.staff, defaults={"mobile": "13800000009"})
    Preference.objects.create(user=world.staff, mobile="13912345678")
    run_reminders(RUN)
    assert _mentioned(robot) == ["13912345678"]


def test_the_settings_page_shows_the_directory_mobile_as_the_fallback(client, world):
    Person.objects.update_or_create(user=world.staff, defaults={"mobile": "13800000009"})
    client.force_login(world.staff)
    page = client.get(reverse("reminder_settings")).content.decode()
    assert 'placeholder="13800000009"' in page
    assert "留空则使用通讯录中的手机号 13800000009" in page
