"""The demo's supervision: e-mail addresses, supervision orders at every stage (one answered with\nan attachment), a 催办单, a milestone met."""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from zhenggai.ledger.models import Problem
from zhenggai.lib import samples
from zhenggai.supervision.models import Escalation, Preference
from zhenggai.supervision.services import (
    answer_escalation,
    issue_escalation,
    record_milestone,
)


def load_supervision(users: dict, rounds: list, today: date) -> None:
    for username, user in users.items():
        user.email = f"{username}@demo.zhenggai.cn"
        user.save(update_fields=["email"])
    Preference.objects.create(user=users["keshi"], mobile="13800000000")
    late = list(Problem.objects.with_warning("red", today).order_by("-state", "id")[:3])
    orders = [
        (
            users["xunchaban"],
            Escalation.Level.LISTED,
            "该问题整改已逾期，列入挂牌督办，请于期限内报告整改进展和逾期原因。",
        ),
        (users["zhenggaiban"], Escalation.Level.KEY, "请加快推进，明确完成时间并提供佐证材料。"),
        (users["zhenggaiban"], Escalation.Level.SUPERVISE, "请说明目前进展。"),
    ]
    for problem, (issuer, level, demand) in zip(late, orders, strict=False):
        order = issue_escalation(
            problem, by=issuer, level=level, demand=demand, due_on=today + timedelta(days=5)
        )
        if level == Escalation.Level.SUPERVISE:
            answer_escalation(
                order,
                by=users["keshi"],
                answer="已完成制度修订初稿，正在征求意见。盖章的书面答复见附件。",
                files=[SimpleUploadedFile("书面答复（已盖章）.pdf", samples.pdf("reply"))],
            )
    if late:
        load_urging(users, late[0], today)
    dated = [r for r in rounds if r.feedback_date]
    if dated:
        first = dated[0]
        record_milestone(
            first,
            "report",
            by=users["zhenggaiban"],
            done_on=min(today, first.feedback_date + timedelta(days=55)),
            due_on=None,
            note="已报送市委巡察办",
        )


def load_urging(users: dict, problem: Problem, today: date) -> Escalation:
    """A 催办单 issued by hand by the rectification office on the late problem's first measure
    (numbered in the unit's own 催办单 numbers); the daily reminder run issues others itself."""
    measure = problem.measures.filter(withdrawn=False).order_by("position", "id").first()
    return issue_escalation(
        problem,
        by=users["zhenggaiban"],
        level=Escalation.Level.SUPERVISE,
        demand="该措施已超过整改时限，请于3个工作日内书面报告进展和未按期完成的原因。",
        due_on=today + timedelta(days=3),
        measure=measure,
        kind=Escalation.Kind.URGE,
    )
