"""Signs of steered ratings: near-100% good on a large sample, bursts, an on-site point rated
outside office hours, many ratings from one address; for the evaluation office only, each
linking to the ratings behind it."""

from django.utils import timezone

from zhenggai.evaluations import warnings
from zhenggai.evaluations.tests.test_statistics import login, rate
from zhenggai.evaluations.values import Channel, period_of
from zhenggai.evaluations.warnings import Sign, steering_signs

HOME = "/evaluations/"


def period():
    return period_of(timezone.localdate())


def kinds(unit_ids=None):
    return sorted((s.kind, s.point_name, s.count) for s in steering_signs(period(), unit_ids))


def test_near_all_good_needs_a_large_sample(world, point, online_point):
    rate(point, 5, n=warnings.NEAR_ALL_GOOD_SAMPLE)
    rate(online_point, 5, n=warnings.NEAR_ALL_GOOD_SAMPLE - 1)
    assert kinds() == [(Sign.NEAR_ALL_GOOD, point.name, warnings.NEAR_ALL_GOOD_SAMPLE)]
    rate(point, 1, n=2)  # 200 of 202 good: 99.0%, no longer near 100%
    assert kinds() == []


def test_bursts_and_outside_hours_at_on_site_points(world, point, online_point):
    rate(point, 5, n=3, burst=True)
    rate(point, 5, n=warnings.OUTSIDE_HOURS_MIN, outside_hours=True)
    rate(online_point, 5, n=warnings.OUTSIDE_HOURS_MIN, outside_hours=True)  # online: any hour
    assert kinds() == [
        (Sign.BURST, point.name, 3),
        (Sign.OUTSIDE_HOURS, point.name, warnings.OUTSIDE_HOURS_MIN),
    ]


def test_many_ratings_from_one_address_but_not_from_a_halls_device(world, point, online_point):
    n = warnings.SAME_CLIENT_MIN
    rate(point, 5, n=n, client_hash="a" * 32)
    rate(online_point, 5, n=n - 1, client_hash="b" * 32)
    rate(online_point, 5, n=n, client_hash="c" * 32, channel=Channel.DEVICE)
    signs = steering_signs(period())
    assert [(s.kind, s.point_id, s.count) for s in signs] == [(Sign.SAME_CLIENT, point.pk, n)]
    assert signs[0].filters["client"] == "a" * 32


def test_signs_are_limited_to_the_units_asked(world, point):
    rate(point, 5, n=2, burst=True)
    assert kinds([world.outside_unit.pk]) == []
    assert len(kinds([world.unit.pk])) == 1


def test_the_office_sees_the_signs_with_links_to_their_ratings_and_a_unit_never(
    client, world, point
):
    rate(point, 5, n=2, burst=True)
    rate(point, 5, n=3)
    page = login(client, world.evaluator).get(HOME)
    text = page.content.decode()
    assert "疑似诱导评价提示" in text and "短时集中评价" in text
    (sign,) = page.context["signs"]
    assert sign.unit_name == "区科技局"
    listed = client.get(sign.url)
    assert listed.context["page"].paginator.count == 2
    page = login(client, world.leader).get(HOME)
    assert "短时集中评价" not in page.content.decode()
    assert page.context["signs"] == []
