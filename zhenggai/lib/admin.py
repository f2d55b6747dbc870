from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin page to look with: rows are made and changed only through the services, which
    check rights and write history."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
