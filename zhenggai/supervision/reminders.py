"""The daily reminder run: what is due or late, who must hear of it, one digest per person.

An item is announced to its owner from REMIND_BEFORE_WORKDAYS working days before its date,
on the day, and every run while it is late; once late by ESCALATE_SECTION_WORKDAYS working days
it goes also to the staff of its lead section, and by ESCALATE_LEADER_WORKDAYS to its
responsible leader (0: as soon as it is late). Items whose owner is missing or inactive go to
the lead section at once, and without either to the unit's rectification office. A deadline
that falls on a rest day runs to the next working day (民法典 art. 203).

One digest per person per channel per day:

- E-mail: one message per person per day, whatever the number of units they hold roles in,
  listing all their items grouped by unit (the most pressing unit first). Each unit's section is
  also kept as a `NotificationPart`, so 提醒记录 shows a unit's office only its own section.
- Group robots (企业微信/钉钉 群机器人): a robot belongs to one unit's group chat, so it gets one
  message per day (per robot) naming each of that unit's people once, with the counts of their
  items in that unit and an @-mention, and no titles of problems: a group is neither flooded
  (robots take about 20 messages a minute) nor told another unit's business. A person with items
  in several units is named once in each of those units' groups, never twice in one.
- A person who cannot be told about some units (a quiet day, or neither e-mail nor a robot of
  that unit) gets one skipped row for the day naming those units.

A run is planned once per day (`ReminderRun.run_date` is unique, the planner that sets its
`planned_at` writes the messages in the same transaction, and each message has a unique key),
and each message is claimed by one sender before it is sent, so restarting the worker or
running two never sends anything twice.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from zhenggai.ledger.models import OPEN_STATES, DeadlineKind, Measure, Problem, State
from zhenggai.lib.names import person_name
from zhenggai.lib.workdays import Calendar
from zhenggai.orgs.models import Membership, Role
from zhenggai.supervision import channels
from zhenggai.supervision.deadlines import official_calendar
from zhenggai.supervision.models import (
    Channel,
    Escalation,
    Notification,
    NotificationPart,
    Preference,
    ReminderRun,
)

log = logging.getLogger(__name__)

PLANNED_STATES = (State.PLAN_PENDING, State.IN_PROGRESS, State.SUBMITTED)
# Levels of an item for a person, the most pressing last.
BEFORE, TODAY, OVERDUE = 1, 2, 3
STAGE_LABELS = {OVERDUE: "已逾期", TODAY: "今日到期", BEFORE: "即将到期"}
AS_OWNER, AS_SECTION, AS_LEADER, AS_OFFICE = "责任人", "牵头科室", "责任领导", "整改办"
KIND_LABELS = {"measure": "措施", "report": "长期整改定期报告", "escalation": "督办单答复"}
# A message a sender claimed this long ago and never finished is marked unknown, never resent.
STALE_SENDING = timedelta(minutes=30)


@lru_cache(maxsize=100_000)
def problem_url(problem_id: int) -> str:
    return settings.SITE_URL + reverse("problem_detail", args=[problem_id])


@dataclass(frozen=True)
class Item:
    """One thing a person is reminded of."""

    kind: str  # measure, report (long-term), escalation
    problem_id: int
    unit_id: int
    number: str
    title: str
    unit_name: str
    text: str
    due: date
    stage: int
    workdays_late: int
    role: str = ""

    @property
    def url(self) -> str:
        return problem_url(self.problem_id)

    @property
    def heading(self) -> str:
        head = f"{self.number} {self.title}".strip()
        return f"{head}（您是{self.role}）"

    def line(self) -> str:
        if self.stage == OVERDUE:
            when = f"期限{self.due:%Y-%m-%d}，已逾期{self.workdays_late}个工作日"
        elif self.stage == TODAY:
            when = f"今日（{self.due:%Y-%m-%d}）到期"
        else:
            when = f"{self.due:%Y-%m-%d}到期"
        return f"{KIND_LABELS[self.kind]}：{self.text}；{when}"

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "unit": self.unit_id,
            "problem": self.problem_id,
            "due": self.due.isoformat(),
            "stage": self.stage,
            "role": self.role,
            "late": self.workdays_late,
        }


@dataclass
class Digest:
    """What one person is told about one unit today."""

    recipient_id: int
    unit_id: int
    items: list[Item] = field(default_factory=list)
    seen: set = field(default_factory=set)

    def add(self, item: Item) -> None:
        key = (item.kind, item.problem_id, item.text, item.due)
        if key not in self.seen:
            self.seen.add(key)
            self.items.append(item)

    @property
    def top(self) -> int:
        return max(i.stage for i in self.items)

    def count(self, stage: int) -> int:
        return sum(1 for i in self.items if i.stage == stage)

    @property
    def unit_name(self) -> str:
        return self.items[0].unit_name

    def section(self) -> str:
        """This unit's part of a person's e-mail: its items by stage, then by problem."""
        lines = [f"【{self.unit_name}】{len(self.items)}项"]
        for stage in (OVERDUE, TODAY, BEFORE):
            group = [i for i in self.items if i.stage == stage]
            if not group:
                continue
            lines += [f"{STAGE_LABELS[stage]}（{len(group)}项）"]
            by_problem: dict[tuple, list[Item]] = {}
            for item in group:
                by_problem.setdefault((item.problem_id, item.role), []).append(item)
            for n, items in enumerate(by_problem.values(), 1):
                lines.append(f"{n}. {items[0].heading}")
                lines += [f"   · {i.line()}" for i in items]
                lines.append(f"   {items[0].url}")
        return "\n".join(lines)

    def summary(self, name: str, mobile: str) -> str:
        """This person's line in a group robot's message: counts only, no titles."""
        parts = [
            f"{STAGE_LABELS[stage]}{self.count(stage)}项"
            for stage in (OVERDUE, TODAY, BEFORE)
            if self.count(stage)
        ]
        mention = f"@{mobile} " if mobile else ""
        return f"{mention}{name}：{'、'.join(parts)}"


@dataclass
class Letter:
    """One person's e-mail of the day: their digests of every unit, the most pressing first."""

    recipient_id: int
    digests: list[Digest]

    def __post_init__(self) -> None:
        self.digests = sorted(self.digests, key=lambda d: (-d.top, -d.count(OVERDUE), d.unit_id))

    @property
    def top(self) -> int:
        return max(d.top for d in self.digests)

    @property
    def size(self) -> int:
        return sum(len(d.items) for d in self.digests)

    def count(self, stage: int) -> int:
        return sum(d.count(stage) for d in self.digests)

    @cached_property
    def sections(self) -> list[str]:
        return [d.section() for d in self.digests]

    @property
    def unit_id(self) -> int | None:
        """The unit, when the letter concerns only one."""
        return self.digests[0].unit_id if len(self.digests) == 1 else None

    def subject(self, run_date: date) -> str:
        late = self.count(OVERDUE)
        extra = f"，其中{late}项已逾期" if late else ""
        return f"【整改督办】{run_date:%m月%d日}您有{self.size}项整改事项需办理{extra}"

    def body(self, name: str, run_date: date) -> str:
        units = f"，涉及{len(self.digests)}个单位" if len(self.digests) > 1 else ""
        lines = [
            f"{name}：",
            "",
            f"截至{run_date:%Y年%m月%d日}，以下{self.size}项整改事项需要您办理{units}：",
        ]
        for section in self.sections:
            lines += ["", section]
        lines += ["", f"请登录整改系统办理：{settings.SITE_URL}/my/", "（此消息由系统自动发送）"]
        return "\n".join(lines)

    def parts(self, with_text: bool = True) -> list[NotificationPart]:
        """Each unit's part; its text only where the letter covers several units (a letter about
        one unit is shown whole to that unit's offices)."""
        with_text = with_text and len(self.digests) > 1
        texts = self.sections if with_text else [""] * len(self.digests)
        return [
            NotificationPart(unit_id=d.unit_id, items=len(d.items), text=text)
            for d, text in zip(self.digests, texts, strict=True)
        ]

    def items_json(self) -> list[dict]:
        return [i.as_json() for d in self.digests for i in d.items]


