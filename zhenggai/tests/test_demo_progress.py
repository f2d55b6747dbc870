"""The demo's progress by Excel: one import of 办公室's sheet applied, one waiting in its preview."""

from zhenggai.demo.progress import load_progress_imports
from zhenggai.ledger.models import Measure, ProgressImport, ProgressReport


def test_the_demo_has_an_applied_import_and_one_waiting_in_its_preview(world):
    problem = world.problem(measures=2, approve=True)
    users = {"keshi": world.staff}

    waiting = load_progress_imports(users, [world.round])

    imports = ProgressImport.objects.order_by("id")
    assert [i.status for i in imports] == ["applied", "preview"]
    assert waiting == imports.last() and imports.first().created_by == world.staff
    first, second = Measure.objects.filter(problem=problem).order_by("position")
    assert (first.percent, second.percent, second.rules_made) == (70, 60, 1)
    assert ProgressReport.objects.filter(problem=problem, created_by=world.staff).count() == 2
    # The preview would take the first measure on to 90%, and has not yet.
    changes = {c["field"]: c for row in waiting.rows for c in row.get("changes", [])}
    assert (changes["percent"]["before"], changes["percent"]["after"]) == ("70%", "90%")
    assert first.percent == 70


def test_without_a_round_to_import_into_the_demo_has_none(world):
    assert load_progress_imports({"keshi": world.outsider}, [world.round]) is None
    assert not ProgressImport.objects.exists()
