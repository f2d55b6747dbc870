"""The ledger's history: every create, change and transition becomes one `Event` row."""

from django.db import models

from zhenggai.ledger.models import Event, Problem


def _shown_alike(pair) -> bool:
    return isinstance(pair, (list, tuple)) and len(pair) == 2 and str(pair[0]) == str(pair[1])


def record(
    action: str,
    obj: models.Model,
    *,
    by,
    problem: Problem | None,
    changes: dict | None = None,
    note: str = "",
    round=None,
) -> Event | None:
    """Write one history row. `changes` maps a field's label to [before, after] as shown.

    A pair that shows alike on both sides ("—" → "—", an empty text becoming no value) is no
    change and is left out; a change of nothing but such pairs writes no row at all."""
    asked = changes or {}
    changes = {label: pair for label, pair in asked.items() if not _shown_alike(pair)}
    if asked and not changes and action == Event.Action.CHANGED and not note:
        return None
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
