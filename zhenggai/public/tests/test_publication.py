"""Publishing a notice, the public page and its opinions, and the office's triage."""

import pytest
from django.urls import reverse

from zhenggai.ledger import services as ledger_services
from zhenggai.ledger.models import Event
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.public import services
from zhenggai.public.models import Opinion
from zhenggai.reports import services as reports
from zhenggai.reports.models import Notice, default_notice


@pytest.fixture
def notice(world):
    world.problem("学习贯彻不深入")
    return reports.save_notice(
        default_notice(world.round), by=world.rect_office, phone="023-12345678"
    )


def test_only_a_published_notice_is_public(client, world, notice):
    url = reverse("public_notice", args=[notice.pk])
    assert client.get(url).status_code == 404
    assert "学习贯彻不深入" not in client.get(reverse("public_notices")).content.decode()
    reports.publish_notice(notice, by=world.leader)
    page = client.get(url).content.decode()
    assert notice.title_for("notice") in page
    assert "学习贯彻不深入" in page and "联系电话：023-12345678" in page
    assert notice.title_for("notice") in client.get(reverse("public_notices")).content.decode()


def test_the_published_text_stays_as_published_until_published_again(client, world, notice):
    notice = reports.publish_notice(notice, by=world.leader)
    ledger_services.create_problem(world.round, by=world.inspector, title="后来发现的问题")
    url = reverse("public_notice", args=[notice.pk])
    assert "后来发现的问题" not in client.get(url).content.decode()
    reports.publish_notice(notice, by=world.rect_office)
    assert "后来发现的问题" in client.get(url).content.decode()


def test_unpublishing_hides_the_page_and_both_are_in_the_history(client, world, notice):
    notice = reports.publish_notice(notice, by=world.leader)
    with pytest.raises(Refused):
        reports.unpublish_notice(notice, by=world.leader, reason=" ")
    reports.unpublish_notice(notice, by=world.leader, reason="内容需更正")
    assert client.get(reverse("public_notice", args=[notice.pk])).status_code == 404
    history = Event.objects.filter(object_type="notice", object_id=notice.pk).order_by("id")
    assert [(e.action, e.note) for e in history][-2:] == [
        ("published", ""),
        ("unpublished", "内容需更正"),
    ]
    client.force_login(world.discipline)
    page = client.get(reverse("notice_edit", args=[world.round.pk])).content.decode()
    assert "撤回通报：内容需更正" in page and "发布通报" in page


def test_only_the_units_leaders_and_office_publish(world, notice):
    for who in (world.staff, world.discipline, world.inspector, world.outside_leader):
        with pytest.raises(NotAllowed):
            reports.publish_notice(notice, by=who)
    with pytest.raises(Refused):
        reports.publish_notice(default_notice(world.outside_round), by=world.outside_leader)


def test_an_opinion_is_stored_for_the_office(client, world, notice):
    notice = reports.publish_notice(notice, by=world.leader)
    url = reverse("public_notice", args=[notice.pk])
    response = client.post(url, {"text": "建议公开制度文件", "contact": "13800000000"})
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert (opinion.text, opinion.contact, opinion.status) == (
        "建议公开制度文件",
        "13800000000",
        "new",
    )
    assert opinion.sender_hash and "127.0.0.1" not in opinion.sender_hash
    assert "13800000000" not in client.get(url).content.decode()


def test_opinions_are_rate_limited_per_sender(client, world, notice, settings):
    settings.OPINION_MAX_PER_WINDOW = 2
    notice = reports.publish_notice(notice, by=world.leader)
    url = reverse("public_notice", args=[notice.pk])
    for _ in range(2):
        assert client.post(url, {"text": "意见"}).status_code == 302
    response = client.post(url, {"text": "意见"})
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert Opinion.objects.count() == 2
    services.send_opinion(notice, text="另一位", sender="198.51.100.7")  # others still may


