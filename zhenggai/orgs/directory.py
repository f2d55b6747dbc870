"""The directory import (通讯录): a workbook of units, sections, people and roles, checked row by
row, planned against the directory as it stands, previewed, and applied in one transaction.

The sheet is the truth for what it covers: the units in its 单位 sheet (with all their
sections). Within them:
- units and sections are matched by name under their parent, created when missing, never moved
  or deleted;
- people are matched on login (username) or, failing that, employee number (a person whose login
  changed but whose number matches is the same person; a login of one person and a number of
  another is an error), created without a usable password (they sign in by single sign-on, or an
  administrator sets one), and changed field by field;
- the roles a person of the sheet holds on these units are exactly those of the 角色 sheet: the
  others are revoked;
- active accounts (not administrators) holding a role on these units but absent from the 人员
  sheet have left: they are deactivated, never deleted, and keep their roles. An inactive account
  reaches nothing (`orgs.access.scope_for`), so the kept roles grant nothing; they stay as the
  record of where the person worked, which the histories of problems they handled refer to, and
  a sheet that lists them again reactivates them with the roles it gives (shown as such in the
  preview). A person who also holds roles on units the sheet does not cover has left these units
  only: the roles on them are revoked, the account stays active;
- administrators (superuser or staff accounts) are outside the directory: a row matching one is
  an error, and they are never deactivated nor lose roles through it (the admin site manages them).

`plan_directory` returns a plain-JSON plan (what to create, change, deactivate, grant, revoke,
with labels to show, and the errors); a plan with errors is never applied. The plan carries a
fingerprint of the directory it was made against: `apply_directory_import` refuses when the
directory changed since (someone else's edit would be overwritten), so that confirming applies
exactly what the preview showed.

Reading the workbook is `directory_sheet`, planning `directory_plan`, writing a plan
`directory_apply`; this module is the import's interface (previews, confirming, discarding).
"""

import hashlib
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhenggai.lib.errors import Conflict, Refused
from zhenggai.orgs.directory_apply import apply_plan, lock_directory
from zhenggai.orgs.directory_plan import (  # noqa: F401 - the directory's interface
    PERSON_FIELDS,
    PLAN_VERSION,
    counts,
    load_snapshot,
    plan_directory,
)
from zhenggai.orgs.directory_sheet import MAX_BYTES, Unreadable, Workbook, read_workbook
from zhenggai.orgs.models import DirectoryImport

log = logging.getLogger(__name__)

# -- the import ---------------------------------------------------------------------------------


def read_upload(upload) -> Workbook:
    """Read an uploaded file (size and content checked first). Raises Refused."""
    from zhenggai.lib.uploads import UploadRefused, check_upload

    try:
        checked = check_upload(upload, MAX_BYTES)
    except UploadRefused as exc:
        raise Refused(exc.message, str(exc)) from None
    if checked.content_type != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
        raise Refused("请上传 Excel（.xlsx）格式的通讯录。", f"not an xlsx: {checked.content_type}")
    upload.seek(0)
    try:
        return read_workbook(upload)
    except Unreadable as exc:
        raise Refused(exc.message, str(exc)) from None


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


# What a record's outcome says when it was closed without anyone deciding (see below).
CLOSED_ERRORS, CLOSED_UNCHANGED = "errors", "unchanged"


@transaction.atomic
def preview_directory_import(upload, *, by) -> DirectoryImport:
    """Read an uploaded workbook and keep its plan. Raises Refused (unreadable).

    Only a plan that can be applied waits for a decision (status preview): a plan with errors,
    or one that changes nothing, is closed at once (discarded, its outcome saying why), so
    the history never shows it as waiting. A new upload supersedes the previews still open:
    they are discarded, their outcome naming the upload that replaced them, since a preview
    is of the directory as it stood and the newer sheet is the one the administrator means (a sheet with errors or without changes supersedes
    nothing: the open preview can still be confirmed)."""
    return keep_preview(upload, plan_directory(read_upload(upload)), by=by)


