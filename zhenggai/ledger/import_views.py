"""Importing a document: into a round, or as a new round (upload, check page by page, confirm)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from zhenggai.ledger import imports, services
from zhenggai.ledger.forms import (
    ImportRowForm,
    ImportRowFormSet,
    ImportUploadForm,
    NewRoundForm,
)
from zhenggai.ledger.import_facts import People, not_found_zh, people_not_found, row_facts
from zhenggai.ledger.import_reading import low_lines, low_lines_in, reading_zh
from zhenggai.ledger.import_reading_views import (
    draft_urls,
    new_round_draft,
    reading_page,
    round_draft,
    scan_pages,
)
from zhenggai.ledger.import_rounds import other_unit_named
from zhenggai.ledger.import_samples import SAMPLES
from zhenggai.lib.errors import Refused
from zhenggai.lib.http import as_id, posted, posted_files
from zhenggai.lib.request_limits import body_limit
from zhenggai.lib.views import refusal, require
from zhenggai.orgs.models import Unit
from zhenggai.orgs.services import people_in
from zhenggai.rounds.models import get_round_for_user
from zhenggai.rounds.services import may_create_rounds


@body_limit("UPLOAD_MAX_BYTES")
@login_required
def import_upload(request, round_pk):
    round = get_round_for_user(request.user, round_pk)
    require(services.may_enter_problems(request.user, round), "may not import into this round")
    form = ImportUploadForm(posted(request), posted_files(request))
    context = _upload_context(form, round, imports.unfinished_drafts(request.user, round))
    if request.method == "POST" and form.is_valid():
        try:
            draft = imports.start_import(round, form.cleaned_data["file"], by=request.user)
        except Refused as exc:
            return refusal(request, exc, "ledger/import_upload.html", context)
        return redirect("import_preview", round_pk=round.pk, pk=draft.pk)
    return render(request, "ledger/import_upload.html", context)


def _upload_context(form, round, drafts) -> dict:
    """The upload page: the form, the drafts not yet imported (with their pages), samples."""
    return {
        "form": form,
        "round": round,
        "drafts": [(draft, draft_urls(draft)) for draft in drafts],
        "samples": SAMPLES,
    }


@login_required
def import_preview(request, round_pk, pk):
    draft = round_draft(request, round_pk, pk)
    if not draft.parsed.get("problems"):  # being read, unreadable, or given up unread
        return reading_page(request, draft)
    if draft.status in HANDLED:
        return _record(request, draft)
    preview = _Preview(request, draft, draft.round.unit)
    context = {
        **preview.context(),
        "round": draft.round,
        "earlier": imports.draft_was_imported(draft),
        "dates_to_fill": imports.dates_to_fill(draft),
        "other_unit": other_unit_named(draft),
    }
    if request.method == "POST" and preview.is_valid():
        try:
            rows = preview.keep()
            if preview.going_to:
                return redirect(preview.url_of(preview.going_to))
            result = imports.confirm_import(
                draft, rows, by=request.user, force=request.POST.get("force") == "1"
            )
        except Refused as exc:
            return refusal(request, exc, "ledger/import_preview.html", context)
        messages.success(request, f"已导入 {len(result.problems)} 个问题。")
        return redirect(reverse("ledger") + f"?round={draft.round_id}")
    return render(request, "ledger/import_preview.html", context)


# A draft imported or given up is a record of what became of it, no longer a preview to check.
HANDLED = ("imported", "discarded")


def _record(request, draft):
    """What became of a handled draft: what was imported from it, when, by whom, and where."""
    round = draft.round
    imported = draft.status == "imported"
    documents = round.documents.filter(sha256=draft.sha256) if imported and round else None
    document = documents.select_related("uploaded_by").first() if documents is not None else None
    rows = imports.preview_rows(draft, ImportRowForm.initial_rows)
    try:
        count = len(imports.rows_to_document(draft, rows).problems) if imported else 0
    except Refused:  # rows left untitled since: the count is not known
        count = None
    context = {
        "draft": draft,
        "round": round,
        "document": document,
        "count": count,
        "ledger": reverse("ledger") + f"?round={round.pk}" if round else None,
    }
    return render(request, "ledger/import_record.html", context)


class _Preview:
    """One page of an import preview: its rows as a formset, and what the person asked for
    (another page, whose rows are kept first, or the import). `unit`: whose people the
    document's 责任领导 and 责任人 are looked up among (None: a unit to be created)."""

    def __init__(self, request, draft, unit):
        self.request, self.draft = request, draft
        self.people = People(unit)
        self.rows = imports.preview_rows(draft, ImportRowForm.initial_rows)
        asked = request.POST.get("page") if request.method == "POST" else request.GET.get("page")
        self.number, self.start, self.pages = imports.preview_page(self.rows, asked)
        shown = self.rows[self.start : self.start + settings.IMPORT_PAGE_SIZE]
        self.formset = ImportRowFormSet(posted(request), initial=shown)
        lows = low_lines(draft.parsed)
        problems = draft.parsed.get("problems", [])
        for form, row in zip(self.formset.forms, shown, strict=False):
            form.low_lines = low_lines_in(row, lows)  # OCR read them with low confidence
            source = row.get("source")
            known = source is not None and 0 <= source < len(problems)
            form.facts = row_facts(row, problems[source] if known else {}, self.people)
        goto = as_id(request.POST.get("goto")) if request.method == "POST" else None
        self.going_to = goto if goto and 1 <= goto <= self.pages else None

    def is_valid(self) -> bool:
        """Whether the page's rows can be imported: each field valid, and each row imported as
        a problem of its own titled (its error shown beside the title, not as a banner only).
        Turning the page keeps the rows as they are."""
        if not self.formset.is_valid():
            return False
        if self.going_to:
            return True
        for form in self.formset.forms:
            row = form.cleaned_data
            if row.get("include") and not row.get("merge") and not row.get("title", "").strip():
                form.add_error("title", UNTITLED_ZH)
        return not self.formset.total_error_count()

    def keep(self, **also) -> list[dict]:
        """Keep this page's rows (and `also`) on the draft; all rows, as the import takes them."""
        page = list(self.formset.cleaned_data)
        return imports.keep_page(self.draft, self.rows, self.start, page, **also)

    def url_of(self, number: int) -> str:
        return f"{self.request.path}?page={number}"

    def context(self) -> dict:
        draft = self.draft
        return {
            "draft": draft,
            "urls": draft_urls(draft),
            "warnings": [imports.warning_zh(w) for w in draft.parsed.get("warnings", [])],
            "not_found": not_found_zh(people_not_found(self.rows, draft.parsed, self.people)),
            "reading": reading_zh(draft.parsed),
            "scan": scan_pages(draft) if draft.status == draft.Status.OPEN else [],
            "formset": self.formset,
            "row_count": len(self.rows),
            "page_number": self.number,
            "page_count": self.pages,
            "first_row": self.start + 1,
        }


