from django.contrib import admin

from zhenggai.orgs.models import Membership, Unit
from zhenggai.orgs.services import create_unit


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [MembershipInline]

    def get_readonly_fields(self, request, obj=None):
        # A unit never moves (its path is derived from its parent once) nor changes kind (which
        # decides who may see it).
        return ["parent", "kind"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = create_unit(
            obj.name,
            obj.kind,
            obj.parent,
            contact_phone=obj.contact_phone,
            contact_email=obj.contact_email,
        )
        obj.pk, obj.path = created.pk, created.path


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role", "title"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
