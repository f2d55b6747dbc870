from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils import timezone

from zhenggai.ledger import actions
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Unit
from zhenggai.rounds.models import InspectionRound


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


class ScopedQuerySet(models.QuerySet):
    """Rows reachable from an inspected unit; `scope_field` names the path to that unit's id."""

    scope_field = "problem__unit_id"

    def visible_to(self, user):
        return scope_for(user).restrict(self, self.scope_field)


class ProblemQuerySet(ScopedQuerySet):
    scope_field = "unit_id"

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


# No measure makes a million rules or holds a million people to account: larger is a typo.
MAX_COUNT = 1_000_000


class DeadlineKind(models.TextChoices):
    DATE = "date", "限期"
    IMMEDIATE = "immediate", "立行立改"
    ONGOING = "ongoing", "长期坚持"


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

    def effective_due(self, feedback_date: date | None) -> date | None:
        """The date this measure is late after, or None when it has none (长期坚持)."""
        if self.withdrawn:
            return None
        return effective_due(self.deadline_kind, self.deadline, self.completed_on, feedback_date)

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


class ProgressReport(models.Model):
    """A dated account of what was done on a problem (or one of its measures)."""

    problem = models.ForeignKey(
        Problem, models.PROTECT, related_name="reports", verbose_name="问题"
    )
    measure = models.ForeignKey(
        Measure, models.PROTECT, null=True, blank=True, related_name="reports", verbose_name="措施"
    )
    text = models.TextField("整改进展")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="报告人"
    )
    created_at = models.DateTimeField("报告时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改进展"
        verbose_name_plural = "整改进展"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:40]


class EvidenceQuerySet(ScopedQuerySet):
    scope_field = "report__problem__unit_id"


class Evidence(models.Model):
    """A file proving a progress report; stored outside the web root, served by a checked view."""

    report = models.ForeignKey(
        ProgressReport, models.PROTECT, related_name="evidence", verbose_name="整改进展"
    )
    file = models.FileField("文件", upload_to="evidence/%Y/%m/")
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField(max_length=64)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"

    def __str__(self) -> str:
        return self.original_name


class ChangeRequest(models.Model):
    """A requested change of a measure's deadline or plan, applied only once a leader approves."""

    class Kind(models.TextChoices):
        DEADLINE = "deadline", "调整时限"
        PLAN = "plan", "调整方案"

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"
        SUPERSEDED = "superseded", "已失效"

    measure = models.ForeignKey(
        Measure, models.PROTECT, related_name="change_requests", verbose_name="措施"
    )
    problem = models.ForeignKey(
        Problem, models.PROTECT, related_name="change_requests", verbose_name="问题"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    changes = models.JSONField("变更内容")
    # The requested fields' values when the request was made: if any of them has changed by the
    # time a leader decides, the request no longer says what its author meant.
    before = models.JSONField("申请时的内容", default=dict)
    reason = models.TextField("理由")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="申请人"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批人",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "变更申请"
        verbose_name_plural = "变更申请"
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "problem"], name="changerequest_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.measure}"


class Flag(models.Model):
    """A concern the discipline group raises on a problem (监督意见).

    The unit's leader or rectification office answers it; the discipline group then closes it,
    or sends it back to be answered again (the reason kept as `decision_note`). Each step is one
    function of `ledger.services`; the problem's `concern` follows the most pressing state.
    """

    Status = FlagStatus

    problem = models.ForeignKey(Problem, models.PROTECT, related_name="flags", verbose_name="问题")
    note = models.TextField("意见")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="提出人"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)
    status = models.CharField(
        "状态", max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="答复人",
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办结或退回人",
    )
    decided_at = models.DateTimeField("办结或退回时间", null=True, blank=True)
    decision_note = models.TextField("办结意见或退回理由", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "监督意见"
        verbose_name_plural = "监督意见"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "problem"], name="flag_status")]

    def __str__(self) -> str:
        return self.note[:40]


