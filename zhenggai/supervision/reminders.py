"""The daily reminder run: what is due or late, who must hear of it, one digest per person.

An item is announced to its owner from REMIND_BEFORE_WORKDAYS working days before its date,
on the day, and every run while it is late; once ESCALATE_SECTION_WORKDAYS working days late
it goes also to the staff of its lead section, and after ESCALATE_LEADER_WORKDAYS to its
responsible leader. Items without an owner go to the lead section at once, and without either
to the unit's rectification office.

A run is planned once per day (`ReminderRun.run_date` is unique and each digest has a unique
key), and each digest is claimed by one sender before it is sent, so restarting the worker or
running two never sends anything twice.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from zhenggai.ledger.models import DeadlineKind, Measure, Problem, State
from zhenggai.lib.workdays import Calendar
from zhenggai.orgs.models import Membership, Role
from zhenggai.supervision import channels
from zhenggai.supervision.deadlines import official_calendar
from zhenggai.supervision.models import (
    Channel,
    Escalation,
    Notification,
    Preference,
    ReminderRun,
)

log = logging.getLogger(__name__)

PLANNED_STATES = (State.PLAN_PENDING, State.IN_PROGRESS, State.SUBMITTED)
# Levels of an item for a person, the most pressing last.
BEFORE, TODAY, OVERDUE = 1, 2, 3
STAGE_LABELS = {OVERDUE: "已逾期", TODAY: "今日到期", BEFORE: "即将到期"}
AS_OWNER, AS_SECTION, AS_LEADER, AS_OFFICE = "责任人", "牵头科室", "责任领导", "整改办"
# A digest sent by SENDING this long ago and never finished is marked unknown, never resent.
STALE_SENDING = timedelta(minutes=30)


@lru_cache(maxsize=100_000)
def problem_url(problem_id: int) -> str:
    return settings.SITE_URL + reverse("problem_detail", args=[problem_id])


@dataclass
class Item:
    """One thing a person is reminded of."""

    kind: str  # measure, report (long-term), escalation
    problem_id: int
    number: str
    title: str
    unit_name: str
    text: str
    due: date
    stage: int
    workdays_late: int
    role: str

    @property
    def url(self) -> str:
        return problem_url(self.problem_id)

    @property
    def heading(self) -> str:
        head = f"{self.number} {self.title}".strip()
        return f"【{self.unit_name}】{head}（您是{self.role}）"

    def line(self) -> str:
        what = {"measure": "措施", "report": "长期整改定期报告", "escalation": "督办单答复"}[
            self.kind
        ]
        if self.stage == OVERDUE:
            when = f"期限{self.due:%Y-%m-%d}，已逾期{self.workdays_late}个工作日"
        elif self.stage == TODAY:
            when = f"今日（{self.due:%Y-%m-%d}）到期"
        else:
            when = f"{self.due:%Y-%m-%d}到期"
        return f"{what}：{self.text}；{when}"

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "problem": self.problem_id,
            "due": self.due.isoformat(),
            "stage": self.stage,
            "role": self.role,
            "late": self.workdays_late,
        }


@dataclass
class Digest:
    recipient_id: int
    items: list[Item] = field(default_factory=list)

    @property
    def top(self) -> int:
        return max(i.stage for i in self.items)

    def subject(self, run_date: date) -> str:
        late = sum(1 for i in self.items if i.stage == OVERDUE)
        extra = f"，其中{late}项已逾期" if late else ""
        return f"【整改督办】{run_date:%m月%d日}您有{len(self.items)}项整改事项需办理{extra}"

    def body(self, name: str, run_date: date) -> str:
        lines = [f"{name}：", "", f"截至{run_date:%Y年%m月%d日}，以下整改事项需要您办理："]
        for stage in (OVERDUE, TODAY, BEFORE):
            group = [i for i in self.items if i.stage == stage]
            if not group:
                continue
            lines += ["", f"{STAGE_LABELS[stage]}（{len(group)}项）"]
            by_problem: dict[tuple, list[Item]] = {}
            for item in group:
                by_problem.setdefault((item.problem_id, item.role), []).append(item)
            for n, items in enumerate(by_problem.values(), 1):
                lines.append(f"{n}. {items[0].heading}")
                lines += [f"   · {i.line()}" for i in items]
                lines.append(f"   {items[0].url}")
        lines += ["", f"请登录整改系统办理：{settings.SITE_URL}/my/", "（此消息由系统自动发送）"]
        return "\n".join(lines)


class Planner:
    """Works out today's items and who hears of each, in a fixed number of queries."""

    def __init__(self, today: date, calendar: Calendar):
        self.today = today
        self.calendar = calendar
        self.horizon = calendar.add(today, settings.REMIND_BEFORE_WORKDAYS)
        self.digests: dict[int, Digest] = {}
        self._late: dict[date, int] = {}
        self.item_count = 0
        self._section_staff = self._members(Role.SECTION_STAFF)
        self._offices = self._members(Role.RECTIFICATION_OFFICE)

    @staticmethod
    def _members(role: str) -> dict[int, list[int]]:
        members = defaultdict(list)
        for unit_id, user_id in Membership.objects.filter(
            role=role, user__is_active=True
        ).values_list("unit_id", "user_id"):
            members[unit_id].append(user_id)
        return members

    def _stage(self, due: date) -> tuple[int, int]:
        if due > self.today:
            return BEFORE, 0
        if due == self.today:
            return TODAY, 0
        if due not in self._late:
            self._late[due] = self.calendar.between(due, self.today)
        return OVERDUE, self._late[due]

    def _send(self, user_ids, item: Item) -> None:
        for user_id in dict.fromkeys(user_ids):
            self.digests.setdefault(user_id, Digest(user_id)).items.append(item)

    def _route(self, item: Item, owner, section, leader, unit_id) -> None:
        """The owner always; the lead section and the leader as the item grows late."""
        self.item_count += 1
        section_staff = self._section_staff.get(section, []) if section else []
        targets: list[tuple[list[int], str]] = []
        if owner:
            targets.append(([owner], AS_OWNER))
        if section_staff and (
            not owner or item.workdays_late >= settings.ESCALATE_SECTION_WORKDAYS > 0
        ):
            targets.append((section_staff, AS_SECTION))
        if (
            leader
            and item.stage == OVERDUE
            and (item.workdays_late >= settings.ESCALATE_LEADER_WORKDAYS)
        ):
            targets.append(([leader], AS_LEADER))
        if not owner and not section_staff:
            targets.append((self._offices.get(unit_id, []), AS_OFFICE))
        seen: set[int] = set()
        for users, role in targets:
            fresh = [u for u in users if u not in seen]
            seen.update(fresh)
            if fresh:
                self._send(fresh, Item(**{**item.__dict__, "role": role}))

    def measures(self) -> None:
        immediate_before = self.horizon - timedelta(days=settings.IMMEDIATE_DUE_DAYS)
        rows = (
            Measure.objects.filter(
                withdrawn=False, completed_on__isnull=True, problem__state__in=PLANNED_STATES
            )
            .filter(
                Q(deadline_kind=DeadlineKind.DATE, deadline__lte=self.horizon)
                | Q(
                    deadline_kind=DeadlineKind.IMMEDIATE,
                    problem__round__feedback_date__lte=immediate_before,
                )
            )
            .values_list(
                "problem_id",
                "problem__number",
                "problem__title",
                "problem__unit_id",
                "problem__unit__name",
                "text",
                "deadline_kind",
                "deadline",
                "problem__round__feedback_date",
                "owner_id",
                "lead_section_id",
                "lead_leader_id",
            )
            .order_by("deadline", "problem_id", "position", "id")
        )
        for pid, number, title, unit_id, unit_name, text, kind, deadline, feedback, *who in rows:
            due = deadline
            if kind == DeadlineKind.IMMEDIATE:
                due = feedback + timedelta(days=settings.IMMEDIATE_DUE_DAYS)
            stage, late = self._stage(due)
            item = Item(
                "measure", pid, number, title, unit_name, _short(text), due, stage, late, ""
            )
            self._route(item, *who, unit_id)

    def long_term_reports(self) -> None:
        problems = (
            Problem.objects.filter(state=State.LONG_TERM, due_date__lte=self.horizon)
            .values_list("id", "number", "title", "unit_id", "unit__name", "due_date")
            .order_by("due_date", "id")
        )
        problems = list(problems)
        owners = defaultdict(list)
        for problem_id, owner_id, section_id in Measure.objects.filter(
            problem_id__in=[p[0] for p in problems], withdrawn=False
        ).values_list("problem_id", "owner_id", "lead_section_id"):
            owners[problem_id].append((owner_id, section_id))
        for pid, number, title, unit_id, unit_name, due in problems:
            stage, late = self._stage(due)
            item = Item(
                "report", pid, number, title, unit_name, "报送整改进展", due, stage, late, ""
            )
            people = owners.get(pid) or [(None, None)]
            for owner_id, section_id in dict.fromkeys(people):
                self._route(item, owner_id, section_id, None, unit_id)

    def escalations(self) -> None:
        orders = Escalation.objects.filter(
            status=Escalation.Status.OPEN, due_on__lte=self.horizon
        ).values_list(
            "problem_id",
            "problem__number",
            "problem__title",
            "problem__unit_id",
            "problem__unit__name",
            "demand",
            "due_on",
            "measure__owner_id",
            "measure__lead_section_id",
            "level",
        )
        for pid, number, title, unit_id, unit_name, demand, due, owner, section, level in orders:
            stage, late = self._stage(due)
            label = Escalation.Level(level).label
            text = f"{label}：{_short(demand)}"
            item = Item("escalation", pid, number, title, unit_name, text, due, stage, late, "")
            self._route(item, owner, section, None, unit_id)

    def plan(self) -> dict[int, Digest]:
        self.measures()
        self.long_term_reports()
        self.escalations()
        return self.digests


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_quiet(preference: Preference | None, day: date, calendar: Calendar) -> bool:
    if preference is None:
        return not calendar.is_workday(day)
    if day.weekday() in (preference.quiet_weekdays or []):
        return True
    return preference.quiet_on_rest_days and not calendar.is_workday(day)


