"""What the notice page shows: the live preview of the public notice, files, templates, history."""

from zhenggai.ledger.models import Event
from zhenggai.public.models import Opinion
from zhenggai.reports import content, documents, services
from zhenggai.reports.models import DocumentTemplate, Notice


def notice_page(notice: Notice, user, form) -> dict:
    unit_id = notice.round.unit_id
    preview = content.build(notice, content.NOTICE, public=True)
    history, new_opinions = [], 0
    if notice.pk:
        history = (
            Event.objects.filter(round=notice.round, object_type="notice", object_id=notice.pk)
            .select_related("actor")
            .order_by("-at", "-id")
        )
        new_opinions = Opinion.objects.filter(notice=notice, status=Opinion.Status.NEW).count()
    templates = DocumentTemplate.objects.filter(unit_id=unit_id).select_related("uploaded_by")
    own = {t.kind: t for t in templates}
    return {
        "notice": notice,
        "round": notice.round,
        "form": form,
        "may_write": services.may_write_notice(user, unit_id),
        "preview": preview.as_json(),
        "history": history,
        "new_opinions": new_opinions,
        "templates": [
            (kind, label, own.get(kind)) for kind, label in DocumentTemplate.Kind.choices
        ],
        "pdf": documents.soffice() is not None,
        "no_pdf": documents.NO_PDF,
    }
