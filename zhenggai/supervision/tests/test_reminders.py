from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from zhenggai.ledger import services, workflow
from zhenggai.ledger.models import DeadlineKind
from zhenggai.supervision import reminders
from zhenggai.supervision.models import Notification, Preference, ReminderRun
from zhenggai.supervision.reminders import plan_run, run_reminders, send_due

# A Monday; the Friday before is 11-20, and 11-27 is three working days after 11-24.
RUN = date(2026, 11, 23)


@pytest.fixture
def mailing(world, settings):
    settings.EMAIL_ENABLED = True
    settings.REMIND_BEFORE_WORKDAYS = 3
    settings.ESCALATE_SECTION_WORKDAYS = 1
    settings.ESCALATE_LEADER_WORKDAYS = 5
    for name in ("staff", "other_staff", "leader", "rect_office", "inspector"):
        user = getattr(world, name)
        user.email = f"{name}@example.cn"
        user.first_name = {"staff": "张三", "leader": "李书记"}.get(name, name)
        user.save()
    return world


def owned_problem(world, title, deadline, owner=None):
    problem = world.problem(title, deadline=deadline, approve=True)
    measure = world.measure(problem)
    services.update_measure(
        measure, by=world.leader, base_version=measure.version, owner=owner or world.staff
    )
    return problem


def recipients(outbox):
    return sorted(address for message in outbox for address in message.to)


def test_one_digest_per_person_lists_all_their_items(mailing):
    owned_problem(mailing, "即将到期的问题", RUN + timedelta(days=3))
    owned_problem(mailing, "今天到期的问题", RUN)
    owned_problem(mailing, "逾期的问题", date(2026, 11, 20))
    owned_problem(mailing, "远期的问题", date(2027, 6, 1))

    result = run_reminders(RUN)

    to_staff = [m for m in mail.outbox if m.to == ["staff@example.cn"]]
    assert len(to_staff) == 1
    body = to_staff[0].body
    assert "逾期的问题" in body and "今天到期的问题" in body and "即将到期的问题" in body
    assert "远期的问题" not in body
    assert (
        body.index("已逾期（1项）") < body.index("今日到期（1项）") < body.index("即将到期（1项）")
    )
    assert "已逾期1个工作日" in body
    assert "3项" in to_staff[0].subject and "1项已逾期" in to_staff[0].subject
    assert result["items"] == 3


def test_late_items_escalate_to_the_lead_section_then_the_leader(mailing):
    # The owner is someone else; `staff` is in the lead section, `leader` leads the measure.
    problem = owned_problem(mailing, "逾期一天", date(2026, 11, 20), owner=mailing.other_staff)
    services.update_measure(
        mailing.measure(problem),
        by=mailing.leader,
        base_version=mailing.measure(problem).version,
        lead_leader=mailing.leader,
    )
    run_reminders(RUN)
    assert recipients(mail.outbox) == ["other_staff@example.cn", "staff@example.cn"]
    assert "（您是牵头科室）" in mail.outbox[1].body or "（您是牵头科室）" in mail.outbox[0].body

    mail.outbox.clear()
    # Five working days late (11-16 … 11-23) reaches the leader too.
    measure = mailing.measure(problem)
    services.update_measure(
        measure, by=mailing.leader, base_version=measure.version, deadline=date(2026, 11, 16)
    )
    run_reminders(RUN + timedelta(days=1))
    assert recipients(mail.outbox) == [
        "leader@example.cn",
        "other_staff@example.cn",
        "staff@example.cn",
    ]
    leader_mail = next(m for m in mail.outbox if m.to == ["leader@example.cn"])
    assert "（您是责任领导）" in leader_mail.body


def test_an_item_without_owner_or_section_goes_to_the_rectification_office(mailing):
    problem = mailing.problem("无人负责", deadline=RUN)
    measure = mailing.measure(problem)
    services.update_measure(
        measure, by=mailing.leader, base_version=measure.version, lead_section=None
    )
    run_reminders(RUN)
    assert recipients(mail.outbox) == ["rect_office@example.cn"]
    assert "（您是整改办）" in mail.outbox[0].body


def test_nothing_is_sent_twice_when_the_run_is_started_again(mailing):
    owned_problem(mailing, "逾期的问题", date(2026, 11, 20))
    run_reminders(RUN)
    run_reminders(RUN)
    plan_run(RUN)
    send_due()
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1
    assert ReminderRun.objects.get(run_date=RUN).finished_at is not None


def test_a_digest_claimed_by_a_sender_that_died_is_never_resent(mailing):
    owned_problem(mailing, "逾期的问题", date(2026, 11, 20))
    plan_run(RUN)
    notification = Notification.objects.get()
    assert reminders._claim(notification.pk)
    # A second worker cannot take what the first one holds …
    assert not reminders._claim(notification.pk)
    # … and when the first died mid-send, a restart marks it unknown instead of sending again.
    Notification.objects.filter(pk=notification.pk).update(
        next_attempt_at=timezone.now() - timedelta(hours=1)
    )
    send_due()
    assert mail.outbox == []
    assert Notification.objects.get().status == Notification.Status.UNKNOWN