def _robots_by_user(user_ids) -> dict[int, list[Channel]]:
    """The active group robots of the units each person works in."""
    robots = defaultdict(list)
    for channel in Channel.objects.filter(active=True):
        robots[channel.unit_id].append(channel)
    by_user = defaultdict(list)
    memberships = Membership.objects.filter(user_id__in=user_ids).select_related("unit")
    for m in memberships:
        for channel in robots.get(m.unit.owning_unit_id, []):
            if channel not in by_user[m.user_id]:
                by_user[m.user_id].append(channel)
    return by_user


def plan_run(run_date: date) -> ReminderRun:
    """Write the day's digests as pending notifications; planning twice adds nothing."""
    run, _ = ReminderRun.objects.get_or_create(run_date=run_date)
    if run.planned_at:
        return run
    calendar = official_calendar()
    digests = Planner(run_date, calendar).plan()
    users = get_user_model().objects.in_bulk(list(digests))
    preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=list(digests))}
    robots = _robots_by_user(list(digests))
    rows = []
    for user_id, digest in digests.items():
        user, preference = users[user_id], preferences.get(user_id)
        if not user.is_active or is_quiet(preference, run_date, calendar):
            continue
        name = user.get_full_name() or user.username
        subject, body = digest.subject(run_date), digest.body(name, run_date)
        common = {
            "run": run,
            "recipient_id": user_id,
            "subject": subject,
            "body": body,
            "items": [i.as_json() for i in digest.items],
            "top_level": digest.top,
        }
        if settings.EMAIL_ENABLED and user.email and (preference is None or preference.by_email):
            key = f"{run_date}:{user_id}:email"
            rows.append(Notification(kind="email", key=key, address=user.email, **common))
        if preference is None or preference.by_robot:
            for channel in robots.get(user_id, []):
                key = f"{run_date}:{user_id}:{channel.kind}:{channel.pk}"
                rows.append(
                    Notification(
                        kind=channel.kind, channel=channel, key=key, address=channel.name, **common
                    )
                )
    with transaction.atomic():
        Notification.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
        ReminderRun.objects.filter(pk=run.pk, planned_at__isnull=True).update(
            planned_at=timezone.now(),
            items=sum(len(d.items) for d in digests.values()),
            recipients=len({r.recipient_id for r in rows}),
        )
    run.refresh_from_db()
    log.info("reminder run %s planned: %s notifications", run_date, len(rows))
    return run


