"""The history's hash chain: each unit's rows are linked by SHA-256 so that a row changed,
removed or slipped in afterwards is found by `verify`.

A row's hash is SHA-256 over a canonical JSON object (keys sorted, no spaces, UTF-8) of its
content — unit, round, problem, actor, time (ISO 8601, UTC, microseconds), action, object type and
id, changes, note — with its sequence number in the unit's chain and the previous row's hash
(`GENESIS` before the first). The head (`HistoryChain`) holds the last sequence number and hash,
so a tail cut off shows too.

Tamper-evident, not tamper-proof: whoever can write to the database can also recompute every
hash after an edit. What catches that is a head recorded outside the database — the output of
`zhenggai history verify` kept with the backups or on paper — checked later with `--expect`:
a chain rewritten from an earlier row no longer passes through the recorded head.

The format is fixed (FORMAT): the data migration that chained the rows already there
(0024_chain_history) holds its own copy of FORMAT 1's `digest`, so a change of it needs a new
FORMAT and a migration that chains anew.
"""

import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

from zhenggai.ledger.models import GENESIS, Event, HistoryChain

FORMAT = 1
BATCH = 2000  # rows a query when chaining anew (SQLite allows 32,766 parameters)

# The columns `digest` reads, in this order (with the row's id and stored hash around them).
CONTENT = (
    "chain_unit_id",
    "seq",
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


def _utc(at: datetime) -> str:
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def digest(
    previous: str,
    chain_unit_id: int,
    seq: int,
    round_id: int,
    problem_id: int | None,
    actor_id: int | None,
    at: datetime,
    action: str,
    object_type: str,
    object_id: int,
    changes,
    note: str,
    *,
    plain: bool = False,
) -> str:
    """The hash of one row, linked to the previous row's hash. `plain`: `changes` is as JSON
    gives it back (as read from the database), so need not be put through it first."""
    if not plain:
        # As the database will give it back: tuples become lists, number keys strings (which
        # sort_keys could not compare with string keys).
        changes = json.loads(json.dumps(changes))
    content = {
        "format": FORMAT,
        "previous": previous,
        "unit": chain_unit_id,
        "seq": seq,
        "round": round_id,
        "problem": problem_id,
        "actor": actor_id,
        "at": _utc(at),
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "changes": changes,
        "note": note,
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def seal(event: Event, head: HistoryChain) -> None:
    """Make `event` the next link of the (locked) `head`'s chain, and move the head on."""
    event.chain_unit_id = head.unit_id
    event.seq = head.seq + 1
    event.hash = digest(head.hash, *(getattr(event, name) for name in CONTENT))
    head.seq, head.hash = event.seq, event.hash


def lock_heads(unit_ids: Iterable[int]) -> dict[int, HistoryChain]:
    """The chain heads of `unit_ids`, locked until the transaction ends (created when a unit has
    none yet). Locked in the order of the units' ids, so two writers never wait on each other."""
    ids = sorted(set(unit_ids))
    heads = _locked(ids)
    missing = [unit_id for unit_id in ids if unit_id not in heads]
    if missing:
        # A concurrent first writer of a unit may insert its head at the same moment: the
        # conflict waits for it and is ignored, and the row is then locked as any other.
        HistoryChain.objects.bulk_create(
            [HistoryChain(unit_id=unit_id) for unit_id in missing], ignore_conflicts=True
        )
        heads.update(_locked(missing))
    return heads


def _locked(ids: list[int]) -> dict[int, HistoryChain]:
    if not ids:
        return {}
    query = HistoryChain.objects.select_for_update().order_by("pk")
    query = query.filter(pk=ids[0]) if len(ids) == 1 else query.filter(pk__in=ids)
    return {head.unit_id: head for head in query}


# Verifying


class Kind:
    CHANGED = "content changed"
    MISSING = "row missing"
    INSERTED = "row inserted"
    HEAD = "head mismatch"
    EXPECTED = "recorded head mismatch"


@dataclass(frozen=True)
class Break:
    """The first broken link of a unit's chain."""

    kind: str
    seq: int | None
    event_id: int | None
    at: datetime | None
    detail: str


@dataclass
class UnitChain:
    """What `verify` found of one unit's chain."""

    unit_id: int
    count: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    broken: Break | None = None
    expected: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.broken is None

    @property
    def recorded(self) -> str:
        """The head as `--expect` takes it back."""
        return f"{self.unit_id}:{self.head_seq}:{self.head_hash}"


@dataclass(frozen=True)
class Row:
    id: int
    hash: str
    chain_unit_id: int
    seq: int
    content: tuple

    @property
    def at(self) -> datetime:
        return self.content[3]


def parse_expected(text: str) -> tuple[int, int, str]:
    """A head recorded as UNIT:SEQ:HASH."""
    parts = text.strip().split(":")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        raise ValueError(f"not UNIT:SEQ:HASH: {text!r}")
    unit, seq, hash = int(parts[0]), int(parts[1]), parts[2].lower()
    if len(hash) != 64 or any(c not in "0123456789abcdef" for c in hash):
        raise ValueError(f"not a SHA-256 in hex: {parts[2]!r}")
    return unit, seq, hash


def verify(
    unit: int | None = None, expected: Iterable[tuple[int, int, str]] = ()
) -> list[UnitChain]:
    """Walk every unit's chain (or one unit's) in order and report, per unit, its length and
    head or its first broken link. `expected` are heads recorded earlier (unit, seq, hash):
    the row at that seq must still carry that hash."""
    heads = HistoryChain.objects.order_by("pk")
    rows = Event.objects.filter(chain_unit__isnull=False, seq__isnull=False)
    rows = rows.order_by("chain_unit", "seq")
    # Outside every chain: a row without its unit or its place in it (the check constraint
    # `event_chained` refuses such a row but the one written with no link at all; whoever
    # can write to the database can drop the constraint too).
    loose = Event.objects.filter(models.Q(chain_unit__isnull=True) | models.Q(seq__isnull=True))
    if unit is not None:
        heads, rows = heads.filter(pk=unit), rows.filter(chain_unit=unit)
        loose = loose.filter(
            models.Q(chain_unit=unit) | models.Q(chain_unit__isnull=True, round__unit=unit)
        )
    chains = {head.unit_id: UnitChain(head.unit_id) for head in heads}
    head_of = {head.unit_id: head for head in heads}
    for unit_id, seq, hash in expected:
        if unit is None or unit_id == unit:
            chains.setdefault(unit_id, UnitChain(unit_id)).expected[seq] = hash
    for unit_id, unit_rows in itertools.groupby(_rows(rows), key=lambda row: row.chain_unit_id):
        chain = chains.setdefault(unit_id, UnitChain(unit_id))
        _walk(chain, unit_rows)
    for chain in chains.values():
        _check_head(chain, head_of.get(chain.unit_id))
    _check_loose(chains, loose)
    return [chains[unit_id] for unit_id in sorted(chains)]


def _rows(query) -> Iterator[Row]:
    columns = ("id", "hash", *CONTENT)
    for values in query.values_list(*columns).iterator(chunk_size=2000):
        yield Row(values[0], values[1], values[2], values[3], values[4:])


def _walk(chain: UnitChain, rows: Iterable[Row]) -> None:
    previous, expected_seq = GENESIS, 1
    pending = iter(rows)
    for row in pending:
        broken = _link(row, previous, expected_seq)
        if broken is None and row.seq in chain.expected and chain.expected[row.seq] != row.hash:
            broken = Break(
                Kind.EXPECTED,
                row.seq,
                row.id,
                row.at,
                f"the head recorded at seq {row.seq} was {chain.expected[row.seq]}, "
                f"the row there now hashes to {row.hash}",
            )
        if broken is not None and broken.kind == Kind.CHANGED:
            broken = _inserted_instead(row, previous, next(pending, None)) or broken
        if broken is not None:
            chain.broken = broken
            return
        chain.expected.pop(row.seq, None)
        chain.count, chain.head_seq, chain.head_hash = row.seq, row.seq, row.hash
        previous, expected_seq = row.hash, row.seq + 1


def _link(row: Row, previous: str, expected_seq: int) -> Break | None:
    if row.seq < expected_seq:
        return Break(
            Kind.INSERTED, row.seq, row.id, row.at, f"seq {row.seq} appears twice in the chain"
        )
    if row.seq > expected_seq:
        gap = f"{expected_seq}" if row.seq == expected_seq + 1 else f"{expected_seq}–{row.seq - 1}"
        return Break(
            Kind.MISSING,
            expected_seq,
            row.id,
            row.at,
            f"no row with seq {gap}; the next row is event {row.id} at seq {row.seq}",
        )
    if digest(previous, row.chain_unit_id, row.seq, *row.content, plain=True) != row.hash:
        return Break(
            Kind.CHANGED,
            row.seq,
            row.id,
            row.at,
            f"event {row.id} no longer matches its hash (its content, its hash or its place "
            "was changed after it was written)",
        )
    return None


def _inserted_instead(row: Row, previous: str, following: Row | None) -> Break | None:
    """A row whose hash fails where the next row links to the row before it: slipped in, with
    the rows after it renumbered."""
    if following is None or following.seq != row.seq + 1:
        return None
    content = following.content
    if digest(previous, following.chain_unit_id, row.seq, *content, plain=True) != following.hash:
        return None
    return Break(
        Kind.INSERTED,
        row.seq,
        row.id,
        row.at,
        f"event {row.id} was slipped in before event {following.id}, which was written at seq "
        f"{row.seq} and renumbered",
    )


def _check_head(chain: UnitChain, head: HistoryChain | None) -> None:
    if chain.broken is None and head is None and chain.count:
        chain.broken = Break(Kind.HEAD, None, None, None, "the unit has rows but no chain head")
    elif chain.broken is None and head is not None:
        chain.broken = _head_break(chain, head)
    if chain.broken is None and chain.expected:
        seq, hash = min(chain.expected.items())
        chain.broken = Break(
            Kind.EXPECTED,
            seq,
            None,
            None,
            f"the head recorded at seq {seq} ({hash}) is past the chain's end at {chain.count}",
        )


def _head_break(chain: UnitChain, head: HistoryChain) -> Break | None:
    if head.seq > chain.count:
        return Break(
            Kind.MISSING,
            chain.count + 1,
            None,
            None,
            f"the head says seq {head.seq} but the last row is seq {chain.count}: "
            "rows at the end were removed",
        )
    if head.seq < chain.count:
        return Break(
            Kind.INSERTED,
            head.seq + 1,
            None,
            None,
            f"rows after the head's seq {head.seq} (up to {chain.count})",
        )
    if head.hash != chain.head_hash:
        return Break(
            Kind.HEAD,
            head.seq,
            None,
            None,
            f"the head's hash {head.hash} is not the last row's {chain.head_hash}",
        )
    return None


def _check_loose(chains: dict[int, UnitChain], loose) -> None:
    """Rows outside every chain (no seq, no chain unit, or neither): written past
    `ledger.history.write`. Each is put to its chain unit's chain, else to its round's unit's."""
    for event_id, unit_id, seq, round_unit_id, at in loose.order_by("id").values_list(
        "id", "chain_unit_id", "seq", "round__unit_id", "at"
    ):
        owner = unit_id or round_unit_id
        chain = chains.setdefault(owner, UnitChain(owner))
        if chain.broken is None:
            chain.broken = Break(Kind.INSERTED, seq, event_id, at, _outside(event_id, unit_id, seq))


def _outside(event_id: int, unit_id: int | None, seq: int | None) -> str:
    if unit_id is None and seq is not None:
        lacks = f"seq {seq} but no chain unit"
    elif unit_id is not None:
        lacks = f"chain unit {unit_id} but no seq"
    else:
        lacks = "no seq"
    return f"event {event_id} is outside the chain ({lacks})"


# Chaining rows already written


def chain_anew(
    event_model,
    head_model,
    unit_ids: Iterable[int] | None = None,
    *,
    using: str = DEFAULT_DB_ALIAS,
) -> int:
    """Chain the history of `unit_ids` (of every unit when None) anew, each unit's rows in
    (at, id) order, and set their heads; the rows' units are their rounds' units. Returns the
    rows chained. For a demo that moves its history back in time after writing it (and a
    bench): it makes any earlier edit of these units' history pass, so nothing else calls it.
    Takes the models and the database (`using`) so that a later migration that chains anew
    could pass its historical ones and its schema editor's connection's alias."""
    connection = connections[using]
    rows = event_model.objects.using(using).all()
    if unit_ids is not None:
        rows = rows.filter(round__unit_id__in=list(unit_ids))
    units = sorted(set(rows.values_list("round__unit_id", flat=True).distinct()))
    rows.update(seq=None, hash="", chain_unit=None)
    table = connection.ops.quote_name(event_model._meta.db_table)
    sql = f"UPDATE {table} SET chain_unit_id = %s, seq = %s, hash = %s WHERE id = %s"  # nosec B608
    count, heads = 0, []
    for unit_id in units:
        # The ids first, then the rows a batch at a time: no cursor left open on the table
        # while it is written, and a unit's whole history never in memory at once.
        ids = list(
            rows.filter(round__unit_id=unit_id).order_by("at", "id").values_list("id", flat=True)
        )
        previous = GENESIS
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            content = {
                values[0]: values[1:]
                for values in event_model.objects.using(using)
                .filter(pk__in=chunk)
                .values_list("id", *CONTENT[2:])
            }
            batch = []
            for seq, event_id in enumerate(chunk, start + 1):
                previous = digest(previous, unit_id, seq, *content[event_id], plain=True)
                batch.append((unit_id, seq, previous, event_id))
            with connection.cursor() as cursor:
                cursor.executemany(sql, batch)
        count += len(ids)
        heads.append(head_model(unit_id=unit_id, seq=len(ids), hash=previous))
    head_model.objects.using(using).filter(unit_id__in=units).delete()
    head_model.objects.using(using).bulk_create(heads, batch_size=1000)
    return count