def test_a_robot_filling_the_hidden_field_is_dropped(client, world, notice):
    notice = reports.publish_notice(notice, by=world.leader)
    url = reverse("public_notice", args=[notice.pk])
    client.post(url, {"text": "广告", "website": "http://spam.example"})
    assert not Opinion.objects.exists()


def test_no_opinion_on_an_unpublished_notice(world, notice):
    with pytest.raises(Refused):
        services.send_opinion(notice, text="x", sender="x")


def test_triage_by_the_unit_with_a_reason_to_dismiss(client, world, notice):
    notice = reports.publish_notice(notice, by=world.leader)
    opinion = services.send_opinion(notice, text="意见", sender="x")
    with pytest.raises(Refused):
        services.triage_opinion(opinion, by=world.rect_office, status="dismissed")
    with pytest.raises(NotAllowed):
        services.triage_opinion(opinion, by=world.staff, status="accepted")
    client.force_login(world.rect_office)
    client.post(
        reverse("opinion_triage", args=[opinion.pk]), {"status": "answered", "note": "已回复"}
    )
    opinion.refresh_from_db()
    assert (opinion.status, opinion.handling_note, opinion.handled_by) == (
        "answered",
        "已回复",
        world.rect_office,
    )
    page = client.get(reverse("opinion_list", args=[world.round.pk])).content.decode()
    assert "处理状态：待处理 → 已办结" in page and "处理意见：— → 已回复" in page
    event = Event.objects.get(object_type="opinion", object_id=opinion.pk)
    assert (event.action, event.actor) == ("opinion_handled", world.rect_office)


def test_only_those_who_answer_see_who_wrote(client, world, notice):
    notice = reports.publish_notice(notice, by=world.leader)
    services.send_opinion(notice, text="意见", name="王先生", contact="13900000000", sender="x")
    url = reverse("opinion_list", args=[world.round.pk])
    for who, sees in ((world.staff, False), (world.inspector, False), (world.discipline, True)):
        client.force_login(who)
        page = client.get(url).content.decode()
        assert ("13900000000" in page) is sees and ("王先生" in page) is sees, who
        assert "意见" in page


def test_withholding_a_problem_needs_a_reason_and_is_in_its_history(world):
    problem = world.problem()
    with pytest.raises(Refused):
        reports.set_disclosure(problem, by=world.rect_office, disclose=False)
    with pytest.raises(NotAllowed):
        reports.set_disclosure(problem, by=world.staff, disclose=False, reason="x")
    reports.set_disclosure(problem, by=world.leader, disclose=False, reason="涉密")
    problem.refresh_from_db()
    assert (problem.disclose, problem.withheld_reason) == (False, "涉密")
    event = Event.objects.filter(problem=problem, action="changed").last()
    assert event.changes == {"公开": ["是", "否"], "不公开理由": ["—", "涉密"]}


def test_the_notice_page_saves_wording_for_authors_only(client, world):
    world.problem()
    url = reverse("notice_edit", args=[world.round.pk])
    client.force_login(world.staff)
    assert client.get(url).status_code == 200
    assert client.post(url, {"issuer": "x", "subject": "y"}).status_code == 403
    client.force_login(world.rect_office)
    data = {"issuer": "中共区科技局党组", "subject": "区委巡察反馈意见整改情况", "phone": "1"}
    assert client.post(url, data).status_code == 302
    notice = Notice.objects.get(round=world.round)
    assert (notice.subject, notice.phone) == ("区委巡察反馈意见整改情况", "1")
    response = client.post(url, {"issuer": "", "subject": ""})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()


def test_withholding_a_problem_takes_it_off_a_published_notice_at_once(client, world, notice):
    secret = world.problem("涉及个人隐私的问题")
    notice = reports.publish_notice(notice, by=world.leader)
    url = reverse("public_notice", args=[notice.pk])
    assert "涉及个人隐私的问题" in client.get(url).content.decode()
    reports.set_disclosure(secret, by=world.rect_office, disclose=False, reason="隐私")
    page = client.get(url).content.decode()
    assert "涉及个人隐私的问题" not in page and "其中1个问题按规定不予公开" in page
    last = Event.objects.filter(object_type="notice", object_id=notice.pk).last()
    assert (last.action, last.note) == ("published", "公开设置变更，已按当前台账更新公开内容")


