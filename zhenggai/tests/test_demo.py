"""The demo loads every seed document's problems, with a spread of states and warnings."""

import json

from django.contrib.auth import authenticate

from zhenggai.demo.load import PASSWORD, SEEDS, load_demo
from zhenggai.ledger.models import ChangeRequest, Event, Flag, Problem, State
from zhenggai.rounds.models import InspectionRound


def test_the_demo_holds_every_seed_problem_in_order(db):
    load_demo()
    expected = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))
    # The seeds' rounds; the evaluation office's rounds of 差评 follow (test_demo_evaluations).
    rounds = list(InspectionRound.objects.filter(evaluation_period__isnull=True).order_by("id"))
    assert len(rounds) == len(expected) == 5
    for round, (name, seed) in zip(rounds, sorted(expected.items()), strict=True):
        problems = list(round.problems.order_by("position"))
        assert [p.title for p in problems] == [p["title"] for p in seed["problems"]], name
        assert [p.path for p in problems] == [p["path"] for p in seed["problems"]], name
        assert all(p.measures.exists() for p in problems), name
    states = set(Problem.objects.values_list("state", flat=True))
    assert {
        State.PLAN_PENDING,
        State.IN_PROGRESS,
        State.SUBMITTED,
        State.LONG_TERM,
        State.CLOSED,
        State.VERIFIED,
    } <= states
    assert Problem.objects.with_warning("red").exists()
    assert Problem.objects.with_warning("yellow").exists()
    assert Event.objects.filter(action=Event.Action.TRANSITION).exists()
    assert ChangeRequest.objects.filter(status="pending").exists()
    assert Flag.objects.exists()
    from zhenggai.supervision.models import Escalation

    assert set(Escalation.objects.values_list("level", flat=True)) == {1, 2, 3}
    assert Escalation.objects.filter(status=Escalation.Status.ANSWERED).exists()
    assert Problem.objects.filter(escalation_level=3).exists()
    from zhenggai.public.models import Opinion
    from zhenggai.reports.models import Notice

    assert Notice.objects.count() == 5
    assert Notice.objects.published().count() == 2
    assert Problem.objects.filter(disclose=False).exists()
    assert Opinion.objects.filter(status=Opinion.Status.NEW).count() == 2
    for username in ("xunchaban", "shuji", "zhenggaiban", "keshi", "jijian", "admin"):
        assert authenticate(username=username, password=PASSWORD) is not None
    # A scanned notice waits for the inspection office, read by OCR, to set up a new round from.
    from zhenggai.rounds.models import NewRoundDraft

    draft = NewRoundDraft.objects.get(created_by__username="xunchaban")
    assert draft.status == NewRoundDraft.Status.OPEN and draft.parsed["reader"] == "ocr_image"
    assert len(draft.parsed["problems"]) == 4
    assert any(line["low"] for line in draft.parsed["pages"][0]["lines"])


def test_demo_measures_hold_no_other_headings_or_closing_contacts(db):
    load_demo()
    for round in InspectionRound.objects.all():
        problems = list(round.problems.prefetch_related("measures"))
        headings = {h for p in problems for h in [p.title, *p.path] if len(h) >= 6}
        for problem in problems:
            own = {problem.title, *problem.path}
            for measure in problem.measures.all():
                assert "电子信箱" not in measure.text and "联系方式" not in measure.text
                for heading in headings - own:
                    assert heading not in measure.text, (problem.title, heading)
