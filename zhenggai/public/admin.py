"""Opinions from the public in the admin: to look at; the unit triages them on its own page."""

from django.contrib import admin

from zhenggai.lib.admin import ReadOnlyAdmin
from zhenggai.public.models import Opinion


@admin.register(Opinion)
class OpinionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "notice", "status", "handled_by"]
    list_filter = ["status"]
    list_select_related = ["notice", "handled_by"]
    exclude = ["sender_hash"]
