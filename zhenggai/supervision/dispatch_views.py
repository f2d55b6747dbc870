"""The 调度 sheet's page and its Excel and Word downloads."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhenggai.lib.http import generated_download
from zhenggai.supervision import dispatch_files
from zhenggai.supervision.dispatch_page import choice_for, page_context, sheet_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_GET
def dispatch_sheet(request):
    """调度表: a unit's (or, for an office, its units') measures of a week or a month."""
    choice = choice_for(request.user, request.GET)
    sheet = sheet_for(request.user, choice)
    return render(request, "supervision/dispatch.html", page_context(request.user, choice, sheet))


@login_required
@require_GET
def dispatch_xlsx(request):
    choice = choice_for(request.user, request.GET)
    data = dispatch_files.workbook(choice, sheet_for(request.user, choice))
    return generated_download(data, f"{choice.title}（{choice.period.label}）.xlsx", XLSX)


@login_required
@require_GET
def dispatch_docx(request):
    choice = choice_for(request.user, request.GET)
    data = dispatch_files.document(choice, sheet_for(request.user, choice))
    return generated_download(data, f"{choice.title}（{choice.period.label}）.docx", DOCX)
