"""One digest per person per channel per day, across units: one e-mail for all of a person's
units (grouped by unit), one message per group robot (a unit's group chat), and 提醒记录 shows a
unit's office only its own part of a message that covers several units."""

from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhenggai.ledger.models import DeadlineKind, Measure, Problem, State
from zhenggai.orgs.models import Role, Unit
from zhenggai.orgs.services import create_unit
from zhenggai.rounds.models import InspectionRound
from zhenggai.supervision import reminders
from zhenggai.supervision.models import (
    Channel,
    Notification,
    NotificationPart,
    Preference,
    ReminderRun,
)
from zhenggai.supervision.reminders import plan_run, run_reminders
from zhenggai.supervision.tests.test_channels import FakeRobot
from zhenggai.testing import grant, make_user

RUN = date(2026, 11, 23)  # a Monday
UNITS = ["区教育局", "区卫健委", "区住建局", "区交通局"]


class Units:
    """Four units of the world's office, each with a section, an office keeper and a round with
    a late problem whose measure `zhang` (section staff in all four) owns."""

    def __init__(self, world, titles_per_unit: int = 1):
        self.world = world
        self.zhang = make_user("zhang", "张三", email="zhang@example.cn")
        self.units, self.offices, self.titles = [], [], {}
        for n, name in enumerate(UNITS):
            unit = create_unit(name, Unit.Kind.UNIT, world.office)
            section = create_unit("办公室", Unit.Kind.SECTION, unit)
            grant(self.zhang, section, Role.SECTION_STAFF)
            keeper = make_user(f"zgb{n}", f"整改办{n}", email=f"zgb{n}@example.cn")
            grant(keeper, unit, Role.RECTIFICATION_OFFICE)
            round = InspectionRound.objects.create(
                kind=InspectionRound.Kind.XUNCHA,
                unit=unit,
                title=f"{name}巡察整改",
                inspecting_body="区委第二巡察组",
                feedback_date=date(2026, 9, 1),
                created_by=world.inspector,
            )
            self.titles[unit.pk] = []
            for k in range(titles_per_unit):
                title = f"{name}机密问题{k}：专项资金管理使用不规范"
                problem = Problem.objects.create(
                    round=round,
                    unit=unit,
                    number=str(k + 1),
                    title=title,
                    path=["作风建设方面"],
                    area="作风建设方面",
                    state=State.IN_PROGRESS,
                )
                Measure.objects.create(
                    problem=problem,
                    text="建立专项资金台账，逐笔核查",
                    lead_section=section,
                    owner=self.zhang,
                    deadline_kind=DeadlineKind.DATE,
                    # The first unit's item is late, the others fall due later.
                    deadline=date(2026, 11, 20) if n == 0 else date(2026, 11, 25),
                )
                self.titles[unit.pk].append(title)
            self.units.append(unit)
            self.offices.append(keeper)


@pytest.fixture
def four(world, settings):
    settings.EMAIL_ENABLED = True
    settings.REMIND_BEFORE_WORKDAYS = 3
    return Units(world)


def test_a_person_in_four_units_gets_one_email_grouped_by_unit(four):
    run_reminders(RUN)

    to_zhang = [m for m in mail.outbox if m.to == ["zhang@example.cn"]]
    assert len(to_zhang) == 1
    body = to_zhang[0].body
    assert "4项整改事项" in to_zhang[0].subject and "1项已逾期" in to_zhang[0].subject
    assert "涉及4个单位" in body
    # Grouped by unit, the unit with a late item first, each title under its own unit.
    headers = [body.index(f"【{name}】1项") for name in UNITS]
    assert headers[0] == min(headers)
    for unit in four.units:
        assert four.titles[unit.pk][0] in body
        start = body.index(f"【{unit.name}】")
        later = [h for h in headers if h > start]
        section = body[start : min(later) if later else len(body)]
        assert four.titles[unit.pk][0] in section
        assert sum(t[0] in section for t in four.titles.values()) == 1

    row = Notification.objects.get(recipient=four.zhang, kind=Notification.Kind.EMAIL)
    assert row.unit_id is None
    assert row.key == f"{RUN}:email:{four.zhang.pk}"
    assert sorted(row.parts.values_list("unit_id", flat=True)) == sorted(u.pk for u in four.units)
    assert {i["unit"] for i in row.items} == {u.pk for u in four.units}


def test_a_person_in_one_unit_gets_an_email_of_that_unit(world, settings):
    settings.EMAIL_ENABLED = True
    one = Units(world)
    # Only the first unit's measure stays open.
    Measure.objects.exclude(problem__unit=one.units[0]).update(completed_on=RUN)
    run_reminders(RUN)
    row = Notification.objects.get(recipient=one.zhang)
    assert row.unit_id == one.units[0].pk
    assert "涉及" not in row.body and f"【{UNITS[0]}】1项" in row.body