def _claim(notification_id: int) -> bool:
    """Take one notification for sending; only one sender ever succeeds."""
    now = timezone.now()
    return bool(
        Notification.objects.filter(pk=notification_id)
        .filter(
            Q(status=Notification.Status.PENDING)
            | Q(status=Notification.Status.RETRYING, next_attempt_at__lte=now)
        )
        .update(status=Notification.Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now)
    )


def _finish(notification: Notification, error: str | None) -> None:
    if error is None:
        notification.status, notification.sent_at = Notification.Status.SENT, timezone.now()
        notification.last_error = ""
    elif notification.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        notification.status, notification.last_error = Notification.Status.FAILED, error
    else:
        backoff = settings.NOTIFY_RETRY_MINUTES * 2 ** (notification.attempts - 1)
        notification.status = Notification.Status.RETRYING
        notification.next_attempt_at = timezone.now() + timedelta(minutes=backoff)
        notification.last_error = error
    notification.save(update_fields=["status", "sent_at", "last_error", "next_attempt_at"])


def send_due(limit: int | None = None) -> dict:
    """Send every pending notification and every retry whose time has come."""
    stale = timezone.now() - STALE_SENDING
    Notification.objects.filter(
        status=Notification.Status.SENDING, next_attempt_at__lt=stale
    ).update(
        status=Notification.Status.UNKNOWN, last_error="sending was interrupted; not sent again"
    )
    now = timezone.now()
    due = Notification.objects.filter(
        Q(status=Notification.Status.PENDING)
        | Q(status=Notification.Status.RETRYING, next_attempt_at__lte=now)
    ).values_list("id", flat=True)
    counts = {"sent": 0, "failed": 0}
    for notification_id in list(due[:limit] if limit else due):
        if not _claim(notification_id):
            continue
        notification = Notification.objects.select_related("channel", "recipient").get(
            pk=notification_id
        )
        error = channels.send(notification)
        if error:
            log.warning(
                "notification %s via %s failed: %s", notification.pk, notification.kind, error
            )
        _finish(notification, error)
        counts["sent" if error is None else "failed"] += 1
    return counts


def run_reminders(run_date: date) -> dict:
    """Plan the day's digests (once) and send them."""
    run = plan_run(run_date)
    counts = send_due()
    if not Notification.objects.filter(
        run=run, status__in=[Notification.Status.PENDING, Notification.Status.SENDING]
    ).exists():
        ReminderRun.objects.filter(pk=run.pk, finished_at__isnull=True).update(
            finished_at=timezone.now()
        )
    return {"date": run_date.isoformat(), "items": run.items, **counts}
