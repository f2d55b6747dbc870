"""The ledger in the Django admin: for system administrators to look, never to edit.

Every change to a ledger must go through the services, which check rights and write history;
the admin offers no add, change or delete for these models.
"""

from django.contrib import admin
from django.utils.html import format_html_join

from zhenggai.ledger import actions
from zhenggai.ledger.models import (
    ChangeRequest,
    Event,
    Evidence,
    Flag,
    Measure,
    Problem,
    ProgressReport,
)
from zhenggai.ledger.values import describe
from zhenggai.lib.admin import ReadOnlyAdmin


def object_kind(object_type: str) -> str:
    return Event(object_type=object_type).object_kind


class ActionFilter(admin.SimpleListFilter):
    title = "操作"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return actions.choices()

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class ObjectKindFilter(admin.SimpleListFilter):
    title = "对象"
    parameter_name = "object_type"

    def lookups(self, request, model_admin):
        kinds = Event.objects.order_by().values_list("object_type", flat=True).distinct()
        return sorted((kind, object_kind(kind)) for kind in kinds)

    def queryset(self, request, queryset):
        return queryset.filter(object_type=self.value()) if self.value() else queryset


@admin.register(Problem)
class ProblemAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "unit", "round", "state", "due_date"]
    list_filter = ["state"]
    search_fields = ["title", "number"]
    list_select_related = ["unit", "round"]


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ["problem", "lead_section", "deadline_kind", "deadline", "withdrawn"]
    list_select_related = ["problem", "lead_section"]
    search_fields = ["text"]


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["problem", "created_by", "created_at"]
    list_select_related = ["problem", "created_by"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "content_type", "size", "report"]
    exclude = ["file"]


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnlyAdmin):
    list_display = ["problem", "kind", "status", "requested_by", "requested_at"]
    list_filter = ["status", "kind"]

    def get_fields(self, request, obj=None):
        shown = {"changes": self.changes_shown, "before": None}
        fields = super().get_fields(request, obj)
        return [shown.get(f, f) for f in fields if shown.get(f, f) is not None]

    @admin.display(description="变更内容")
    def changes_shown(self, change: ChangeRequest):
        """What the request changes, by the measure's labels and the names of units and people
        (the stored JSON speaks in field names and ids)."""
        return format_html_join(
            "\n",
            "<div>{}：{} → {}</div>",
            (
                (label, old, new)
                for label, (old, new) in describe(change.changes, change.before).items()
            ),
        )


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ["problem", "status", "created_by", "created_at"]
    list_filter = ["status"]
    list_select_related = ["problem", "created_by"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action_label", "object_kind", "object_id", "problem"]
    list_filter = [ActionFilter, ObjectKindFilter]
    list_select_related = ["actor", "problem"]

    def get_fields(self, request, obj=None):
        shown = {"object_type": "object_kind", "action": "action_label"}
        return [shown.get(f, f) for f in super().get_fields(request, obj)]

    @admin.display(description="操作", ordering="action")
    def action_label(self, event: Event) -> str:
        return event.get_action_display()

    @admin.display(description="对象", ordering="object_type")
    def object_kind(self, event: Event) -> str:
        return event.object_kind
