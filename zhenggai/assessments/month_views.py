"""The month's pages: the months a person may open, a group's ranking with the month's state
and its actions, a unit's score sheet with its entries, the rows behind a computed figure, and
the month's history. The office runs the month; a unit reads its own sheet at any time and
the ranking once published."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from zhenggai.assessments import month_pages as pages
from zhenggai.assessments.access import (
    get_month_for_user,
    reads_entries_in_full,
    reads_ranking,
    reads_sheet,
    runs,
)
from zhenggai.assessments.models import Entry, Scheme, Score
from zhenggai.assessments.month_forms import EntryForm, MonthOpenForm, NoteForm, ReasonForm
from zhenggai.assessments.services import months
from zhenggai.assessments.values import IndicatorKind
from zhenggai.assessments.wording import rule_in_words
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.lib.http import attachment, posted, posted_files
from zhenggai.lib.request_limits import body_limit
from zhenggai.lib.views import refusal, require

HOME = "assessments/months/home.html"
DETAIL = "assessments/months/detail.html"
SHEET = "assessments/months/sheet.html"


def _open_form(user, data=None):
    schemes = pages.schemes_to_open(user)
    if not schemes:
        return None
    return MonthOpenForm(Scheme.objects.filter(pk__in=[s.pk for s in schemes]), data)


@login_required
@require_GET
def assessment_home(request):
    require(pages.takes_part(request.user), "takes no part in any assessment")
    context = {"rows": pages.home_rows(request.user), "form": _open_form(request.user)}
    return render(request, HOME, context)


@login_required
@require_POST
def month_open(request):
    form = _open_form(request.user, request.POST)
    require(form is not None, "only an evaluation office starts a month")
    context = {"rows": pages.home_rows(request.user), "form": form}
    if not form.is_valid():
        return render(request, HOME, context, status=400)
    data = form.cleaned_data
    try:
        month = months.open_month(data["scheme"], data["month"], by=request.user)
    except Refused as exc:
        return refusal(request, exc, HOME, context)
    messages.success(request, f"{month.label}已开始评分，并按月末的记录计算了得分。")
    return redirect("month_detail", month.pk)


def _ranked_month(user, pk):
    month = get_month_for_user(user, pk)
    if not reads_ranking(user, month):
        raise Http404
    return month


def _detail(request, month, **forms) -> dict:
    context = {
        "month": month,
        "runs": runs(request.user, month.scheme.office_id),
        "missing": months.missing_imports(month),
        "sees_history": pages.may_see_history(request.user, month),
        "has_imported": month.version.indicators.filter(kind=IndicatorKind.IMPORTED).exists(),
        "reopen_form": forms.get("reopen_form") or ReasonForm(),
        "review_form": forms.get("review_form") or NoteForm(),
    }
    return context | pages.ranking(month)


@login_required
@require_GET
def month_detail(request, pk):
    month = _ranked_month(request.user, pk)
    return render(request, DETAIL, _detail(request, month))


def _office_month(user, pk):
    month = get_month_for_user(user, pk)
    require(runs(user, month.scheme.office_id), "only the office runs its months")
    return month


def _act(request, month, action, done: str, **kwargs):
    """Run a state action on the month; a refusal shows on the month's page."""
    try:
        action(month, by=request.user, **kwargs)
    except Refused as exc:
        return refusal(request, exc, DETAIL, _detail(request, month))
    messages.success(request, done)
    return redirect("month_detail", month.pk)


@login_required
@require_POST
def month_compute(request, pk):
    month = _office_month(request.user, pk)
    return _act(request, month, months.compute_month, "已按月末的记录重新计算得分。")


