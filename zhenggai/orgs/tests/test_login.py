"""Login is rate-limited per account and address, and rotates the session."""

from django.urls import reverse

from zhenggai.testing import PASSWORD


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_rotates_the_session(client, world):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    response = login(client, "leader", PASSWORD)
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.session["_auth_user_id"] == str(world.leader.pk)


def test_repeated_failures_lock_the_account_out(client, world, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        assert login(client, "leader", "wrong").status_code == 200
    response = login(client, "leader", PASSWORD)  # even the right password now waits
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert login(client, "staff", PASSWORD).status_code == 302  # other accounts are unaffected


def test_a_wrong_password_says_so_in_chinese(client, world):
    response = login(client, "leader", "wrong")
    assert "请输入一个正确的" in response.content.decode()


def test_logout_needs_post(client, world):
    client.force_login(world.leader)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_username_written_another_way_is_the_same_account(client, world, settings):
    """Django signs in "ｌｅａｄｅｒ" as leader (NFKC): it counts against leader's limit."""
    settings.LOGIN_MAX_FAILURES = 3
    for username in ("leader", "LEADER", "ｌｅａｄｅｒ"):
        client.post(reverse("login"), {"username": username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": "ｌｅａｄｅｒ", "password": PASSWORD})
    assert response.status_code == 429


def test_one_address_spraying_many_accounts_is_stopped(client, world, settings):
    settings.LOGIN_MAX_FAILURES, settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 5, 4
    codes = [
        client.post(reverse("login"), {"username": f"user{n}", "password": "x"}).status_code
        for n in range(6)
    ]
    assert codes == [200] * 4 + [429] * 2
    response = client.post(reverse("login"), {"username": "leader", "password": PASSWORD})
    assert response.status_code == 429  # the address waits out the window
