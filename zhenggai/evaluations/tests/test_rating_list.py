"""The ratings list: filters, its problem's state, and what identifies a rater shown to the
evaluation office only, never to the rated unit (背靠背)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhenggai.evaluations.models import Rating, RatingPoint
from zhenggai.evaluations.services.ratings import keyed_hash, submit_rating
from zhenggai.evaluations.tests.test_statistics import bad, login, other_unit, rate
from zhenggai.evaluations.values import Channel, period_of

LIST = "/evaluations/ratings/"
PHONE = "13912345678"
CASE = "BJ2026-0042"


@pytest.fixture
def told(point):
    """A 差评 with a case number and a phone, from a known address and device."""
    return submit_rating(
        point,
        values={
            "level": "1",
            "comment": "排队两小时无人受理",
            "phone": PHONE,
            "case_number": CASE,
            "dimensions": {"service_attitude": "1"},
        },
        client="203.0.113.9",
        device="device-token-1",
    )


def names(page):
    return [row.rating.pk for row in page.context["rows"]]


def test_the_office_sees_case_number_phone_and_shortened_hashes(client, world, told):
    page = login(client, world.evaluator).get(LIST)
    text = page.content.decode()
    assert CASE in text and PHONE in text
    assert told.client_hash[:8] in text and told.device_hash[:8] in text
    assert told.client_hash not in text.replace(f"client={told.client_hash}", "")
    assert "办件编号" in text and "回访电话" in text


@pytest.mark.parametrize("who", ["leader", "rect_office", "discipline"])
def test_a_units_users_never_see_what_identifies_a_rater(client, world, told, who):
    page = login(client, getattr(world, who)).get(LIST)
    assert page.status_code == 200
    assert names(page) == [told.pk]
    text = page.content.decode()
    assert CASE not in text and PHONE not in text
    assert told.client_hash[:8] not in text and told.device_hash[:8] not in text
    assert "办件编号" not in text and "回访电话" not in text and "来源标识" not in text
    assert "排队两小时无人受理" in text  # the rating itself they do see


def test_a_unit_cannot_filter_by_a_raters_hash(client, world, point, told):
    rate(point, 5, n=2)
    login(client, world.leader)
    page = client.get(LIST, {"client": told.client_hash})
    assert len(names(page)) == 3  # the filter is not there for them: nothing is narrowed
    login(client, world.evaluator)
    assert names(client.get(LIST, {"client": told.client_hash})) == [told.pk]


def test_each_row_links_its_problem_and_its_rating(client, world, told):
    page = login(client, world.leader).get(LIST)
    text = page.content.decode()
    assert reverse("problem_detail", args=[told.problem_id]) in text
    assert "待制定方案" in text or told.problem.get_state_display() in text
    row = page.context["rows"][0]
    assert row.url == reverse("rating_detail", args=[told.pk])
    assert "服务态度 1" in row.dimensions


def test_filters_by_level_channel_point_period_and_flags(client, world, point, online_point):
    rate(point, 5, n=2)
    rate(point, 4, n=1, channel=Channel.DEVICE)
    rate(online_point, 3, n=1, burst=True)
    rate(point, 5, n=1, outside_hours=True)
    excluded = bad(point)
    # Given now, it is flagged out of hours in the evening or on a rest day: this test is
    # about the filters, so its flags are the ones set above whatever the clock says.
    Rating.objects.filter(pk=excluded.pk).update(excluded=True, outside_hours=False)
    earlier = timezone.now() - timedelta(days=200)
    rate(point, 1, n=1, at=earlier, comment="半年前的差评")
    login(client, world.evaluator)

    def count(**params):
        page = client.get(LIST, params)
        assert page.status_code == 200
        return page.context["page"].paginator.count

    assert count() == 7
    assert count(level="good") == 5 and count(level="bad") == 2 and count(level="4") == 1
    assert count(channel="device") == 1
    assert count(point=online_point.pk) == 1
    assert count(burst="true") == 1 and count(outside_hours="true") == 1
    assert count(excluded="true") == 1 and count(excluded="false") == 6
    assert count(period=period_of(timezone.localdate()).key) == 6
    assert count(unit=world.unit.pk, level="bad", excluded="false") == 1


def test_bad_filter_values_are_explained_not_a_server_error(client, world, point):
    rate(point, 5)
    login(client, world.evaluator)
    for params in ({"period": "garbage"}, {"level": "9"}, {"unit": "x"}, {"burst": "maybe"}):
        page = client.get(LIST, params)
        assert page.status_code == 200, params
    assert "评价期不正确" in client.get(LIST, {"period": "garbage"}).content.decode()


def test_another_offices_ratings_are_not_listed(client, world, point):
    outside = RatingPoint.objects.create(unit=world.outside_unit, kind="unit", name="财政大厅")
    rate(outside, 5)
    rate(point, 4)
    page = login(client, world.evaluator).get(LIST, {"unit": world.outside_unit.pk})
    assert names(page) == []
    page = login(client, world.leader).get(LIST)
    assert len(names(page)) == 1


def test_the_list_pages_and_its_queries_do_not_grow_with_rows(
    client, world, point, django_assert_max_num_queries
):
    login(client, world.evaluator)
    bad(point)
    rate(point, 5, n=3)
    with django_assert_max_num_queries(9):
        assert client.get(LIST).status_code == 200
    for k in range(5):
        unit, p = other_unit(world, f"区第{k}局")
        rate(p, 5, n=30, case_number="")
        bad(p, case_number=f"C{k}")
    with django_assert_max_num_queries(9):
        page = client.get(LIST)
    assert len(page.context["rows"]) == 50
    assert "第 1 / 4 页" in page.content.decode()
    assert keyed_hash("client", "198.51.100.7")[:8] in page.content.decode()
