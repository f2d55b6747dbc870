"""Rate limits per token (api/throttling.py)."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_a_minute():
    cache.clear()
    rest = settings.REST_FRAMEWORK | {"DEFAULT_THROTTLE_RATES": {"token": "3/min"}}
    with override_settings(REST_FRAMEWORK=rest):
        yield
    cache.clear()


def test_the_request_past_the_rate_is_refused_with_retry_after(bearer, world, three_a_minute):
    client = bearer(world.leader)
    assert [client.get("/api/v1/units/").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/units/")
    assert refused.status_code == 429
    assert refused.json() == {"code": "throttled", "message": "请求过于频繁，请稍后再试。"}
    assert 0 < int(refused["Retry-After"]) <= 60


def test_two_tokens_are_counted_apart(bearer, world, three_a_minute):
    first, second = bearer(world.leader), bearer(world.leader)
    for _ in range(3):
        first.get("/api/v1/units/")
    assert first.get("/api/v1/units/").status_code == 429
    assert second.get("/api/v1/units/").status_code == 200


def test_the_browser_is_counted_per_person(api, world, three_a_minute):
    api.force_login(world.leader)
    for _ in range(3):
        api.get("/api/v1/units/")
    assert api.get("/api/v1/units/").status_code == 429
    api.force_login(world.staff)
    assert api.get("/api/v1/units/").status_code == 200


def test_the_default_rate_is_600_a_minute():
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token"] == "600/min"
