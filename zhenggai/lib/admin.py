"""What the project's admin pages share: people named as everywhere else, no English labels,
and read-only pages for the rows that only the services may change."""

from functools import cache

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist

from zhenggai.lib.names import person_label

# Chinese labels for fields whose verbose name is English and lives in a migration of its own
# app (technical fields the admin still shows).
LABELS = {
    "content_type": "文件类型",
    "sha256": "SHA-256 校验值",
    "version": "版本号",
    "key": "消息标识",
    "search_text": "检索文本",
    "sender_hash": "来信人标识",
}


def _person_column(name: str, label):
    @admin.display(description=label, ordering=f"{name}__username")
    def column(obj):
        user = getattr(obj, name)
        return person_label(user) if user is not None else admin.site.empty_value_display

    column.__name__ = name
    return column


def _relabelled(name: str, label: str):
    @admin.display(description=label, ordering=name)
    def column(obj):
        return getattr(obj, name)

    column.__name__ = name
    return column


@cache
def shown(model, name):
    """How an admin list or read-only page shows the field `name` of `model`: a user by 姓名
    and login name ("欧阳娜娜（ouyang）", not the bare login name), an English-labelled field
    under its Chinese label (LABELS); anything else as the admin would."""
    if not isinstance(name, str):
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    if field.many_to_one and field.related_model is get_user_model():
        return _person_column(name, field.verbose_name)
    if name in LABELS and str(field.verbose_name).isascii():
        return _relabelled(name, LABELS[name])
    return name


class ProjectAdmin(admin.ModelAdmin):
    """An admin page whose lists name people as the project does."""

    def get_list_display(self, request):
        return [shown(self.model, name) for name in super().get_list_display(request)]


class ReadOnlyAdmin(ProjectAdmin):
    """An admin page to look with: rows are made and changed only through the services, which
    check rights and write history."""

    def get_fields(self, request, obj=None):
        # Only ever shown read-only (no change permission), so a field may be replaced by a
        # column that shows it the project's way.
        return [shown(self.model, name) for name in super().get_fields(request, obj)]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