@login_required
@require_POST
def month_review(request, pk):
    month = _office_month(request.user, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return render(request, DETAIL, _detail(request, month, review_form=form), status=400)
    return _act(request, month, months.review, "已审核。", note=form.cleaned_data["note"])


@login_required
@require_POST
def month_reopen(request, pk):
    month = _office_month(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return render(request, DETAIL, _detail(request, month, reopen_form=form), status=400)
    return _act(request, month, months.reopen, "已退回重评。", reason=form.cleaned_data["reason"])


@login_required
@require_POST
def month_lock(request, pk):
    month = _office_month(request.user, pk)
    return _act(request, month, months.lock, "已锁定：此后的变更均为更正，须填写理由。")


@login_required
@require_POST
def month_publish(request, pk):
    month = _office_month(request.user, pk)
    return _act(request, month, months.publish, "已发布：各单位可以查看排名。")


@login_required
@require_GET
def month_history(request, pk):
    month = get_month_for_user(request.user, pk)
    if not pages.may_see_history(request.user, month):
        raise Http404
    events = month.events.select_related("actor", "unit").order_by("-at", "-id")
    return render(request, "assessments/months/history.html", {"month": month, "events": events})


def _sheet_target(user, pk, unit_pk):
    """The month and a unit of its group whose sheet `user` reads, else 404."""
    month = get_month_for_user(user, pk)
    unit = month.scheme.group.units.filter(pk=unit_pk).first()
    if unit is None or not reads_sheet(user, month, unit.pk):
        raise Http404
    return month, unit


def _entry_initial(month) -> dict:
    return {"occurred_on": month.month}


def _sheet(request, month, unit, form=None) -> dict:
    office = runs(request.user, month.scheme.office_id)
    if office and form is None:
        form = EntryForm(month, initial=_entry_initial(month))
    context = {"month": month, "unit": unit, "runs": office, "form": form}
    context["ranked"] = reads_ranking(request.user, month)
    full = reads_entries_in_full(request.user, month, unit.pk)
    return context | {"full": full} | pages.sheet(month, unit, full=full)


@login_required
@require_GET
def unit_sheet(request, pk, unit):
    month, unit = _sheet_target(request.user, pk, unit)
    return render(request, SHEET, _sheet(request, month, unit))


@login_required
@body_limit("UPLOAD_MAX_BYTES")
def entry_create(request, pk, unit):
    month, unit = _sheet_target(request.user, pk, unit)
    require(runs(request.user, month.scheme.office_id), "only the office enters points")
    form = EntryForm(month, posted(request), posted_files(request), _entry_initial(month))
    context = _sheet(request, month, unit, form)
    template = SHEET
    if request.method == "POST" and form.is_valid():
        indicator = form.cleaned_data["indicator"]
        try:
            months.add_entry(month, unit, indicator, by=request.user, **form.entry())
        except NotAllowed:
            raise
        except Refused as exc:
            # Said on the form itself, where the person is (the sheet above it is long).
            form.add_error(None, exc.message)
            return render(request, template, context, status=400)
        messages.success(request, "已更正并记入考核记录。" if month.is_frozen else "已录入。")
        return redirect("unit_sheet", month.pk, unit.pk)
    return render(request, template, context, status=400 if form.is_bound else 200)


def _entry_for_user(user, pk) -> Entry:
    entry = get_object_or_404(Entry.objects.select_related("indicator", "unit"), pk=pk)
    month = get_month_for_user(user, entry.month_id)
    if not reads_sheet(user, month, entry.unit_id):
        raise Http404
    entry.month = month
    return entry


@login_required
def entry_withdraw(request, pk):
    entry = _entry_for_user(request.user, pk)
    require(runs(request.user, entry.month.scheme.office_id), "only the office withdraws")
    form = ReasonForm(posted(request))
    context = {"entry": entry, "month": entry.month, "form": form}
    template = "assessments/months/entry_withdraw.html"
    if request.method == "POST" and form.is_valid():
        try:
            months.withdraw_entry(entry, by=request.user, reason=form.cleaned_data["reason"])
        except Refused as exc:
            return refusal(request, exc, template, context)
        messages.success(request, "已撤销该加减分。")
        return redirect("unit_sheet", entry.month_id, entry.unit_id)
    return render(request, template, context, status=400 if form.is_bound else 200)


@login_required
@require_GET
def entry_file(request, pk):
    entry = _entry_for_user(request.user, pk)
    if not entry.file or not reads_entries_in_full(request.user, entry.month, entry.unit_id):
        raise Http404
    return attachment(entry.file, entry.original_name, entry.content_type)


@login_required
@require_GET
def figure_detail(request, pk, unit, indicator):
    month, unit = _sheet_target(request.user, pk, unit)
    found = month.version.indicators.filter(kind=IndicatorKind.COMPUTED)
    indicator = get_object_or_404(found, pk=indicator)
    score = get_object_or_404(Score, month=month, unit=unit, indicator=indicator)
    score.indicator = indicator
    context = {"month": month, "unit": unit, "indicator": indicator, "score": score}
    context |= {"figure": pages.figure_text(score), "rule": rule_in_words(indicator)}
    context |= pages.behind(request.user, month, unit, indicator)
    return render(request, "assessments/months/figure.html", context)
