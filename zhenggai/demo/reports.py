"""The demo's notices: wording and contacts for every round, a problem withheld from the public
version, two notices published, and opinions from the public waiting for triage."""

from datetime import date

from zhenggai.public.services import send_opinion
from zhenggai.reports.models import default_notice
from zhenggai.reports.services import publish_notice, save_notice, set_disclosure

OPINIONS = [
    ("建议把新修订的制度文件在门户网站公开，便于企业查阅。", "", "", "192.0.2.10"),
    (
        "办事窗口“好差评”二维码已经张贴，希望评价结果也能定期公布。",
        "王先生",
        "13900000000",
        "192.0.2.11",
    ),
]


def load_reports(users: dict, rounds: list, today: date) -> list:
    office = users["zhenggaiban"]
    notices = []
    for round in rounds:
        notice = save_notice(
            default_notice(round),
            by=office,
            phone="0000-12345678（演示）",
            email="jiandu@demo.zhenggai.cn",
            address="演示市人民路1号",
            postcode="000000",
            signed_on=today,
        )
        notices.append(notice)
    first = rounds[0].problems.order_by("position").first()
    set_disclosure(
        first, by=office, disclose=False, reason="涉及具体企业信息，按规定不予公开（演示）"
    )
    published = [publish_notice(n, by=users["shuji"]) for n in notices[:2]]
    for text, name, contact, sender in OPINIONS:
        send_opinion(published[0], text=text, name=name, contact=contact, sender=sender)
    return published
