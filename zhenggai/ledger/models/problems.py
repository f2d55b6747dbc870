"""A problem of a round's feedback, and the one way to fetch it for a user."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils import timezone

from zhenggai.ledger.models.states import OPEN_STATES, FlagStatus, State, Warning, warning_for
from zhenggai.orgs.models import Unit
from zhenggai.orgs.querysets import ScopedQuerySet
from zhenggai.rounds.models import InspectionRound


class ProblemQuerySet(ScopedQuerySet):
    scope_field = "unit_id"
    kind_field = "round__kind"

    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def with_warning(self, level: str, today: date | None = None):
        today = today or timezone.localdate()
        soon = today + timedelta(days=settings.WARNING_DUE_SOON_DAYS)
        if level == Warning.RED:
            return self.open().filter(due_date__lt=today)
        if level == Warning.YELLOW:
            return self.open().filter(due_date__gte=today, due_date__lte=soon)
        not_due = models.Q(due_date__isnull=True) | models.Q(due_date__gt=soon)
        if level == Warning.GREEN:
            return self.open().filter(not_due, unassigned=False)
        if level == Warning.UNSET:
            return self.open().filter(not_due, unassigned=True)
        return self.exclude(state__in=OPEN_STATES)


class Problem(models.Model):
    """One finding of a round, to be rectified and closed out (销号).

    `path` is the outline above it (area, category, … as the feedback numbers them); `area` is
    its first element, kept as a column to count and group areas. `due_date` is the next date the
    problem owes something (its earliest open measure deadline, or its next periodic report once
    it is long-term) and is refreshed by the ledger services whenever those change.
    """

    round = models.ForeignKey(
        InspectionRound, models.PROTECT, related_name="problems", verbose_name="巡察轮次"
    )
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="被巡察单位")
    number = models.CharField("序号", max_length=20, blank=True)
    title = models.CharField("问题", max_length=500)
    description = models.TextField("问题描述", blank=True)
    path = models.JSONField("所属方面", default=list, blank=True)
    area = models.CharField("方面", max_length=300, blank=True)
    position = models.PositiveIntegerField("顺序", default=0)
    state = models.CharField(
        "状态", max_length=20, choices=State.choices, default=State.PLAN_PENDING
    )
    state_changed_at = models.DateTimeField("状态变更时间", default=timezone.now)
    due_date = models.DateField("下一期限", null=True, blank=True)
    # The day it was found rectified (closed out, or rectified and kept at long term), and
    # whether that was by the deadline it then had: the dashboards' trend and ranking read these.
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    rectified_on_time = models.BooleanField("按期完成", null=True, blank=True)
    # The highest level of the supervision orders still open on it (0: none), for the ledger.
    escalation_level = models.PositiveSmallIntegerField("督办级别", default=0)
    # The problem's completion (0–100) from its active measures' (`schedule.problem_percent`),
    # 100 once rectified; refreshed with `due_date`, for the ledger, exports and dashboard.
    percent = models.PositiveSmallIntegerField("完成进度（%）", default=0)
    # Whether an open measure lacks its 责任人 or date, or it has no measure at all: its light is
    # then grey, never green. Refreshed with `due_date`, for the ledger to show and filter.
    unassigned = models.BooleanField("未定责任人或时限", default=True)
    # The most pressing state of the discipline group's concerns on it ("": none), for the
    # ledger's marker: open before answered before closed. Refreshed by the flag services.
    concern = models.CharField(
        "监督意见", max_length=10, choices=FlagStatus.choices, blank=True, default=""
    )
    # Whether the public notice lists it; the reason it does not stays inside the system.
    disclose = models.BooleanField("公开", default=True)
    withheld_reason = models.TextField("不公开理由", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="申请销号人",
    )
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题"
        ordering = ["round_id", "position", "id"]
        indexes = [
            models.Index(fields=["round", "position"], name="problem_round_pos"),
            # Wider than the ledger's unit and state filters need: the dashboards count
            # deadlines, punctuality and escalation per unit and state from the index alone.
            models.Index(
                fields=["unit", "state", "due_date", "rectified_on_time", "escalation_level"],
                name="problem_unit_state",
            ),
            models.Index(fields=["state", "due_date"], name="problem_state_due"),
            models.Index(fields=["area", "state", "unit"], name="problem_area_state"),
            models.Index(fields=["rectified_on", "unit"], name="problem_rectified_on"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def warning(self) -> str:
        return warning_for(self.due_date, self.is_open, unassigned=self.unassigned)


def get_problem_for_user(user, pk: int) -> Problem:
    """Fetch a problem the user may read; a missing and a forbidden problem both answer 404."""
    return get_object_or_404(
        Problem.objects.visible_to(user).select_related("round", "unit"), pk=pk
    )
