"""Reminders: how each person wants them, the group robots, the day's runs and each message sent."""

import urllib.parse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone

from zhenggai.orgs.models import Unit


class Preference(models.Model):
    """How a person wants reminders: which channels, and on which days to be left alone."""

    WEEKDAYS = [
        (0, "周一"),
        (1, "周二"),
        (2, "周三"),
        (3, "周四"),
        (4, "周五"),
        (5, "周六"),
        (6, "周日"),
    ]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="reminder_preference",
        verbose_name="用户",
    )
    by_email = models.BooleanField("电子邮件", default=True)
    by_robot = models.BooleanField("工作群机器人（企业微信/钉钉）", default=True)
    # Stored as the 11 digits WeCom's mentioned_mobile_list and DingTalk's atMobiles take.
    mobile = models.CharField("手机号（用于在群消息中@本人）", max_length=20, blank=True)
    quiet_on_rest_days = models.BooleanField("节假日和周末不提醒", default=True)
    quiet_weekdays = models.JSONField("以下日子不提醒", default=list, blank=True)

    class Meta:
        verbose_name = "提醒设置"
        verbose_name_plural = "提醒设置"

    def __str__(self) -> str:
        return str(self.user)

    def clean(self) -> None:
        try:
            self.mobile = normalise_mobile(self.mobile)
        except ValidationError as e:
            raise ValidationError({"mobile": e.messages}) from None


# Separators people type inside a number: spaces (also full-width), hyphens, dots, brackets.
_MOBILE_SEPARATORS = str.maketrans("", "", " \u3000-‐–—.()（）")


def normalise_mobile(value: str) -> str:
    """A mainland mobile number as its 11 digits: "+86 139 1234 5678", "+86-13912345678",
    "0086 139…" and "13912345678" are all "13912345678"; empty stays empty. Anything else is
    refused in Chinese."""
    number = (value or "").strip().translate(_MOBILE_SEPARATORS)
    if not number:
        return ""
    for prefix in ("+86", "0086", "86"):
        if number.startswith(prefix) and len(number) == len(prefix) + 11:
            number = number[len(prefix) :]
            break
    if not (len(number) == 11 and number.isascii() and number.isdigit() and number[0] == "1"):
        raise ValidationError(
            "请填写正确的中国大陆手机号（11位，以1开头），如 13912345678 或 +86 139 1234 5678。",
            code="mobile",
        )
    if number[1] not in "3456789":
        raise ValidationError("手机号第二位应为3至9，请检查是否填错。", code="mobile")
    return number


def check_robot_url(url: str) -> None:
    """Refuse (in Chinese) a robot address outside ZHENGGAI_ROBOT_HOSTS, or not over HTTPS."""
    parts = urllib.parse.urlsplit(url)
    scheme_ok = parts.scheme == "https" or (parts.scheme == "http" and settings.ROBOT_ALLOW_HTTP)
    if not scheme_ok or (parts.hostname or "").lower() not in settings.ROBOT_HOSTS:
        hosts = "、".join(settings.ROBOT_HOSTS)
        raise ValidationError(f"群机器人地址须为 https 地址，且主机在允许范围内（{hosts}）。")


class Channel(models.Model):
    """A group robot (企业微信 or 钉钉 群机器人) of a unit, to which its people's digests go."""

    class Kind(models.TextChoices):
        WECOM = "wecom", "企业微信群机器人"
        DINGTALK = "dingtalk", "钉钉群机器人"

    unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        related_name="channels",
        limit_choices_to={"kind__in": [Unit.Kind.UNIT, Unit.Kind.OFFICE]},
        verbose_name="单位",
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("名称", max_length=100)
    url = models.URLField(
        "Webhook 地址",
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"]), check_robot_url],
    )
    secret = models.CharField(
        "加签密钥", max_length=200, blank=True, help_text="钉钉机器人启用“加签”时填写（SEC 开头）。"
    )
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "群机器人"
        verbose_name_plural = "群机器人"

    def __str__(self) -> str:
        return f"{self.unit} · {self.name}"


class ReminderRun(models.Model):
    """One day's reminder run. Its date is unique, so the day is planned once however many
    workers start it; its notifications are then each sent at most once."""

    run_date = models.DateField("日期", unique=True)
    started_at = models.DateTimeField("开始时间", default=timezone.now)
    planned_at = models.DateTimeField("生成完毕", null=True, blank=True)
    finished_at = models.DateTimeField("发送完毕", null=True, blank=True)
    items = models.PositiveIntegerField("事项数", default=0)
    recipients = models.PositiveIntegerField("收件人数", default=0)

    class Meta:
        verbose_name = "提醒批次"
        verbose_name_plural = "提醒批次"
        ordering = ["-run_date"]

    def __str__(self) -> str:
        return str(self.run_date)


