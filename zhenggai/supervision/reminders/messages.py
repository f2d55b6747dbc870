"""The day's notifications from its digests, by channel: e-mail, group robots, and a skipped row
for whoever cannot be told."""

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model

from zhenggai.lib.names import person_name
from zhenggai.lib.workdays import Calendar
from zhenggai.orgs.models import Person
from zhenggai.supervision.models import (
    Channel,
    Notification,
    NotificationPart,
    Preference,
    ReminderRun,
)
from zhenggai.supervision.reminders.digests import Digest, Letter
from zhenggai.supervision.reminders.items import BEFORE, OVERDUE, TODAY


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
        # The directory's mobile (通讯录), for whoever has not set one in 提醒设置.
        self.directory_mobiles = dict(
            Person.objects.filter(user_id__in=list(user_ids))
            .exclude(mobile="")
            .values_list("user_id", "mobile")
        )
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
        mobile = (preference.mobile if preference else "") or self.directory_mobiles.get(
            user_id, ""
        )
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
        """One robot's message: each person's line (counts only, an @-mention) in its unit."""
        late = sum(d.count(OVERDUE) for d, _, _ in people)
        self._row(
            f"{channel.unit_id}:{channel.kind}:{channel.pk}",
            parts=[NotificationPart(unit_id=channel.unit_id, items=len(people))],
            unit_id=channel.unit_id,
            kind=channel.kind,
            channel=channel,
            address=channel.name,
            subject=f"【整改督办】{len(people)}人有待办事项"
            + (f"，{late}项已逾期" if late else ""),
            body=self._robot_body(channel, people),
            items=[_robot_item(d, mobile) for d, _, mobile in people],
            top_level=max(d.top for d, _, _ in people),
        )

    def _robot_body(self, channel: Channel, people: list) -> str:
        lines = [f"【整改督办】{channel.unit.name} {self.run.run_date:%m月%d日}整改事项提醒"]
        lines += [digest.summary(name, mobile) for digest, name, mobile in people]
        lines.append(f"详情请登录整改系统查看：{settings.SITE_URL}/my/")
        return "\n".join(lines)


def _robot_item(digest: Digest, mobile: str) -> dict:
    """One person's counts in a robot message, as kept on its notification."""
    return {
        "user": digest.recipient_id,
        "mobile": mobile,
        "overdue": digest.count(OVERDUE),
        "today": digest.count(TODAY),
        "before": digest.count(BEFORE),
    }
