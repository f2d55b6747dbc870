"""The ledger's states, warnings and deadlines: plain values and the rules that derive them."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class State(models.TextChoices):
    PLAN_PENDING = "plan_pending", "待定方案"
    IN_PROGRESS = "in_progress", "整改中"
    SUBMITTED = "submitted", "待销号审核"
    LONG_TERM = "long_term", "已整改·长期坚持"
    CLOSED = "closed", "已销号"
    VERIFIED = "verified", "已核验销号"
    WITHDRAWN = "withdrawn", "已撤销"


OPEN_STATES = (State.PLAN_PENDING, State.IN_PROGRESS, State.SUBMITTED, State.LONG_TERM)


CLOSED_STATES = (State.CLOSED, State.VERIFIED)


class Warning(models.TextChoices):  # noqa: A001 - the domain's word (预警), not the builtin
    RED = "red", "红灯（逾期）"
    YELLOW = "yellow", "黄灯（临期）"
    GREEN = "green", "绿灯（正常）"
    UNSET = "unset", "灰灯（未定责任人或时限）"
    NONE = "none", "—"


def warning_for(
    due: date | None, is_open: bool, today: date | None = None, *, unassigned: bool = False
) -> str:
    """Red when overdue, yellow when due within WARNING_DUE_SOON_DAYS, green otherwise.

    Green says all is in order, so an item `unassigned` (a measure without 责任人 or without its
    date, a problem with such a measure or with none) is grey instead; red and yellow still win,
    being more pressing, and the marker naming the gap is shown beside them.
    """
    if not is_open:
        return Warning.NONE
    today = today or timezone.localdate()
    if due is not None and due < today:
        return Warning.RED
    if due is not None and (due - today).days <= settings.WARNING_DUE_SOON_DAYS:
        return Warning.YELLOW
    return Warning.UNSET if unassigned else Warning.GREEN


# What a measure lacks, as its grey marker names it.
NO_OWNER = "未定责任人"


NO_DEADLINE = "未定时限"


def measure_gaps(owner_id: int | None, kind: str, deadline: date | None) -> tuple[str, ...]:
    """What an open measure still lacks to be accounted for: a 责任人, and (when it is to be
    done by a date) that date. 立行立改 and 长期坚持 are deadlines in their own right."""
    gaps = []
    if owner_id is None:
        gaps.append(NO_OWNER)
    if kind == DeadlineKind.DATE and deadline is None:
        gaps.append(NO_DEADLINE)
    return tuple(gaps)


class FlagStatus(models.TextChoices):
    """Where a concern of the discipline group stands: the unit answers it, the group closes it
    or sends it back to be answered again."""

    OPEN = "open", "待答复"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已办结"


# No measure makes a million rules or holds a million people to account: larger is a typo.
MAX_COUNT = 1_000_000


class DeadlineKind(models.TextChoices):
    DATE = "date", "限期"
    IMMEDIATE = "immediate", "立行立改"
    ONGOING = "ongoing", "长期坚持"


def effective_due(
    kind: str, deadline: date | None, completed_on: date | None, feedback_date: date | None
) -> date | None:
    """When an open measure is late: its date; 立行立改 a set time after feedback; else never."""
    if completed_on:
        return None
    if kind == DeadlineKind.DATE:
        return deadline
    if kind == DeadlineKind.IMMEDIATE and feedback_date:
        return feedback_date + timedelta(days=settings.IMMEDIATE_DUE_DAYS)
    return None


def deadline_display(kind: str, deadline: date | None) -> str:
    if kind == DeadlineKind.DATE:
        return deadline.isoformat() if deadline else "未定"
    return DeadlineKind(kind).label
