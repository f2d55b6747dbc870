"""Supervision in the admin: the settings an administrator keeps (group robots, calendar days,
milestone rules), and the records of orders and reminders to look at, never to edit."""

from django.apps import apps
from django.contrib import admin
from django.utils.timezone import localtime
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from zhenggai.lib.admin import ProjectAdmin, ReadOnlyAdmin
from zhenggai.orgs.admin import LabelledChoicesMixin
from zhenggai.supervision.models import (
    CalendarDay,
    Channel,
    Escalation,
    MilestoneRule,
    Notification,
    Preference,
    ReminderRun,
)


@admin.register(Channel)
class ChannelAdmin(LabelledChoicesMixin, ProjectAdmin):
    list_display = ["name", "unit", "kind", "active"]
    list_filter = ["kind", "active"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]


@admin.register(CalendarDay)
class CalendarDayAdmin(ProjectAdmin):
    list_display = ["day", "is_workday", "note"]
    date_hierarchy = "day"


@admin.register(MilestoneRule)
class MilestoneRuleAdmin(LabelledChoicesMixin, ProjectAdmin):
    list_display = ["round_kind", "milestone", "amount", "unit", "source"]
    list_filter = ["round_kind"]


@admin.register(Preference)
class PreferenceAdmin(LabelledChoicesMixin, ProjectAdmin):
    list_display = ["user", "by_email", "by_robot", "quiet_on_rest_days"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name"]


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["problem", "level", "status", "due_on", "issued_by", "issued_at"]
    list_filter = ["level", "status"]
    list_select_related = ["problem", "issued_by"]


@admin.register(ReminderRun)
class ReminderRunAdmin(ReadOnlyAdmin):
    list_display = ["run_date", "items", "recipients", "planned_at", "finished_at"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["run", "recipient", "kind", "address", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["run", "recipient"]
    search_fields = ["recipient__username", "subject"]


# The worker's task queue (django-tasks-db), in Chinese: its app and admin labels are English
# strings of its own; its model, fields and states are translated in zhenggai/orgs/locale.
apps.get_app_config("django_tasks_database").verbose_name = "后台任务"
admin.site.unregister(DBTaskResult)

# The tasks the worker runs (zhenggai.supervision.tasks), and its queue and backend, by name.
TASK_NAMES = {
    "zhenggai.supervision.tasks.run_reminders": "每日提醒",
    "zhenggai.supervision.tasks.send_retries": "重发未送达的提醒",
    "zhenggai.supervision.tasks.sweep_leftovers": "清理残留文件",
}
DEFAULT_NAMES = {"default": "默认"}


class QueueFilter(admin.SimpleListFilter):
    title = "队列"
    parameter_name = "queue_name"

    def lookups(self, request, model_admin):
        queues = DBTaskResult.objects.order_by().values_list("queue_name", flat=True).distinct()
        return [(queue, DEFAULT_NAMES.get(queue, queue)) for queue in sorted(queues)]

    def queryset(self, request, queryset):
        return queryset.filter(queue_name=self.value()) if self.value() else queryset


def _task_result_str(result: DBTaskResult) -> str:
    """A task result as the admin titles it ("每日提醒 · 2026-12-03 08:30"), not Django's
    "DBTaskResult object (…)"."""
    name = TASK_NAMES.get(result.task_path, result.task_path)
    return (
        f"{name} · {localtime(result.enqueued_at):%Y-%m-%d %H:%M}" if result.enqueued_at else name
    )


DBTaskResult.__str__ = _task_result_str


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_filter = ("status", "priority", QueueFilter)
    list_display = (
        "id",
        "task",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "priority",
        "queue",
    )
    _SHOWN = {
        "task_path": "task",
        "queue_name": "queue",
        "backend_name": "backend",
        "args_kwargs": "arguments",
    }

    def get_readonly_fields(self, request, obj=None):
        return [self._SHOWN.get(name, name) for name in super().get_readonly_fields(request, obj)]

    @admin.display(description="任务", ordering="task_path")
    def task(self, result: DBTaskResult) -> str:
        return TASK_NAMES.get(result.task_path, result.task_path)

    @admin.display(description="任务参数")
    def arguments(self, result: DBTaskResult) -> str:
        args = result.args_kwargs.get("args") or []
        kwargs = result.args_kwargs.get("kwargs") or {}
        shown = [str(a) for a in args] + [f"{k}={v}" for k, v in kwargs.items()]
        return "，".join(shown) or "（无）"

    @admin.display(description="队列", ordering="queue_name")
    def queue(self, result: DBTaskResult) -> str:
        return DEFAULT_NAMES.get(result.queue_name, result.queue_name)

    @admin.display(description="任务后端")
    def backend(self, result: DBTaskResult) -> str:
        return DEFAULT_NAMES.get(result.backend_name, result.backend_name)

    @admin.display(description="错误详情")
    def formatted_traceback(self, result: DBTaskResult) -> str:
        return super().formatted_traceback(result)

    @admin.display(description="最早执行时间")
    def display_run_after(self, result: DBTaskResult):
        return super().display_run_after(result)