def get_flag_for_user(user, pk: int) -> Flag:
    """Fetch a concern the user may read (404 otherwise), with its problem and round."""
    return get_object_or_404(
        Flag.objects.visible_to(user).select_related("problem", "problem__round", "problem__unit"),
        pk=pk,
    )


class Event(models.Model):
    """One line of history: who did what to which record, when, with before and after."""

    class Action(models.TextChoices):
        CREATED = "created", "创建"
        CHANGED = "changed", "修改"
        TRANSITION = "transition", "状态变更"
        REPORTED = "reported", "报告进展"
        REQUESTED = "requested", "提出变更申请"
        DECIDED = "decided", "审批变更申请"
        FLAGGED = "flagged", "提出监督意见"
        FLAG_ANSWERED = "flag_answered", "答复监督意见"
        FLAG_CLOSED = "flag_closed", "办结监督意见"
        FLAG_SENT_BACK = "flag_sent_back", "退回监督意见答复"
        RETURNED = "returned", "退回销号"
        WITHDRAWN = "withdrawn", "撤销"

    round = models.ForeignKey(
        InspectionRound, models.PROTECT, related_name="events", verbose_name="巡察轮次"
    )
    problem = models.ForeignKey(
        Problem, models.PROTECT, null=True, blank=True, related_name="events", verbose_name="问题"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name="操作人"
    )
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    # The ledger's `Action`s, and those other apps register (ledger/actions.py): no choices on
    # the column, so that an app's new action needs no migration here.
    action = models.CharField("操作", max_length=20)
    object_type = models.CharField("对象", max_length=30)
    object_id = models.PositiveBigIntegerField("对象编号")
    changes = models.JSONField("变更", default=dict, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "历史记录"
        verbose_name_plural = "历史记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        at = timezone.localtime(self.at)
        return f"{at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_kind}"

    def get_action_display(self) -> str:
        return actions.label(self.action)

    @property
    def object_kind(self) -> str:
        """The kind of record the event is about, by its Chinese name ("巡察轮次", not the
        stored model name "inspectionround")."""
        from django.apps import apps

        for model in apps.get_models():
            if model._meta.model_name == self.object_type:
                return str(model._meta.verbose_name)
        return self.object_type


actions.register(Event.Action)


def get_measure_for_user(user, pk: int) -> Measure:
    """Fetch a measure the user may read (404 otherwise), with its problem and round."""
    return get_object_or_404(
        Measure.objects.visible_to(user).select_related("problem", "problem__round"), pk=pk
    )


def get_evidence_for_user(user, pk: int) -> Evidence:
    return get_object_or_404(Evidence.objects.visible_to(user), pk=pk)


def get_change_request_for_user(user, pk: int) -> ChangeRequest:
    return get_object_or_404(ChangeRequest.objects.visible_to(user), pk=pk)


class DraftQuerySet(ScopedQuerySet):
    scope_field = "round__unit_id"


class ImportDraft(models.Model):
    """An uploaded document parsed and waiting for the user to check its outline and confirm.

    `parsed` is the importer's JSON (zhenggai.intake); the file is kept so that the confirmed
    import stores it with the round. Confirmed or discarded drafts stay, as a record.
    """

    class Status(models.TextChoices):
        OPEN = "open", "待确认"
        IMPORTED = "imported", "已导入"
        DISCARDED = "discarded", "已放弃"

    round = models.ForeignKey(
        InspectionRound, models.PROTECT, related_name="import_drafts", verbose_name="巡察轮次"
    )
    file = models.FileField("文件", upload_to="imports/%Y/%m/")
    original_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField(max_length=64)
    parsed = models.JSONField("识别结果")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="上传人"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = DraftQuerySet.as_manager()

    class Meta:
        verbose_name = "导入草稿"
        verbose_name_plural = "导入草稿"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name


def get_import_draft_for_user(user, round_pk: int, pk: int) -> ImportDraft:
    return get_object_or_404(
        ImportDraft.objects.visible_to(user).select_related("round", "round__unit"),
        round_id=round_pk,
        pk=pk,
    )
