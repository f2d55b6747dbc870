"""The demo's measures in progress carry varied completion percentages, each reported with
progress by someone who may report on it."""

from datetime import date

from zhenggai.demo.percent import STEPS, load_percentages
from zhenggai.ledger import services
from zhenggai.ledger.models import Measure, ProgressReport


def test_open_measures_get_varied_percentages_reported_by_those_who_may(world):
    problems = [world.problem(f"问题{n}", measures=2, approve=True) for n in range(3)]
    other = problems[2].measures.order_by("position").last()
    services.update_measure(
        other, by=world.leader, base_version=None, lead_section=world.other_section
    )
    done = problems[1].measures.order_by("position").first()
    services.update_measure(done, by=world.staff, base_version=None, completed_on=date(2026, 10, 1))
    pending = world.problem("待定方案的问题")  # its plan is not approved: left alone
    users = {"keshi": world.staff, "zhenggaiban": world.rect_office}

    assert load_percentages(users, [world.round]) == 5
    measures = Measure.objects.filter(problem__in=problems).exclude(pk=done.pk)
    assert sorted(m.percent for m in measures) == sorted(STEPS[:5])
    assert Measure.objects.get(pk=done.pk).percent == 0  # completed: counts 100 anyway
    assert set(pending.measures.values_list("percent", flat=True)) == {0}
    # The staff of 办公室 report on its measures; the office on the other section's.
    reports = {r.measure_id: r for r in ProgressReport.objects.select_related("created_by")}
    assert reports[other.pk].created_by == world.rect_office
    assert {r.created_by for k, r in reports.items() if k != other.pk} == {world.staff}
    assert all(r.percent == r.measure.percent for r in reports.values())
    percents = {p.pk: p.percent for p in problems}
    for problem in problems:
        problem.refresh_from_db()
        assert problem.percent > percents[problem.pk]
