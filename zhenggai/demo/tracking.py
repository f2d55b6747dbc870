"""The demo's answered opinion with a known tracking code, so that a newcomer can try the public
lookup (整改情况公开 › 意见办理查询) without sending an opinion first."""

from zhenggai.public import tracking
from zhenggai.public.models import Opinion
from zhenggai.public.services import send_opinion, triage_opinion

# Known, so the demo's summary and the README can name it (a real code is drawn at random).
CODE = "K7QM4XZP2HNR"

TEXT = "建议在单位门户网站开设整改进展专栏，定期公布整改落实情况。"
REPLY = (
    "感谢您的监督。单位门户网站已于本月开设“巡察整改”专栏，整改进展情况按月更新，"
    "欢迎继续提出意见建议。（演示）"
)


def load_tracked_opinion(users: dict, published: list) -> str:
    """An opinion on the first published notice, answered by the 整改办, under the known code;
    returns the code as shown to the public ("K7QM-4XZP-2HNR")."""
    opinion = send_opinion(published[0], text=TEXT, name="李女士", contact="", sender="192.0.2.12")
    Opinion.objects.filter(pk=opinion.pk).update(tracking_code=CODE)
    triage_opinion(opinion, by=users["zhenggaiban"], status=Opinion.Status.ANSWERED, note=REPLY)
    return tracking.grouped(CODE)
