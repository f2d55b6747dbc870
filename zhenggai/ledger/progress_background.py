"""Applying a big progress import in the background (the worker's task,
zhenggai.ledger.tasks.apply_progress_import_task), so that confirming a sheet of thousands of
rows does not hold the request past the web server's time limit.

A confirmed import with more rows to apply than settings.PROGRESS_IMPORT_INLINE_ROWS is APPLYING
(with who confirmed it and when, in `outcome["applying"]`) until a task has applied it, in one
transaction and with the rights of the uploader who confirmed it checked again, exactly as in
the request (`progress_import.apply_progress_import`). A task that cannot apply it puts it
back to PREVIEW with the reason in Chinese (`outcome["failure"]`), nothing applied: the uploader
may confirm again or discard it. A task that died (the worker killed) leaves it APPLYING; the
worker's periodic check queues another (`requeue_late_applies`), and gives up after
MAX_APPLIES tasks took it.
"""

import logging
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tasks_db.models import DBTaskResult

from zhenggai.ledger import progress_import
from zhenggai.ledger.models.progress_imports import ProgressImport
from zhenggai.lib.errors import Refused

log = logging.getLogger(__name__)

APPLYING = ProgressImport.Status.APPLYING
# A queued task not taken within this time means no worker runs (it checks every half minute).
GRACE = timedelta(seconds=60)
# The time a task may take to apply a row, with room to spare (about 5 ms a row on a quiet
# two-core machine): a task running longer than GRACE plus this per row has died.
PER_ROW = timedelta(milliseconds=50)
MAX_APPLIES = 2
FAILED_ZH = "导入时出错，未导入任何修改；请稍后重新确认，如仍出错，请联系系统管理员。"
GAVE_UP_ZH = "后台多次导入未能完成，未导入任何修改；请将填报表拆分后分批导入，或联系系统管理员。"


def queue_apply(imp: ProgressImport, *, by) -> ProgressImport:
    """Mark the import APPLYING, confirmed by `by`, and queue the worker's task once that is
    committed."""
    from zhenggai.ledger.tasks import apply_progress_import_task  # it imports this module

    with transaction.atomic():
        imp = progress_import.queue_for_worker(imp, by=by)
        pk = imp.pk
        transaction.on_commit(lambda: apply_progress_import_task.enqueue(pk))
    log.info("progress import %s queued: %s rows", pk, progress_import.rows_to_apply(imp))
    return imp


def time_limit(imp: ProgressImport) -> timedelta:
    """How long a task may take to apply `imp` before it is taken to have died."""
    return GRACE + PER_ROW * progress_import.rows_to_apply(imp)


def _at(imp: ProgressImport, name: str) -> datetime | None:
    value = imp.outcome.get("applying", {}).get(name)
    return parse_datetime(value) if value else None


def is_late(imp: ProgressImport, now: datetime | None = None) -> bool:
    """Whether an APPLYING import waits longer than it should: no worker took its task, or the
    task that took it died."""
    if imp.status != APPLYING:
        return False
    now = now or timezone.now()
    started = _at(imp, "started_at")
    if started is None:
        queued = _at(imp, "queued_at") or imp.created_at
        return now - queued > GRACE
    return now - started > time_limit(imp)


def apply_queued(pk: int) -> dict:
    """The task's body: apply the APPLYING import `pk` as the user who confirmed it; a second
    task, or one on an import applied, failed or being applied by a live task, does nothing."""
    claimed = _claim(pk)
    if claimed is None:
        return {"import": pk, "applied": False}
    imp, by = claimed
    try:
        imp = progress_import.apply_progress_import(imp, by=by, status=APPLYING)
    except Refused as exc:
        return _fail(pk, exc.message, exc.reason)
    except Exception as exc:  # a bug must not leave the import APPLYING for ever
        log.exception("applying progress import %s failed", pk)
        return _fail(pk, FAILED_ZH, repr(exc))
    return {"import": pk, "applied": True, "counts": imp.outcome["applied"]}


def _claim(pk: int):
    """The import and who confirmed it, marked as taken by this task (one more attempt); None
    when it is not APPLYING or a task still within its time limit has it."""
    with transaction.atomic():
        imp = ProgressImport.objects.select_for_update().defer("rows").filter(pk=pk).first()
        if imp is None or imp.status != APPLYING:
            return None
        now = timezone.now()
        started = _at(imp, "started_at")
        if started is not None and now - started <= time_limit(imp):
            return None
        applying = imp.outcome.get("applying", {})
        attempts = applying.get("attempts", 0) + 1
        applying.update(started_at=now.isoformat(), attempts=attempts)
        imp.outcome = {**imp.outcome, "applying": applying}
        imp.save(update_fields=["outcome"])
    by = get_user_model().objects.filter(pk=applying.get("by")).first()
    if by is None:  # the user is gone: as refused as one who lost the right
        _fail(pk, "确认导入的用户已不存在，未导入任何修改。", f"user {applying.get('by')} gone")
        return None
    log.info("applying progress import %s (attempt %s)", pk, attempts)
    return imp, by


def _fail(pk: int, message: str, reason: str) -> dict:
    """Put the import back to PREVIEW with why it was not applied (nothing of it is)."""
    with transaction.atomic():
        imp = ProgressImport.objects.select_for_update().defer("rows").get(pk=pk)
        if imp.status == APPLYING:
            _back_to_preview(imp, message)
    log.info("progress import %s not applied: %s", pk, reason)
    return {"import": pk, "applied": False, "reason": reason}


def _back_to_preview(imp: ProgressImport, message: str) -> None:
    outcome = {k: v for k, v in imp.outcome.items() if k != "applying"}
    imp.outcome = {**outcome, "failure": message[:500]}
    imp.status = ProgressImport.Status.PREVIEW
    imp.save(update_fields=["outcome", "status"])


def requeue_late_applies(now: datetime | None = None) -> list[str]:
    """Queue the applying of every late APPLYING import without a live task, or give it up once
    MAX_APPLIES tasks took it: what was done, for the worker's log."""
    from zhenggai.ledger.tasks import apply_progress_import_task

    now = now or timezone.now()
    done = []
    for imp in ProgressImport.objects.filter(status=APPLYING).defer("rows"):
        if not is_late(imp, now) or _has_live_task(imp, now):
            continue
        if imp.outcome.get("applying", {}).get("attempts", 0) >= MAX_APPLIES:
            if _give_up(imp.pk, now):
                done.append(f"gave up applying progress import {imp.pk}")
        else:
            apply_progress_import_task.enqueue(imp.pk)
            done.append(f"apply_progress_import_task {imp.pk}")
    return done


def _give_up(pk: int, now: datetime) -> bool:
    """Fail an import still APPLYING late whose tasks all died: whether it was given up."""
    with transaction.atomic():
        imp = ProgressImport.objects.select_for_update().defer("rows").get(pk=pk)
        if not is_late(imp, now):
            return False
        _back_to_preview(imp, GAVE_UP_ZH)
    log.warning("gave up applying progress import %s", pk)
    return True


def _has_live_task(imp: ProgressImport, now: datetime) -> bool:
    """Whether a task waits to apply the import, or one started within its time limit applies
    it (a task that ran longer died)."""
    from zhenggai.ledger.tasks import apply_progress_import_task

    tasks = DBTaskResult.objects.filter(
        task_path=apply_progress_import_task.module_path, args_kwargs__args=[imp.pk]
    )
    since = now - time_limit(imp)
    return tasks.filter(Q(status="READY") | Q(status="RUNNING", started_at__gte=since)).exists()
