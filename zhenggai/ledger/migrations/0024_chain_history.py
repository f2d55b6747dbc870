"""Chain the history rows written before the hash chain: each unit's rows in (at, id) order,
linked as `ledger.history.write` links new ones (`ledger/history_chain.py`), and the units'
heads set. A batch of rows a query, no query a row.

Self-contained: the historical models, the schema editor's connection, and its own copy of the
chain's FORMAT 1 (`digest` below), which must stay as it is whatever the live code becomes
(a test checks that the two agree while the live FORMAT is 1)."""

import hashlib
import json
from datetime import UTC

from django.db import migrations
from django.utils import timezone

FORMAT = 1
GENESIS = "0" * 64
BATCH = 2000  # rows a query (SQLite allows 32,766 parameters)
# What the hash covers after the unit and the seq, in `digest`'s order.
CONTENT = (
    "round_id",
    "problem_id",
    "actor_id",
    "at",
    "action",
    "object_type",
    "object_id",
    "changes",
    "note",
)


def digest(previous, unit_id, seq, round_id, problem_id, actor_id, at, *rest):
    """FORMAT 1's hash of one row as read from the database (`changes` as JSON gives it back)."""
    action, object_type, object_id, changes, note = rest
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    content = {
        "format": FORMAT,
        "previous": previous,
        "unit": unit_id,
        "seq": seq,
        "round": round_id,
        "problem": problem_id,
        "actor": actor_id,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "changes": changes,
        "note": note,
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def chain(apps, schema_editor):
    connection = schema_editor.connection
    alias = connection.alias
    events = apps.get_model("ledger", "Event").objects.using(alias)
    heads = apps.get_model("ledger", "HistoryChain")
    units = sorted(set(events.values_list("round__unit_id", flat=True).distinct()))
    events.update(seq=None, hash="", chain_unit=None)
    table = connection.ops.quote_name(events.model._meta.db_table)
    sql = f"UPDATE {table} SET chain_unit_id = %s, seq = %s, hash = %s WHERE id = %s"  # nosec B608
    chained = []
    for unit_id in units:
        # The ids first, then the rows a batch at a time: no cursor left open on the table
        # while it is written, and a unit's whole history never in memory at once.
        ids = list(
            events.filter(round__unit_id=unit_id).order_by("at", "id").values_list("id", flat=True)
        )
        previous = GENESIS
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            content = {
                values[0]: values[1:]
                for values in events.filter(pk__in=chunk).values_list("id", *CONTENT)
            }
            batch = []
            for seq, event_id in enumerate(chunk, start + 1):
                previous = digest(previous, unit_id, seq, *content[event_id])
                batch.append((unit_id, seq, previous, event_id))
            with connection.cursor() as cursor:
                cursor.executemany(sql, batch)
        chained.append(heads(unit_id=unit_id, seq=len(ids), hash=previous))
    heads.objects.using(alias).all().delete()
    heads.objects.using(alias).bulk_create(chained, batch_size=1000)


def unchain(apps, schema_editor):
    alias = schema_editor.connection.alias
    apps.get_model("ledger", "Event").objects.using(alias).update(
        seq=None, hash="", chain_unit=None
    )
    apps.get_model("ledger", "HistoryChain").objects.using(alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [("ledger", "0023_history_chain")]

    operations = [migrations.RunPython(chain, unchain)]
