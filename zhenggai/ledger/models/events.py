"""History: one table of events for every app (each registers its actions, ledger/actions.py)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhenggai.ledger import actions
from zhenggai.ledger.models.problems import Problem
from zhenggai.orgs.models import Unit
from zhenggai.rounds.models import InspectionRound


class Event(models.Model):
    """One line of history: who did what to which record, when, with before and after.

    Each row is a link of its unit's hash chain (`ledger/history_chain.py`): `seq` counts the
    unit's history from 1 and `hash` covers the row's content, its `seq` and the previous row's
    hash, so that a row changed, removed or slipped in afterwards shows (`zhenggai history
    verify`). Rows are written only through `ledger.history.write`, which takes the unit's
    `HistoryChain` head. `chain_unit` is the round's unit when the row was written, kept even
    if the round is later moved to another unit."""

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
    # Indexed by the unique (chain_unit, seq) constraint below.
    chain_unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        db_index=False,
        related_name="+",
        verbose_name="所属单位（历史链）",
    )
    seq = models.PositiveBigIntegerField("链上序号", null=True, blank=True, editable=False)
    hash = models.CharField("链上哈希", max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "历史记录"
        verbose_name_plural = "历史记录"
        ordering = ["at", "id"]
        # One record's history, e.g. when a 督办单 was answered (the monthly assessment asks
        # that of every order due in a month).
        indexes = [models.Index(fields=["object_type", "object_id", "action"], name="event_object")]
        constraints = [
            models.UniqueConstraint(fields=["chain_unit", "seq"], name="event_chain_seq"),
            # A link has its unit, its place and its hash, or none of them (a row written past
            # `ledger.history.write`, which `history verify` reports as outside the chain): so
            # no row can take a place in a chain without its unit, which the unique constraint
            # above (NULLs never equal) would let through.
            models.CheckConstraint(
                condition=models.Q(chain_unit__isnull=True, seq__isnull=True, hash="")
                | (models.Q(chain_unit__isnull=False, seq__isnull=False) & ~models.Q(hash="")),
                name="event_chained",
            ),
        ]

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
