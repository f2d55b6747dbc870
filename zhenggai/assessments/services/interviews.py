"""Interviews (约谈) of units at the bottom, their commitments (problems of an assessment
round, supervised like any other), and clues handed to the discipline group."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhenggai.assessments.access import require_runs
from zhenggai.assessments.models import AssessmentMonth, Clue, Commitment, Interview, MonthEvent
from zhenggai.assessments.values import FROZEN_STATES
from zhenggai.evaluations.models import PeriodRound
from zhenggai.evaluations.services.bad_reviews import period_round
from zhenggai.evaluations.values import Period
from zhenggai.ledger.models import DeadlineKind
from zhenggai.ledger.schedule import add_months, refresh_due_date
from zhenggai.ledger.services.measures import add_measure
from zhenggai.ledger.services.problems import add_problem, refresh_search_text
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.orgs.models import Membership, Role, Unit

MAX_COMMITMENTS = 30


def bottom_streak(month: AssessmentMonth) -> set[int]:
    """The units at the bottom of `month` and of each of the months before it that the scheme's
    rule counts (in the same group, locked or published, however the year's scheme changed)."""
    scheme = month.scheme
    streak = set(month.results.filter(at_bottom=True).values_list("unit_id", flat=True))
    for back in range(1, scheme.bottom_months):
        if not streak:
            break
        earlier = add_months(month.month, -back)
        earlier_month = AssessmentMonth.objects.filter(
            scheme__group_id=scheme.group_id, month=earlier, state__in=FROZEN_STATES
        ).first()
        if earlier_month is None:
            return set()
        streak &= set(
            earlier_month.results.filter(at_bottom=True).values_list("unit_id", flat=True)
        )
    return streak


def _reason(month: AssessmentMonth) -> str:
    scheme = month.scheme
    months = scheme.bottom_months
    place = "末位" if scheme.bottom_count == 1 else f"后{scheme.bottom_count}名"
    running = f"连续{months}个月" if months > 1 else ""
    return f"截至{month.label}，{running}在“{scheme.group.name}”考核排名中处于{place}。"


def apply_bottom_rule(month: AssessmentMonth, *, by) -> list[Interview]:
    """Open a 约谈 for each unit at the bottom the rule's months running, once per unit and
    month (the database holds to it: a second call, or two at once, opens none)."""
    opened = []
    for unit_id in sorted(bottom_streak(month)):
        try:
            with transaction.atomic():
                interview = Interview.objects.create(
                    office_id=month.scheme.office_id,
                    unit_id=unit_id,
                    month=month,
                    trigger=Interview.Trigger.BOTTOM,
                    reason=_reason(month),
                    created_by=by,
                )
        except IntegrityError:
            continue
        MonthEvent.objects.create(
            month=month,
            action=MonthEvent.Action.INTERVIEW,
            actor=by,
            unit_id=unit_id,
            note=interview.reason,
        )
        opened.append(interview)
    return opened


def open_interview(office: Unit, unit: Unit, *, by, reason: str) -> Interview:
    """An interview the office decides on itself (not by the rule)."""
    require_runs(by, office.pk, "启动约谈")
    if not unit.path.startswith(office.path) or unit.kind != Unit.Kind.UNIT:
        raise Refused("只能约谈本机构下属的单位。", "unit outside the office")
    if not reason.strip():
        raise Refused("请填写约谈事由。", "interview without reason")
    return Interview.objects.create(
        office=office,
        unit=unit,
        trigger=Interview.Trigger.OFFICE,
        reason=reason.strip(),
        created_by=by,
    )


@transaction.atomic
def schedule_interview(
    interview: Interview,
    *,
    by,
    scheduled_on: date,
    interviewer: str,
    interviewees: str,
    place: str = "",
) -> Interview:
    """Set who interviews whom, when and where."""
    require_runs(by, interview.office_id, "安排约谈")
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    if interview.state == Interview.State.HELD:
        raise Refused("约谈已经进行，不能再改安排。", "interview held")
    if not interviewer.strip() or not interviewees.strip():
        raise Refused("请填写约谈人和被约谈人。", "who interviews whom")
    interview.scheduled_on = scheduled_on
    interview.interviewer = interviewer.strip()
    interview.interviewees = interviewees.strip()
    interview.place = place.strip()
    interview.save(update_fields=["scheduled_on", "interviewer", "interviewees", "place"])
    return interview


@transaction.atomic
def record_interview(
    interview: Interview,
    *,
    by,
    held_on: date,
    minutes: str,
    commitments: list[tuple[str, date]],
) -> Interview:
    """Record an interview held: its minutes, and its commitments, each a problem of the unit's
    assessment round for the month, with one measure due by the promised date."""
    require_runs(by, interview.office_id, "登记约谈情况")
    interview = (
        Interview.objects.select_for_update(of=("self",))
        .select_related("unit", "month")
        .get(pk=interview.pk)
    )
    if interview.state == Interview.State.HELD:
        raise Refused("该约谈已登记。", "interview already recorded")
    if not interview.interviewer or not interview.interviewees:
        raise Refused("请先安排约谈（约谈人和被约谈人）。", "interview not scheduled")
    if held_on > timezone.localdate():
        raise Refused("约谈日期不能晚于今天。", "interview in the future")
    minutes = minutes.strip()
    if not minutes:
        raise Refused("请填写约谈纪要。", "interview without minutes")
    commitments = [(text.strip(), deadline) for text, deadline in commitments if text.strip()]
    if not commitments:
        raise Refused("请至少填写一项整改承诺。", "interview without commitments")
    if len(commitments) > MAX_COMMITMENTS:
        raise Refused(f"整改承诺最多{MAX_COMMITMENTS}项。", "too many commitments")
    for n, (text, deadline) in enumerate(commitments, start=1):
        if deadline is None or deadline < held_on:
            raise Refused(
                f"第{n}项承诺（{text[:20]}）须有不早于约谈日期的完成时限。", "commitment deadline"
            )
    month = interview.month.month if interview.month else held_on.replace(day=1)
    round = period_round(interview.unit, Period(month, 1), PeriodRound.Purpose.INTERVIEW)
    interview.held_on = held_on
    for text, deadline in commitments:
        _commit(interview, round, text, deadline, by=by)
    interview.minutes = minutes
    interview.state = Interview.State.HELD
    interview.round = round
    interview.save(update_fields=["held_on", "minutes", "state", "round"])
    return interview


def _commit(interview: Interview, round, text: str, deadline: date, *, by) -> Commitment:
    number = round.problems.count() + 1
    title = text if len(text) <= 200 else text[:199] + "…"
    problem = add_problem(
        round,
        by=by,
        title=title,
        number=f"约谈{number}",
        description=f"{interview.reason}\n约谈日期：{interview.held_on or ''}\n整改承诺：{text}",
        path=["约谈整改"],
        note="约谈中作出的整改承诺。",
    )
    add_measure(
        problem,
        by=by,
        text=text,
        deadline_kind=DeadlineKind.DATE,
        deadline=deadline.isoformat(),
    )
    refresh_search_text(problem)
    refresh_due_date(problem)
    return Commitment.objects.create(
        interview=interview, text=text, deadline=deadline, problem=problem
    )


def hand_clue(
    office: Unit,
    unit: Unit,
    *,
    by,
    summary: str,
    month: AssessmentMonth | None = None,
    interview: Interview | None = None,
) -> Clue:
    """Hand a clue about `unit` to the office's discipline group: recorded, and on their list."""
    require_runs(by, office.pk, "移交线索")
    summary = summary.strip()
    if not summary:
        raise Refused("请填写线索内容。", "clue without summary")
    if not unit.path.startswith(office.path):
        raise Refused("只能移交本机构下属单位的线索。", "unit outside the office")
    if not Membership.objects.filter(unit=office, role=Role.DISCIPLINE).exists():
        raise Refused("本机构还没有纪检监察组成员，无法移交。", "no discipline group")
    return Clue.objects.create(
        office=office, unit=unit, month=month, interview=interview, summary=summary, handed_by=by
    )


@transaction.atomic
def receive_clue(clue: Clue, *, by) -> Clue:
    """The discipline group signs for a clue."""
    clue = Clue.objects.select_for_update().get(pk=clue.pk)
    if not Membership.objects.filter(
        user_id=by.pk, unit_id=clue.office_id, role=Role.DISCIPLINE
    ).exists():
        raise NotAllowed("只有纪检监察组可以签收线索。", f"{by} may not receive clues")
    if clue.received_at:
        raise Refused("该线索已签收。", "clue already received")
    clue.received_by = by
    clue.received_at = timezone.now()
    clue.save(update_fields=["received_by", "received_at"])
    return clue
