"""Reading a draft in the background (the worker's task, zhenggai.ledger.tasks): a scan by OCR
or a legacy file through LibreOffice, page by page, within ZHENGGAI_IMPORT_READ_SECONDS.

A draft is READING until a task has read it (OPEN, with its outline) or could not (FAILED, with
the reason in Chinese). Nothing is lost when no worker runs: the draft and its file wait, and
the preview says plainly that the reading is late. A task on a draft another task is reading,
or on one that is read already, does nothing; the page images live in a folder of the draft's
own, served only through the preview's access check.
"""

import logging
import shutil
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhenggai.intake import IntakeError, parse_file
from zhenggai.ledger.import_drafts import (
    as_draft_json,
    checked_document,
    draft_kind,
    require_may_import,
    unreadable,
)
from zhenggai.ledger.models import ImportDraft
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.lib.storage import local_copy
from zhenggai.rounds.models import NewRoundDraft
from zhenggai.rounds.services import may_create_rounds

log = logging.getLogger(__name__)

MODELS = {"import": ImportDraft, "new_round": NewRoundDraft}
# Beyond the time limit, how long a reading may take to be recorded (or a queued one to be
# taken by a worker that checks every half minute) before the draft is called late.
GRACE = timedelta(seconds=60)
FAILED_ZH = "识别时出错，请重新上传；如仍出错，请联系系统管理员。"
GAVE_UP_ZH = "多次识别未能完成，文件可能过大或已损坏，请拆分或改用文字版后重新上传。"


class ReadingStopped(Exception):
    """Raised from the progress callback to stop a reader between pages."""


def pages_dir(draft: ImportDraft | NewRoundDraft) -> Path:
    """The folder a draft's page images are kept in: in the data directory, outside any web
    root, and outside the file storage, whose files no row names are swept away (lib/sweep)."""
    return Path(settings.DATA_DIR) / "import-pages" / f"{draft_kind(draft)}-{draft.pk}"


def read_limit() -> timedelta:
    return timedelta(seconds=settings.IMPORT_READ_SECONDS)


def is_late(draft: ImportDraft | NewRoundDraft, now=None) -> bool:
    """Whether a draft is still being read long after it should have been: no worker runs,
    or it died while reading."""
    if draft.status != type(draft).Status.READING:
        return False
    since = draft.reading_started_at or draft.created_at
    return (now or timezone.now()) - since > read_limit() + GRACE


def read_draft(kind: str, pk: int) -> dict:
    """Read the draft `kind`/`pk` (the task's body): its outline, or why it has none."""
    draft = _claim(MODELS[kind], pk)
    if draft is None:
        return {"draft": f"{kind}-{pk}", "read": False}
    folder = pages_dir(draft)
    shutil.rmtree(folder, ignore_errors=True)  # what an earlier, dead task left
    folder.mkdir(parents=True, exist_ok=True)
    progress = _Progress(draft)
    try:
        with local_copy(draft.file) as path:  # a temporary copy when the store is S3
            document = parse_file(
                path, progress=progress, workdir=folder, timeout=settings.IMPORT_READ_SECONDS
            )
        document = checked_document(document, draft.original_name)
    except ReadingStopped as exc:
        return _fail(draft, str(exc), "stopped")
    except IntakeError as exc:
        return _fail(draft, unreadable(draft.original_name, exc).message, str(exc))
    except Refused as exc:
        return _fail(draft, exc.message, exc.reason)
    except Exception as exc:  # a reader's bug must not leave the draft reading for ever
        log.exception("reading %s %s failed", kind, pk)
        return _fail(draft, FAILED_ZH, repr(exc))
    return _finish(draft, document, folder)


def _claim(model, pk: int):
    """The draft, marked as taken by this task (one more attempt at reading it); None when it
    is read already, discarded, or being read by a task that is still within its time limit."""
    with transaction.atomic():
        draft = model.objects.select_for_update().filter(pk=pk).first()
        if draft is None or draft.status != model.Status.READING:
            return None
        now = timezone.now()
        started = draft.reading_started_at
        if started is not None and now - started <= read_limit() + GRACE:
            return None
        draft.reading_started_at = now
        draft.pages_done = draft.pages_total = 0
        draft.reading_attempts += 1
        draft.save(
            update_fields=["reading_started_at", "pages_done", "pages_total", "reading_attempts"]
        )
    log.info("reading %s %s (%s)", model._meta.model_name, pk, draft.original_name)
    return draft


class _Progress:
    """The reader's progress callback: pages done written to the draft (one UPDATE), and the
    reading stopped once its time is up or the draft was discarded meanwhile."""

    def __init__(self, draft):
        self.rows = type(draft).objects.filter(pk=draft.pk, status=type(draft).Status.READING)
        self.seconds = settings.IMPORT_READ_SECONDS
        self.deadline = time.monotonic() + self.seconds
        self.done = self.total = 0

    def __call__(self, done: int, total: int) -> None:
        if time.monotonic() > self.deadline:
            raise ReadingStopped(
                f"识别超时：超过 {self.seconds} 秒仍未读完（已识别 {self.done}/{self.total} 页）。"
                "请将文件拆分后分批导入，或提供 Word、文本版本。"
            )
        self.done, self.total = done, total
        if not self.rows.update(pages_done=done, pages_total=total):
            raise ReadingStopped("该草稿已放弃，未继续识别。")


def give_up(model, pk: int, now=None) -> bool:
    """Fail a draft still reading late whose tasks all died (the worker queues no more):
    whether it was given up."""
    with transaction.atomic():
        draft = model.objects.select_for_update().filter(pk=pk).first()
        if draft is None or not is_late(draft, now):
            return False
        draft.status = model.Status.FAILED
        draft.failure = GAVE_UP_ZH
        draft.save(update_fields=["status", "failure"])
        transaction.on_commit(lambda: remove_files(draft))
    log.warning(
        "gave up reading %s %s after %s attempts",
        model._meta.model_name,
        pk,
        draft.reading_attempts,
    )
    return True


