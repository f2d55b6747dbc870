"""Each unit's history is a hash chain: a row changed, removed, slipped in or moved in the
database afterwards is found by `zhenggai history verify`, which names the first broken link."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from zhenggai.ledger import history_chain, services, workflow
from zhenggai.ledger.history import record, write
from zhenggai.ledger.history_chain import GENESIS, Kind, digest, verify
from zhenggai.ledger.models import Event, HistoryChain, Problem
from zhenggai.rounds.models import InspectionRound

chain_history = importlib.import_module("zhenggai.ledger.migrations.0024_chain_history")


def sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def busy(world, problems: int = 2):
    """Some history in both units: problems created, planned, reported on."""
    for n in range(problems):
        problem = world.problem(f"问题{n}", approve=True)
        services.report_progress(problem, by=world.staff, text=f"进展{n}")
    world.problem("外单位的问题", round=world.outside_round)


def rows(unit) -> list[Event]:
    return list(Event.objects.filter(chain_unit=unit).order_by("seq"))


def result(unit) -> history_chain.UnitChain:
    (chain,) = verify(unit.pk)
    return chain


def test_each_units_rows_are_numbered_from_one_and_linked_to_the_previous(world):
    busy(world)
    for unit in (world.unit, world.outside_unit):
        chain = rows(unit)
        assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
        previous = GENESIS
        for event in chain:
            content = [getattr(event, name) for name in history_chain.CONTENT]
            assert event.hash == digest(previous, *content)
            previous = event.hash
        head = HistoryChain.objects.get(unit=unit)
        assert (head.seq, head.hash) == (len(chain), previous)
    assert not Event.objects.filter(seq__isnull=True).exists()
    assert all(chain.ok for chain in verify())


def test_the_hash_covers_every_content_field_and_the_place_in_the_chain(world):
    event = Event.objects.filter(chain_unit=world.unit).first()
    content = [getattr(event, name) for name in history_chain.CONTENT]
    base = digest(GENESIS, *content)
    assert base == event.hash
    for n in range(len(content)):
        changed = list(content)
        changed[n] = {"x": 1} if n == 9 else ("其他" if isinstance(changed[n], str) else 999)
        if history_chain.CONTENT[n] == "at":
            changed[n] = event.at.replace(microsecond=(event.at.microsecond + 1) % 1000000)
        assert digest(GENESIS, *changed) != base, history_chain.CONTENT[n]
    assert digest("1" * 64, *content) != base


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("note", "改过的说明"),
        ("changes", '{"状态": ["已销号", "已销号"]}'),
        ("at", "2020-01-01 00:00:00"),
        ("action", "withdrawn"),
        ("actor_id", None),
        ("object_id", 424242),
        ("hash", "f" * 64),
    ],
)
def test_a_field_edited_in_the_database_is_found_at_its_row(world, column, value):
    busy(world)
    target = rows(world.unit)[4]
    sql(f"UPDATE ledger_event SET {column} = %s WHERE id = %s", value, target.pk)  # noqa: S608
    chain = result(world.unit)
    assert chain.broken.kind == Kind.CHANGED
    assert (chain.broken.seq, chain.broken.event_id, chain.count) == (5, target.pk, 4)
    assert verify(world.outside_unit.pk)[0].ok  # the other unit's chain is its own


def test_a_row_moved_to_a_round_of_another_unit_is_found(world):
    busy(world)
    target = rows(world.unit)[2]
    sql("UPDATE ledger_event SET round_id = %s WHERE id = %s", world.outside_round.pk, target.pk)
    assert (result(world.unit).broken.kind, result(world.unit).broken.seq) == (Kind.CHANGED, 3)


def test_a_row_moved_to_another_units_chain_is_found_in_both(world):
    busy(world)
    target = rows(world.unit)[2]
    beyond = HistoryChain.objects.get(unit=world.outside_unit).seq + 1
    sql(
        "UPDATE ledger_event SET chain_unit_id = %s, seq = %s WHERE id = %s",
        world.outside_unit.pk,
        beyond,
        target.pk,
    )
    assert (result(world.unit).broken.kind, result(world.unit).broken.seq) == (Kind.MISSING, 3)
    assert result(world.outside_unit).broken.kind == Kind.CHANGED  # the unit is in the hash


def test_a_row_deleted_leaves_a_gap(world):
    busy(world)
    chain = rows(world.unit)
    sql("DELETE FROM ledger_event WHERE id = %s", chain[3].pk)
    broken = result(world.unit).broken
    assert (broken.kind, broken.seq, broken.event_id) == (Kind.MISSING, 4, chain[4].pk)
    assert "no row with seq 4" in broken.detail


def test_rows_cut_off_the_end_are_found_by_the_head(world):
    busy(world)
    chain = rows(world.unit)
    sql("DELETE FROM ledger_event WHERE id = %s", chain[-1].pk)
    found = result(world.unit)
    assert (found.broken.kind, found.broken.seq, found.count) == (
        Kind.MISSING,
        len(chain),
        len(chain) - 1,
    )
    assert "the head says seq" in found.broken.detail


def test_a_row_slipped_in_is_found(world):
    busy(world)
    chain = rows(world.unit)
    # Outside the chain (written past `write`, no seq)...
    Event.objects.bulk_create([_copy(chain[2])])
    found = result(world.unit)
    assert (found.broken.kind, found.broken.seq) == (Kind.INSERTED, None)
    assert "outside the chain" in found.broken.detail


def test_a_row_slipped_in_with_the_rows_after_it_renumbered_is_found(world):
    busy(world)
    chain = rows(world.unit)
    for event in reversed(chain[3:]):
        sql("UPDATE ledger_event SET seq = seq + 1 WHERE id = %s", event.pk)
    forged = _copy(chain[2], seq=4, hash="a" * 64)
    Event.objects.bulk_create([forged])
    HistoryChain.objects.filter(unit=world.unit).update(seq=len(chain) + 1)
    broken = result(world.unit).broken
    assert (broken.kind, broken.seq, broken.event_id) == (Kind.INSERTED, 4, forged.pk)


def test_a_row_added_after_the_head_is_found(world):
    busy(world)
    chain = rows(world.unit)
    head = HistoryChain.objects.get(unit=world.unit)
    Event.objects.bulk_create([_copy(chain[-1], seq=head.seq + 1, hash="b" * 64)])
    broken = result(world.unit).broken
    assert broken.kind in (Kind.CHANGED, Kind.INSERTED) and broken.seq == head.seq + 1


def test_a_head_changed_is_found(world):
    busy(world)
    HistoryChain.objects.filter(unit=world.unit).update(hash="c" * 64)
    assert result(world.unit).broken.kind == Kind.HEAD


def test_a_chain_recomputed_after_an_edit_passes_but_not_a_head_recorded_before(world):
    # Tamper-evident, not tamper-proof: whoever rewrites a row and every hash after it makes
    # the chain pass again; a head recorded before (kept outside the database) does not.
    busy(world)
    recorded = result(world.unit)
    assert recorded.ok
    expected = [(world.unit.pk, recorded.head_seq, recorded.head_hash)]
    first = rows(world.unit)[0]
    sql("UPDATE ledger_event SET note = %s WHERE id = %s", "改写的历史", first.pk)
    history_chain.chain_anew(Event, HistoryChain, [world.unit.pk])
    assert result(world.unit).ok
    found = verify(world.unit.pk, expected)[0]
    assert (found.broken.kind, found.broken.seq) == (Kind.EXPECTED, recorded.head_seq)


def test_a_head_recorded_earlier_still_matches_while_the_chain_grows(world):
    busy(world, problems=1)
    recorded = result(world.unit)
    services.report_progress(world.round.problems.first(), by=world.staff, text="又一次进展")
    expected = [(world.unit.pk, recorded.head_seq, recorded.head_hash)]
    found = verify(world.unit.pk, expected)[0]
    assert found.ok and found.count == recorded.count + 1
    past_the_end = [(world.unit.pk, found.count + 5, recorded.head_hash)]
    assert verify(world.unit.pk, past_the_end)[0].broken.kind == Kind.EXPECTED


def test_a_round_moved_to_another_unit_keeps_its_history_in_the_first_units_chain(world):
    busy(world)
    InspectionRound.objects.filter(pk=world.round.pk).update(unit=world.outside_unit)
    assert all(chain.ok for chain in verify())


def test_the_migration_chains_the_rows_written_before_in_time_order_per_unit(world):
    busy(world)
    Event.objects.update(seq=None, hash="", chain_unit=None)
    HistoryChain.objects.all().delete()
    later = Event.objects.filter(round=world.round).order_by("id").first()
    Event.objects.filter(pk=later.pk).update(at=later.at.replace(year=later.at.year + 1))
    chain_history.chain(apps, connection.schema_editor())  # only its connection is read
    assert all(chain.ok for chain in verify())
    ours = rows(world.unit)
    assert ours[-1].pk == later.pk  # moved last by its time
    assert [e.seq for e in ours] == list(range(1, len(ours) + 1))
    assert {e.chain_unit_id for e in Event.objects.all()} == {world.unit.pk, world.outside_unit.pk}


def test_the_command_prints_each_units_head_and_exits_1_at_a_broken_link(world, capsys):
    busy(world)
    call_command("history", "verify")
    out = capsys.readouterr().out
    head = HistoryChain.objects.get(unit=world.unit)
    assert f"unit {world.unit.pk} {world.unit.name}: OK" in out
    assert f"head {world.unit.pk}:{head.seq}:{head.hash}" in out
    call_command("history", "verify", "--expect", f"{world.unit.pk}:{head.seq}:{head.hash}")
    target = rows(world.unit)[1]
    sql("UPDATE ledger_event SET note = %s WHERE id = %s", "改", target.pk)
    with pytest.raises(CommandError, match="broken in 1 of 2 units"):
        call_command("history", "verify")
    out = capsys.readouterr().out
    assert f"BROKEN after 1 good rows at seq 2, event {target.pk}" in out
    assert "content changed" in out
    assert f"unit {world.outside_unit.pk} {world.outside_unit.name}: OK" in out
    call_command("history", "verify", "--unit", str(world.outside_unit.pk))


def test_the_command_refuses_a_head_not_in_the_recorded_shape(world):
    with pytest.raises(CommandError, match="--expect not UNIT:SEQ:HASH"):
        call_command("history", "verify", "--expect", "12:abc")
    with pytest.raises(CommandError, match="not a SHA-256"):
        call_command("history", "verify", "--expect", "12:3:xyz")


def test_writers_of_several_units_at_once_chain_each_in_order(world):
    problem = world.problem(approve=True)
    outside = world.problem("外单位的问题", round=world.outside_round)
    before = {u: HistoryChain.objects.get(unit=u).seq for u in (world.unit, world.outside_unit)}
    events = [
        Event(round=p.round, problem=p, action="changed", object_type="problem", object_id=p.pk)
        for p in (problem, outside, problem, outside, problem)
    ]
    write(events)
    assert [e.seq - before[e.chain_unit] for e in events] == [1, 1, 2, 2, 3]
    assert all(chain.ok for chain in verify())


def test_record_adds_two_queries_to_an_event_once_the_units_head_exists(
    world, django_assert_num_queries
):
    problem = Problem.objects.select_related("round").get(pk=world.problem(approve=True).pk)
    with django_assert_num_queries(3):  # lock the head, insert the row, move the head
        record(Event.Action.CHANGED, problem, by=world.leader, problem=problem, note="说明")
    workflow.submit_for_close_out(problem, by=world.rect_office, note="完成")
    assert result(world.unit).ok


def test_the_first_row_of_a_unit_creates_its_head(world):
    round = InspectionRound.objects.create(
        unit=world.other_section, title="新轮次", inspecting_body="组", feedback_date=date.today()
    )
    assert not HistoryChain.objects.filter(unit=world.other_section).exists()
    record(Event.Action.CREATED, round, by=world.inspector, problem=None, round=round)
    head = HistoryChain.objects.get(unit=world.other_section)
    assert head.seq == 1 and result(world.other_section).ok


def _copy(event: Event, **fields) -> Event:
    copy = Event(
        round_id=event.round_id,
        problem_id=event.problem_id,
        actor_id=event.actor_id,
        at=event.at,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        changes=event.changes,
        note="伪造的记录",
    )
    if fields:
        copy.chain_unit_id = event.chain_unit_id
        for name, value in fields.items():
            setattr(copy, name, value)
    return copy


def test_changes_are_hashed_as_the_database_gives_them_back(world):
    problem = world.problem(approve=True)
    record(
        Event.Action.CHANGED,
        problem,
        by=world.leader,
        problem=problem,
        changes={"期限": ("2030-01-01", "2031-01-01"), 7: ["甲", None], "比例": [0.1, 1e-3]},
        note="换行\r\n与\t制表",
    )
    assert result(world.unit).ok