def test_behind_a_trusted_proxy_each_visitor_has_a_limit_of_their_own(
    client, world, notice, settings
):
    import ipaddress

    settings.OPINION_MAX_PER_WINDOW = 1
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("127.0.0.1/32")]
    notice = reports.publish_notice(notice, by=world.leader)
    url = reverse("public_notice", args=[notice.pk])

    def post(forwarded):
        return client.post(url, {"text": "意见"}, HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert post("203.0.113.5") == 302
    assert post("203.0.113.6") == 302  # another visitor through the same proxy
    assert post("203.0.113.5") == 429
    assert post("198.51.100.1, 203.0.113.5") == 429  # a prepended address changes nothing
    assert post("2001:db8::1") == 302
    assert post("2001:db8::2") == 429  # the same /64


def test_without_a_trusted_proxy_forwarded_addresses_are_ignored(client, world, notice, settings):
    settings.OPINION_MAX_PER_WINDOW = 1
    notice = reports.publish_notice(notice, by=world.leader)
    url = reverse("public_notice", args=[notice.pk])
    assert client.post(url, {"text": "意见"}, HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 302
    assert client.post(url, {"text": "意见"}, HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429


def test_the_published_version_downloads_as_published(client, world, notice):
    from io import BytesIO

    from docx import Document

    client.force_login(world.rect_office)
    url = reverse("notice_download", args=[world.round.pk, "notice-published.docx"])
    assert client.get(url).status_code == 404  # never published
    reports.publish_notice(notice, by=world.leader)
    ledger_services.create_problem(world.round, by=world.inspector, title="后来发现的问题")
    published = Document(BytesIO(b"".join(client.get(url).streaming_content)))
    text = "\n".join(p.text for p in published.paragraphs)
    assert "学习贯彻不深入" in text and "后来发现的问题" not in text


def test_people_behind_one_address_each_have_a_limit_and_the_address_a_ceiling(
    client, world, notice, settings
):
    from django.test import Client

    settings.OPINION_MAX_PER_WINDOW, settings.OPINION_MAX_PER_ADDRESS = 2, 5
    notice = reports.publish_notice(notice, by=world.leader)
    url = reverse("public_notice", args=[notice.pk])

    def device():
        browser = Client()
        browser.get(url)  # the notice page gives the browser its device token
        assert browser.cookies["zhenggai_device"].value
        return browser

    colleague, other = device(), device()
    assert [colleague.post(url, {"text": "意见"}).status_code for _ in range(3)] == [302, 302, 429]
    assert "同一设备" in colleague.post(url, {"text": "意见"}).content.decode()
    assert [other.post(url, {"text": "意见"}).status_code for _ in range(2)] == [302, 302]
    # A flood of fresh devices from the same address stops at the address's ceiling.
    assert device().post(url, {"text": "意见"}).status_code == 302
    flood = device().post(url, {"text": "意见"})
    assert flood.status_code == 429 and "已达5条上限" in flood.content.decode()
    assert Opinion.objects.count() == 5


def test_browsers_without_a_device_token_share_their_addresss_limit(
    client, world, notice, settings
):
    settings.OPINION_MAX_PER_WINDOW = 2
    notice = reports.publish_notice(notice, by=world.leader)
    url = reverse("public_notice", args=[notice.pk])
    codes = [
        client.post(url, {"text": "意见"}, HTTP_COOKIE=f"zhenggai_device={bad}").status_code
        for bad in ("", "short", "<script>-not-a-token-at-all-</script>")
    ]
    assert codes == [302, 302, 429]
