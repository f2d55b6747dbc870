"""The ledger in the Django admin: for system administrators to look, never to edit.

Every change to a ledger must go through the services, which check rights and write history;
the admin offers no add, change or delete for these models.
"""

from django.contrib import admin

from zhenggai.ledger.models import (
    ChangeRequest,
    Event,
    Evidence,
    Flag,
    Measure,
    Problem,
    ProgressReport,
)
from zhenggai.lib.admin import ReadOnlyAdmin


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


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ["problem", "created_by", "created_at"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id", "problem"]
    list_filter = ["action", "object_type"]
    list_select_related = ["actor", "problem"]