class Planner:
    """Works out today's items and who hears of each, in a fixed number of queries."""

    def __init__(self, today: date, calendar: Calendar):
        self.today = today
        self.calendar = calendar
        self.horizon = calendar.add(today, settings.REMIND_BEFORE_WORKDAYS)
        self.digests: dict[tuple[int, int], Digest] = {}
        self._late: dict[date, tuple[int, int]] = {}
        self.active = set(
            get_user_model().objects.filter(is_active=True).values_list("id", flat=True)
        )
        self._section_staff: dict[int, list[int]] = defaultdict(list)
        self._offices: dict[int, list[int]] = defaultdict(list)
        members = Membership.objects.filter(
            role__in=[Role.SECTION_STAFF, Role.RECTIFICATION_OFFICE], user__is_active=True
        ).values_list("role", "unit_id", "unit__kind", "unit__parent_id", "user_id")
        for role, unit_id, kind, parent_id, user_id in members:
            if role == Role.SECTION_STAFF:
                self._section_staff[unit_id].append(user_id)
            else:  # an office held on a section (often 办公室) serves the unit it belongs to
                self._offices[parent_id if kind == "section" else unit_id].append(user_id)

    def _stage(self, due: date) -> tuple[int, int]:
        """Before, today or late, and by how many working days, for a deadline of `due`."""
        if due not in self._late:
            effective = self.calendar.add(due, 0)  # a rest day runs to the next working day
            if effective > self.today:
                self._late[due] = (BEFORE, 0)
            elif effective == self.today:
                self._late[due] = (TODAY, 0)
            else:
                self._late[due] = (OVERDUE, self.calendar.between(effective, self.today))
        return self._late[due]

    def _send(self, user_ids, item: Item, role: str) -> None:
        for user_id in user_ids:
            key = (user_id, item.unit_id)
            digest = self.digests.get(key) or self.digests.setdefault(
                key, Digest(user_id, item.unit_id)
            )
            digest.add(Item(**{**item.__dict__, "role": role}))

    def _late_by(self, item: Item, workdays: int) -> bool:
        return item.stage == OVERDUE and item.workdays_late >= workdays

    def _route(self, item: Item, owners, section, leader) -> None:
        """The owners always; the lead section and the leader as the item grows late; the
        section when nobody owns it; the rectification office when nobody else can be told."""
        owners = [o for o in owners if o in self.active]
        staff = self._section_staff.get(section, []) if section else []
        told: set[int] = set()
        for users, role, when in (
            (owners, AS_OWNER, True),
            (
                staff,
                AS_SECTION,
                not owners or self._late_by(item, settings.ESCALATE_SECTION_WORKDAYS),
            ),
            (
                [leader] if leader in self.active else [],
                AS_LEADER,
                self._late_by(item, settings.ESCALATE_LEADER_WORKDAYS),
            ),
            (self._offices.get(item.unit_id, []), AS_OFFICE, not owners and not staff),
        ):
            fresh = [u for u in users if u not in told] if when else []
            told.update(fresh)
            if fresh:
                self._send(fresh, item, role)

    def _item(self, kind, problem, text, due) -> Item:
        pid, number, title, unit_id, unit_name = problem
        stage, late = self._stage(due)
        return Item(kind, pid, unit_id, number, title, unit_name, _short(text), due, stage, late)

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
        for *problem, text, kind, deadline, feedback, owner, section, leader in rows:
            due = deadline
            if kind == DeadlineKind.IMMEDIATE:
                due = feedback + timedelta(days=settings.IMMEDIATE_DUE_DAYS)
            self._route(self._item("measure", problem, text, due), [owner], section, leader)

    def _people_of(self, problem_ids) -> dict[int, tuple[list, list, list]]:
        """Owners, lead sections and leaders of the active measures of each problem."""
        people = defaultdict(lambda: ([], [], []))
        for pid, owner, section, leader in Measure.objects.filter(
            problem_id__in=problem_ids, withdrawn=False
        ).values_list("problem_id", "owner_id", "lead_section_id", "lead_leader_id"):
            for collected, value in zip(people[pid], (owner, section, leader), strict=True):
                if value and value not in collected:
                    collected.append(value)
        return people

    def long_term_reports(self) -> None:
        problems = list(
            Problem.objects.filter(state=State.LONG_TERM, due_date__lte=self.horizon)
            .values_list("id", "number", "title", "unit_id", "unit__name", "due_date")
            .order_by("due_date", "id")
        )
        people = self._people_of([p[0] for p in problems])
        for *problem, due in problems:
            item = self._item("report", problem, "报送整改进展", due)
            owners, sections, leaders = people[problem[0]]
            for section in sections or [None]:
                self._route(item, owners, section, leaders[0] if leaders else None)

    def escalations(self) -> None:
        """Orders awaiting an answer, to those who may answer them: the measure's owner, or the
        owners of the problem's measures; without one, the rectification office."""
        orders = list(
            Escalation.objects.filter(
                status=Escalation.Status.OPEN,
                due_on__lte=self.horizon,
                problem__state__in=OPEN_STATES,
            )
            .exclude(measure__withdrawn=True)
            .values_list(
                "problem_id",
                "problem__number",
                "problem__title",
                "problem__unit_id",
                "problem__unit__name",
                "demand",
                "due_on",
                "level",
                "measure_id",
                "measure__owner_id",
            )
        )
        people = self._people_of([o[0] for o in orders if o[-2] is None])
        for *problem, demand, due, level, measure, owner in orders:
            text = f"{Escalation.Level(level).label}：{demand}"
            owners = [owner] if measure else people[problem[0]][0]
            self._route(self._item("escalation", problem, text, due), owners, None, None)

    def plan(self) -> dict[tuple[int, int], Digest]:
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
    if day.weekday() in {int(d) for d in preference.quiet_weekdays or []}:
        return True
    return preference.quiet_on_rest_days and not calendar.is_workday(day)


