"""The documents of reports.kinds as Word files (docxtpl over the built-in or the unit's
template), and as PDF through LibreOffice where it is installed."""

import functools

from django.utils.module_loading import import_string

from zhenggai.lib import pdf
from zhenggai.lib.errors import Refused
from zhenggai.reports import content as notice_content
from zhenggai.reports import kinds, template_render
from zhenggai.reports.kinds import PUBLIC, PUBLISHED
from zhenggai.reports.models import DocumentTemplate, Notice


class DocumentError(Refused):
    """A document that cannot be made; `message` is Chinese, for the interface."""


def builtin_template(kind: str = notice_content.NOTICE) -> bytes:
    """The built-in Word template of `kind` (kinds share a builder, and so its result)."""
    return _built(kinds.get(kind).template)


@functools.cache
def _built(builder) -> bytes:
    return builder()


def template_bytes(unit_id: int, kind: str) -> bytes:
    """The unit's own template for `kind`, or the built-in one."""
    own = DocumentTemplate.objects.filter(unit_id=unit_id, kind=kind).first()
    if own is None:
        return builtin_template(kind)
    try:
        with own.file.open("rb") as handle:
            return handle.read()
    except OSError as exc:
        raise DocumentError(
            "本单位上传的模板文件已丢失，请重新上传，或恢复为系统内置模板。",
            f"template {own.pk} of unit {unit_id}: {exc}",
        ) from None


def render(template: bytes, context: dict) -> bytes:
    """Fill a docxtpl template; a broken or runaway template raises DocumentError saying why.

    Templates are uploaded by units: their Jinja runs sandboxed, in a child process with time,
    CPU and memory limits (`template_render`)."""
    try:
        return template_render.render(template, context)
    except template_render.TemplateRefused as exc:
        raise DocumentError(exc.message, exc.reason) from None


def docx(notice: Notice, kind: str, *, public: bool = False) -> bytes:
    """The document of `kind` (the report, the notice, the plan) of `notice`'s round as a .docx
    file."""
    return render(template_bytes(notice.round.unit_id, kind), context(notice, kind, public=public))


def context(notice: Notice, kind: str, *, public: bool = False) -> dict:
    """What the template of `kind` is filled with: the kind's own builder's, or content.build's."""
    builder = kinds.get(kind).builder
    if builder:
        return import_string(builder)(notice, public=public)
    built = notice_content.build(notice, kind, public=public)
    if not built.totals.problems:
        raise DocumentError(
            "本轮次还没有问题，无法生成整改报告或通报；请先录入或导入反馈的问题。",
            f"round {notice.round.pk} has no problems",
        )
    return built.as_json()


def published_docx(notice: Notice) -> bytes:
    """The public notice as it was last published (its stored text), in today's template."""
    return render(
        template_bytes(notice.round.unit_id, notice_content.NOTICE), notice.published_content
    )


def version_docx(notice: Notice, kind: str, version: str) -> bytes:
    """One version (kinds.INTERNAL, PUBLIC or PUBLISHED) of the document of `kind`."""
    if version == PUBLISHED:  # the notice's: the only kind publishing stores (see kinds)
        return published_docx(notice)
    return docx(notice, kind, public=version == PUBLIC)


# How each version of a document is told apart in its file name.
VERSION_NAMES = {
    kinds.INTERNAL: "",
    PUBLIC: "（公开版·按当前台账）",
    PUBLISHED: "（公开版·已发布）",
}


def file_name(notice: Notice, kind: str, *, version: str, suffix: str) -> str:
    """E.g. "区科技局巡察·整改情况通报（公开版·已发布）.pdf": the round's subject, the document and
    its version, so that the live public version and the published one never share a name."""
    what = kinds.get(kind).title
    return f"{notice.round.subject[:80]}·{what}{VERSION_NAMES[version]}{suffix}"


# ---------------------------------------------------------------- PDF
# The conversion is the project's (lib.pdf); here it refuses as the reports do, with DocumentError.

soffice = pdf.soffice
NO_PDF = pdf.NO_PDF


def to_pdf(document: bytes) -> bytes:
    """A .docx converted to PDF by LibreOffice (lib.pdf: at most PDF_CONCURRENCY at once, killed
    when it overruns); DocumentError, with lib.pdf's Chinese message, when it cannot be made."""
    try:
        return pdf.to_pdf(document)
    except pdf.PdfRefused as exc:
        raise DocumentError(exc.message, exc.reason) from None
