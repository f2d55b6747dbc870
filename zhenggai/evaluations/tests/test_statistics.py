"""The evaluation statistics pages: who reads which units' figures, the ranking with its minimum
sample, a unit's page with its points, trend and rounds, and fixed query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhenggai.evaluations.models import Rating, RatingPoint, ServiceCount
from zhenggai.evaluations.services.ratings import refresh_tally, submit_rating
from zhenggai.evaluations.values import Channel, Mode, period_of
from zhenggai.orgs.models import Unit
from zhenggai.orgs.services import create_unit

HOME = "/evaluations/"


def rate(point, level=5, n=1, at=None, **fields):
    """`n` ratings of `point` at `at` (now by default), straight into the table and the tally."""
    at = at or timezone.now()
    Rating.objects.bulk_create(
        Rating(
            point=point,
            unit_id=point.unit_id,
            section_id=point.section_id,
            level=level,
            channel=fields.pop("channel", Channel.QR),
            rated_at=at,
            **fields,
        )
        for _ in range(n)
    )
    refresh_tally(point, timezone.localtime(at).date())


def bad(point, **values):
    values = {"level": "2", "comment": "窗口人员态度冷淡，材料被退回三次", **values}
    return submit_rating(point, values=values, client="198.51.100.7")


def other_unit(world, name="区市场监管局"):
    unit = create_unit(name, Unit.Kind.UNIT, world.office)
    point = RatingPoint.objects.create(
        unit=unit, kind=RatingPoint.Kind.UNIT, name=f"{name}大厅", mode=Mode.ON_SITE
    )
    return unit, point


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def small_sample(settings):
    settings.RANKING_MIN_SAMPLE = 3


def test_the_office_sees_its_units_ranked_by_score_and_small_samples_marked(
    client, world, point, small_sample
):
    rate(point, 5, n=3)
    rate(point, 4, n=1)
    unit, other = other_unit(world)
    rate(other, 3, n=4)
    few, few_point = other_unit(world, "区统计局")
    rate(few_point, 5, n=2)
    page = login(client, world.evaluator).get(HOME)
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [(r.name, r.rank) for r in rows] == [
        ("区科技局", 1),
        ("区市场监管局", 2),
        ("区统计局", None),
    ]
    assert rows[0].shown.score == "95.00" and rows[0].shown.count == 4
    assert rows[0].shown.good_rate == "100.0%"
    text = page.content.decode()
    assert "样本不足" in text and "单位排名" in text
    assert "市财政局" not in text  # below another office


def test_a_units_leader_sees_their_own_unit_only_and_no_signs(client, world, point):
    rate(point, 5, n=3)
    other_unit(world)
    for user in (world.leader, world.rect_office, world.discipline):
        page = login(client, user).get(HOME)
        assert page.status_code == 200
        assert [r.name for r in page.context["rows"]] == ["区科技局"]
        assert not page.context["ranked"]
        assert "疑似诱导评价提示" not in page.content.decode()


@pytest.mark.parametrize("who", ["staff", "other_staff", "inspector"])
def test_section_staff_and_others_are_told_they_have_no_evaluation_data(client, world, who):
    user = getattr(world, who)
    for url in (HOME, reverse("rating_list")):
        page = login(client, user).get(url)
        assert page.status_code == 200
        assert "您没有可查看的评价数据" in page.content.decode()


def test_another_units_office_sees_that_unit_only(client, world, point):
    rate(point, 5, n=3)
    RatingPoint.objects.create(unit=world.outside_unit, kind="unit", name="市财政局")
    page = login(client, world.outsider).get(HOME)
    assert [r.name for r in page.context["rows"]] == ["市财政局"]
    assert "区科技局" not in page.content.decode()


def test_an_earlier_period_is_chosen_by_its_key_and_a_bad_key_is_explained(client, world, point):
    current = period_of(timezone.localdate())
    earlier = current.previous()
    at = timezone.make_aware(timezone.datetime.combine(earlier.start, timezone.datetime.min.time()))
    rate(point, 2, n=2, at=at + timedelta(hours=10))
    rate(point, 5, n=1)
    login(client, world.evaluator)
    page = client.get(HOME, {"period": earlier.key})
    assert page.context["period"] == earlier
    assert page.context["rows"][0].shown.count == 2
    assert f'value="{earlier.key}" selected' in page.content.decode()
    typed = client.get(f"{HOME}?period={earlier.key.replace('+', ' ')}")
    assert typed.context["period"] == earlier  # "+" typed into a URL arrives as a space
    wrong = client.get(HOME, {"period": "2026-02-30+3"})
    assert wrong.status_code == 200
    assert wrong.context["period"] == current
    assert "评价期不正确" in wrong.content.decode()


def test_the_rate_of_cases_rated_shows_when_service_counts_exist(client, world, point):
    rate(point, 5, n=5)
    month = timezone.localdate().replace(day=1)
    ServiceCount.objects.create(unit=world.unit, month=month, count=20)
    page = login(client, world.evaluator).get(HOME)
    assert page.context["with_services"]
    assert page.context["rows"][0].shown.rated_share == "25.0%"
    assert "主动评价率" in page.content.decode()


def test_a_unit_page_shows_points_trend_and_the_round_of_its_bad_reviews(
    client, world, point, online_point
):
    rate(point, 5, n=3)
    rate(online_point, 4, n=1, handling_efficiency=4)
    rating = bad(point)
    page = login(client, world.leader).get(reverse("evaluation_unit", args=[world.unit.pk]))
    assert page.status_code == 200
    assert page.context["shown"].count == 5
    assert page.context["shown"].bad_rate == "20.0%"
    assert {row.point.name: row.shown.count for row in page.context["points"]} == {
        point.name: 4,
        online_point.name: 1,
    }
    bars = page.context["chart"]["bars"]
    assert len(bars) == 12 and bars[-1].shown.count == 5
    assert bars[-1].bad_height > 0 and bars[0].good_height == 0
    text = page.content.decode()
    assert "<svg" in text and "ev-trend" in text
    round_id = rating.problem.round_id
    assert f"/ledger/?round={round_id}" in text
    assert reverse("round_detail", args=[round_id]) in text
    assert f"{reverse('rating_list')}?unit={world.unit.pk}" in text
    assert "handling_efficiency" not in text
    assert "4.00" in text  # 办事效率's average


def test_a_unit_page_outside_the_users_scope_is_not_found(client, world, point):
    url = reverse("evaluation_unit", args=[world.outside_unit.pk])
    assert login(client, world.evaluator).get(url).status_code == 404
    assert login(client, world.leader).get(url).status_code == 404
    own = reverse("evaluation_unit", args=[world.unit.pk])
    assert login(client, world.staff).get(own).status_code == 404
    assert login(client, world.outside_leader).get(own).status_code == 404
    assert login(client, world.outside_leader).get(url).status_code == 200
    section = reverse("evaluation_unit", args=[world.section.pk])
    assert login(client, world.evaluator).get(section).status_code == 404


def _seed_units(world, n, first=0):
    for k in range(first, first + n):
        unit, p = other_unit(world, f"区第{k}局")
        rate(p, 5 - k % 3, n=2)
        rate(p, 1, n=1, comment="态度差态度差", phone="13900000000")


def _count_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


def test_the_home_page_takes_the_same_queries_for_3_or_30_units(
    client, world, point, django_assert_max_num_queries
):
    login(client, world.evaluator)
    _seed_units(world, 3)
    rate(point, 5, n=2, burst=True)
    _count_queries(client, HOME, django_assert_max_num_queries, 13)
    _seed_units(world, 27, first=3)
    _count_queries(client, HOME, django_assert_max_num_queries, 13)


def test_the_unit_page_takes_the_same_queries_for_few_or_many_points(
    client, world, point, django_assert_max_num_queries
):
    login(client, world.evaluator)
    url = reverse("evaluation_unit", args=[world.unit.pk])
    rate(point, 5, n=3)
    bad(point)
    _count_queries(client, url, django_assert_max_num_queries, 15)
    for k in range(20):
        p = RatingPoint.objects.create(unit=world.unit, kind="item", name=f"事项{k}")
        rate(p, 4, n=2)
        bad(p, case_number=f"C{k}")
    _count_queries(client, url, django_assert_max_num_queries, 15)


def test_rectified_and_called_back_bad_reviews_count_in_their_rates(world, point, online_point):
    from zhenggai.evaluations import stats
    from zhenggai.evaluations.services.bad_reviews import record_callback
    from zhenggai.evaluations.tests.test_bad_reviews import _rectify

    rate(point, 5, n=2)
    first = bad(point, phone="13900000000")
    bad(online_point, case_number="C2")  # left no phone: nobody to call back
    bad(point, case_number="C3", phone="13900000001")  # not rectified yet, not called
    _rectify(world, first.problem)
    record_callback(
        first, by=world.evaluator, caller="刘评价", called_at=timezone.now(), outcome="satisfied"
    )
    period = period_of(timezone.localdate())
    f = stats.figures_by(period, "unit_id", [world.unit.pk])[world.unit.pk]
    assert (f.count, f.bad, f.bad_rectified, f.bad_with_phone, f.called_back) == (5, 3, 1, 2, 1)
    assert f.rectified_rate == 0.3333 and f.callback_rate == 0.5
    by_point = stats.figures_by(period, "point_id", [world.unit.pk])
    assert by_point[point.pk].bad_with_phone == 2 and by_point[online_point.pk].bad == 1
    unit_of = {point.pk: world.unit.pk, online_point.pk: world.unit.pk}
    rolled = stats.roll_up(by_point, unit_of, period, [world.unit.pk])[world.unit.pk]
    assert rolled == f


def test_a_units_people_see_their_rated_units_only(client, world, point):
    """A leader of two units, one of them rated, reads that one: no row of dashes for the
    other (the office reads every unit of its own, rated or not yet)."""
    from zhenggai.orgs.models import Role
    from zhenggai.testing import grant

    grant(world.leader, world.outside_unit, Role.LEADER)
    client.force_login(world.leader)
    rows = client.get(reverse("evaluation_home")).context["rows"]
    assert [row.name for row in rows] == [world.unit.name]