@transaction.atomic
def keep_preview(upload, plan: dict, *, by) -> DirectoryImport:
    """Keep `plan` (of `upload`) as an import record, as `preview_directory_import` says."""
    closed = (
        CLOSED_ERRORS if plan["errors"] else "" if plan["counts"]["total"] else CLOSED_UNCHANGED
    )
    now = timezone.now()
    record = DirectoryImport.objects.create(
        original_name=(upload.name or "通讯录.xlsx")[:255],
        sha256=_sha256(upload),
        plan=plan,
        outcome={"closed": closed} if closed else {},
        status=DirectoryImport.Status.DISCARDED if closed else DirectoryImport.Status.PREVIEW,
        created_by=by,
        decided_at=now if closed else None,
    )
    if closed:
        return record  # a sheet that cannot be imported leaves the open preview standing
    superseded = DirectoryImport.objects.select_for_update().filter(
        status=DirectoryImport.Status.PREVIEW, pk__lt=record.pk
    )
    for old in superseded:
        old.status = DirectoryImport.Status.DISCARDED
        old.outcome = {"superseded_by": record.pk}
        old.decided_at = now
        old.save(update_fields=["status", "outcome", "decided_at"])
    return record


def status_label(record: DirectoryImport) -> str:
    """A record's state as the history shows it: why a closed record was not imported."""
    outcome = record.outcome or {}
    if outcome.get("closed") == CLOSED_ERRORS:
        return "有错误，未导入"
    if outcome.get("closed") == CLOSED_UNCHANGED:
        return "无变化"
    if outcome.get("superseded_by"):
        return "已被新上传取代"
    return record.get_status_display()


SUMMARY_LABELS = [
    ("units_create", "新建单位"),
    ("units_change", "单位变更"),
    ("sections_create", "新建科室"),
    ("people_create", "新建人员"),
    ("people_change", "人员变更"),
    ("people_reactivate", "重新启用人员"),
    ("people_deactivate", "停用人员"),
    ("roles_grant", "授予角色"),
    ("roles_change", "职务变更"),
    ("roles_revoke", "撤销角色"),
]


def change_summary(counts: dict) -> str:
    """ "新建单位 2，新建科室 3，新建人员 5，停用人员 1…": the kinds of change a plan makes."""
    return "，".join(f"{label} {counts[key]}" for key, label in SUMMARY_LABELS if counts.get(key))


def apply_directory_import(record: DirectoryImport, *, by) -> DirectoryImport:
    """Apply a previewed plan in one transaction, or refuse (nothing written)."""
    try:
        return _apply_record(record, by=by)
    except IntegrityError as exc:
        # The fingerprint and the lock leave only edits outside any import (the admin site)
        # to collide with the plan: refused, as a changed directory is.
        log.warning("directory import %s refused: %s", record.pk, exc)
        raise Conflict(
            "导入时通讯录已有变动（登录名、工号或单位与他人的修改冲突），未做任何修改：请重新上传表格并核对。",
            f"integrity error while applying: {exc}",
        ) from None


@transaction.atomic
def _apply_record(record: DirectoryImport, *, by) -> DirectoryImport:
    lock_directory()
    record = DirectoryImport.objects.select_for_update().get(pk=record.pk)
    plan = record.plan
    if plan.get("errors"):
        raise Refused("通讯录中有错误，不能导入：请改正后重新上传。", "the plan has errors")
    if record.outcome.get("closed") == CLOSED_UNCHANGED:
        return record  # nothing to apply: the sheet already matched (closed when previewed)
    if record.outcome.get("superseded_by"):
        raise Refused(
            "之后又上传了新的通讯录，该预览已作废：请核对最新的一次上传。",
            f"directory import {record.pk} was superseded by {record.outcome['superseded_by']}",
        )
    if record.status != DirectoryImport.Status.PREVIEW:
        raise Refused(
            "该导入已处理过，不能再次确认。", f"directory import {record.pk} is {record.status}"
        )
    if plan.get("version") != PLAN_VERSION or load_snapshot().fingerprint != plan.get(
        "fingerprint"
    ):
        raise Conflict(
            "预览之后通讯录已有变动（他人修改或另一次导入），为免覆盖，请重新上传表格并核对。",
            "the directory changed since the preview",
        )
    apply_plan(plan)
    record.status = DirectoryImport.Status.APPLIED
    record.outcome = {"applied": counts(plan), "by": by.pk if by else None}
    record.decided_at = timezone.now()
    record.save(update_fields=["status", "outcome", "decided_at"])
    log.info("directory import %s applied: %s", record.pk, counts(plan))
    return record


@transaction.atomic
def discard_directory_import(record: DirectoryImport, *, by) -> DirectoryImport:
    record = DirectoryImport.objects.select_for_update().get(pk=record.pk)
    if record.status != DirectoryImport.Status.PREVIEW:
        raise Refused("该导入已处理过。", f"directory import {record.pk} is {record.status}")
    record.status = DirectoryImport.Status.DISCARDED
    record.outcome = {"discarded_by": by.pk if by else None}
    record.decided_at = timezone.now()
    record.save(update_fields=["status", "outcome", "decided_at"])
    return record