UNTITLED_ZH = "请填写问题标题，或取消该行的“导入”。"
NEW_UNIT_NEXT = (
    "该单位还没有人员：请系统管理员在“系统管理”中核对它的科室，并为单位领导、整改办和科室人员"
    "开通角色，之后才能分派整改措施。"
)


@body_limit("UPLOAD_MAX_BYTES")
@login_required
def round_import_upload(request):
    require(may_create_rounds(request.user), "only an inspection office sets up rounds")
    form = ImportUploadForm(posted(request), posted_files(request))
    context = _upload_context(form, None, imports.unfinished_drafts(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            draft = imports.start_new_round_import(form.cleaned_data["file"], by=request.user)
        except Refused as exc:
            return refusal(request, exc, "ledger/import_upload.html", context)
        return redirect("round_import_preview", pk=draft.pk)
    return render(request, "ledger/import_upload.html", context)


@login_required
def round_import_preview(request, pk):
    draft = new_round_draft(request, pk)
    if not draft.parsed.get("problems"):  # being read, unreadable, or given up unread
        return reading_page(request, draft)
    if draft.status in HANDLED:
        return _record(request, draft)
    # The round as proposed from the document, or as typed before turning a page of problems.
    initial = draft.parsed.get("round_typed") or imports.round_proposal(draft, request.user)
    round_form = NewRoundForm(posted(request), user=request.user, initial=initial, prefix="round")
    unit = Unit.objects.filter(
        pk=as_id(str(initial.get("unit") or ""))
    ).first()  # else a new unit: nobody
    preview = _Preview(request, draft, unit)
    context = {
        **preview.context(),
        "round": None,
        "round_form": round_form,
        "earlier": imports.earlier_import(draft, request.user),
    }
    try:
        if request.method == "POST" and preview.going_to and preview.formset.is_valid():
            return _turn_page(preview, round_form)
        if request.method == "POST" and round_form.is_valid() and preview.is_valid():
            return _confirm_new_round(request, draft, preview, round_form)
    except Refused as exc:
        return refusal(request, exc, "ledger/import_preview.html", context)
    return render(request, "ledger/import_preview.html", context)


def _turn_page(preview, round_form):
    """Keep this page's rows, and the round as typed so far, and show the page asked for."""
    typed = {name: round_form[name].value() for name in round_form.fields}
    preview.keep(round_typed=typed)
    return redirect(preview.url_of(preview.going_to))


def _confirm_new_round(request, draft, preview, round_form):
    """Set up the round the person checked and import its rows; Refused says why not."""
    result = imports.confirm_new_round_import(
        draft,
        preview.keep(),
        round_form.round_fields(),
        by=request.user,
        force=request.POST.get("force") == "1",
    )
    messages.success(
        request, f"已设立巡察轮次“{result.round.title}”，导入 {len(result.problems)} 个问题。"
    )
    if not people_in([result.round.unit_id]).exists():  # a unit new to the system
        messages.info(request, NEW_UNIT_NEXT)
    return redirect("round_detail", pk=result.round.pk)
