"""The public rating page: no login, a rating taken and thanked for, and every refusal shown in
Chinese on the form with what was typed kept."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from zhenggai.evaluations.models import Rating
from zhenggai.evaluations.services.ratings import keyed_hash
from zhenggai.lib.device import DEVICE_COOKIE

DEVICE = "device-token-abcdefghijk"


@pytest.fixture
def public():
    """An anonymous phone whose browser holds a device token, as after its first visit."""
    client = Client(enforce_csrf_checks=True)
    client.cookies[DEVICE_COOKIE] = DEVICE
    return client


def _post(client, point, data, query=""):
    url = reverse("rate", args=[point.code]) + query
    token = client.get(url).cookies.get("csrftoken") or client.cookies["csrftoken"]
    return client.post(url, {"csrfmiddlewaretoken": token.value, **data})


def test_the_page_shows_the_levels_the_points_dimensions_and_the_promise(point):
    client = Client()
    page = client.get(reverse("rate", args=[point.code]))
    html = page.content.decode()
    assert page.status_code == 200
    for text in ("非常满意", "满意", "基本满意", "不满意", "非常不满意", "服务效率", "服务态度"):
        assert text in html
    assert "办事指南精确度" not in html  # an online dimension
    assert "看不到评价人的任何信息" in html
    assert "只有评价办能看到" in html  # what the phone number is for and who sees it
    assert "一次一评" in html
    assert page.cookies[DEVICE_COOKIE].value  # each browser gets a token of its own
    assert "<style" not in html and "<script>" not in html and "http" not in html.split("<body")[1]


def test_an_online_point_shows_the_online_dimensions(online_point):
    html = Client().get(reverse("rate", args=[online_point.code])).content.decode()
    assert "办事指南精确度" in html and "平台操作性" in html and "一事一评" in html


def test_a_rating_is_taken_without_login_and_thanked_for(public, point):
    response = _post(public, point, {"level": "5", "service_attitude": "4", "comment": "热情"})
    assert response.status_code == 302
    assert response["Location"] == reverse("rate_thanks", args=[point.code])
    rating = Rating.objects.get()
    assert (rating.level, rating.service_attitude, rating.channel) == (5, 4, "qr")
    assert rating.device_hash == keyed_hash("device", DEVICE)
    assert rating.client_hash == keyed_hash("client", "127.0.0.1")
    thanks = public.get(response["Location"]).content.decode()
    assert "感谢您的评价" in thanks and "差评" not in thanks.split("<main>")[1].split("看不到")[0]


def test_a_bad_rating_is_thanked_for_with_what_follows(public, point):
    response = _post(public, point, {"level": "1", "comment": "窗口无人，等了一上午"})
    assert response["Location"].endswith("?d=1")
    thanks = public.get(response["Location"]).content.decode()
    assert "核实整改" in thanks and "回访" in thanks
    assert Rating.objects.get().problem_id is not None


def test_the_channel_comes_from_the_link(public, point):
    response = _post(public, point, {"level": "4"}, query="?c=device")
    assert response.status_code == 302
    assert Rating.objects.get().channel == "device"
    assert (
        'action="?c=device"'
        in public.get(reverse("rate", args=[point.code]) + "?c=device").content.decode()
    )


def test_an_unknown_channel_counts_as_the_qr_code(public, point):
    _post(public, point, {"level": "4"}, query="?c=telepathy")
    assert Rating.objects.get().channel == "qr"


def _refused(response, message: str) -> str:
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert Rating.objects.count() == 0
    return html


def test_a_bad_rating_without_a_reason_is_refused_and_keeps_what_was_typed(public, point):
    data = {
        "level": "2",
        "comment": "慢",
        "case_number": "BJ-7",
        "staff": "张三",
        "phone": "13800138000",
    }
    html = _refused(_post(public, point, data), "请写明原因")
    assert re.search(r'name="level" value="2"[^>]*checked', html)
    for kept in ("BJ-7", "张三", "13800138000", "慢</textarea>"):
        assert kept in html


def test_markup_is_refused_and_kept_escaped(public, point):
    html = _refused(
        _post(public, point, {"level": "4", "comment": "<script>alert(1)</script>很好"}),
        "不能含有 &lt; 或 &gt;",
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;很好" in html
    assert "<script>alert" not in html


def test_a_too_long_reason_is_refused_and_kept(public, point):
    text = "办事效率太低" * 100
    html = _refused(_post(public, point, {"level": "1", "comment": text}), "最多 500 个字")
    assert text in html


def test_no_level_is_refused_in_chinese(public, point):
    html = _refused(_post(public, point, {"comment": "还行吧"}), "请选择总体满意度")
    assert "还行吧" in html


def test_a_malformed_phone_is_refused(public, point):
    _refused(_post(public, point, {"level": "5", "phone": "12345"}), "联系电话应为")


@pytest.mark.parametrize("length", [12_000, 100_000])  # 36 KB: over the page's 32, under 64
def test_a_huge_body_is_refused_with_a_chinese_page(point, length):
    response = Client().post(
        reverse("rate", args=[point.code]), {"level": "5", "comment": "长" * length}
    )
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()
    assert Rating.objects.count() == 0


def test_a_huge_body_from_a_signed_in_user_is_refused_too(client, world, point):
    client.force_login(world.leader)
    response = client.post(
        reverse("rate", args=[point.code]), {"level": "5", "comment": "长" * 20_000}
    )
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()


def test_a_case_is_rated_once(public, point):
    assert _post(public, point, {"level": "5", "case_number": "BJ-9"}).status_code == 302
    other = Client(enforce_csrf_checks=True)
    other.cookies[DEVICE_COOKIE] = "another-device-token-xyz"
    response = _post(other, point, {"level": "3", "case_number": "BJ-9", "comment": "再评一次"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "该办件不能再评价" in html and "再评一次" in html
    assert Rating.objects.count() == 1


def test_the_same_device_rates_a_point_once_within_minutes(public, point):
    assert _post(public, point, {"level": "5"}).status_code == 302
    response = _post(public, point, {"level": "4", "comment": "第二次"})
    assert response.status_code == 400
    assert "分钟内已评价过该服务" in response.content.decode()
    assert Rating.objects.count() == 1


@override_settings(RATING_MAX_PER_ADDRESS=2)
def test_an_address_over_the_limit_is_refused(point):
    for n in range(2):
        phone = Client(enforce_csrf_checks=True)
        phone.cookies[DEVICE_COOKIE] = f"device-token-number-{n}-abcdef"
        assert _post(phone, point, {"level": "5"}).status_code == 302
    phone = Client(enforce_csrf_checks=True)
    phone.cookies[DEVICE_COOKIE] = "device-token-number-x-abcdef"
    response = _post(phone, point, {"level": "5", "comment": "第三个"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "提交过于频繁" in html and "第三个" in html


def test_an_inactive_point_takes_no_rating(public, point):
    page = public.get(reverse("rate", args=[point.code]))
    token = page.cookies["csrftoken"].value
    point.active = False
    point.save()
    response = public.post(
        reverse("rate", args=[point.code]),
        {"csrfmiddlewaretoken": token, "level": "5", "comment": "写好的评价"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "该评价点已停用" in html
    assert Rating.objects.count() == 0
    assert "已停用" in public.get(reverse("rate", args=[point.code])).content.decode()


def test_an_unknown_code_is_a_chinese_404(db):
    response = Client().get(reverse("rate", args=["nosuchcode"]))
    assert response.status_code == 404
    assert "评价码不存在" in response.content.decode()
    assert Client().get(reverse("rate_thanks", args=["nosuchcode"])).status_code == 404


def test_a_post_without_the_csrf_token_is_refused(point):
    response = Client(enforce_csrf_checks=True).post(
        reverse("rate", args=[point.code]), {"level": "5"}
    )
    assert response.status_code == 403
    assert Rating.objects.count() == 0


def test_what_was_given_is_not_shown_back(public, point):
    data = {
        "level": "1",
        "comment": "态度恶劣，拒不解释",
        "phone": "13900139000",
        "case_number": "BJ-55",
    }
    response = _post(public, point, data)
    for page in (public.get(response["Location"]), public.get(reverse("rate", args=[point.code]))):
        html = page.content.decode()
        assert "13900139000" not in html and "BJ-55" not in html and "拒不解释" not in html


def test_the_page_is_small(point):
    response = Client().get(reverse("rate", args=[point.code]))
    assert len(response.content) < 12_000


def test_each_refused_field_says_what_is_wrong(public, point):
    response = _post(public, point, {"level": "5", "service_level": "9", "comment": "好\x00"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "服务水平：" in html  # its error, beside it
    assert "空字符" in html  # Django's own words for the comment's NUL
