"""A row outside the chain: without its chain unit, its seq or its hash. The database refuses a
row with some of them but not all (the check constraint `event_chained`), and `history verify`
reports every such row all the same, for whoever can write to the database can drop the
constraint too; so does it a row in the chain of a unit that has no chain head."""

import importlib
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from zhenggai.ledger import history_chain, services
from zhenggai.ledger.history_chain import GENESIS, Kind, digest, verify
from zhenggai.ledger.models import Event, HistoryChain
from zhenggai.ledger.tests.test_history_chain import busy, rows

chain_history = importlib.import_module("zhenggai.ledger.migrations.0024_chain_history")


@contextmanager
def unchecked():
    """The check constraint off, as whoever writes to the database past the program can have
    it (undone with the test's transaction on PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        else:
            # Foreign keys checked at commit would keep the table from being altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE ledger_event DROP CONSTRAINT event_chained")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
            else:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def forged(world, **fields) -> Event:
    """A fake 已销号 transition of the unit's first problem, inserted past `history.write`."""
    problem = world.round.problems.order_by("pk").first()
    event = Event(
        round=world.round,
        problem=problem,
        actor=world.leader,
        action=Event.Action.TRANSITION,
        object_type="problem",
        object_id=problem.pk,
        changes={"状态": ["整改中", "已销号"]},
        note="伪造的销号",
        **fields,
    )
    event.hash = fields.get("hash") or (
        digest(GENESIS, *(getattr(event, name) for name in history_chain.CONTENT))
        if event.chain_unit_id and event.seq
        else ""
    )
    Event.objects.bulk_create([event])
    return event


@pytest.mark.parametrize(
    "fields",
    [
        {"seq": 1, "hash": "a" * 64},
        {"seq": 1},
        {"chain_unit": "unit"},
        {"chain_unit": "unit", "seq": 99},
        {"hash": "a" * 64},
    ],
    ids=["seq-and-hash", "seq", "unit", "unit-and-seq-no-hash", "hash"],
)
def test_the_database_refuses_a_row_partly_in_a_chain(world, fields):
    busy(world, problems=1)
    if fields.get("chain_unit") == "unit":
        fields["chain_unit"] = world.unit
    with pytest.raises(IntegrityError), transaction.atomic():
        event = Event(
            round=world.round, action="changed", object_type="problem", object_id=1, **fields
        )
        Event.objects.bulk_create([event])


def test_a_row_written_past_the_chain_with_no_link_at_all_is_let_in_and_reported(world):
    busy(world, problems=1)
    event = forged(world)
    (chain,) = [c for c in verify() if c.unit_id == world.unit.pk]
    assert (chain.broken.kind, chain.broken.event_id, chain.broken.seq) == (
        Kind.INSERTED,
        event.pk,
        None,
    )
    assert chain.broken.detail == f"event {event.pk} is outside the chain (no seq)"


def test_a_row_with_a_seq_but_no_chain_unit_is_reported_outside_the_chain(world, capsys):
    busy(world, problems=1)
    with unchecked():
        event = forged(world, seq=1, hash=rows(world.unit)[0].hash)
    assert Event.objects.filter(pk=event.pk, chain_unit__isnull=True, seq=1).exists()
    found = {c.unit_id: c for c in verify()}
    broken = found[world.unit.pk].broken
    assert (broken.kind, broken.seq, broken.event_id) == (Kind.INSERTED, 1, event.pk)
    assert "outside the chain (seq 1 but no chain unit)" in broken.detail
    assert found[world.outside_unit.pk].ok
    (alone,) = verify(world.unit.pk)
    assert alone.broken == broken
    with pytest.raises(CommandError, match="broken in 1 of 2 units"):
        call_command("history", "verify")
    out = capsys.readouterr().out
    assert f"at seq 1, event {event.pk}" in out and "seq 1 but no chain unit" in out


def test_a_row_with_a_chain_unit_but_no_seq_is_reported_outside_the_chain(world):
    busy(world, problems=1)
    with unchecked():
        event = forged(world, chain_unit=world.outside_unit, hash="d" * 64)
    found = {c.unit_id: c for c in verify()}
    broken = found[world.outside_unit.pk].broken
    assert (broken.kind, broken.event_id) == (Kind.INSERTED, event.pk)
    assert f"(chain unit {world.outside_unit.pk} but no seq)" in broken.detail
    assert found[world.unit.pk].ok  # put to the chain it names, not its round's unit's
    assert verify(world.unit.pk)[0].ok
    assert verify(world.outside_unit.pk)[0].broken == broken


def test_a_well_formed_chain_of_a_unit_with_no_head_is_reported(world, capsys):
    # A forger who links a row properly into a unit that has no history yet still lacks the
    # unit's head, which every writer creates with its first row.
    busy(world, problems=1)
    assert not HistoryChain.objects.filter(unit=world.other_section).exists()
    event = forged(world, chain_unit=world.other_section, seq=1)
    found = {c.unit_id: c for c in verify()}
    broken = found[world.other_section.pk].broken
    assert (broken.kind, broken.detail) == (Kind.HEAD, "the unit has rows but no chain head")
    assert found[world.other_section.pk].count == 1  # the link itself holds
    assert found[world.unit.pk].ok
    assert verify(world.other_section.pk)[0].broken == broken
    with pytest.raises(CommandError, match=f"broken in 1 of 3 units \\({world.other_section.pk}"):
        call_command("history", "verify")
    assert Event.objects.filter(pk=event.pk).exists()


def test_a_headless_chain_not_starting_at_one_is_reported_as_rows_missing(world):
    busy(world, problems=1)
    forged(world, chain_unit=world.other_section, seq=3)
    broken = verify(world.other_section.pk)[0].broken
    assert (broken.kind, broken.seq) == (Kind.MISSING, 1)


def test_the_migrations_own_digest_is_the_live_format(world):
    # The data migration keeps its own copy of FORMAT 1: while the live format is 1, the two
    # hash every row alike (a changed format needs a new FORMAT and a migration chaining anew).
    assert history_chain.FORMAT == chain_history.FORMAT == 1
    assert chain_history.GENESIS == GENESIS
    problem = world.problem(approve=True)
    services.report_progress(problem, by=world.staff, text="进展\r\n换行")
    columns = ("chain_unit_id", "seq", *chain_history.CONTENT)
    previous = GENESIS
    for values in Event.objects.order_by("chain_unit", "seq").values_list(*columns, "hash"):
        *content, stored = values
        assert chain_history.digest(previous if content[1] > 1 else GENESIS, *content) == stored
        previous = stored
