"""A round's milestones after its feedback: report, end of concentrated rectification, public
notice and follow-up review, each due a set time after the feedback date.

The defaults below apply until the office sets its own rule for a kind of round
(`MilestoneRule`, in the admin); each names where it comes from. A round can also be given
its own date for a milestone, and records the day it met it.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from zhenggai.ledger.models import Warning, warning_for
from zhenggai.ledger.schedule import add_months
from zhenggai.rounds.models import InspectionRound
from zhenggai.supervision.deadlines import official_calendar
from zhenggai.supervision.models import Milestone, MilestoneRule, RoundMilestone

Kind = InspectionRound.Kind
Unit = MilestoneRule.Unit

INSPECTION_REPORT = (
    "《中国共产党巡视工作条例》：被巡视党组织收到反馈意见后2个月内报送整改情况报告；"
    "巡察按各地巡察工作实施办法参照执行"
)
CONCENTRATED = "惯例：集中整改期与整改报告期限一致（2个月）"
NOTICE = "惯例：报送整改报告后向党内和社会公开整改进展情况，默认反馈后3个月"
FOLLOW_UP = "惯例：集中整改结束后开展整改“回头看”，默认反馈后6个月"
AUDIT_REPORT = (
    "《中华人民共和国审计法》：按审计决定规定的时间整改并报告，默认60日，以审计决定书为准"
)
OTHER = "本系统默认值（无统一规定），请按通知所定期限设置"


@dataclass(frozen=True)
class Rule:
    amount: int
    unit: str
    source: str

    @property
    def description(self) -> str:
        return f"反馈后{self.amount}{Unit(self.unit).label}"

    def due(self, feedback: date, calendar) -> date:
        if self.unit == Unit.MONTHS:
            return add_months(feedback, self.amount)
        if self.unit == Unit.WORKDAYS:
            return calendar.add(feedback, self.amount)
        return feedback + timedelta(days=self.amount)


_INSPECTION = {
    Milestone.REPORT: Rule(2, Unit.MONTHS, INSPECTION_REPORT),
    Milestone.CONCENTRATED_END: Rule(2, Unit.MONTHS, CONCENTRATED),
    Milestone.NOTICE: Rule(3, Unit.MONTHS, NOTICE),
    Milestone.FOLLOW_UP: Rule(6, Unit.MONTHS, FOLLOW_UP),
}
DEFAULTS: dict[str, dict[str, Rule]] = {
    Kind.XUNSHI: _INSPECTION,
    Kind.XUNCHA: _INSPECTION,
    Kind.SPECIAL: _INSPECTION,
    Kind.AUDIT: {
        Milestone.REPORT: Rule(60, Unit.DAYS, AUDIT_REPORT),
        Milestone.CONCENTRATED_END: Rule(60, Unit.DAYS, AUDIT_REPORT),
        Milestone.NOTICE: Rule(3, Unit.MONTHS, NOTICE),
        Milestone.FOLLOW_UP: Rule(6, Unit.MONTHS, FOLLOW_UP),
    },
    Kind.SUPERVISION: {
        Milestone.REPORT: Rule(1, Unit.MONTHS, OTHER),
        Milestone.CONCENTRATED_END: Rule(1, Unit.MONTHS, OTHER),
        Milestone.NOTICE: Rule(2, Unit.MONTHS, OTHER),
        Milestone.FOLLOW_UP: Rule(6, Unit.MONTHS, OTHER),
    },
}
DEFAULTS[Kind.EVALUATION] = DEFAULTS[Kind.SUPERVISION]


@dataclass(frozen=True)
class RoundMilestoneView:
    milestone: str
    label: str
    rule: Rule
    due_on: date | None
    set_by_hand: bool
    done_on: date | None
    note: str
    warning: str
    provisional: bool

    @property
    def late_by(self) -> int | None:
        """Days it was met after (positive) or before its date."""
        if self.done_on and self.due_on:
            return (self.done_on - self.due_on).days
        return None


def rules_for(kind: str) -> dict[str, Rule]:
    """The rule of each milestone for a kind of round: the office's own, else the default."""
    rules = dict(DEFAULTS[kind])
    for rule in MilestoneRule.objects.filter(round_kind=kind):
        rules[rule.milestone] = Rule(rule.amount, rule.unit, rule.source or "本单位设定")
    return rules


def milestones_for(round: InspectionRound, today: date | None = None) -> list[RoundMilestoneView]:
    """Each milestone of `round`, in the order of the loop, with its date and warning."""
    today = today or timezone.localdate()
    calendar = official_calendar()
    recorded = {m.milestone: m for m in RoundMilestone.objects.filter(round=round)}
    views = []
    for milestone, rule in rules_for(round.kind).items():
        entry = recorded.get(milestone)
        due = entry.due_on if entry and entry.due_on else None
        if due is None and round.feedback_date:
            due = rule.due(round.feedback_date, calendar)
        done = entry.done_on if entry else None
        views.append(
            RoundMilestoneView(
                milestone=milestone,
                label=Milestone(milestone).label,
                rule=rule,
                due_on=due,
                set_by_hand=bool(entry and entry.due_on),
                done_on=done,
                note=entry.note if entry else "",
                warning=warning_for(due, done is None, today) if due else Warning.NONE,
                provisional=bool(
                    due and rule.unit == Unit.WORKDAYS and calendar.is_provisional(due)
                ),
            )
        )
    order = list(Milestone.values)
    return sorted(views, key=lambda v: order.index(v.milestone))
