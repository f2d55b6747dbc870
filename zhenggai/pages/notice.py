"""The notice page: the notice's wording, versions and templates (reports), and how many opinions
of the public wait on it (public)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from zhenggai.lib.errors import Refused
from zhenggai.lib.http import posted
from zhenggai.lib.views import refusal, require
from zhenggai.public.pages import new_opinions_on
from zhenggai.reports import services
from zhenggai.reports.forms import NoticeForm
from zhenggai.reports.models import get_notice_for_user
from zhenggai.reports.pages import notice_page


@login_required
def notice_edit(request, round_pk):
    notice = get_notice_for_user(request.user, round_pk)
    form = NoticeForm(posted(request), notice=notice)
    context = {**notice_page(notice, request.user, form), "new_opinions": new_opinions_on(notice)}
    if request.method == "POST":
        require(context["may_write"], "may not edit the notice")
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in services.NOTICE_FIELDS}
            try:
                services.save_notice(notice, by=request.user, **changes)
            except Refused as exc:
                return refusal(request, exc, "reports/notice.html", context)
            messages.success(request, "通报内容已保存。")
            return redirect("notice_edit", notice.round.pk)
    return render(request, "reports/notice.html", context)
