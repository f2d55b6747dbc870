"""Tracking codes: given on sending, shown once, and the lookup that shows the sender the reply and
nothing else about the triage."""

import re

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhenggai.public import services, tracking
from zhenggai.public.models import Opinion
from zhenggai.reports import services as reports
from zhenggai.reports.models import default_notice

TRACK = "/public/opinions/track/"
NOT_FOUND = "未查到该查询码对应的意见"


@pytest.fixture
def notice(world):
    world.problem("学习贯彻不深入")
    notice = reports.save_notice(default_notice(world.round), by=world.rect_office, phone="1")
    return reports.publish_notice(notice, by=world.leader)


def look_up(client, code, **extra):
    return client.post(TRACK, {"code": code}, **extra)


def test_the_lookup_lives_at_its_public_address():
    assert reverse("public_opinion_track") == TRACK


def test_a_code_is_twelve_characters_without_look_alikes_shown_in_groups():
    codes = {tracking.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert len(code) == 12 and set(code) <= set(tracking.ALPHABET)
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", tracking.grouped(code))
    assert not set("01OIL") & set("".join(codes))
    assert tracking.grouped("K7QM4XZP2HNR") == "K7QM-4XZP-2HNR"


@pytest.mark.parametrize(
    "typed",
    [
        "K7QM-4XZP-2HNR",
        "k7qm4xzp2hnr",
        " k7qm 4xzp 2hnr ",
        "K7QM—4XZP—2HNR",  # a dash from a Chinese input method
        "ｋ７ｑｍ－４ｘｚｐ－２ｈｎｒ",  # full-width
        "K7QM_4XZP.2HNR\n",
    ],
)
def test_a_typed_code_is_read_whatever_its_case_spaces_and_hyphens(typed):
    assert tracking.normalise(typed) == "K7QM4XZP2HNR"


@pytest.mark.parametrize(
    "typed",
    ["", "K7QM-4XZP-2HN", "K7QM-4XZP-2HNRR", "K7QM-4XZP-2HN0", "K7QM-4XZP-2HNO", "K7QM+4XZP"],
)
def test_what_cannot_be_a_code_reads_as_none(typed):
    assert tracking.normalise(typed) == ""


def test_each_opinion_gets_its_own_code_stored_normalised(world, notice):
    first = services.send_opinion(notice, text="一", sender="192.0.2.1")
    second = services.send_opinion(notice, text="二", sender="192.0.2.2")
    assert tracking.normalise(first.tracking_code) == first.tracking_code
    assert first.tracking_code != second.tracking_code
    assert Opinion.objects.filter(tracking_code=first.tracking_code).count() == 1


def test_a_colliding_code_is_drawn_again(world, notice, monkeypatch):
    taken = services.send_opinion(notice, text="一", sender="192.0.2.1").tracking_code
    draws = iter([taken, taken, "ABCDEFGHJKMN"])
    monkeypatch.setattr(tracking, "new_code", lambda: next(draws))
    opinion = services.send_opinion(notice, text="二", sender="192.0.2.2")
    assert opinion.tracking_code == "ABCDEFGHJKMN"
    assert Opinion.objects.count() == 2


def test_a_collision_that_never_ends_stores_nothing(world, notice, monkeypatch):
    taken = services.send_opinion(notice, text="一", sender="192.0.2.1").tracking_code
    monkeypatch.setattr(tracking, "new_code", lambda: taken)
    with pytest.raises(IntegrityError):
        services.send_opinion(notice, text="二", sender="192.0.2.2")
    assert Opinion.objects.count() == 1


def test_the_code_is_shown_once_after_sending_and_kept_out_of_cookies(client, world, notice):
    url = reverse("public_notice", args=[notice.pk])
    response = client.post(url, {"text": "建议公开制度文件"})
    assert response.status_code == 302 and "#opinion" in response.url
    code = tracking.grouped(Opinion.objects.get().tracking_code)
    assert code not in response.url
    assert all(code not in morsel.value for morsel in response.cookies.values())
    shown = client.get(url)
    page = shown.content.decode()
    assert 'id="tracking-code">' + code in page and "请抄写或截图保存此查询码" in page
    assert "no-store" in shown["Cache-Control"]
    assert code not in client.get(url).content.decode()  # once


def test_a_robot_gets_no_code(client, world, notice):
    url = reverse("public_notice", args=[notice.pk])
    client.post(url, {"text": "广告", "website": "http://spam.example"})
    assert "tracking-code" not in client.get(url).content.decode()


def test_the_lookup_shows_the_reply_and_nothing_else(client, world, notice):
    world.rect_office.first_name = "张办理"
    world.rect_office.save()
    opinion = services.send_opinion(
        notice,
        text="建议公开制度文件",
        name="王先生",
        contact="13900000000",
        sender="192.0.2.1",
    )
    other = services.send_opinion(notice, text="别人的意见", sender="192.0.2.2")
    services.triage_opinion(other, by=world.rect_office, status="answered", note="别人的答复")
    services.triage_opinion(opinion, by=world.rect_office, status="accepted", note="转综合科研究")
    services.triage_opinion(opinion, by=world.rect_office, status="answered", note="已在门户公开")
    opinion.refresh_from_db()

    response = look_up(client, opinion.tracking_code.lower())
    assert response.status_code == 200
    page = response.content.decode()
    reply = page[page.index('id="reply"') :]
    assert "已办结" in reply and "已在门户公开" in reply
    assert timezone.localtime(opinion.handled_at).strftime("%Y-%m-%d") in reply
    assert notice.published_content["title"] in reply
    assert reverse("public_notice", args=[notice.pk]) in reply
    assert tracking.grouped(opinion.tracking_code) in reply
    for secret in (
        "张办理",
        "rect_office",
        "转综合科研究",  # an earlier note, in the history only
        "王先生",
        "13900000000",
        "建议公开制度文件",  # the opinion itself is not repeated to whoever holds the code
        opinion.sender_hash,
        "别人的意见",
        "别人的答复",
        "处理人",
    ):
        assert secret not in page, secret
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "status, note, shown, hidden",
    [
        ("new", "", "已收到，正在处理", None),
        ("accepted", "内部：交办公室", "已受理", "内部：交办公室"),
        ("dismissed", "不属于本次整改范围", "不予受理", None),
    ],
)
def test_each_state_in_public_words(client, world, notice, status, note, shown, hidden):
    opinion = services.send_opinion(notice, text="意见", sender="192.0.2.1")
    if status != "new":
        services.triage_opinion(opinion, by=world.rect_office, status=status, note=note)
    page = look_up(client, opinion.tracking_code).content.decode()
    assert f'<b class="tracked-status">{shown}</b>' in page
    if hidden:
        assert hidden not in page  # accepted: a note is not yet the reply
    elif note:
        assert note in page and "答复日期" in page


