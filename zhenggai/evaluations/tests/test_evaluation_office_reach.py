"""The evaluation office reads the evaluations of the units below it, and nothing of their
inspections, audits or other rounds: each office sees the work it oversees."""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from zhenggai.evaluations.services.ratings import submit_rating
from zhenggai.ledger.models import Measure, Problem
from zhenggai.orgs.models import Role
from zhenggai.rounds.models import InspectionRound
from zhenggai.testing import grant

AT = timezone.make_aware(datetime(2026, 11, 20, 10, 0))


def test_the_evaluation_office_reads_evaluations_only(client, world, point):
    inspected = world.problem("巡察发现的线索问题")
    rated = submit_rating(point, values={"level": "1", "comment": "窗口态度差评原因"}, at=AT)
    user = world.evaluator
    assert list(Problem.objects.visible_to(user)) == [rated.problem]
    assert list(InspectionRound.objects.visible_to(user)) == [rated.problem.round]
    assert not Measure.objects.visible_to(user).filter(problem=inspected).exists()
    client.force_login(user)
    assert client.get(reverse("problem_detail", args=[inspected.pk])).status_code == 404
    assert client.get(reverse("round_detail", args=[world.round.pk])).status_code == 404
    assert client.get(reverse("problem_detail", args=[rated.problem_id])).status_code == 200
    assert "巡察发现的线索问题" not in client.get(reverse("ledger")).content.decode()


def test_another_role_on_the_unit_still_reads_everything(world, point):
    world.problem("巡察发现的线索问题")
    grant(world.evaluator, world.office, Role.DISCIPLINE)
    assert Problem.objects.visible_to(world.evaluator).count() == 1
