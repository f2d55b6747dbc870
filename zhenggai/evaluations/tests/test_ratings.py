"""Taking a rating: one per case and one 追评, one per device within minutes, bursts flagged and
kept, markup refused, nothing of the rater kept raw."""

from datetime import datetime, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from zhenggai.evaluations.models import MonthlyTally, Rating
from zhenggai.evaluations.services.ratings import ONE_PER_CASE, keyed_hash, submit_rating
from zhenggai.lib.errors import Refused

# A working Tuesday at 10:00, and the Saturday after it.
TUESDAY = timezone.make_aware(datetime(2026, 11, 24, 10, 0))
SATURDAY = timezone.make_aware(datetime(2026, 11, 28, 10, 0))


def _rate(point, at=TUESDAY, device="", client="198.51.100.1", **values):
    return submit_rating(
        point, values={"level": "5", **values}, client=client, device=device, at=at
    )


def test_a_rating_keeps_its_levels_and_counts_in_the_tally(point):
    dimensions = {"service_efficiency": "4", "service_attitude": "5", "service_level": ""}
    rating = _rate(point, dimensions=dimensions, comment="办得快")
    assert rating.level == 5 and rating.service_efficiency == 4 and rating.service_level is None
    tally = MonthlyTally.objects.get(point=point, month=TUESDAY.date().replace(day=1))
    assert (tally.count, tally.good, tally.bad, tally.service_efficiency_sum) == (1, 1, 0, 4)


def test_the_rater_is_kept_only_as_keyed_hashes(point):
    rating = _rate(point, device="device-token-abcdefghijk", client="203.0.113.5")
    assert rating.client_hash == keyed_hash("client", "203.0.113.5") != "203.0.113.5"
    assert "203.0.113.5" not in str(Rating.objects.filter(pk=rating.pk).values().get())


def test_a_case_is_rated_once_and_followed_up_once(point):
    device = "device-token-abcdefghijk"
    first = _rate(point, device=device, case_number="BJ-1", level="2", comment="等了两个小时")
    follow = _rate(point, device=device, case_number="BJ-1", at=TUESDAY + timedelta(days=2))
    first.refresh_from_db()
    assert follow.follow_up_of == first and first.superseded
    # The case counts once, by its latest word.
    tally = MonthlyTally.objects.get(point=point, month=TUESDAY.date().replace(day=1))
    assert (tally.count, tally.level_sum) == (1, 5)
    with pytest.raises(Refused) as refused:
        _rate(point, device=device, case_number="BJ-1", at=TUESDAY + timedelta(days=3))
    assert refused.value.message == ONE_PER_CASE


def test_a_case_rated_from_another_device_is_refused_in_the_same_words(point):
    """A stranger holding a case number learns nothing of whether or where it was rated."""
    _rate(point, device="device-token-abcdefghijk", case_number="BJ-2")
    with pytest.raises(Refused) as refused:
        _rate(point, device="another-device-token-xyz", case_number="BJ-2")
    assert refused.value.message == ONE_PER_CASE
    assert Rating.objects.count() == 1


def test_a_follow_up_at_another_point_leaves_the_first_out_of_its_tally(point, online_point):
    device = "device-token-abcdefghijk"
    _rate(point, device=device, case_number="BJ-3", level="3")
    _rate(online_point, device=device, case_number="BJ-3", at=TUESDAY + timedelta(days=1))
    assert MonthlyTally.objects.get(point=point).count == 0
    assert MonthlyTally.objects.get(point=online_point).count == 1


def test_invisible_characters_are_refused(point):
    with pytest.raises(Refused) as refused:
        _rate(point, staff="王\u202e某")
    assert "不可见的控制字符" in refused.value.message


def test_a_device_rates_a_point_once_within_minutes(point):
    device = "device-token-abcdefghijk"
    _rate(point, device=device)
    with pytest.raises(Refused) as refused:
        _rate(point, device=device, at=TUESDAY + timedelta(minutes=3))
    assert "已评价过该服务" in refused.value.message
    assert _rate(point, device=device, at=TUESDAY + timedelta(minutes=30))


@override_settings(RATING_BURST_COUNT=5, RATING_BURST_MINUTES=10)
def test_a_burst_is_flagged_and_kept(point):
    for n in range(5):
        _rate(point, at=TUESDAY + timedelta(minutes=n))
    assert Rating.objects.filter(burst=True).count() == 5
    assert MonthlyTally.objects.get(point=point).burst == 5
    assert MonthlyTally.objects.get(point=point).count == 5


def test_an_on_site_point_rated_on_a_rest_day_is_flagged(point, online_point):
    assert _rate(point, at=SATURDAY).outside_hours
    assert not _rate(point, at=TUESDAY, client="x").outside_hours
    assert not _rate(online_point, at=SATURDAY).outside_hours
    evening = timezone.make_aware(datetime(2026, 11, 24, 21, 0))
    assert _rate(point, at=evening, client="y").outside_hours


@pytest.mark.parametrize(
    "values, message",
    [
        ({"level": "2", "comment": ""}, "请写明原因"),
        ({"level": "7"}, "请选择满意程度"),
        ({"level": "5", "comment": "<script>alert(1)</script>"}, "网页标记"),
        ({"level": "5", "comment": "好" * 501}, "最多 500 个字"),
        ({"level": "5", "phone": "12345"}, "联系电话"),
        ({"level": "5", "channel": "fax"}, "评价渠道"),
        ({"level": "5", "dimensions": {"guide_accuracy": "5"}}, "评价项目与该评价点不符"),
        ({"level": "5", "dimensions": {"service_level": "9"}}, "五个等级之一"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_keeps_nothing(point, values, message):
    with pytest.raises(Refused) as refused:
        submit_rating(point, values=values, at=TUESDAY)
    assert message in refused.value.message
    assert not Rating.objects.exists() and not MonthlyTally.objects.exists()


def test_an_inactive_point_takes_no_rating(point):
    point.active = False
    point.save()
    with pytest.raises(Refused):
        _rate(point)


@override_settings(RATING_MAX_PER_ADDRESS=3)
def test_an_address_is_limited(point):
    for n in range(3):
        _rate(point, case_number=f"C{n}")
    with pytest.raises(Refused) as refused:
        _rate(point, case_number="C9")
    assert "提交过于频繁" in refused.value.message


@override_settings(RATING_BURST_COUNT=4)
def test_tallies_kept_rating_by_rating_equal_a_recount(world, point, online_point):
    """Increments, follow-ups, bursts and an upheld appeal leave the tallies as a recount from
    the ratings would."""
    from zhenggai.evaluations.services import appeals
    from zhenggai.evaluations.services.ratings import rebuild_tallies

    device = "device-token-abcdefghijk"
    for n in range(6):
        dims = {"service_level": str(1 + n % 5)}
        _rate(point, at=TUESDAY + timedelta(minutes=n), level=str(3 + n % 3), dimensions=dims)
    _rate(point, device=device, case_number="T-1", level="1", comment="原因写在这里")
    _rate(point, device=device, case_number="T-1", at=TUESDAY + timedelta(days=1))
    bad = _rate(online_point, level="2", comment="网上申报总是卡顿", at=SATURDAY)
    appeal = appeals.file_appeal(bad, by=world.leader, ground="mistaken", statement="x")
    appeals.decide_appeal(appeal, by=world.evaluator, uphold=True, reason="属实")

    def rows():
        fields = [f.name for f in MonthlyTally._meta.fields if f.name != "id"]
        return sorted(MonthlyTally.objects.filter(count__gt=0).values_list(*fields))

    kept = rows()
    rebuild_tallies()
    assert kept == rows()
