"""An import draft while the worker reads it (progress, polled by the page), why it could not be
read, the images of a scan's pages, giving a draft up, and the sample files to try. Each view
checks access to the draft exactly as its preview does."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from zhenggai.ledger import import_background
from zhenggai.ledger.import_samples import sample_path
from zhenggai.ledger.models import get_import_draft_for_user
from zhenggai.lib.errors import Refused
from zhenggai.rounds.models import NewRoundDraft, get_new_round_draft_for_user
from zhenggai.rounds.services import may_create_rounds

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def round_draft(request, round_pk: int, pk: int):
    """A draft into a round the user may import into; to anyone else, 404."""
    return get_import_draft_for_user(request.user, round_pk, pk)


def new_round_draft(request, pk: int):
    """A draft of the user's own to set up a round from, while they may set up rounds; to
    anyone else, 404."""
    draft = get_new_round_draft_for_user(request.user, pk)
    if not may_create_rounds(request.user):
        raise Http404
    return draft


def _named(draft) -> tuple[str, list[int]]:
    """The prefix of the URL names of a kind of draft, and the draft's arguments to them."""
    if isinstance(draft, NewRoundDraft):
        return "round_import_", [draft.pk]
    return "import_", [draft.round_id, draft.pk]


def draft_urls(draft) -> dict:
    """The addresses of a draft's pages, for either kind of draft."""
    prefix, args = _named(draft)
    return {
        "preview": reverse(f"{prefix}preview", args=args),
        "progress": reverse(f"{prefix}progress", args=args),
        "discard": reverse(f"{prefix}discard", args=args),
        "upload": reverse(f"{prefix}upload", args=args[:-1]),
    }


def scan_pages(draft) -> list[dict]:
    """The pages OCR read of a draft: their lines, how many it read with low confidence, and
    the address of each one's image."""
    prefix, args = _named(draft)
    return [
        {
            "number": page["number"],
            "lines": page.get("lines", []),
            "low": sum(1 for line in page.get("lines", []) if line.get("low")),
            "image": reverse(f"{prefix}page_image", args=[*args, page["number"]])
            if page.get("image")
            else None,
        }
        for page in draft.parsed.get("pages") or []
    ]


def reading_page(request, draft):
    """The page of a draft being read (with its progress, polled) or that could not be read."""
    return render(request, "ledger/import_reading.html", _progress_context(draft))


def _progress_context(draft) -> dict:
    return {
        "draft": draft,
        "round": getattr(draft, "round", None),
        "urls": draft_urls(draft),
        "late": import_background.is_late(draft),
        "reading_page": min(draft.pages_done + 1, draft.pages_total),
    }


def _progress(request, draft):
    response = render(request, "ledger/_import_progress.html", _progress_context(draft))
    if draft.status != draft.Status.READING:
        response["HX-Refresh"] = "true"  # read (or not): the whole page shows what became of it
    return response


def _page_image(draft, number: int):
    path = import_background.page_image(draft, number)
    if path is None or path.suffix.lower() not in IMAGE_TYPES:
        raise Http404
    response = FileResponse(path.open("rb"), content_type=IMAGE_TYPES[path.suffix.lower()])
    response["Cache-Control"] = "private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _discard(request, draft):
    """Giving a draft up, in two steps: the page asks (this view, shown or posted without
    `confirm`), then the form it shows gives the draft up and deletes its file."""
    urls = draft_urls(draft)
    if draft.status not in (draft.Status.READING, draft.Status.OPEN):
        return redirect(urls["preview"])  # says what became of it
    if request.method != "POST" or request.POST.get("confirm") != "1":
        context = {"draft": draft, "round": getattr(draft, "round", None), "urls": urls}
        return render(request, "ledger/import_discard.html", context)
    try:
        import_background.discard_draft(draft, by=request.user)
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect(urls["preview"])
    messages.success(request, f"已放弃导入“{draft.original_name}”，文件已删除。")
    return redirect(urls["upload"])


@login_required
@require_GET
def import_progress(request, round_pk, pk):
    return _progress(request, round_draft(request, round_pk, pk))


@login_required
@require_GET
def round_import_progress(request, pk):
    return _progress(request, new_round_draft(request, pk))


@login_required
@require_GET
def import_page_image(request, round_pk, pk, number):
    return _page_image(round_draft(request, round_pk, pk), number)


@login_required
@require_GET
def round_import_page_image(request, pk, number):
    return _page_image(new_round_draft(request, pk), number)


@login_required
@require_http_methods(["GET", "POST"])
def import_discard(request, round_pk, pk):
    return _discard(request, round_draft(request, round_pk, pk))


@login_required
@require_http_methods(["GET", "POST"])
def round_import_discard(request, pk):
    return _discard(request, new_round_draft(request, pk))


@login_required
@require_GET
def import_sample(request, name):
    """A sample document to try the import with (zhenggai/demo/samples), as a download."""
    path = sample_path(name)
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
