"""Downloads are named after what they hold: the round's subject (not its title stacked with
another document's name) and, for the notice, which version it is."""

from urllib.parse import unquote

import pytest
from django.urls import reverse

from zhenggai.reports.models import default_notice
from zhenggai.reports.services import publish_notice, save_notice
from zhenggai.rounds.models import InspectionRound


def _filename(response) -> str:
    return unquote(response["Content-Disposition"].split("filename*=utf-8''")[1])


@pytest.mark.parametrize(
    "title, subject",
    [
        ("关于区科技局巡察整改情况的通报", "区科技局巡察"),
        ("区科技局巡察反馈意见整改情况的通报", "区科技局巡察"),
        ("区科技局巡察整改", "区科技局巡察"),
        ("2026年度区财政局审计", "2026年度区财政局审计"),
        ("通报", "通报"),
    ],
)
def test_a_rounds_subject_leaves_out_the_documents_name(title, subject):
    assert InspectionRound(title=title).subject == subject


def test_names_do_not_stack_and_versions_differ(client, world):
    InspectionRound.objects.filter(pk=world.round.pk).update(title="关于区科技局巡察整改情况的通报")
    world.problem(approve=True)
    notice = save_notice(default_notice(world.round), by=world.rect_office)
    publish_notice(notice, by=world.leader)
    client.force_login(world.leader)
    names = {
        name: _filename(client.get(reverse("notice_download", args=[world.round.pk, name])))
        for name in ("notice.docx", "notice-public.docx", "notice-published.docx")
    }
    assert names == {
        "notice.docx": "区科技局巡察·整改情况通报.docx",
        "notice-public.docx": "区科技局巡察·整改情况通报（公开版·按当前台账）.docx",
        "notice-published.docx": "区科技局巡察·整改情况通报（公开版·已发布）.docx",
    }
    sheet = client.get(reverse("round_ledger_xlsx", args=[world.round.pk]))
    assert _filename(sheet) == "区科技局巡察整改台账.xlsx"
