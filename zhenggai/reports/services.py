"""Actions on a round's notice: saving its wording, publishing and unpublishing it, and a unit's
own Word templates. Each checks the actor's right, runs atomically and writes history."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from zhenggai.ledger.history import record
from zhenggai.ledger.models import Event, Problem
from zhenggai.ledger.services import require_role
from zhenggai.lib.errors import Refused
from zhenggai.lib.uploads import UploadRefused, check_upload
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Role
from zhenggai.reports import content, documents, kinds
from zhenggai.reports.history import Action
from zhenggai.reports.models import DocumentTemplate, Notice

# The unit's leaders and its rectification office write, publish and withdraw its notice.
AUTHORS = (Role.LEADER, Role.RECTIFICATION_OFFICE)
NOTICE_FIELDS = (
    "issuer",
    "subject",
    "addressee",
    "organisation",
    "next_steps",
    "phone",
    "email",
    "address",
    "postcode",
    "signed_on",
)
TEMPLATE_MAX_BYTES = 5 * 1024 * 1024
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def may_write_notice(user, unit_id: int) -> bool:
    return scope_for(user).has_role(unit_id, *AUTHORS)


def _shown(value) -> str:
    return "—" if value in (None, "") else str(value)


@transaction.atomic
def save_notice(notice: Notice, *, by, **changes) -> Notice:
    """Save the notice's wording (creating it on first save), with the changes in history."""
    require_role(by, notice.round.unit_id, AUTHORS, "编辑整改通报", "edit the notice")
    unknown = set(changes) - set(NOTICE_FIELDS)
    if unknown:
        raise ValueError(f"not notice fields: {unknown}")
    if notice.pk:
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
    diff = {}
    for name, value in changes.items():
        if isinstance(value, str):  # browsers send \r\n: stored as \n, so nothing is "changed"
            value = value.replace("\r\n", "\n").strip()
        if getattr(notice, name) != value:
            label = str(Notice._meta.get_field(name).verbose_name)
            diff[label] = [_shown(getattr(notice, name))[:200], _shown(value)[:200]]
            setattr(notice, name, value)
    if not notice.issuer.strip() or not notice.subject.strip():
        raise Refused("请填写发文机关和标题事由。", "a notice needs an issuer and a subject")
    created = notice.pk is None
    if not created and not diff:
        return notice
    notice.save()
    record(
        Event.Action.CREATED if created else Event.Action.CHANGED,
        notice,
        by=by,
        problem=None,
        round=notice.round,
        changes=diff,
    )
    return notice


@transaction.atomic
def publish_notice(notice: Notice, *, by) -> Notice:
    """Publish the public version of the notice as it now stands; publishing again replaces
    the published text with the current one."""
    require_role(by, notice.round.unit_id, AUTHORS, "发布整改通报", "publish the notice")
    if notice.pk is None:
        raise Refused("请先保存通报内容，再发布。", "the notice is not saved")
    locked = Notice.objects.select_for_update().select_related("round__unit").get(pk=notice.pk)
    again = locked.state == Notice.State.PUBLISHED
    return _publish(locked, by=by, note="更新已发布的通报" if again else "")


def _publish(notice: Notice, *, by, note: str) -> Notice:
    """Store the public version as it now stands and mark the notice published (the caller
    holds the notice's row lock)."""
    public = content.build(notice, content.NOTICE, public=True)
    if not public.totals.problems:
        raise Refused("本轮次还没有问题，不能发布整改通报。", "a round without problems")
    notice.published_content = public.as_json()
    notice.state = Notice.State.PUBLISHED
    notice.published_at = timezone.now()
    notice.published_by = by
    notice.save(update_fields=["published_content", "state", "published_at", "published_by"])
    record(Action.PUBLISHED, notice, by=by, problem=None, round=notice.round, note=note)
    return notice


@transaction.atomic
def unpublish_notice(notice: Notice, *, by, reason: str) -> Notice:
    """Take the notice off the public pages; the reason stays in history."""
    require_role(by, notice.round.unit_id, AUTHORS, "撤回整改通报", "unpublish the notice")
    if not reason.strip():
        raise Refused("请说明撤回的理由。", "unpublishing needs a reason")
    if notice.pk is None:
        raise Refused("该通报尚未发布。", "the notice is not published")
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    if locked.state != Notice.State.PUBLISHED:
        raise Refused("该通报尚未发布。", f"notice {locked.pk} is {locked.state}")
    locked.state = Notice.State.UNPUBLISHED
    locked.save(update_fields=["state"])
    record(Action.UNPUBLISHED, locked, by=by, problem=None, round=notice.round, note=reason)
    return locked


def _sample_context() -> dict:
    """A notice's content with every part present, to try an uploaded template on."""
    totals = content.Totals(12, 3, 10, 2, 1, 1, 0, 3, 1, "12.5", 2)
    problem = content.ProblemPart("1．学习制度落实不到位", ["整改情况：", "该问题已整改完成。"])
    area = content.Group("（一）政治建设方面", [problem], [content.Group("1．类别", [problem])])
    parts = [
        content.Part("一、整改工作组织推进情况", ["成立领导小组。"]),
        content.Part("二、反馈问题整改落实情况", ["反馈的问题……"], [area]),
    ]
    sample = content.Content(
        content.NOTICE, False, "关于……的通报", "中共某局党组", "某巡察组", "某局", "某巡察组",
        "巡察", "2024年1月1日至2月1日", "2024年3月1日", "开头。", "合计。", "成效。", parts,
        "欢迎监督。", ["联系电话：0000"], "", "2024年5月1日", totals,
    )  # fmt: skip
    return sample.as_json()


