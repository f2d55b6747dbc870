"""The demo's import waiting to be checked: a scanned notice the inspection office uploaded to
set up a new round from, read by OCR as the worker reads one (its faint line marked)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from zhenggai.ledger.import_background import read_draft
from zhenggai.ledger.import_samples import FOLDER
from zhenggai.ledger.imports import start_new_round_import
from zhenggai.rounds.models import NewRoundDraft

SCAN = "扫描的整改通报.png"


def load_scan_draft(user) -> NewRoundDraft:
    """The scan uploaded by `user` and read now, rather than by the worker once `make run`
    starts it: the draft is ready when the newcomer first signs in (the task queued with it
    then finds it read and does nothing)."""
    upload = SimpleUploadedFile(SCAN, (FOLDER / SCAN).read_bytes())
    draft = start_new_round_import(upload, by=user)
    read_draft("new_round", draft.pk)
    draft.refresh_from_db()
    return draft