class Messages:
    """The day's notifications from its digests: one e-mail per person, one message per group
    robot, and one skipped row for each person who could not be told about some units."""

    def __init__(self, run: ReminderRun, digests: dict, calendar: Calendar):
        self.run, self.digests, self.calendar = run, digests, calendar
        user_ids = {user for user, _ in digests}
        self.users = get_user_model().objects.in_bulk(list(user_ids))
        self.preferences = {
            p.user_id: p for p in Preference.objects.filter(user_id__in=list(user_ids))
        }
        self.robots = defaultdict(list)
        for channel in Channel.objects.filter(active=True).select_related("unit").order_by("id"):
            self.robots[channel.unit_id].append(channel)
        self.rows: list[Notification] = []
        # Each row's sections by unit, by the row's key.
        self.parts: dict[str, list[NotificationPart]] = {}

    def _row(self, key: str, parts: list[NotificationPart] | None = None, **fields) -> None:
        key = f"{self.run.run_date}:{key}"
        self.rows.append(Notification(run=self.run, key=key, **fields))
        if parts:
            self.parts[key] = parts

    def build(self) -> list[Notification]:
        by_person: dict[int, list[Digest]] = defaultdict(list)
        for (user_id, _), digest in sorted(self.digests.items()):
            by_person[user_id].append(digest)
        on_robot: dict[int, list] = defaultdict(list)
        for user_id, digests in by_person.items():
            self._person(user_id, digests, on_robot)
        for unit_id, people in on_robot.items():
            for channel in self.robots[unit_id]:
                self._robot_message(channel, people)
        return self.rows

    def _person(self, user_id: int, digests: list[Digest], on_robot: dict) -> None:
        """One person's e-mail (all their units), their lines in their units' robot messages,
        and a skipped row naming the units they cannot be told about."""
        user, preference = self.users[user_id], self.preferences.get(user_id)
        if is_quiet(preference, self.run.run_date, self.calendar):
            self._skip(Letter(user_id, digests), "quiet day")
            return
        name = person_name(user)
        by_email = settings.EMAIL_ENABLED and user.email
        by_email = by_email and (preference is None or preference.by_email)
        wants_robot = preference is None or preference.by_robot
        mobile = preference.mobile if preference else ""
        unreached = []
        for digest in digests:
            if wants_robot and self.robots.get(digest.unit_id):
                on_robot[digest.unit_id].append((digest, name, mobile))
            elif not by_email:
                unreached.append(digest)
        if by_email:
            self._email(user, name, Letter(user_id, digests))
        if unreached:
            self._skip(Letter(user_id, unreached), "no channel")

    def _email(self, user, name: str, letter: Letter) -> None:
        self._row(
            f"email:{user.pk}",
            parts=letter.parts(),
            kind=Notification.Kind.EMAIL,
            unit_id=letter.unit_id,
            recipient_id=user.pk,
            address=user.email,
            subject=letter.subject(self.run.run_date),
            body=letter.body(name, self.run.run_date),
            items=letter.items_json(),
            top_level=letter.top,
        )

    def _skip(self, letter: Letter, reason: str) -> None:
        self._row(
            f"skipped:{letter.recipient_id}",
            parts=letter.parts(with_text=False),
            kind=Notification.Kind.EMAIL,
            unit_id=letter.unit_id,
            recipient_id=letter.recipient_id,
            subject=letter.subject(self.run.run_date),
            body="",
            items=letter.items_json(),
            top_level=letter.top,
            status=Notification.Status.SKIPPED,
            last_error=reason,
        )

    def _robot_message(self, channel: Channel, people: list) -> None:
        day = self.run.run_date
        late = sum(d.count(OVERDUE) for d, _, _ in people)
        lines = [f"【整改督办】{channel.unit.name} {day:%m月%d日}整改事项提醒"]
        lines += [digest.summary(name, mobile) for digest, name, mobile in people]
        lines.append(f"详情请登录整改系统查看：{settings.SITE_URL}/my/")
        body = "\n".join(lines)
        self._row(
            f"{channel.unit_id}:{channel.kind}:{channel.pk}",
            parts=[NotificationPart(unit_id=channel.unit_id, items=len(people))],
            unit_id=channel.unit_id,
            kind=channel.kind,
            channel=channel,
            address=channel.name,
            subject=f"【整改督办】{len(people)}人有待办事项"
            + (f"，{late}项已逾期" if late else ""),
            body=body,
            items=[
                {
                    "user": d.recipient_id,
                    "mobile": mobile,
                    "overdue": d.count(OVERDUE),
                    "today": d.count(TODAY),
                    "before": d.count(BEFORE),
                }
                for d, _, mobile in people
            ],
            top_level=max(d.top for d, _, _ in people),
        )


