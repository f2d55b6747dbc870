"""A 差评 becomes a problem: in the unit's evaluation round for the period, with a deadline in
working days; the evaluation office calls the rater back before it verifies the close-out."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhenggai.evaluations.history import Action
from zhenggai.evaluations.models import Callback, PeriodRound, Rating
from zhenggai.evaluations.values import Level, Period, period_of
from zhenggai.ledger.history import record
from zhenggai.ledger.models import DeadlineKind, Event, Problem, State
from zhenggai.ledger.schedule import refresh_due_date
from zhenggai.ledger.services.measures import add_measure
from zhenggai.ledger.services.problems import add_problem, refresh_search_text
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.lib.workdays import workdays_after
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Role, Unit
from zhenggai.rounds.models import InspectionRound

MEASURE_TEXT = "核实差评反映的情况；属实的立即整改，并向评价办报告整改结果，由评价办回访评价人。"
# A call back not answered this many times counts as tried: the office may then verify.
CALLBACK_ATTEMPTS = 3


def evaluation_office_of(unit: Unit) -> Unit | None:
    """The nearest office above `unit` with an evaluation office (评价办) in it, if any."""
    offices = Unit.objects.filter(
        pk__in=unit.ancestor_ids[:-1],
        kind=Unit.Kind.OFFICE,
        memberships__role=Role.EVALUATION_OFFICE,
    )
    return max(offices, key=lambda office: len(office.path), default=None)


TITLES = {
    PeriodRound.Purpose.BAD_REVIEWS: "{period}“好差评”差评整改",
    PeriodRound.Purpose.LOW_RANK: "{period}营商环境“背靠背”评价排名靠后整改",
    PeriodRound.Purpose.INTERVIEW: "{period}考核约谈整改",
}


def period_round(unit: Unit, period: Period, purpose: str) -> InspectionRound:
    """The unit's evaluation round of `period` for `purpose`, created on first need. The unit
    row is locked first, so two 差评 at once create one round."""
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    found = (
        PeriodRound.objects.filter(
            unit=unit, period_start=period.start, period_months=period.months, purpose=purpose
        )
        .select_related("round")
        .first()
    )
    if found:
        return found.round
    office = None if settings.EVALUATION_BODY else evaluation_office_of(unit)
    round = InspectionRound.objects.create(
        kind=InspectionRound.Kind.EVALUATION,
        title=f"{unit.name}{TITLES[purpose].format(period=period.label)}",
        inspecting_body=settings.EVALUATION_BODY or (office.name if office else "评价办"),
        unit=unit,
        period_start=period.start,
        period_end=period.end,
        feedback_date=timezone.localdate(),
        long_term_report_period=InspectionRound.ReportPeriod.MONTHLY,
    )
    PeriodRound.objects.create(
        unit=unit,
        period_start=period.start,
        period_months=period.months,
        purpose=purpose,
        round=round,
    )
    changes = {"巡察轮次": ["—", round.title]}
    record(Event.Action.CREATED, round, by=None, problem=None, round=round, changes=changes)
    return round


def _title(rating: Rating) -> str:
    reason = " ".join(rating.comment.split())
    if len(reason) > 60:
        reason = reason[:59] + "…"
    return f"{rating.point.name}：{reason}"


def _description(rating: Rating) -> str:
    at = timezone.localtime(rating.rated_at)
    lines = [
        f"评价时间：{at:%Y-%m-%d %H:%M}",
        f"评价对象：{rating.point.name}（{rating.point.get_kind_display()}）",
        f"满意度：{rating.get_level_display()}",
    ]
    scored = [f"{label}{Level(v).label}" for label, v in rating.dimension_values() if v]
    if scored:
        lines.append("分项评价：" + "，".join(scored))
    if rating.service_item:
        lines.append(f"服务事项：{rating.service_item}")
    if rating.staff:
        lines.append(f"工作人员：{rating.staff}")
    lines.append(f"评价渠道：{rating.get_channel_display()}")
    lines.append(f"差评原因：{rating.comment}")
    return "\n".join(lines)


def raise_problem_for(rating: Rating, *, received_on: date | None = None) -> Problem:
    """Make a 差评 a problem of its unit's evaluation round for the period, with one measure due
    BAD_REVIEW_WORKDAYS working days after it was received (the day it was given, or, for a
    platform's export, the day it was imported); the unit assigns its owner. Runs in the
    caller's transaction (the rating's)."""
    rated_on = timezone.localtime(rating.rated_at).date()
    received_on = max(received_on or rated_on, rated_on)
    round = period_round(rating.unit, period_of(rated_on), PeriodRound.Purpose.BAD_REVIEWS)
    number = round.problems.count() + 1
    problem = add_problem(
        round,
        by=None,
        title=_title(rating),
        number=f"差评{number}",
        description=_description(rating),
        path=["差评整改", rating.point.name],
        note="由评价办收到的差评自动转为整改问题。",
    )
    workdays = settings.BAD_REVIEW_WORKDAYS
    add_measure(
        problem,
        by=None,
        text=MEASURE_TEXT,
        lead_section=rating.section_id,
        deadline_kind=DeadlineKind.DATE,
        deadline=workdays_after(received_on, workdays).isoformat(),
        deadline_workdays=workdays,
        deadline_from=received_on.isoformat(),
    )
    Rating.objects.filter(pk=rating.pk).update(problem=problem)
    rating.problem = problem
    record(
        Action.BAD_REVIEW,
        rating,
        by=None,
        problem=problem,
        changes={"满意度": ["—", rating.get_level_display()]},
        note=f"差评须在 {workdays} 个工作日内核实整改。",
    )
    refresh_search_text(problem)
    refresh_due_date(problem)
    return problem


def note_follow_up(first: Rating, follow_up: Rating) -> None:
    """Tell the problem a 差评 became that its rater has since followed it up (追评): the unit
    and the office see the rater's latest word beside the rectification."""
    problem = Problem.objects.filter(pk=first.problem_id).select_related("round").first()
    if problem is None:
        return
    record(
        Action.FOLLOWED_UP,
        follow_up,
        by=None,
        problem=problem,
        changes={"满意度": [first.get_level_display(), follow_up.get_level_display()]},
        note=follow_up.comment,
    )


