"""A problem's states over time, for figures as of a past date."""

from datetime import datetime

from django.db import models

from zhenggai.ledger.models.problems import Problem
from zhenggai.ledger.models.states import State
from zhenggai.orgs.models import Unit


class StateSpanQuerySet(models.QuerySet):
    def just_before(self, end: datetime):
        """The spans that held in the last instant before `end` (a period's exclusive end): a
        span starting at `end` belongs to the next period, one ending at `end` to this one."""
        return self.filter(started_at__lt=end).filter(
            models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=end)
        )

    def as_of(self, moment: datetime):
        """The spans that held at `moment`: one a problem that existed then."""
        return self.filter(started_at__lte=moment).filter(
            models.Q(ended_at__isnull=True) | models.Q(ended_at__gt=moment)
        )


class StateSpan(models.Model):
    """A stretch of time in which a problem kept one state and one next deadline.

    A problem's columns say how it stands today; a figure as of a past date (a monthly
    assessment recomputed later, after problems moved on) reads the spans that held then
    instead. The unit and the round's kind are copied so that such figures group and filter
    without joining the problem. Written by `ledger.spans.note_span` whenever the state or the
    deadline may have changed; the spans before it was introduced were rebuilt from the history
    (migration 0016), without their past deadlines.
    """

    # Both keys lead an index below, which serves their lookups too.
    problem = models.ForeignKey(
        Problem, models.CASCADE, related_name="spans", verbose_name="问题", db_index=False
    )
    unit = models.ForeignKey(
        Unit, models.CASCADE, related_name="+", verbose_name="被巡察单位", db_index=False
    )
    round_kind = models.CharField("轮次类型", max_length=20)
    state = models.CharField("状态", max_length=20, choices=State.choices)
    due_date = models.DateField("下一期限", null=True)
    rectified_on = models.DateField("整改完成日期", null=True)
    rectified_on_time = models.BooleanField("按期完成", null=True)
    started_at = models.DateTimeField("开始时间")
    ended_at = models.DateTimeField("结束时间", null=True)  # null: the span still holds

    objects = StateSpanQuerySet.as_manager()

    class Meta:
        verbose_name = "问题状态区间"
        verbose_name_plural = "问题状态区间"
        indexes = [
            models.Index(fields=["unit", "started_at"], name="statespan_unit_start"),
            models.Index(fields=["problem", "ended_at"], name="statespan_problem_end"),
        ]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.get_state_display()} {self.started_at:%Y-%m-%d}"