def test_quiet_days_and_rest_days_send_nothing(mailing):
    owned_problem(mailing, "逾期的问题", date(2026, 11, 20))
    Preference.objects.create(user=mailing.staff, quiet_weekdays=[0])  # Mondays
    run_reminders(RUN)
    assert mail.outbox == []
    # Saturday: the default is to leave people alone on rest days.
    run_reminders(date(2026, 11, 28))
    assert mail.outbox == []
    run_reminders(RUN + timedelta(days=1))
    assert recipients(mail.outbox) == ["staff@example.cn"]


def test_a_person_who_turned_email_off_gets_no_email(mailing):
    owned_problem(mailing, "逾期的问题", date(2026, 11, 20))
    Preference.objects.create(user=mailing.staff, by_email=False)
    run_reminders(RUN)
    assert mail.outbox == []


def test_closed_withdrawn_and_completed_items_are_not_reminded(mailing):
    done = owned_problem(mailing, "已完成措施", date(2026, 11, 20))
    measure = mailing.measure(done)
    services.update_measure(
        measure, by=mailing.leader, base_version=measure.version, completed_on=RUN
    )
    withdrawn = owned_problem(mailing, "已撤销问题", date(2026, 11, 20))
    workflow.withdraw(withdrawn, by=mailing.inspector, reason="重复")
    run_reminders(RUN)
    assert mail.outbox == []


def test_a_missed_long_term_report_is_reminded_like_a_deadline(mailing):
    problem = owned_problem(mailing, "长期坚持的问题", date(2030, 1, 1))
    workflow.submit_for_close_out(problem, by=mailing.rect_office, note="已建立制度")
    workflow.mark_long_term(problem, by=mailing.leader)
    problem.refresh_from_db()
    # The next quarterly report is three months after it was marked long-term.
    late_day = problem.due_date + timedelta(days=7)
    while late_day.weekday() >= 5:
        late_day += timedelta(days=1)
    run_reminders(late_day)
    body = next(m for m in mail.outbox if m.to == ["staff@example.cn"]).body
    assert "长期坚持的问题" in body and "长期整改定期报告" in body and "已逾期" in body


def test_immediate_measures_are_due_a_set_time_after_feedback(mailing, settings):
    settings.IMMEDIATE_DUE_DAYS = 30
    problem = mailing.problem("立行立改", deadline=None, approve=False)
    measure = mailing.measure(problem)
    services.update_measure(
        measure,
        by=mailing.leader,
        base_version=measure.version,
        deadline_kind=DeadlineKind.IMMEDIATE,
        owner=mailing.staff,
    )
    workflow.approve_plan(problem, by=mailing.leader)
    # Feedback 2026-09-01 + 30 days = 10-01: long overdue on the run day.
    run_reminders(RUN)
    assert "立行立改" in mail.outbox[0].body


@pytest.mark.skipif(connection.vendor == "sqlite", reason="in-memory SQLite shares one lock")
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_same_day_send_each_digest_once(settings):
    """Two senders in parallel threads (each with its own connection) over the same run; the
    same on SQLite, with processes on a file, is in test_two_worker_processes_on_sqlite."""
    import threading

    from zhenggai.testing import make_world

    world = make_world()
    settings.EMAIL_ENABLED = True
    for n in range(6):
        user = getattr(world, ["staff", "other_staff", "leader", "rect_office"][n % 4])
        user.email = f"{user.username}@example.cn"
        user.save()
        problem = world.problem(f"问题{n}", deadline=date(2026, 11, 20), approve=True)
        measure = world.measure(problem)
        services.update_measure(measure, by=world.leader, base_version=measure.version, owner=user)
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait()
            run_reminders(RUN)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sent_to = sorted(address for message in mail.outbox for address in message.to)
    assert sent_to == sorted(set(sent_to))
    assert Notification.objects.filter(status=Notification.Status.SENT).count() == len(sent_to)


SETUP = """
import django
django.setup()
from datetime import date
from zhenggai.ledger import services
from zhenggai.testing import make_world
world = make_world()
for n, name in enumerate(["staff", "other_staff", "leader", "rect_office"] * 3):
    user = getattr(world, name)
    user.email = f"{name}@example.cn"
    user.save()
    problem = world.problem(f"问题{n}", deadline=date(2026, 11, 20), approve=True)
    measure = world.measure(problem)
    services.update_measure(measure, by=world.leader, base_version=measure.version, owner=user)
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite file setup")
def test_two_worker_processes_on_sqlite_send_each_digest_once(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHENGGAI_", "DATABASE_"))}
    env.update(
        ZHENGGAI_DEMO="true",  # e-mail goes to files under the data directory
        ZHENGGAI_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="zhenggai.settings",
    )

    def run(*args, **kwargs):
        return subprocess.run(
            [sys.executable, *args], env=env, capture_output=True, text=True, timeout=180, **kwargs
        )

    assert run("-m", "zhenggai.cli", "migrate", "-v0").returncode == 0
    assert run("-c", SETUP).returncode == 0
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "zhenggai.cli", "remind", "--date", "2026-11-23"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [w.communicate(timeout=180) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    messages = [
        line
        for f in (tmp_path / "mail").iterdir()
        for line in f.read_text().splitlines()
        if line.startswith("To: ")
    ]
    assert sorted(messages) == sorted(set(messages))
    assert len(messages) == 4
