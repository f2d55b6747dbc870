"""Interviews (约谈) of units at the bottom, their commitments, and clues handed to the
discipline group."""

from django.conf import settings
from django.db import models

from zhenggai.assessments.models.months import AssessmentMonth
from zhenggai.evaluations.models.periods import OfficeQuerySet
from zhenggai.ledger.models import Problem
from zhenggai.orgs.models import Unit
from zhenggai.rounds.models import InspectionRound


class Interview(models.Model):
    """A formal talk with a unit's leaders: opened by the bottom-rank rule for a month (once per
    unit and month) or by the office; held on a date, with minutes and commitments, each of
    which becomes a problem of the unit in an assessment round and is supervised like any."""

    class Trigger(models.TextChoices):
        BOTTOM = "bottom", "连续末位"
        OFFICE = "office", "评价办决定"

    class State(models.TextChoices):
        PLANNED = "planned", "待约谈"
        HELD = "held", "已约谈"

    office = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="约谈机构")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="被约谈单位")
    month = models.ForeignKey(
        AssessmentMonth,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="interviews",
        verbose_name="考核月份",
    )
    trigger = models.CharField("启动原因", max_length=10, choices=Trigger.choices)
    reason = models.TextField("约谈事由")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PLANNED)
    interviewer = models.CharField("约谈人", max_length=200, blank=True)
    interviewees = models.CharField("被约谈人", max_length=200, blank=True)
    scheduled_on = models.DateField("约谈日期", null=True, blank=True)
    held_on = models.DateField("实际约谈日期", null=True, blank=True)
    place = models.CharField("地点", max_length=200, blank=True)
    minutes = models.TextField("约谈纪要", blank=True)
    round = models.ForeignKey(
        InspectionRound,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="整改轮次",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="启动人",
    )
    created_at = models.DateTimeField("启动时间", auto_now_add=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = "约谈"
        verbose_name_plural = "约谈"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month"],
                condition=models.Q(trigger="bottom"),
                name="bottom_interview_once_per_month",
            )
        ]

    def __str__(self) -> str:
        return f"约谈{self.unit}"


class Commitment(models.Model):
    """What the unit promised at an interview, by a date: a problem of its assessment round."""

    interview = models.ForeignKey(
        Interview, models.CASCADE, related_name="commitments", verbose_name="约谈"
    )
    text = models.TextField("整改承诺")
    deadline = models.DateField("完成时限")
    problem = models.OneToOneField(
        Problem, models.PROTECT, related_name="+", verbose_name="整改问题"
    )

    class Meta:
        verbose_name = "约谈承诺"
        verbose_name_plural = "约谈承诺"
        ordering = ["interview_id", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class Clue(models.Model):
    """A clue handed by the office to the discipline group (移交问题线索): what, about which unit,
    from which month or interview, and when the group received it."""

    office = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="移交机构")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="涉及单位")
    month = models.ForeignKey(
        AssessmentMonth,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="clues",
        verbose_name="考核月份",
    )
    interview = models.ForeignKey(
        Interview, models.PROTECT, null=True, blank=True, related_name="clues", verbose_name="约谈"
    )
    summary = models.TextField("线索内容")
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="移交人"
    )
    handed_at = models.DateTimeField("移交时间", auto_now_add=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="签收人",
    )
    received_at = models.DateTimeField("签收时间", null=True, blank=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = "移交线索"
        verbose_name_plural = "移交线索"
        ordering = ["-handed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.unit}：{self.summary[:30]}"
