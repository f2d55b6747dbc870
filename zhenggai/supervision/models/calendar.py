"""The office's calendar days and the milestones of a round."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from zhenggai.rounds.models import InspectionRound


class CalendarDay(models.Model):
    """A day the official calendar sets apart, entered by the office before the calendar
    package knows it (the State Council publishes next year's holidays each November or
    December)."""

    day = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("上班", help_text="调休上班的周末勾选；放假的工作日不勾选。")
    note = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'上班' if self.is_workday else '放假'}"


class Milestone(models.TextChoices):
    REPORT = "report", "报送整改报告"
    CONCENTRATED_END = "concentrated_end", "集中整改结束"
    NOTICE = "notice", "公开整改情况"
    FOLLOW_UP = "follow_up", "整改“回头看”"


class MilestoneRule(models.Model):
    """How long after the feedback a kind of round's milestone falls, where an office sets its
    own rule; without one the documented default of `zhenggai.supervision.milestones` applies."""

    class Unit(models.TextChoices):
        MONTHS = "months", "个月"
        WORKDAYS = "workdays", "个工作日"
        DAYS = "days", "日"

    round_kind = models.CharField("轮次类型", max_length=20, choices=InspectionRound.Kind.choices)
    milestone = models.CharField("节点", max_length=20, choices=Milestone.choices)
    amount = models.PositiveSmallIntegerField(
        "时长", validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    unit = models.CharField("单位", max_length=10, choices=Unit.choices)
    source = models.CharField("依据", max_length=300, blank=True)

    class Meta:
        verbose_name = "节点规则"
        verbose_name_plural = "节点规则"
        constraints = [
            models.UniqueConstraint(
                fields=["round_kind", "milestone"], name="milestone_rule_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_round_kind_display()} · {self.get_milestone_display()}"


class RoundMilestone(models.Model):
    """What a round has done about a milestone: the day it was met, or a date set by hand."""

    round = models.ForeignKey(
        InspectionRound, models.PROTECT, related_name="milestones", verbose_name="巡察轮次"
    )
    milestone = models.CharField("节点", max_length=20, choices=Milestone.choices)
    due_on = models.DateField("另定期限", null=True, blank=True)
    done_on = models.DateField("完成日期", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name="更新人"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "轮次节点"
        verbose_name_plural = "轮次节点"
        constraints = [
            models.UniqueConstraint(fields=["round", "milestone"], name="round_milestone_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.get_milestone_display()}"
