"""Ratings through the API: read as the rating pages show them to the unit (never what
identifies a rater), and pushed by a device or platform with a key bound to its points, taken
by the public page's own service."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from zhenggai.api.push_keys import create_push_key, revoke_push_key
from zhenggai.api.push_models import PushKey
from zhenggai.api.tests.probes_evaluations import make_point
from zhenggai.evaluations.models import Rating, RatingPoint
from zhenggai.evaluations.services.ratings import keyed_hash, submit_rating
from zhenggai.evaluations.values import Channel
from zhenggai.lib.errors import NotAllowed, Refused

pytestmark = pytest.mark.django_db
LIST = "/api/v1/ratings/"
PUSH = "/api/v1/ratings/push/"
RATER = ("phone", "case_number", "device_hash", "client_hash", "external_id")


@pytest.fixture
def point(world):
    return make_point(world)


@pytest.fixture
def key(world, point):
    """A hall device's key, bound to the point, and its text."""
    return create_push_key(world.office, by=world.evaluator, name="大厅评价器1号", points=[point])


def device(text: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Key {text}")
    return client


def _rated(point, **values):
    return submit_rating(
        point,
        values={"level": 2, "comment": "窗口无人，等了很久", "case_number": "BJ-1", **values},
        client="192.0.2.9",
        device="browser-1",
    )


# Reading


def test_ratings_are_listed_to_the_unit_and_office_never_with_what_identifies_the_rater(
    bearer, world, point
):
    rating = _rated(point, phone="13800000000")
    for person in (world.leader, world.evaluator):
        found = bearer(person, "read").get(LIST).json()
        assert [row["id"] for row in found["results"]] == [rating.pk]
        row = found["results"][0]
        assert row["level"] == 2 and row["comment"] == "窗口无人，等了很久"
        assert not set(RATER) & set(row), "背靠背: no phone, case number or hash"
        one = bearer(person, "read").get(f"{LIST}{rating.pk}/").json()
        assert not set(RATER) & set(one) and one["problem"] == rating.problem_id


def test_another_units_people_find_no_rating(bearer, world, point):
    rating = _rated(point)
    client = bearer(world.outside_leader, "read")
    assert client.get(LIST).json()["results"] == []
    assert client.get(f"{LIST}{rating.pk}/").status_code == 404


def test_ratings_are_filtered_as_the_ratings_page_filters_them(bearer, world, point):
    bad = _rated(point)
    good = submit_rating(point, values={"level": 5}, client="192.0.2.8")
    client = bearer(world.leader, "read")
    assert [r["id"] for r in client.get(LIST, {"level": "bad"}).json()["results"]] == [bad.pk]
    assert [r["id"] for r in client.get(LIST, {"level": "5"}).json()["results"]] == [good.pk]
    period = f"{timezone.localdate():%Y-%m}-01+1"
    assert client.get(LIST, {"period": period}).json()["count"] == 2
    assert client.get(LIST, {"period": "2001-01-01+1"}).json()["count"] == 0


def test_no_filter_by_a_raters_hash_even_for_the_office(bearer, world, point):
    rating = _rated(point)
    client = bearer(world.evaluator, "read")
    found = client.get(LIST, {"client": "no-such-hash"}).json()
    assert [r["id"] for r in found["results"]] == [rating.pk], "the parameter is not taken"


def test_the_list_reads_in_the_same_number_of_queries_however_long(bearer, world, point):
    client = bearer(world.leader, "read")
    submit_rating(point, values={"level": 5}, client="192.0.2.1")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    count()  # the token's first use is noted once
    few = count()
    for n in range(5):
        submit_rating(point, values={"level": 4}, client=f"192.0.2.{n + 2}")
    assert count() == few


# Pushing


def test_a_device_pushes_a_rating_of_its_point_as_the_public_page_takes_it(world, point, key):
    pushed, text = key
    response = device(text).post(
        PUSH,
        {"point": point.code, "level": 5, "dimensions": {"service_attitude": 5}},
        format="json",
    )
    assert response.status_code == 201, response.json()
    rating = Rating.objects.get(pk=response.json()["id"])
    assert rating.point == point and rating.channel == Channel.DEVICE
    assert rating.service_attitude == 5 and rating.unit == world.unit
    # The key is the client its pushes are counted as; its text is kept nowhere.
    assert rating.client_hash == keyed_hash("client", f"push-key:{pushed.pk}")
    pushed.refresh_from_db()
    assert pushed.last_used_at is not None and text.split("_", 2)[2] not in pushed.digest


def test_a_pushed_bad_review_becomes_a_problem(world, point, key):
    response = device(key[1]).post(
        PUSH, {"point": point.code, "level": 1, "comment": "态度恶劣，推诿扯皮"}, format="json"
    )
    assert response.status_code == 201 and response.json()["bad_review"] is True
    assert Rating.objects.get(pk=response.json()["id"]).problem is not None


def test_a_pushed_rating_is_refused_as_the_public_page_refuses_it(world, point, key):
    client = device(key[1])
    no_reason = client.post(PUSH, {"point": point.code, "level": 1}, format="json")
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "refused"
    wrong_dimension = client.post(
        PUSH, {"point": point.code, "level": 5, "dimensions": {"operability": 5}}, format="json"
    )
    assert wrong_dimension.status_code == 400
    bad_level = client.post(PUSH, {"point": point.code, "level": 9}, format="json")
    assert bad_level.status_code == 400 and "level" in bad_level.json()["errors"]
    qr = client.post(PUSH, {"point": point.code, "level": 5, "channel": "qr"}, format="json")
    assert qr.status_code == 400, "a device rates by device (or other), not by the QR page"
    assert not Rating.objects.exists()


def test_a_case_is_rated_once_and_followed_up_once_by_the_key_that_rated_it(world, point, key):
    client = device(key[1])
    body = {"point": point.code, "level": 3, "case_number": "BJ-7"}
    first = client.post(PUSH, body, format="json")
    follow_up = client.post(PUSH, {**body, "level": 5}, format="json")
    third = client.post(PUSH, body, format="json")
    assert first.status_code == 201 and first.json()["follow_up"] is False
    assert follow_up.status_code == 201 and follow_up.json()["follow_up"] is True
    assert third.status_code == 400 and third.json()["code"] == "refused"
    other_key = create_push_key(world.office, by=world.evaluator, name="平台", points=[point])
    assert device(other_key[1]).post(PUSH, body, format="json").status_code == 400


def test_a_device_without_case_numbers_rates_many_people_in_turn(world, point, key):
    client = device(key[1])
    answers = [client.post(PUSH, {"point": point.code, "level": 5}, format="json") for _ in "12"]
    assert [a.status_code for a in answers] == [201, 201]


def test_a_burst_of_pushes_is_flagged_and_a_flood_refused_per_key(world, point, key, settings):
    settings.RATING_BURST_COUNT = 2
    settings.RATING_MAX_PER_ADDRESS = 3
    client = device(key[1])
    answers = [client.post(PUSH, {"point": point.code, "level": 5}, format="json") for _ in "1234"]
    assert [a.status_code for a in answers] == [201, 201, 201, 400]
    assert Rating.objects.filter(burst=True).count() == 3


def test_a_pushed_ratings_time_is_its_own_within_a_week(world, point, key):
    client = device(key[1])
    at = timezone.now() - timedelta(days=2)
    taken = client.post(PUSH, {"point": point.code, "level": 5, "rated_at": at}, format="json")
    assert taken.status_code == 201
    assert Rating.objects.get(pk=taken.json()["id"]).rated_at == at
    for far in (timedelta(days=8), -timedelta(hours=1)):
        body = {"point": point.code, "level": 5, "rated_at": timezone.now() - far}
        assert client.post(PUSH, body, format="json").status_code == 400


def test_a_point_not_bound_to_the_key_is_refused(world, point, key):
    other = make_point(world, "另一窗口")
    outside = RatingPoint.objects.create(
        unit=world.outside_unit, kind=RatingPoint.Kind.UNIT, name="市财政局"
    )
    client = device(key[1])
    for code in (other.code, outside.code, "nosuchpt"):
        response = client.post(PUSH, {"point": code, "level": 5}, format="json")
        assert response.status_code == 403 and response.json()["code"] == "not_allowed"
    assert not Rating.objects.exists()


def test_a_push_without_a_valid_key_is_asked_for_one(api, world, point, key):
    pushed, text = key
    body = {"point": point.code, "level": 5}
    assert api.post(PUSH, body, format="json").status_code == 401
    for wrong in (text[:-2] + "xx", "zgk_nope_nope", "zg_" + text[4:], f"{text} extra"):
        assert device(wrong).post(PUSH, body, format="json").status_code == 401
    revoke_push_key(pushed, by=world.evaluator)
    response = device(text).post(PUSH, body, format="json")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Key"
    assert not Rating.objects.exists()


def test_a_persons_token_does_not_push(bearer, world, point):
    response = bearer(world.evaluator).post(PUSH, {"point": point.code, "level": 5}, format="json")
    assert response.status_code == 403


def test_a_key_reads_nothing(world, point, key):
    _rated(point)
    client = device(key[1])
    assert client.get(LIST).status_code == 401
    assert client.get("/api/v1/problems/").status_code == 401


# Keys


def test_only_the_offices_evaluation_office_makes_and_revokes_its_keys(world, point, key):
    for person in (world.leader, world.inspector, world.outside_leader):
        with pytest.raises(NotAllowed):
            create_push_key(world.office, by=person, name="评价器", points=[point])
        with pytest.raises(NotAllowed):
            revoke_push_key(key[0], by=person)
    revoke_push_key(key[0], by=world.admin)
    assert key[0].revoked_by == world.admin


def test_a_key_is_bound_to_points_of_the_units_below_its_office(world, point):
    outside = RatingPoint.objects.create(
        unit=world.outside_unit, kind=RatingPoint.Kind.UNIT, name="市财政局"
    )
    with pytest.raises(NotAllowed):
        create_push_key(world.office, by=world.evaluator, name="评价器", points=[point, outside])
    with pytest.raises(Refused):
        create_push_key(world.office, by=world.evaluator, name="评价器", points=[])
    with pytest.raises(Refused):
        create_push_key(world.office, by=world.evaluator, name="  ", points=[point])
    made, text = create_push_key(world.office, by=world.evaluator, name="评价器", points=[point])
    assert text.startswith(f"zgk_{made.prefix}_") and list(made.points.all()) == [point]


# The office's page of keys (its URLs are included by the project's urls.py; here by this
# module's own, so that these tests stand alone).

urlpatterns = [
    path("", include("zhenggai.urls")),
    path("", include("zhenggai.api.push_key_urls")),
]
PAGES = pytest.mark.urls(__name__)


@PAGES
def test_the_office_makes_a_key_seen_once_and_revokes_it(client, world, point):
    client.force_login(world.evaluator)
    page = client.get(reverse("push_keys"))
    assert page.status_code == 200 and point.name in page.content.decode()
    made = client.post(
        reverse("push_keys"),
        {"office": world.office.pk, "name": "一楼评价器", "points": [point.pk]},
    )
    assert made.status_code == 200 and "no-store" in made["Cache-Control"]
    key = PushKey.objects.get()
    text = made.context["made"][1]
    assert text.startswith(f"zgk_{key.prefix}_") and text in made.content.decode()
    assert text not in client.get(reverse("push_keys")).content.decode(), "shown once"
    assert (
        device(text).post(PUSH, {"point": point.code, "level": 5}, format="json").status_code == 201
    )
    client.post(reverse("push_key_revoke", args=[key.pk]))
    key.refresh_from_db()
    assert key.revoked_at is not None and key.revoked_by == world.evaluator


@PAGES
def test_a_key_page_refuses_what_is_not_the_offices(client, world, point, key):
    outside = RatingPoint.objects.create(
        unit=world.outside_unit, kind=RatingPoint.Kind.UNIT, name="市财政局"
    )
    client.force_login(world.evaluator)
    refused = client.post(
        reverse("push_keys"), {"office": world.office.pk, "name": "评价器", "points": [outside.pk]}
    )
    assert refused.status_code == 400 and PushKey.objects.count() == 1
    for person in (world.leader, world.inspector, world.outside_leader):
        client.force_login(person)
        assert client.get(reverse("push_keys")).status_code == 403
        revoke = client.post(reverse("push_key_revoke", args=[key[0].pk]))
        assert revoke.status_code == 404
    key[0].refresh_from_db()
    assert key[0].revoked_at is None
