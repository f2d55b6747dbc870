"""The demo imports each seed as an upload of it would: its file and its history name the seed."""

from zhenggai.demo.load import SEEDS, load_demo
from zhenggai.ledger.models import Event
from zhenggai.rounds.models import RoundDocument


def test_the_demo_history_names_each_seeds_file(db):
    load_demo()
    seeds = sorted(path.name for path in SEEDS.glob("*.txt"))
    documents = RoundDocument.objects.order_by("round_id")
    assert [d.original_name for d in documents] == seeds
    kept = Event.objects.filter(object_type="rounddocument")
    assert sorted(e.changes["导入文件"][1] for e in kept) == seeds
    notes = set(Event.objects.filter(object_type="problem").values_list("note", flat=True))
    assert {f"导入自 {name}" for name in seeds} <= notes
    assert not any("/" in note or "整改材料" in note for note in notes)
