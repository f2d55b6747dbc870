"""The ledger's history: every create, change and transition becomes one `Event` row."""

from django.db import models

from zhenggai.ledger.models import Event, Problem


def record(
    action: str,
    obj: models.Model,
    *,
    by,
    problem: Problem | None,
    changes: dict | None = None,
    note: str = "",
    round=None,
) -> Event:
    """Write one history row. `changes` maps a field's label to [before, after] as shown."""
    return Event.objects.create(
        round=round or problem.round,
        problem=problem,
        actor=by,
        action=action,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        changes=changes or {},
        note=note,
    )
