from django.conf import settings
from django.db import models
from django.shortcuts import get_object_or_404

from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Unit
from zhenggai.reports import kinds
from zhenggai.rounds.models import InspectionRound

DEFAULT_ORGANISATION = (
    "收到反馈意见后，党组高度重视，及时召开专题会议研究部署整改工作，成立了由党组书记任组长的"
    "整改工作领导小组，党组书记切实履行第一责任人责任，班子成员认领问题、带头整改。\n"
    "对照反馈意见逐条制定整改方案，明确整改措施、责任领导、责任科室和整改时限，建立问题、任务、"
    "责任三张清单，实行台账管理、销号管理，定期调度整改进展，确保件件有着落、事事有回音。"
)
DEFAULT_NEXT_STEPS = (
    "坚持目标不变、标准不降、力度不减，对已完成的整改事项适时开展“回头看”，防止问题反弹；"
    "对需要长期坚持的整改事项，紧盯不放、持续推进，定期报告进展。\n"
    "注重举一反三、标本兼治，把整改中形成的好经验好做法转化为制度成果，建立健全长效机制，"
    "以整改实效推动各项工作高质量发展。"
)


class NoticeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_for(user).restrict(self, "round__unit_id", "round__kind")

    def published(self):
        return self.filter(state=Notice.State.PUBLISHED)


class Notice(models.Model):
    """What a round's report and public notice say beyond the ledger (the organisation of the
    work, next steps, contacts, signature), and whether the notice is published.

    Publishing stores the public content as it then stands (`published_content`): the public page
    shows that text, not the ledger as it changes afterwards.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "未发布"
        PUBLISHED = "published", "已发布"
        UNPUBLISHED = "unpublished", "已撤回"

    round = models.OneToOneField(
        InspectionRound, models.PROTECT, related_name="notice", verbose_name="巡察轮次"
    )
    issuer = models.CharField("发文机关", max_length=200)
    subject = models.CharField(
        "标题事由",
        max_length=200,
        help_text="“关于……的通报/报告”中间的部分，如“区委第一巡察组反馈意见整改情况”。",
    )
    addressee = models.CharField("主送机关（报告）", max_length=200, blank=True)
    organisation = models.TextField("整改工作组织推进情况", blank=True)
    next_steps = models.TextField("下一步工作打算", blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=10, blank=True)
    signed_on = models.DateField("成文日期", null=True, blank=True)
    state = models.CharField("发布状态", max_length=12, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )
    published_content = models.JSONField("发布内容", null=True, blank=True, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = "整改通报"
        verbose_name_plural = "整改通报"
        indexes = [models.Index(fields=["state", "published_at"], name="notice_published")]

    def __str__(self) -> str:
        return self.title_for(kinds.NOTICE.code)

    def title_for(self, kind: str) -> str:
        return f"{self.issuer}关于{self.subject}的{kinds.get(kind).genre}"

    def contact_lines(self) -> list[str]:
        labels = (
            ("联系电话", self.phone),
            ("电子邮箱", self.email),
            ("通信地址", self.address),
            ("邮政编码", self.postcode),
        )
        return [f"{label}：{value}" for label, value in labels if value]

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


def default_notice(round: InspectionRound) -> Notice:
    """An unsaved notice for a round, worded as offices word theirs."""
    unit = round.unit.name
    what = round.get_kind_display()
    body = round.inspecting_body_name
    return Notice(
        round=round,
        issuer=unit if unit.startswith("中共") else f"中共{unit}党组",
        subject=f"{body}{what}反馈意见整改情况",
        addressee=body,
        organisation=DEFAULT_ORGANISATION,
        next_steps=DEFAULT_NEXT_STEPS,
    )


def get_notice_for_user(user, round_pk: int) -> Notice:
    """The notice of a round the user may read (unsaved defaults until someone saves it)."""
    round = get_object_or_404(
        InspectionRound.objects.visible_to(user).select_related("unit"), pk=round_pk
    )
    try:
        return Notice.objects.select_related("round", "round__unit").get(round=round)
    except Notice.DoesNotExist:
        return default_notice(round)


class DocumentTemplate(models.Model):
    """A unit's own Word template for one kind of document (reports.kinds), edited from the
    built-in one in Word; its {{ … }} and {%p … %} tags are docxtpl's."""

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="单位")
    # The choices are a callable reading the registry: a new kind needs no migration.
    kind = models.CharField("文种", max_length=10, choices=kinds.choices)
    file = models.FileField("模板文件", upload_to="templates/%Y/%m/")
    original_name = models.CharField("文件名", max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], name="template_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_kind_display()}"
