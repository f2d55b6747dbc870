from django.conf import settings
from django.db import models


class Unit(models.Model):
    """An organisation in the tree: an inspection office, an inspected unit, or a section of one.

    `path` is the materialised chain of ancestor ids ("/1/4/9/"), so a subtree is one prefix
    query. It is set once by `create_unit` and a unit never moves.
    """

    class Kind(models.TextChoices):
        OFFICE = "office", "巡察机构/评价机构"
        UNIT = "unit", "被巡察单位"
        SECTION = "section", "科室"

    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    # The unified social credit code (统一社会信用代码), by which a provincial 好差评 platform
    # names a department in its exports.
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)
    contact_phone = models.CharField("监督电话", max_length=50, blank=True)
    contact_email = models.EmailField("监督邮箱", blank=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unit_unique_name_in_parent")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    @property
    def owning_unit_id(self) -> int:
        """The inspected unit a section belongs to (a unit or office owns itself)."""
        if self.kind == self.Kind.SECTION and self.parent_id:
            return self.parent_id
        return self.pk


class Role(models.TextChoices):
    INSPECTION_OFFICE = "inspection_office", "巡察办"
    LEADER = "leader", "单位领导"
    RECTIFICATION_OFFICE = "rectification_office", "整改办"
    SECTION_STAFF = "section_staff", "科室人员"
    DISCIPLINE = "discipline", "纪检监察组"
    # The office that runs ratings (好差评, 背靠背评价) and assessments of the units below it
    # (营商办, 政务服务管理局): it oversees them like the inspection office, for evaluations.
    EVALUATION_OFFICE = "evaluation_office", "评价办"


class Membership(models.Model):
    """A role a user holds on one unit (or section). A user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships", verbose_name="用户"
    )
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="memberships", verbose_name="单位")
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    title = models.CharField("职务", max_length=100, blank=True)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        from zhenggai.lib.names import person_label
        from zhenggai.orgs.forms import unit_label

        return f"{person_label(self.user)} · {unit_label(self.unit)} · {self.get_role_display()}"


class Person(models.Model):
    """What the directory (通讯录) knows of a person beyond the login: the employee number by which
    a directory sheet or a sign-in service names them (unique when given), and the mobile.

    The person's 姓名 stays in the user's `first_name` (zhenggai.lib.names) and the e-mail in
    the user's own field; people who leave are deactivated (`User.is_active`), never deleted."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        primary_key=True,
        related_name="person",
        verbose_name="用户",
    )
    employee_number = models.CharField("工号", max_length=32, blank=True)
    mobile = models.CharField("手机号", max_length=20, blank=True)

    class Meta:
        verbose_name = "人员信息"
        verbose_name_plural = "人员信息"
        constraints = [
            models.UniqueConstraint(
                fields=["employee_number"],
                condition=~models.Q(employee_number=""),
                name="person_unique_employee_number",
            )
        ]

    def __str__(self) -> str:
        return self.employee_number or str(self.user_id)


class DirectoryImport(models.Model):
    """One upload of a directory sheet (通讯录): what it would create, change and deactivate
    (`plan`, the preview), and once confirmed what it did. Kept as the record of who changed
    the organisation by sheet and when."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "待确认"
        APPLIED = "applied", "已导入"
        DISCARDED = "discarded", "已放弃"

    original_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField(max_length=64)
    # The sheet as read, row by row, and the changes it would make (plain JSON, see
    # orgs.directory), so that confirming applies exactly what the preview showed.
    plan = models.JSONField("导入计划", default=dict)
    outcome = models.JSONField("导入结果", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PREVIEW)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="上传人",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "通讯录导入"
        verbose_name_plural = "通讯录导入"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name
