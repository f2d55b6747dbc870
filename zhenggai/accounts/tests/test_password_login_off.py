"""Password sign-in turned off (ZHENGGAI_PASSWORD_LOGIN=false): the login page has no password
form and refuses a posted password; people sign in through the unified identity service; the
system administrator (a superuser) still signs in with the password at /admin/login/ only."""

import pytest
from django.urls import reverse

from zhenggai.testing import PASSWORD

ADMIN_BACKEND = "zhenggai.accounts.admin_password.AdminPasswordBackend"


@pytest.fixture
def passwords_off(settings):
    # What settings.py sets from ZHENGGAI_PASSWORD_LOGIN=false: no ModelBackend.
    settings.PASSWORD_LOGIN = False
    settings.LDAP_ENABLED = False
    settings.AUTHENTICATION_BACKENDS = [ADMIN_BACKEND]


def post_password(client, url, username):
    return client.post(url, {"username": username, "password": PASSWORD})


def test_the_login_page_has_no_password_form(client, world, passwords_off, oidc):
    page = client.get(reverse("login")).content.decode()
    assert 'name="password"' not in page
    assert "使用统一身份认证登录" in page


def test_a_posted_password_is_refused(client, world, passwords_off, oidc):
    for username in ("staff", "admin"):  # not even the administrator's, on this page
        response = post_password(client, reverse("login"), username)
        assert response.status_code == 403
        assert "本系统已关闭密码登录" in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_single_sign_on_still_signs_people_in(client, world, passwords_off, oidc):
    from zhenggai.accounts.tests.test_oidc_sign_in import sign_in

    assert sign_in(client, oidc, "zhangsan").status_code == 302
    assert client.session["_auth_user_id"] == str(world.staff.pk)
    assert client.get(reverse("my_tasks")).status_code == 200  # the session holds


def test_the_administrator_signs_in_at_the_admin_only(client, world, passwords_off):
    response = post_password(client, reverse("admin:login"), "admin")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.admin.pk)
    assert client.get(reverse("admin:index")).status_code == 200


def test_nobody_else_signs_in_with_a_password_at_the_admin(client, world, passwords_off):
    world.staff.is_staff = True
    world.staff.save(update_fields=["is_staff"])
    response = post_password(client, reverse("admin:login"), "staff")
    assert response.status_code == 200  # the admin's form says the password is wrong
    assert "_auth_user_id" not in client.session


def test_a_session_signed_in_by_password_before_the_switch_ends(client, world, settings):
    client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert client.get(reverse("my_tasks")).status_code == 200
    settings.PASSWORD_LOGIN = False
    settings.AUTHENTICATION_BACKENDS = [ADMIN_BACKEND]
    assert client.get(reverse("my_tasks")).status_code == 302  # back to the login page


def test_with_ldap_on_the_form_stays_for_directory_accounts_but_not_local_passwords(
    client, world, passwords_off, settings
):
    settings.LDAP_ENABLED = True  # its backend (none here) would check the form
    page = client.get(reverse("login")).content.decode()
    assert 'name="password"' in page
    assert "LDAP" in page
    response = post_password(client, reverse("login"), "staff")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_with_neither_sso_nor_ldap_the_page_says_whom_to_ask(client, world, passwords_off):
    page = client.get(reverse("login")).content.decode()
    assert "尚未配置统一身份认证" in page
    assert 'name="password"' not in page
