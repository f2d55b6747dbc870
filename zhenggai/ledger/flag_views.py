"""Concerns of the discipline group (监督意见): raised, answered, closed or sent back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from zhenggai.ledger import services
from zhenggai.ledger.forms import (
    FlagAnswerForm,
    NoteForm,
)
from zhenggai.ledger.models import (
    Flag,
    get_flag_for_user,
    get_problem_for_user,
)
from zhenggai.ledger.views import problem_url
from zhenggai.lib.errors import Refused
from zhenggai.lib.http import posted
from zhenggai.lib.views import refusal, require


@login_required
def flag_create(request, pk):
    problem = get_problem_for_user(request.user, pk)
    require(services.may_flag(request.user, problem), "only the discipline group flags")
    form = NoteForm(posted(request))
    form.fields["note"].label, form.fields["note"].required = "监督意见", True
    context = {"form": form, "problem": problem}
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_problem(problem, by=request.user, note=form.cleaned_data["note"])
        except Refused as exc:
            return refusal(request, exc, "ledger/flag_form.html", context)
        messages.success(request, "监督意见已记录。")
        return redirect(problem_url(problem))
    return render(request, "ledger/flag_form.html", context)


def _back_or(request, default: str) -> str:
    """Where a form posted from another page (我的任务) sends its user back to, if safe."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if target and safe else default


def _flag_not(request, flag, status: str, verb: str):
    """Send a user who opens a concern's form in the wrong state back, told why (else None)."""
    if flag.status == status:
        return None
    messages.error(request, f"该监督意见{flag.get_status_display()}，不能{verb}。")
    return redirect(problem_url(flag.problem) + f"#flag-{flag.pk}")


@login_required
def flag_answer(request, pk):
    flag = get_flag_for_user(request.user, pk)
    require(services.may_answer_flag(request.user, flag), "only the leader or office answers")
    form = FlagAnswerForm(posted(request))
    context = {"form": form, "flag": flag, "problem": flag.problem}
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_flag(flag, by=request.user, answer=form.cleaned_data["answer"])
        except Refused as exc:
            return refusal(request, exc, "ledger/flag_answer.html", context)
        messages.success(request, "监督意见已答复，待纪检监察组办结。")
        return redirect(_back_or(request, problem_url(flag.problem)))
    return _flag_not(request, flag, Flag.Status.OPEN, "答复") or render(
        request, "ledger/flag_answer.html", context
    )


def _flag_decision(request, pk, *, close: bool):
    """The page on which the discipline group closes an answered concern, or sends it back."""
    flag = get_flag_for_user(request.user, pk)
    require(services.may_decide_flag(request.user, flag), "only the discipline group decides")
    form = NoteForm(posted(request))
    form.fields["note"].label = "办结意见" if close else "退回理由"
    form.fields["note"].required = not close
    context = {"form": form, "flag": flag, "problem": flag.problem, "close": close}
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if close:
                services.close_flag(flag, by=request.user, note=note)
            else:
                services.send_back_flag(flag, by=request.user, reason=note)
        except Refused as exc:
            return refusal(request, exc, "ledger/flag_decide.html", context)
        messages.success(request, "监督意见已办结。" if close else "已退回，等待重新答复。")
        return redirect(problem_url(flag.problem) + f"#flag-{flag.pk}")
    return _flag_not(request, flag, Flag.Status.ANSWERED, "办结或退回") or render(
        request, "ledger/flag_decide.html", context
    )


@login_required
def flag_close(request, pk):
    return _flag_decision(request, pk, close=True)


@login_required
def flag_send_back(request, pk):
    return _flag_decision(request, pk, close=False)