# The start of each error `zhenggai.supervision.channels` reports, said in Chinese.
ERRORS_ZH = [
    ("robot unreachable", "无法连接群机器人地址，请检查网络或地址"),
    ("robot timed out", "群机器人未及时应答，可能已收到，为避免重复未再发送"),
    ("HTTP 4", "群机器人地址无效或已失效"),
    ("HTTP 5", "群机器人服务暂时不可用"),
    ("robot refused the message", "群机器人拒收消息，请检查地址、密钥或发送频率"),
    ("robot answered with something other than JSON", "群机器人地址的应答无法识别"),
    ("robot removed or switched off", "群机器人已删除或停用"),
    ("robot address not allowed", "群机器人地址不在允许范围内"),
    ("mail not accepted", "邮件服务器未接收"),
    ("sending was interrupted", "发送过程中断，为避免重复未再发送"),
    ("sending failed", "发送时出错"),
    ("quiet day", "当天为本人设置的免打扰日"),
    ("no channel", "本人未登记邮箱，本单位也未配置群机器人"),
]


class Notification(models.Model):
    """One message of a day's reminders, and what became of it.

    - An e-mail goes to one person and covers all their units, grouped by unit: one e-mail per
      person per day. Its `parts` hold each unit's section of the body, so that a unit's office
      reading the log sees its own section and nothing of the other units.
    - A group robot message goes to one unit's group chat (a robot belongs to one unit): one
      message per robot per day, naming each of that unit's people with their counts, never
      titles, so a group is neither flooded nor told another unit's business.
    - A skipped row records, once per person and day, the units about which they could not be
      told (a quiet day, or no channel).

    `unit` is set when the whole message concerns one unit (a robot's message, or an e-mail
    about one unit) and empty for an e-mail covering several; the parts name them.
    `last_error` is English, for the log; `error_zh` says it to the office in Chinese.
    """

    class Kind(models.TextChoices):
        EMAIL = "email", "电子邮件"
        WECOM = "wecom", "企业微信群机器人"
        DINGTALK = "dingtalk", "钉钉群机器人"

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENDING = "sending", "发送中"
        SENT = "sent", "已发送"
        RETRYING = "retrying", "发送失败，等待重试"
        FAILED = "failed", "发送失败"
        UNKNOWN = "unknown", "结果不明（发送中断）"
        SKIPPED = "skipped", "未发送"

    run = models.ForeignKey(
        ReminderRun, models.PROTECT, related_name="notifications", verbose_name="提醒批次"
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="单位"
    )
    # The person an e-mail goes to; a robot message names several people in `items`.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="收件人",
    )
    kind = models.CharField("渠道", max_length=10, choices=Kind.choices)
    channel = models.ForeignKey(
        Channel,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name="群机器人",
    )
    # The one message of its kind that day: run date and person (e-mail, skipped) or robot.
    key = models.CharField(max_length=80, unique=True)
    address = models.CharField("发送到", max_length=300, blank=True)
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    items = models.JSONField("事项", default=list)
    top_level = models.PositiveSmallIntegerField("最高提醒级别", default=0)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", null=True, blank=True)
    last_error = models.TextField("错误", blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    created_at = models.DateTimeField("生成时间", default=timezone.now)

    class Meta:
        verbose_name = "提醒记录"
        verbose_name_plural = "提醒记录"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["recipient", "created_at"], name="notification_recipient"),
            models.Index(fields=["unit", "created_at"], name="notification_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.run} · {self.recipient} · {self.kind}"

    @property
    def error_zh(self) -> str:
        """The (English, logged) error as the office reads it."""
        for prefix, text in ERRORS_ZH:
            if self.last_error.startswith(prefix):
                return text
        return "发送失败" if self.last_error else ""


class NotificationPart(models.Model):
    """One unit's part of a notification: which units a message concerns, how many of its items
    are the unit's, and, for an e-mail covering several units, the unit's section of it, which is
    all that unit's offices read of it in 提醒记录 (a message about one unit they read whole)."""

    notification = models.ForeignKey(
        Notification, models.CASCADE, related_name="parts", verbose_name="提醒记录"
    )
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="单位")
    items = models.PositiveIntegerField("事项数", default=0)
    text = models.TextField("内容", blank=True)

    class Meta:
        verbose_name = "提醒内容（分单位）"
        verbose_name_plural = "提醒内容（分单位）"
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "unit"], name="notification_part_unique"
            )
        ]
        indexes = [models.Index(fields=["unit", "notification"], name="notification_part_unit")]

    def __str__(self) -> str:
        return f"{self.notification_id} · {self.unit_id}"
