"""Reading a draft again when its task died (the worker killed mid-reading, by the machine
running out of memory, say): django-tasks does not run a task again, so the worker's periodic
check (zhenggai.supervision.schedule) queues another for each draft still reading late that no
task is reading or waiting to read. A file that kills the worker each time fails after
MAX_READINGS tasks took it, with a reason in Chinese, rather than being read for ever.
"""

import logging
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zhenggai.ledger import import_background
from zhenggai.ledger.import_background import GRACE, MODELS, read_limit
from zhenggai.ledger.tasks import read_import_draft

log = logging.getLogger(__name__)

MAX_READINGS = 2


def requeue_late_readings(now: datetime | None = None) -> list[str]:
    """Queue a reading of every late draft without a live task, or give it up once it was
    taken MAX_READINGS times: what was done, for the worker's log."""
    now = now or timezone.now()
    cutoff = now - read_limit() - GRACE
    done = []
    for kind, model in MODELS.items():
        late = model.objects.filter(status=model.Status.READING).filter(
            Q(reading_started_at__lt=cutoff)
            | Q(reading_started_at__isnull=True, created_at__lt=cutoff)
        )
        for pk, attempts in late.values_list("pk", "reading_attempts"):
            if _has_live_task(kind, pk, cutoff):
                continue
            if attempts >= MAX_READINGS:
                if import_background.give_up(model, pk, now):
                    done.append(f"gave up reading {kind} {pk}")
            else:
                read_import_draft.enqueue(kind, pk)
                done.append(f"read_import_draft {kind} {pk}")
    return done


def _has_live_task(kind: str, pk: int, cutoff: datetime) -> bool:
    """Whether a task waits to read the draft, or one started since `cutoff` reads it (a task
    that ran longer died: its own time limit stops a reading that is alive)."""
    tasks = DBTaskResult.objects.filter(
        task_path=read_import_draft.module_path, args_kwargs__args=[kind, pk]
    )
    return tasks.filter(Q(status="READY") | Q(status="RUNNING", started_at__gte=cutoff)).exists()
