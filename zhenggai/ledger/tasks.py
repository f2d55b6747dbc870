"""Background work of the ledger, run by `zhenggai worker` through django-tasks' database
backend: reading an uploaded scan or legacy file into its import draft, and applying a big
progress import."""

from django_tasks import task

from zhenggai.ledger import import_background, progress_background


@task()
def read_import_draft(kind: str, pk: int) -> dict:
    """Read the draft (`kind` "import" or "new_round"); a second run does nothing."""
    return import_background.read_draft(kind, pk)


@task()
def apply_progress_import_task(pk: int) -> dict:
    """Apply the confirmed progress import `pk` (APPLYING); a second run does nothing."""
    return progress_background.apply_queued(pk)
