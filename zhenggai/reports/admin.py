"""Notices and templates in the admin: to look at; they change through the notice page, which
checks rights and writes history."""

from django.contrib import admin

from zhenggai.lib.admin import ReadOnlyAdmin
from zhenggai.reports.models import DocumentTemplate, Notice


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["round", "issuer", "state", "published_at"]
    list_filter = ["state"]
    list_select_related = ["round"]
    exclude = ["published_content"]


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(ReadOnlyAdmin):
    list_display = ["unit", "kind", "original_name", "uploaded_by", "uploaded_at"]
    list_select_related = ["unit", "uploaded_by"]
    exclude = ["file"]  # its link would be the store's URL, past every access check