def _checked_docx(upload) -> str:
    """The sha256 of an uploaded Word file, refused if it is not one or is too large."""
    try:
        info = check_upload(upload, TEMPLATE_MAX_BYTES)
    except UploadRefused as exc:
        raise Refused(f"“{upload.name}”：{exc.message}", f"{upload.name}: {exc}") from None
    if info.content_type != WORD:
        raise Refused("请上传 Word（.docx）格式的模板。", f"{upload.name} is not a .docx")
    upload.seek(0)
    return info.sha256


def upload_template(unit_id: int, kind: str, upload, *, by) -> DocumentTemplate:
    """Use an office's edited Word template for `kind` from now on, once it renders. The test
    render runs before the transaction: on SQLite a transaction holds the write lock."""
    require_role(by, unit_id, AUTHORS, "更换文书模板", "replace document templates")
    if kind not in kinds.KINDS:
        raise Refused("文种不正确。", f"unknown template kind {kind!r}")
    sha256 = _checked_docx(upload)
    sample = kinds.get(kind).sample
    context = import_string(sample)() if sample else _sample_context()
    documents.render(upload.read(), context)  # DocumentError (a Refused) if broken
    with transaction.atomic():
        return _store_template(unit_id, kind, upload, sha256, by=by)


def _store_template(unit_id: int, kind: str, upload, sha256: str, *, by) -> DocumentTemplate:
    old = list(DocumentTemplate.objects.select_for_update().filter(unit_id=unit_id, kind=kind))
    template = DocumentTemplate(unit_id=unit_id, kind=kind, uploaded_by=by)
    template.original_name = upload.name[:255]
    upload.seek(0)
    template.file.save(f"{kind}-{sha256[:16]}.docx", upload, save=False)
    _replace(old, template)
    return template


def _replace(old: list[DocumentTemplate], template: DocumentTemplate) -> None:
    """Save `template` in place of `old`. Its file is stored before the rows change; a failure
    from here on removes it, and the old files go only once the change is committed."""
    try:
        with transaction.atomic():
            DocumentTemplate.objects.filter(pk__in=[t.pk for t in old]).delete()
            template.save()
    except IntegrityError:
        template.file.delete(save=False)
        raise Refused(
            "另一人刚刚更换了该模板，请刷新页面后重试。", "a concurrent template upload won"
        ) from None
    except BaseException:
        template.file.delete(save=False)
        raise
    _delete_files_on_commit(old)


def _delete_files_on_commit(templates) -> None:
    names = [(t.file.storage, t.file.name) for t in templates]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


@transaction.atomic
def reset_template(unit_id: int, kind: str, *, by) -> None:
    """Go back to the built-in template."""
    require_role(by, unit_id, AUTHORS, "更换文书模板", "replace document templates")
    old = list(DocumentTemplate.objects.select_for_update().filter(unit_id=unit_id, kind=kind))
    DocumentTemplate.objects.filter(pk__in=[t.pk for t in old]).delete()
    _delete_files_on_commit(old)


# ---------------------------------------------------------------- disclosure

DISCLOSERS = (Role.INSPECTION_OFFICE, Role.LEADER, Role.RECTIFICATION_OFFICE)


def may_set_disclosure(user, problem: Problem) -> bool:
    return scope_for(user).has_role(problem.unit_id, *DISCLOSERS)


@transaction.atomic
def set_disclosure(problem: Problem, *, by, disclose: bool, reason: str = "") -> Problem:
    """Whether the public notice lists the problem. Leaving it out needs a reason, kept inside
    the system; the decision is in the problem's history. A notice already published is
    published again at once, so that a problem withheld leaves the public page with it."""
    locked = Problem.objects.select_for_update(of=("self",)).get(pk=problem.pk)
    require_role(by, locked.unit_id, DISCLOSERS, "设置公开范围", "set disclosure")
    reason = reason.strip()
    if not disclose and not reason:
        raise Refused("不公开的问题须说明理由。", "withholding a problem needs a reason")
    reason = "" if disclose else reason
    if locked.disclose == disclose and locked.withheld_reason == reason:
        return locked
    diff = {"公开": ["是" if locked.disclose else "否", "是" if disclose else "否"]}
    if reason != locked.withheld_reason:
        diff["不公开理由"] = [locked.withheld_reason or "—", reason or "—"]
    locked.disclose, locked.withheld_reason = disclose, reason
    locked.save(update_fields=["disclose", "withheld_reason", "updated_at"])
    record(Event.Action.CHANGED, locked, by=by, problem=locked, changes=diff)
    published = Notice.objects.filter(round_id=locked.round_id, state=Notice.State.PUBLISHED)
    for notice in published.select_for_update():
        _publish(notice, by=by, note="公开设置变更，已按当前台账更新公开内容")
    return locked
