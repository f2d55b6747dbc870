"""The ledger's history: every create, change and transition becomes one `Event` row.

`write` is the one place rows are inserted: it links each to its unit's hash chain
(`ledger/history_chain.py`) in the transaction that inserts it."""

from django.db import models, transaction

from zhenggai.ledger import history_chain
from zhenggai.ledger.models import Event, Problem
from zhenggai.rounds.models import InspectionRound

BATCH = 500


def write(events: list[Event], *, units: dict[int, int] | None = None) -> list[Event]:
    """Insert `events` (unsaved), each as the next link of its round's unit's chain, in order.

    The units' chain heads are locked until the caller's transaction ends: take them last, after
    the problems and measures the caller locks (the project's lock order), so that two writers
    never wait on each other. `units` maps round ids to unit ids when the caller knows them
    (otherwise the rounds are read, or taken from `event.round` when loaded)."""
    if not events:
        return []
    unit_of = dict(units or {})
    unknown = {e.round_id for e in events if e.round_id not in unit_of}
    for event in events:
        round = event._state.fields_cache.get("round")
        if event.round_id in unknown and round is not None:
            unit_of[event.round_id] = round.unit_id
            unknown.discard(event.round_id)
    if unknown:
        unit_of.update(InspectionRound.objects.filter(pk__in=unknown).values_list("pk", "unit_id"))
    with transaction.atomic(savepoint=False):
        heads = history_chain.lock_heads(unit_of[e.round_id] for e in events)
        for event in events:
            history_chain.seal(event, heads[unit_of[event.round_id]])
        if len(events) == 1:
            events[0].save(force_insert=True)
        else:
            Event.objects.bulk_create(events, batch_size=BATCH)
        _move_heads(heads.values())
    return events


def _move_heads(heads) -> None:
    for head in heads:
        type(head).objects.filter(pk=head.pk).update(seq=head.seq, hash=head.hash)


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
    event = Event(
        round=round or problem.round,
        problem=problem,
        actor=by,
        action=action,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        changes=changes or {},
        note=note,
    )
    return write([event])[0]