def may_call_back(user, rating: Rating) -> bool:
    """Only the evaluation office calls raters back: it alone holds their phone numbers."""
    return scope_for(user).has_role(rating.unit_id, Role.EVALUATION_OFFICE)


CALLBACK_STATES = (State.SUBMITTED, State.CLOSED)


@transaction.atomic
def record_callback(
    rating: Rating, *, by, caller: str, called_at, outcome: str, note: str = ""
) -> Callback:
    """Record a call back to the rater of a 差评 whose rectification was reported done."""
    if not may_call_back(by, rating):
        raise NotAllowed("只有评价办可以登记回访。", f"{by} may not call back rating {rating.pk}")
    problem = Problem.objects.select_for_update().filter(pk=rating.problem_id).first()
    if problem is None:
        raise Refused("该评价不是差评整改问题，无需回访。", f"rating {rating.pk} has no problem")
    if problem.state not in CALLBACK_STATES:
        raise Refused(
            "整改完成并申请销号后才能回访评价人。",
            f"problem {problem.pk} is {problem.state}, not submitted or closed",
        )
    caller = caller.strip()
    if not caller:
        raise Refused("请填写回访人。", "a call back needs a caller")
    if outcome not in Callback.Outcome.values:
        raise Refused("请选择回访结果。", f"outcome {outcome!r}")
    if called_at > timezone.now() + timedelta(minutes=5):
        raise Refused("回访时间不能晚于现在。", "call back in the future")
    callback = Callback.objects.create(
        rating=rating,
        caller=caller[:50],
        called_at=called_at,
        outcome=outcome,
        note=note.strip(),
        recorded_by=by,
    )
    record(
        Action.CALLED_BACK,
        callback,
        by=by,
        problem=problem,
        changes={"回访结果": ["—", callback.get_outcome_display()]},
    )  # the notes stay with the call back: what the rater said is the evaluation office's
    return callback


def callback_done(rating: Rating) -> bool:
    """Whether the rater was reached, or tried CALLBACK_ATTEMPTS times; a rater who left no
    phone number cannot be called, and needs none."""
    if not rating.phone:
        return True
    callbacks = list(rating.callbacks.all())
    return any(c.reached for c in callbacks) or len(callbacks) >= CALLBACK_ATTEMPTS


def called_back_before_verifying(problem: Problem, user) -> None:
    """Workflow guard of verify_close_out: a 差评's rater is called back first."""
    rating = Rating.objects.filter(problem=problem).first()
    if rating is not None and not callback_done(rating):
        raise Refused(
            f"请先登记回访结果（接通，或连续 {CALLBACK_ATTEMPTS} 次未接通），再核验销号。",
            f"rating {rating.pk} of problem {problem.pk} was not called back",
        )