def test_each_unit_robot_gets_one_message_about_its_own_unit(four, settings):
    settings.ROBOT_HOSTS = ["127.0.0.1"]
    settings.ROBOT_ALLOW_HTTP = True
    robot = FakeRobot()
    try:
        Preference.objects.create(user=four.zhang, mobile="13912345678")
        first, second = four.units[:2]
        for unit, kind in [(first, "wecom"), (first, "dingtalk"), (second, "wecom")]:
            Channel.objects.create(
                unit=unit, kind=kind, name=f"{unit.name}群", url=f"{robot.url}/{unit.pk}/{kind}"
            )
        run_reminders(RUN)
        run_reminders(RUN)
    finally:
        robot.close()

    # One message per robot per day: two robots of the first unit, one of the second.
    paths = sorted(r["path"] for r in robot.requests)
    assert paths == sorted([f"/{first.pk}/wecom", f"/{first.pk}/dingtalk", f"/{second.pk}/wecom"])
    for request in robot.requests:
        unit_id = int(request["path"].split("/")[1])
        content = request["json"]["text"]["content"]
        # Zhang is named once in each group, with that unit's count and no titles at all.
        assert content.count("张三：") == 1
        name = Unit.objects.get(pk=unit_id).name
        assert name in content
        assert not any(t in content for titles in four.titles.values() for t in titles)
        assert all(other not in content for other in UNITS if other != name)
    robot_rows = Notification.objects.exclude(kind=Notification.Kind.EMAIL)
    assert robot_rows.count() == 3
    assert all(row.unit_id and row.recipient_id is None for row in robot_rows)
    # E-mail is still one for all four units.
    assert [m.to for m in mail.outbox] == [["zhang@example.cn"]]


def test_starting_the_day_again_sends_nothing_more(four):
    run_reminders(RUN)
    sent = len(mail.outbox)
    run_reminders(RUN)
    plan_run(RUN)
    assert len(mail.outbox) == sent
    assert Notification.objects.filter(recipient=four.zhang).count() == 1
    assert NotificationPart.objects.filter(notification__recipient=four.zhang).count() == 4


def test_a_planner_that_lost_the_race_writes_nothing(four, monkeypatch):
    """Two planners of one day: the one that marks the run planned writes the messages; the
    other, which built its own meanwhile, writes none of them."""
    build = reminders.Messages.build
    raced = []

    def build_while_another_plans(self):
        rows = build(self)
        if not raced:
            raced.append(True)
            plan_run(RUN)  # the other worker, finishing first
        return rows

    monkeypatch.setattr(reminders.Messages, "build", build_while_another_plans)
    plan_run(RUN)
    assert Notification.objects.filter(recipient=four.zhang).count() == 1
    assert NotificationPart.objects.filter(notification__recipient=four.zhang).count() == 4
    assert ReminderRun.objects.get(run_date=RUN).planned_at is not None


def test_who_cannot_be_told_is_recorded_once_with_the_units_concerned(four, settings):
    settings.ROBOT_HOSTS = ["127.0.0.1"]
    settings.ROBOT_ALLOW_HTTP = True
    Preference.objects.create(user=four.zhang, by_email=False)
    Channel.objects.create(
        unit=four.units[0], kind="wecom", name="群", url="http://127.0.0.1:9/x", active=True
    )
    plan_run(RUN)
    skipped = Notification.objects.get(recipient=four.zhang, status=Notification.Status.SKIPPED)
    assert skipped.last_error == "no channel"
    assert skipped.unit_id is None
    # The first unit's group robot reaches them; the other three units could not.
    assert sorted(skipped.parts.values_list("unit_id", flat=True)) == sorted(
        u.pk for u in four.units[1:]
    )
    assert "3项" in skipped.subject


def test_a_quiet_day_is_one_skipped_row_for_all_units(four):
    Preference.objects.create(user=four.zhang, quiet_weekdays=[0])  # Mondays
    run_reminders(RUN)
    assert mail.outbox == []
    [row] = Notification.objects.filter(recipient=four.zhang)
    assert row.status == Notification.Status.SKIPPED and row.last_error == "quiet day"
    assert row.parts.count() == 4


def log_text(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("notification_list"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_log_shows_a_units_office_only_its_own_part(client, four):
    run_reminders(RUN)
    titles = {unit.pk: four.titles[unit.pk][0] for unit in four.units}
    # The recipient reads all of their e-mail.
    page = log_text(client, four.zhang)
    assert all(title in page for title in titles.values())
    # Each unit's office sees the row, with its own unit's section and nothing of the others.
    for unit, keeper in zip(four.units, four.offices, strict=True):
        page = log_text(client, keeper)
        assert "zhang@example.cn" in page
        assert titles[unit.pk] in page
        assert [t for pk, t in titles.items() if pk != unit.pk and t in page] == []
        assert "您所管单位的事项1项" in page
    # The inspection office above all four reads all of it; an administrator too.
    for viewer in (four.world.inspector, four.world.admin):
        page = log_text(client, viewer)
        assert all(title in page for title in titles.values())
    # Another office's people, and staff of a unit who keep no office, see none of it.
    for viewer in (four.world.outsider, four.world.rect_office, four.world.staff):
        page = log_text(client, viewer)
        assert "zhang@example.cn" not in page
        assert not any(title in page for title in titles.values())


def test_the_log_runs_the_same_queries_however_many_shared_digests(client, world, settings):
    settings.EMAIL_ENABLED = True

    def count() -> int:
        client.force_login(keeper)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("notification_list")).status_code == 200
        return len(queries)

    few = Units(world, titles_per_unit=1)
    keeper = few.offices[1]
    run_reminders(RUN)
    small = count()
    for n in range(1, 6):
        day = date(2026, 11, 23 + n) if n < 5 else date(2026, 11, 30)
        run_reminders(day)
    assert Notification.objects.filter(unit__isnull=True).count() > 3
    assert count() == small


def test_an_office_of_every_unit_a_message_concerns_reads_it_whole(client, four):
    from zhenggai.orgs.models import Role
    from zhenggai.testing import grant, make_user

    keeper = make_user("keeper_of_all")
    for unit in four.units:
        grant(keeper, unit, Role.RECTIFICATION_OFFICE)
    run_reminders(RUN)
    page = log_text(client, keeper)
    assert all(four.titles[unit.pk][0] in page for unit in four.units)
    assert "此消息另含其他单位的事项" not in page
