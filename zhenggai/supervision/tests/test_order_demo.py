"""The demo's orders: numbered 督办单, one answered with a stamped reply attached, a 催办单."""

from datetime import date

from django.utils import timezone

from zhenggai.demo.supervision import load_supervision
from zhenggai.ledger import services
from zhenggai.supervision.models import Escalation, EscalationAttachment


def test_the_demo_has_numbered_orders_an_attachment_and_a_reminder_order(world):
    for n in range(3):
        problem = world.problem(f"逾期问题{n}", deadline=date(2026, 1, 5), approve=True)
        measure = world.measure(problem)
        services.update_measure(
            measure, by=world.leader, base_version=measure.version, owner=world.staff
        )
    users = {"xunchaban": world.inspector, "zhenggaiban": world.rect_office, "keshi": world.staff}
    load_supervision(users, [world.round], timezone.localdate())
    kinds = sorted(Escalation.objects.values_list("kind", "office__name", "serial"))
    assert kinds == [
        ("supervise", "区委巡察办", 1),
        ("supervise", "区科技局", 1),
        ("supervise", "区科技局", 2),
        ("urge", "区科技局", 1),
    ]
    (attachment,) = EscalationAttachment.objects.all()
    assert attachment.original_name.endswith(".pdf") and attachment.uploaded_by == world.staff
    assert attachment.escalation.status == Escalation.Status.ANSWERED
    urge = Escalation.objects.get(kind=Escalation.Kind.URGE)
    assert urge.measure is not None and urge.issued_by == world.rect_office