def test_a_wrong_code_gets_one_neutral_message(client, world, notice):
    services.send_opinion(notice, text="意见", sender="192.0.2.1")
    answers = [look_up(client, code) for code in ("ABCD-EFGH-JKMN", "nonsense", "K7QM-4XZP-2HN")]
    for response in answers:
        page = response.content.decode()
        assert response.status_code == 200 and NOT_FOUND in page and 'id="reply"' not in page
    unknown, malformed = (
        re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", a.content.decode()).replace(
            "nonsense", "ABCD-EFGH-JKMN"
        )
        for a in answers[:2]
    )
    assert unknown == malformed  # no hint whether the code exists or was mistyped


def test_an_empty_code_asks_for_one(client, world):
    page = look_up(client, "  ").content.decode()
    assert "这个字段是必填项" in page and NOT_FOUND not in page


def test_a_code_in_the_query_string_is_not_looked_up(client, world, notice):
    opinion = services.send_opinion(notice, text="意见", sender="192.0.2.1")
    page = client.get(TRACK, {"code": opinion.tracking_code}).content.decode()
    assert 'id="reply"' not in page and NOT_FOUND not in page


def test_lookups_are_rate_limited_per_device_and_address(world, notice, settings):
    settings.OPINION_LOOKUP_MAX, settings.OPINION_LOOKUP_MAX_PER_ADDRESS = 3, 5
    code = services.send_opinion(notice, text="意见", sender="192.0.2.1").tracking_code

    def device():
        browser = Client()
        browser.get(TRACK)  # the page gives the browser its device token
        assert browser.cookies["zhenggai_device"].value
        return browser

    guesser = device()
    assert [look_up(guesser, "ABCD-EFGH-JKMN").status_code for _ in range(3)] == [200] * 3
    refused = look_up(guesser, code)  # even the right code, once over the limit
    assert refused.status_code == 429 and "查询过于频繁" in refused.content.decode()
    assert 'id="reply"' not in refused.content.decode()
    # Others behind the same address have limits of their own, up to the address's ceiling
    # (the guesser's three admitted lookups count towards it; the refused one does not).
    assert [look_up(device(), code).status_code for _ in range(2)] == [200, 200]
    flood = look_up(device(), code)
    assert flood.status_code == 429 and "已达5次上限" in flood.content.decode()
    other_address = look_up(device(), code, REMOTE_ADDR="198.51.100.9")
    assert other_address.status_code == 200 and 'id="reply"' in other_address.content.decode()


