"""Supervision in the admin: the settings an administrator keeps (group robots, calendar days,
milestone rules), and the records of orders and reminders to look at, never to edit."""

from django.contrib import admin

from zhenggai.lib.admin import ReadOnlyAdmin
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
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "kind", "active"]
    list_filter = ["kind", "active"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["day", "is_workday", "note"]
    date_hierarchy = "day"


@admin.register(MilestoneRule)
class MilestoneRuleAdmin(admin.ModelAdmin):
    list_display = ["round_kind", "milestone", "amount", "unit", "source"]
    list_filter = ["round_kind"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
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
