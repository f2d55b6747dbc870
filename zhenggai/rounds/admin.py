from django.contrib import admin

from zhenggai.lib.admin import ReadOnlyAdmin
from zhenggai.rounds.models import InspectionRound, RoundDocument


@admin.register(InspectionRound)
class InspectionRoundAdmin(ReadOnlyAdmin):
    """Rounds are set up by inspection offices in the application; here they are read only."""

    list_display = ["title", "kind", "unit", "feedback_date"]
    list_filter = ["kind"]
    search_fields = ["title", "unit__name"]


@admin.register(RoundDocument)
class RoundDocumentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "round", "uploaded_by", "uploaded_at"]
    search_fields = ["original_name"]
    exclude = ["file"]