def _fail(draft, message: str, reason: str) -> dict:
    """Record why `draft` cannot be read; its file and page images are not kept (as a file
    the request could not read is not)."""
    model = type(draft)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=draft.pk)
        given_up = not_needed(locked)
        if locked.status == model.Status.READING:
            locked.status = model.Status.FAILED
            locked.failure = message[:500]
            locked.save(update_fields=["status", "failure"])
            transaction.on_commit(lambda: remove_files(locked))
    if given_up:  # discarded meanwhile: the reader may have kept a page since its folder went
        remove_files(locked)
    log.info("%s %s could not be read: %s", model._meta.model_name, draft.pk, reason)
    return {"draft": f"{draft_kind(draft)}-{draft.pk}", "read": False, "reason": reason}


def _finish(draft, document, folder: Path) -> dict:
    """Keep the outline read on the draft, now open for its uploader to check. Page images
    are named relative to the draft's folder, so that the data folder may move."""
    parsed = as_draft_json(document, draft.original_name)
    for page in parsed.get("pages", []):
        page["image"] = _inside(folder, page.get("image"))
    _prune(folder, {page["image"] for page in parsed.get("pages", []) if page["image"]})
    model = type(draft)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=draft.pk)
        if locked.status != model.Status.READING:  # discarded while it was read
            if not_needed(locked):
                remove_files(locked)
            return {"draft": f"{draft_kind(draft)}-{draft.pk}", "read": False}
        locked.parsed = parsed
        locked.status = model.Status.OPEN
        locked.pages_done = locked.pages_total = len(parsed.get("pages", []))
        locked.save(update_fields=["parsed", "status", "pages_done", "pages_total"])
    log.info("%s %s read: %s problems", model._meta.model_name, draft.pk, len(document.problems))
    return {"draft": f"{draft_kind(draft)}-{draft.pk}", "read": True}


def not_needed(draft) -> bool:
    """Whether a draft's file and page images may go: it failed or was discarded (an open
    draft's, even one another task read, are its preview's; an imported one's are gone)."""
    return draft.status in (type(draft).Status.FAILED, type(draft).Status.DISCARDED)


def sweep_page_folders(now: float, age: float) -> list[str]:
    """Remove the page folders, older than `age`, of drafts that are neither being read nor
    open (or are gone): what a reading cut short left (lib/sweep runs this once a day)."""
    root = Path(settings.DATA_DIR) / "import-pages"
    folders: dict[str, dict[int, Path]] = {kind: {} for kind in MODELS}
    for entry in root.iterdir() if root.is_dir() else ():
        kind, _, pk = entry.name.rpartition("-")
        if kind in MODELS and pk.isdigit() and now - entry.lstat().st_mtime > age:
            folders[kind][int(pk)] = entry
    removed = []
    for kind, found in folders.items():
        model = MODELS[kind]
        needed = model.objects.filter(
            pk__in=list(found), status__in=[model.Status.READING, model.Status.OPEN]
        )
        for pk in set(found) - set(needed.values_list("pk", flat=True)):
            shutil.rmtree(found[pk], ignore_errors=True)
            removed.append(found[pk].name)
    return removed


def _inside(folder: Path, image: str | None) -> str | None:
    """`image` as a path relative to `folder`, or None when it lies elsewhere."""
    if not image:
        return None
    try:
        return Path(image).resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return None


def _prune(folder: Path, images: set[str]) -> None:
    """Keep only the page images in the draft's folder (not, say, the .docx a .doc became)."""
    kept = {image.split("/")[0] for image in images}
    for entry in folder.iterdir():
        if entry.name in kept:
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    if not images:
        folder.rmdir()


def remove_files(draft) -> None:
    """Delete a draft's file and page images (the draft stays, as a record)."""
    if draft.file:
        draft.file.delete(save=False)
    remove_page_images(draft)


def remove_page_images(draft) -> None:
    """Delete a draft's page images: once it is imported, only its preview showed them."""
    shutil.rmtree(pages_dir(draft), ignore_errors=True)


def page_image(draft, number: int) -> Path | None:
    """The image of page `number` of a draft's scan, if it has one."""
    folder = pages_dir(draft)
    for page in draft.parsed.get("pages", []):
        if page.get("number") == number and page.get("image"):
            path = folder / page["image"]
            # The name comes from the draft's JSON: it must not lead out of the draft's folder.
            inside = _inside(folder, str(path)) is not None
            return path if inside and path.is_file() else None
    return None


def discard_draft(draft: ImportDraft | NewRoundDraft, *, by) -> None:
    """Give up a draft not yet imported (being read, open or failed): its file and page images
    are deleted; a task still reading it stops at its next page."""
    model = type(draft)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=draft.pk)
        _require_may_handle(locked, by)
        if locked.status in (model.Status.IMPORTED, model.Status.DISCARDED):
            raise Refused(
                "该草稿已处理。", f"{model._meta.model_name} {locked.pk} is {locked.status}"
            )
        locked.status = model.Status.DISCARDED
        locked.save(update_fields=["status"])
        transaction.on_commit(lambda: remove_files(locked))
    draft.status = locked.status


def _require_may_handle(draft, by) -> None:
    if isinstance(draft, ImportDraft):
        require_may_import(by, draft.round)
    elif draft.created_by_id != by.pk or not may_create_rounds(by):
        raise NotAllowed("这不是您上传的文件。", f"{by} may not handle new round draft {draft.pk}")
