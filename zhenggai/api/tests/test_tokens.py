from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhenggai.api.models import ApiToken
from zhenggai.api.tokens import create_token, revoke_token, token_for
from zhenggai.lib.errors import Refused

pytestmark = pytest.mark.django_db


def test_a_token_is_kept_only_as_a_digest_and_finds_its_person(world):
    token, text = create_token(world.leader, name="OA同步", scope="read", days=30)
    row = ApiToken.objects.values().get(pk=token.pk)
    secret = text.split("_", 2)[2]  # the secret may itself begin with "_"
    assert secret and secret not in str(row)
    assert token_for(text).user == world.leader


@pytest.mark.parametrize("text", ["", "zg_", "zg__x", "Bearer", "zg_abc_def", "xx_a_b"])
def test_a_malformed_or_unknown_token_finds_nobody(world, text):
    create_token(world.leader, name="OA同步", scope="read", days=30)
    assert token_for(text) is None


def test_a_wrong_secret_an_expired_or_revoked_token_or_an_inactive_person_finds_nobody(world):
    token, text = create_token(world.leader, name="OA同步", scope="read", days=30)
    prefix = text.split("_")[1]
    assert token_for(f"zg_{prefix}_wrong") is None
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert token_for(text) is None
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + timedelta(days=1))
    world.leader.is_active = False
    world.leader.save()
    assert token_for(text) is None
    world.leader.is_active = True
    world.leader.save()
    revoke_token(token, by=world.leader)
    assert token_for(text) is None


def test_only_the_owner_revokes_and_bad_requests_are_refused_in_chinese(world):
    token, _ = create_token(world.leader, name="OA同步", scope="read", days=30)
    with pytest.raises(Refused):
        revoke_token(token, by=world.staff)
    for values in ({"name": " "}, {"scope": "admin"}, {"days": 0}, {"days": 366}):
        with pytest.raises(Refused):
            create_token(world.leader, **({"name": "x", "scope": "read", "days": 30} | values))


def test_the_settings_page_shows_the_token_once_and_revokes_it(client, world):
    client.force_login(world.leader)
    page = client.post(reverse("api_tokens"), {"name": "数据分析", "scope": "read", "days": "30"})
    text = page.content.decode()
    token = ApiToken.objects.get(user=world.leader)
    assert f"zg_{token.prefix}_" in text and "no-store" in page["Cache-Control"]
    again = client.get(reverse("api_tokens")).content.decode()
    assert f"zg_{token.prefix}_…" in again and f"zg_{token.prefix}_" + "a" not in again
    client.post(reverse("api_token_revoke", args=[token.pk]))
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    client.force_login(world.staff)
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404


def test_a_bad_form_says_why_in_chinese(client, world):
    client.force_login(world.leader)
    page = client.post(reverse("api_tokens"), {"name": "x", "scope": "read", "days": "999"})
    assert page.status_code == 400 and "有效期须在1～365天之间" in page.content.decode()
