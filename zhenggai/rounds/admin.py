from django.contrib import admin

from zhenggai.rounds.models import InspectionRound, RoundDocument


@admin.register(InspectionRound)
class InspectionRoundAdmin(admin.ModelAdmin):
    """Rounds are set up by inspection offices in the application; here they are read only."""

    list_display = ["title", "kind", "unit", "feedback_date"]
    list_filter = ["kind"]
    search_fields = ["title", "unit__name"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoundDocument)
class RoundDocumentAdmin(InspectionRoundAdmin):
    list_display = ["original_name", "round", "uploaded_by", "uploaded_at"]
    list_filter = []
    search_fields = ["original_name"]
    exclude = ["file"]
