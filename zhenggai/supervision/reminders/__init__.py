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

The stages, each a module: `items` (what one is reminded of), `routing` (who hears of an item),
`planner` (today's items gathered into digests), `digests` (a person's digest per unit and their
e-mail), `messages` (the day's notifications per channel), `sending` (claim, send, retry) and
`runs` (a day planned once, then sent).
"""

from zhenggai.supervision.reminders.digests import Digest, Letter
from zhenggai.supervision.reminders.items import (
    AS_LEADER,
    AS_OFFICE,
    AS_OWNER,
    AS_SECTION,
    BEFORE,
    KIND_LABELS,
    OVERDUE,
    STAGE_LABELS,
    TODAY,
    Item,
    problem_url,
)
from zhenggai.supervision.reminders.messages import Messages, is_quiet
from zhenggai.supervision.reminders.planner import PLANNED_STATES, Planner
from zhenggai.supervision.reminders.routing import Recipients
from zhenggai.supervision.reminders.runs import plan_run, run_reminders
from zhenggai.supervision.reminders.sending import STALE_SENDING, send_due
from zhenggai.supervision.reminders.sending import _claim as _claim  # claimed by hand in a test

__all__ = [
    "AS_LEADER",
    "AS_OFFICE",
    "AS_OWNER",
    "AS_SECTION",
    "BEFORE",
    "KIND_LABELS",
    "OVERDUE",
    "PLANNED_STATES",
    "STAGE_LABELS",
    "STALE_SENDING",
    "TODAY",
    "Digest",
    "Item",
    "Letter",
    "Messages",
    "Planner",
    "Recipients",
    "is_quiet",
    "plan_run",
    "problem_url",
    "run_reminders",
    "send_due",
]