def test_a_withdrawn_notices_opinion_still_shows_its_reply_but_not_the_notice(
    client, world, notice
):
    opinion = services.send_opinion(notice, text="意见", sender="192.0.2.1")
    services.triage_opinion(opinion, by=world.rect_office, status="answered", note="已整改到位")
    title = notice.published_content["title"]
    reports.unpublish_notice(notice, by=world.leader, reason="内容需更正")
    page = look_up(client, opinion.tracking_code).content.decode()
    assert "已整改到位" in page and "该通报已撤回" in page
    assert title not in page and reverse("public_notice", args=[notice.pk]) not in page


def test_the_lookup_needs_the_csrf_token(world, notice):
    code = services.send_opinion(notice, text="意见", sender="192.0.2.1").tracking_code
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(TRACK, {"code": code}).status_code == 403
    browser.get(TRACK)
    token = browser.cookies["csrftoken"].value
    answer = browser.post(TRACK, {"code": code, "csrfmiddlewaretoken": token})
    assert answer.status_code == 200 and 'id="reply"' in answer.content.decode()


def test_the_lookup_takes_few_queries(client, world, notice, django_assert_max_num_queries):
    opinion = services.send_opinion(notice, text="意见", sender="192.0.2.1")
    services.triage_opinion(opinion, by=world.rect_office, status="answered", note="已办")
    # Two rate-limit places on the database cache (a read, a count, a savepoint, a read and an
    # insert, a release: six each) and the opinion with its notice in one.
    with django_assert_max_num_queries(13):
        assert 'id="reply"' in look_up(client, opinion.tracking_code).content.decode()


def test_the_public_pages_link_to_the_lookup(client, world, notice):
    for url in (reverse("public_notices"), reverse("public_notice", args=[notice.pk])):
        assert f'href="{TRACK}"' in client.get(url).content.decode()


def test_the_triage_page_says_the_note_is_the_public_reply(client, world, notice):
    services.send_opinion(notice, text="意见", sender="192.0.2.1")
    url = reverse("opinion_list", args=[world.round.pk])
    client.force_login(world.rect_office)
    page = client.get(url).content.decode()
    assert "处理意见即对提交人的答复" in page and "处理意见（答复提交人）" in page
    client.force_login(world.staff)  # who cannot triage is not told how to
    assert "处理意见即对提交人的答复" not in client.get(url).content.decode()


def test_the_demo_has_an_answered_opinion_under_a_known_code(client, world, notice):
    from zhenggai.demo.tracking import REPLY, load_tracked_opinion

    code = load_tracked_opinion({"zhenggaiban": world.rect_office}, [notice])
    assert code == "K7QM-4XZP-2HNR"
    page = look_up(client, code).content.decode()
    assert "已办结" in page and REPLY in page
