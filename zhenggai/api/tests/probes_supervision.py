"""Probes of supervision orders, notices, opinions and the dashboard (api/supervision_views.py)."""

from datetime import timedelta

from django.utils import timezone

from zhenggai.api.tests.probes import Probe
from zhenggai.public.services import send_opinion
from zhenggai.reports import services as reports
from zhenggai.reports.models import default_notice
from zhenggai.supervision.services import issue_escalation


def objects(world) -> dict:
    problem = world.problem("甲单位督办的问题", approve=True)
    order = issue_escalation(
        problem,
        by=world.inspector,
        level=1,
        demand="请加快整改",
        due_on=timezone.localdate() + timedelta(days=7),
    )
    notice = reports.save_notice(default_notice(world.round), by=world.rect_office)
    notice = reports.publish_notice(notice, by=world.leader)
    opinion = send_opinion(notice, text="请公开整改进度", sender="192.0.2.1")
    return {
        "order_problem": problem.pk,
        "order": order.pk,
        "notice": notice.pk,
        "opinion": opinion.pk,
        "dashboard_unit": world.unit.pk,
    }


def probes(ids) -> dict[str, Probe]:
    order, notice, opinion = ids["order"], ids["notice"], ids["opinion"]
    due = str(timezone.localdate() + timedelta(days=7))
    issue = {"problem": ids["order_problem"], "level": 1, "demand": "请加快整改", "due_on": due}
    return {
        "v1_orders_list": Probe("get", "/api/v1/orders/", lists=order),
        "v1_orders_retrieve": Probe("get", f"/api/v1/orders/{order}/"),
        # Orders are issued by the offices only; answered by the measure's owner (not the
        # section's staff as such) and the unit's office; decided by the issuing side.
        "v1_orders_create": Probe("post", "/api/v1/orders/", issue),
        "v1_orders_answer_create": Probe(
            "post", f"/api/v1/orders/{order}/answer/", {"answer": "已整改"}
        ),
        "v1_orders_decision_create": Probe(
            "post", f"/api/v1/orders/{order}/decision/", {"accept": True}
        ),
        "v1_notices_list": Probe("get", "/api/v1/notices/", lists=notice),
        "v1_notices_retrieve": Probe("get", f"/api/v1/notices/{notice}/"),
        "v1_opinions_list": Probe("get", "/api/v1/opinions/", lists=opinion),
        "v1_opinions_retrieve": Probe("get", f"/api/v1/opinions/{opinion}/"),
        "v1_opinions_triage_create": Probe(
            "post", f"/api/v1/opinions/{opinion}/triage/", {"status": "accepted"}
        ),
        # Another unit's user asking for unit A's figures is told it is not theirs.
        "v1_dashboard_retrieve": Probe("get", f"/api/v1/dashboard/?unit={ids['dashboard_unit']}"),
    }
