"""The demo shows the evaluation side at every stage: ratings, 差评 along their loop, appeals,
call backs, 办件量 and the signs of steering the office is warned of."""

from django.contrib.auth import authenticate

from zhenggai.demo.load import PASSWORD, load_demo
from zhenggai.evaluations.handling_pages import awaiting
from zhenggai.evaluations.models import Appeal, Callback, MonthlyTally, Rating, ServiceCount
from zhenggai.ledger.models import Problem, State


def test_the_demo_runs_the_evaluation_loop(db):
    demo = load_demo()
    assert authenticate(username="pingjia", password=PASSWORD) is not None
    assert len(demo["points"]) >= 8 and Rating.objects.count() > 2000
    assert MonthlyTally.objects.filter(count__gt=0).exists()
    problems = Problem.objects.filter(pk__in=[r.problem_id for r in demo["bad_reviews"]])
    states = set(problems.values_list("state", flat=True))
    assert {State.PLAN_PENDING, State.IN_PROGRESS, State.SUBMITTED, State.VERIFIED} <= states
    assert set(Appeal.objects.values_list("status", flat=True)) == {"open", "upheld"}
    assert Rating.objects.filter(excluded=True).count() == 1
    assert Callback.objects.exists()
    assert awaiting(demo["users"]["pingjia"])["callbacks_due"], "a rater waits to be called"
    assert awaiting(demo["users"]["pingjia"])["appeals_to_decide"]
    assert Rating.objects.filter(burst=True).exists()
    assert Rating.objects.filter(outside_hours=True).exists()
    assert ServiceCount.objects.exists()
    asked = [row for row in demo["bulletin"].rows if row.get("round_id")]
    assert len(asked) == 2
    planned = Problem.objects.filter(round_id=asked[-1]["round_id"])
    assert planned.exists() and not planned.exclude(state=State.IN_PROGRESS).exists()
