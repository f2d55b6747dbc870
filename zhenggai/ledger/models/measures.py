"""A measure against a problem: owners, deadline, results."""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils import timezone

from zhenggai.ledger.models.problems import Problem
from zhenggai.ledger.models.states import (
    DeadlineKind,
    deadline_display,
    effective_due,
    measure_gaps,
    warning_for,
)
from zhenggai.orgs.models import Unit
from zhenggai.orgs.querysets import ScopedQuerySet


class MeasureQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(withdrawn=False)


class Measure(models.Model):
    """One action against a problem, with its owners, deadline and outcomes.

    `version` grows with every saved change; an edit based on an older version is refused, so
    two people editing the same measure never silently overwrite each other.
    """

    problem = models.ForeignKey(
        Problem, models.PROTECT, related_name="measures", verbose_name="问题"
    )
    position = models.PositiveIntegerField("顺序", default=0)
    text = models.TextField("整改措施")
    lead_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="责任领导",
    )
    lead_section = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="牵头科室"
    )
    responsible_sections = models.ManyToManyField(
        Unit, blank=True, related_name="+", verbose_name="责任科室"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="责任人",
    )
    deadline_kind = models.CharField(
        "整改时限类型", max_length=10, choices=DeadlineKind.choices, default=DeadlineKind.DATE
    )
    deadline = models.DateField("整改时限", null=True, blank=True)
    # Set when the deadline was given as "N working days from a date"; `deadline` holds the
    # date it works out to on the official calendar, so everything else reads one field.
    deadline_workdays = models.PositiveSmallIntegerField("工作日数", null=True, blank=True)
    deadline_from = models.DateField("起算日期", null=True, blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    # How far along the measure is, as its owner reports it with progress (0–100); a measure
    # with a completion date counts as 100 wherever a problem's percentage is worked out.
    percent = models.PositiveSmallIntegerField(
        "完成进度（%）", default=0, validators=[MaxValueValidator(100)]
    )
    withdrawn = models.BooleanField("已撤销", default=False)
    rules_made = models.PositiveIntegerField("新建制度（项）", default=0)
    rules_revised = models.PositiveIntegerField("修订制度（项）", default=0)
    funds_recovered = models.DecimalField(
        "挽回/追缴资金（万元）", max_digits=14, decimal_places=2, default=0
    )
    people_held_accountable = models.PositiveIntegerField("问责人数", default=0)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = "整改措施"
        verbose_name_plural = "整改措施"
        ordering = ["problem_id", "position", "id"]
        indexes = [
            models.Index(fields=["lead_section", "problem"], name="measure_section"),
            models.Index(fields=["owner", "problem"], name="measure_owner"),
            models.Index(fields=["lead_leader", "problem"], name="measure_leader"),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @staticmethod
    def carried_by(section_ids) -> models.Q:
        """`is_carried_by` as a filter, for asking the database (one query, no rows loaded)."""
        return models.Q(lead_section_id__in=section_ids) | models.Q(
            responsible_sections__in=section_ids
        )

    def is_carried_by(self, section_ids) -> bool:
        """Whether one of these sections leads the measure or carries it out: the one test of
        "a section worked on it" (who may report on it, who may not sign its close-out)."""
        return self.lead_section_id in section_ids or any(
            section.pk in section_ids for section in self.responsible_sections.all()
        )

    def effective_due(self, feedback_date: date | None) -> date | None:
        """The date this measure is late after, or None when it has none (长期坚持)."""
        if self.withdrawn:
            return None
        return effective_due(self.deadline_kind, self.deadline, self.completed_on, feedback_date)

    @property
    def done_percent(self) -> int:
        """The measure's completion as counted in its problem's: 100 once completed, or once
        its problem is rectified (closed out, or rectified and kept at long term), which is the
        day it counts as done when it has no 完成日期 (`ledger.filters.DONE_ON`). Reads
        `self.problem`: fetch measures with their problem (select_related, or through it)."""
        if self.completed_on or self.problem.rectified_on:
            return 100
        return min(self.percent, 100)

    @property
    def is_open(self) -> bool:
        return self.problem.is_open and not self.withdrawn and not self.completed_on

    @property
    def gaps(self) -> tuple[str, ...]:
        """What this open measure lacks ("未定责任人", "未定时限"); nothing once it is done."""
        if not self.is_open:
            return ()
        return measure_gaps(self.owner_id, self.deadline_kind, self.deadline)

    @property
    def warning(self) -> str:
        due = self.effective_due(self.problem.round.feedback_date)
        return warning_for(due, self.is_open, unassigned=bool(self.gaps))

    @property
    def deadline_passed(self) -> bool:
        """Whether an open measure's date is already behind us: accepted when entered (it may be
        the date it was really due), but pointed out, "整改时限早于今天"."""
        return (
            self.is_open
            and self.deadline_kind == DeadlineKind.DATE
            and self.deadline is not None
            and self.deadline < timezone.localdate()
        )

    @property
    def deadline_display(self) -> str:
        shown = deadline_display(self.deadline_kind, self.deadline)
        if (
            self.deadline_kind == DeadlineKind.DATE
            and self.deadline_workdays
            and self.deadline_from
        ):
            shown += f"（自{self.deadline_from:%Y-%m-%d}起{self.deadline_workdays}个工作日）"
        return shown


def get_measure_for_user(user, pk: int) -> Measure:
    """Fetch a measure the user may read (404 otherwise), with its problem and round."""
    return get_object_or_404(
        Measure.objects.visible_to(user).select_related("problem", "problem__round"), pk=pk
    )
