"""What the notice page shows: the live preview of the public notice, files, templates, history."""

from django.utils import timezone
from django.utils.formats import date_format

from zhenggai.ledger.models import Event
from zhenggai.reports import content, documents, kinds, services
from zhenggai.reports.kinds import INTERNAL, PUBLIC, PUBLISHED
from zhenggai.reports.models import DocumentTemplate, Notice


def notice_page(notice: Notice, user, form) -> dict:
    """Reports' part of the notice page (zhenggai.pages.notice adds the public's opinions)."""
    unit_id = notice.round.unit_id
    preview = content.build(notice, content.NOTICE, public=True)
    history = []
    if notice.pk:
        history = (
            Event.objects.filter(round=notice.round, object_type="notice", object_id=notice.pk)
            .select_related("actor")
            .order_by("-at", "-id")
        )
    return {
        "notice": notice,
        "round": notice.round,
        "form": form,
        "may_write": services.may_write_notice(user, unit_id),
        "preview": preview.as_json(),
        "history": history,
        "documents": document_rows(notice),
        "templates": template_rows(unit_id),
        "pdf": documents.soffice() is not None,
        "no_pdf": documents.NO_PDF,
    }


def document_rows(notice: Notice) -> list[dict]:
    """A row per version of each kind, with its download names; the published version once
    there is one."""
    return [
        {
            "label": f"{kind.title}（{_version_note(notice, kind, version)}）",
            "docx": kind.download_name(version, pdf=False),
            "pdf": kind.download_name(version, pdf=True),
        }
        for kind in kinds.KINDS.values()
        for version in kind.versions
        if version != PUBLISHED or notice.published_content
    ]


def _version_note(notice: Notice, kind: kinds.DocumentKind, version: str) -> str:
    if version == INTERNAL:
        return kind.note.format(body=notice.round.inspecting_body)
    if version == PUBLIC:
        return "公开版，按台账当前数据"
    at = notice.published_at
    return f"已发布版本，{date_format(timezone.localtime(at), 'Y-m-d H:i') if at else ''}"


def template_rows(unit_id: int) -> list[tuple]:
    """(code, title, the unit's own template or None) for each kind."""
    templates = DocumentTemplate.objects.filter(unit_id=unit_id).select_related("uploaded_by")
    own = {t.kind: t for t in templates}
    return [(kind.code, kind.title, own.get(kind.code)) for kind in kinds.KINDS.values()]