def plan_run(run_date: date) -> ReminderRun:
    """Write the day's messages as pending notifications; planning twice adds nothing.

    The planner that marks the run planned writes its messages in the same transaction; one
    that finds it already marked (another worker got there first) writes nothing."""
    run, _ = ReminderRun.objects.get_or_create(run_date=run_date)
    if run.planned_at:
        return run
    calendar = official_calendar()
    digests = Planner(run_date, calendar).plan()
    messages = Messages(run, digests, calendar)
    rows = messages.build()
    with transaction.atomic():
        claimed = ReminderRun.objects.filter(pk=run.pk, planned_at__isnull=True).update(
            planned_at=timezone.now(),
            items=sum(len(d.items) for d in digests.values()),
            recipients=len({user for user, _ in digests}),
        )
        if claimed:
            Notification.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
            ids = dict(Notification.objects.filter(run=run).values_list("key", "id"))
            parts = []
            for key, unit_parts in messages.parts.items():
                for part in unit_parts:
                    part.notification_id = ids[key]
                    parts.append(part)
            NotificationPart.objects.bulk_create(parts, batch_size=500, ignore_conflicts=True)
    run.refresh_from_db()
    if claimed:
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


def _finish(notification: Notification, error: str | None) -> str:
    """Record how a claimed send went; returns the status written."""
    changes = {"last_error": error or ""}
    if error is None:
        changes.update(status=Notification.Status.SENT, sent_at=timezone.now())
    elif error.startswith(channels.NOT_TO_RETRY):
        changes.update(
            status=Notification.Status.UNKNOWN
            if "timed out" in error
            else Notification.Status.FAILED
        )
    elif notification.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        changes.update(status=Notification.Status.FAILED)
    else:
        backoff = settings.NOTIFY_RETRY_MINUTES * 2 ** (notification.attempts - 1)
        changes.update(
            status=Notification.Status.RETRYING,
            next_attempt_at=timezone.now() + timedelta(minutes=backoff),
        )
    Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENDING).update(
        **changes
    )
    return changes["status"]


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
        status = _finish(notification, error)
        counts["sent" if status == Notification.Status.SENT else "failed"] += 1
    return counts


def run_reminders(run_date: date) -> dict:
    """Plan the day's messages (once) and send them."""
    run = plan_run(run_date)
    counts = send_due()
    if not Notification.objects.filter(
        run=run, status__in=[Notification.Status.PENDING, Notification.Status.SENDING]
    ).exists():
        ReminderRun.objects.filter(pk=run.pk, finished_at__isnull=True).update(
            finished_at=timezone.now()
        )
    return {"date": run_date.isoformat(), "items": run.items, **counts}
