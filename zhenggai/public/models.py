from django.conf import settings
from django.db import models
from django.shortcuts import get_object_or_404

from zhenggai.orgs.access import scope_for
from zhenggai.reports.models import Notice


class OpinionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_for(user).restrict(self, "notice__round__unit_id", "notice__round__kind")


class Opinion(models.Model):
    """An opinion a member of the public sent on a published notice, for the office to triage.

    The sender's address is kept only as a hash (to see one sender writing many times), never
    shown; name and contact are optional.
    """

    class Status(models.TextChoices):
        NEW = "new", "待处理"
        ACCEPTED = "accepted", "已受理"
        ANSWERED = "answered", "已办结"
        DISMISSED = "dismissed", "不予受理"

    notice = models.ForeignKey(
        Notice, models.PROTECT, related_name="opinions", verbose_name="整改通报"
    )
    name = models.CharField("姓名", max_length=50, blank=True)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    text = models.TextField("意见建议", max_length=2000)
    sender_hash = models.CharField(max_length=64, editable=False)
    # Given to the sender on sending, to read the reply on the public page (nothing else about
    # its handling); empty for opinions sent before codes were given.
    tracking_code = models.CharField(
        "查询码", max_length=16, null=True, blank=True, unique=True, editable=False
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    status = models.CharField("处理状态", max_length=10, choices=Status.choices, default=Status.NEW)
    handling_note = models.TextField("处理意见", blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处理人",
    )
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = "群众意见"
        verbose_name_plural = "群众意见"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["notice", "status"], name="opinion_notice_status")]

    def __str__(self) -> str:
        return self.text[:40]


def get_opinion_for_user(user, pk: int) -> Opinion:
    return get_object_or_404(
        Opinion.objects.visible_to(user).select_related("notice", "notice__round"), pk=pk
    )
