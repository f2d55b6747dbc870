"""Signing in through the login form with the password of an LDAP directory (a real slapd)."""

import socket
import time

import pytest
from django.urls import reverse

from zhenggai.accounts import ldap
from zhenggai.accounts.tests.slapd import (
    LDAP_BACKEND,
    PEOPLE,
    LdapDirectory,
    configure,
    self_signed_certificate,
    start_slapd,
)
from zhenggai.orgs.models import Person
from zhenggai.testing import PASSWORD, make_user

LDAP_PASSWORD = "目录口令-ldap-2024"


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def signed_in(client):
    return client.session.get("_auth_user_id")


def test_a_directory_person_signs_in_with_the_ldap_password(client, world, ldap_directory):
    ldap_directory.add_person("staff", LDAP_PASSWORD, name="王科员")
    response = login(client, "staff", LDAP_PASSWORD)
    assert response.status_code == 302
    assert signed_in(client) == str(world.staff.pk)
    assert client.session["_auth_user_backend"] == LDAP_BACKEND
    # Marked for the two-factor step: an LDAP password is one factor.
    assert client.session[ldap.SSO_SESSION_KEY] == "ldap"


def test_the_login_is_compared_as_the_directory_compares_it(client, world, ldap_directory):
    """The server finds "STAFF" as uid=staff; the person is named by the entry's own uid."""
    ldap_directory.add_person("staff", LDAP_PASSWORD)
    assert login(client, "STAFF", LDAP_PASSWORD).status_code == 302
    assert signed_in(client) == str(world.staff.pk)


def test_a_wrong_ldap_password_is_refused_and_counted(client, world, ldap_directory, settings):
    ldap_directory.add_person("staff", LDAP_PASSWORD)
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        response = login(client, "staff", "wrong")
        assert response.status_code == 200
        assert "请输入一个正确的" in response.content.decode()
    assert login(client, "staff", LDAP_PASSWORD).status_code == 429  # locked out, as for passwords
    assert signed_in(client) is None


def test_a_person_known_only_to_ldap_is_refused_and_not_created(
    client, world, ldap_directory, django_user_model
):
    ldap_directory.add_person("newcomer", LDAP_PASSWORD, employee_number="E-7777")
    before = django_user_model.objects.count()
    response = login(client, "newcomer", LDAP_PASSWORD)
    assert response.status_code == 200
    assert "“newcomer”不在本系统的通讯录中" in response.content.decode()
    assert signed_in(client) is None
    assert django_user_model.objects.count() == before
    assert not django_user_model.objects.filter(username="newcomer").exists()


def test_a_person_is_matched_by_employee_number_when_the_logins_differ(
    client, world, ldap_directory
):
    Person.objects.create(user=world.leader, employee_number="E-1001")
    ldap_directory.add_person("zhang.san", LDAP_PASSWORD, employee_number="E-1001")
    assert login(client, "zhang.san", LDAP_PASSWORD).status_code == 302
    assert signed_in(client) == str(world.leader.pk)
    world.leader.refresh_from_db()
    assert world.leader.username == "leader"  # nothing about the person is changed


def test_a_person_who_has_left_is_refused(client, world, ldap_directory):
    gone = make_user("gone", "离职人员", is_active=False)
    Person.objects.create(user=gone, employee_number="E-2002")
    ldap_directory.add_person("gone", LDAP_PASSWORD)
    ldap_directory.add_person("gone.by.number", LDAP_PASSWORD, employee_number="E-2002")
    for username in ("gone", "gone.by.number"):
        response = login(client, username, LDAP_PASSWORD)
        assert response.status_code == 200
        assert "账号已停用" in response.content.decode()
        assert signed_in(client) is None


@pytest.mark.parametrize("username", ["*)(uid=*", "*", "staff)(|(uid=*", "staff*"])
def test_a_filter_written_into_the_login_is_only_a_login(client, world, ldap_directory, username):
    """The login is escaped inside the search filter: "*)(uid=*" names nobody, not everyone."""
    ldap_directory.add_person("staff", LDAP_PASSWORD)
    response = login(client, username, LDAP_PASSWORD)
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert signed_in(client) is None


def test_a_login_matching_two_entries_is_refused(client, world, ldap_directory, settings):
    settings.LDAP_USER_FILTER = "(cn={login})"
    ldap_directory.add_person("staff", LDAP_PASSWORD, name="同名")
    ldap_directory.add_person("other_staff", LDAP_PASSWORD, name="同名")
    assert login(client, "同名", LDAP_PASSWORD).status_code == 200
    assert signed_in(client) is None


def test_another_filter_and_login_attribute(client, world, ldap_directory, settings):
    """As for Active Directory ("(sAMAccountName={login})"): the filter finds the entry by what
    the person types (here the name), the login attribute names the person."""
    settings.LDAP_USER_FILTER = "(&(objectClass=inetOrgPerson)(cn={login}))"
    settings.LDAP_LOGIN_ATTR = "uid"
    ldap_directory.add_person("staff", LDAP_PASSWORD, name="王科员")
    assert login(client, "王科员", LDAP_PASSWORD).status_code == 302
    assert signed_in(client) == str(world.staff.pk)


def test_binding_directly_without_a_service_account(client, world, ldap_directory, settings):
    """ZHENGGAI_LDAP_USER_DN: the DN is built from the login and the entry read once bound."""
    settings.LDAP_BIND_DN = settings.LDAP_BIND_PASSWORD = ""
    settings.LDAP_USER_DN = f"uid={{login}},{ldap_directory.base}"
    Person.objects.create(user=world.leader, employee_number="E-1001")
    ldap_directory.add_person("zhang.san", LDAP_PASSWORD, employee_number="E-1001")
    assert login(client, "zhang.san", "wrong").status_code == 200
    assert login(client, "zhang.san,ou=x", LDAP_PASSWORD).status_code == 200
    assert signed_in(client) is None
    assert login(client, "zhang.san", LDAP_PASSWORD).status_code == 302
    assert signed_in(client) == str(world.leader.pk)


def test_an_empty_password_is_never_sent_as_an_anonymous_bind(world, ldap_directory):
    ldap_directory.add_person("staff", LDAP_PASSWORD)
    assert ldap.LdapBackend().authenticate(None, username="staff", password="") is None
    assert ldap.LdapBackend().authenticate(None, username="staff", password=None) is None


def test_a_local_account_not_in_ldap_still_signs_in_with_password_login_on(
    client, world, ldap_directory
):
    assert login(client, "leader", PASSWORD).status_code == 302
    assert signed_in(client) == str(world.leader.pk)
    assert ldap.SSO_SESSION_KEY not in client.session


def test_with_password_login_off_only_the_ldap_password_works(
    client, world, ldap_directory, settings
):
    configure(settings, ldap_directory.url, ldap_directory.base, password_login=False)
    ldap_directory.add_person("staff", LDAP_PASSWORD)
    assert login(client, "staff", PASSWORD).status_code == 200  # the local password: no way in
    assert login(client, "leader", PASSWORD).status_code == 200  # nor for one not in LDAP
    assert signed_in(client) is None
    assert login(client, "staff", LDAP_PASSWORD).status_code == 302
    assert signed_in(client) == str(world.staff.pk)


def test_a_stopped_server_is_said_so(client, world, slapd_server, settings, tmp_path, caplog):
    server = start_slapd(tmp_path / "slapd")  # one of its own, to stop
    try:
        configure(settings, server.url, PEOPLE, password_login=False)
        settings.LDAP_BIND_PASSWORD = server.reader_password
        LdapDirectory(server, PEOPLE).add_person("staff", LDAP_PASSWORD)
        assert login(client, "staff", LDAP_PASSWORD).status_code == 302
        client.logout()
    finally:
        server.stop()
    response = login(client, "staff", LDAP_PASSWORD)
    assert response.status_code == 200
    assert ldap.UNREACHABLE in response.content.decode()
    assert signed_in(client) is None
    assert f"LDAP server {server.url} unusable" in caplog.text


def test_while_the_server_is_down_a_local_password_still_works_if_password_login_is_on(
    client, world, ldap_directory, settings
):
    settings.LDAP_URL = f"ldap://127.0.0.1:{_closed_port()}"
    assert login(client, "leader", PASSWORD).status_code == 302
    assert ldap.SSO_SESSION_KEY not in client.session
    client.logout()
    response = login(client, "leader", "wrong")
    assert ldap.UNREACHABLE in response.content.decode()


def test_a_server_that_does_not_answer_times_out(client, world, ldap_directory, settings):
    with socket.socket() as silent:  # accepts connections (the kernel does) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        settings.LDAP_URL = f"ldap://127.0.0.1:{silent.getsockname()[1]}"
        settings.LDAP_TIMEOUT = 1
        started = time.monotonic()
        response = login(client, "staff", LDAP_PASSWORD)
        elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert ldap.UNREACHABLE in response.content.decode()
    assert elapsed < 5


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_with_password_login_off_the_administrator_signs_in_at_admin_while_the_server_is_down(
    client, world, ldap_directory, settings
):
    configure(settings, f"ldap://127.0.0.1:{_closed_port()}", "", password_login=False)
    response = client.post(
        reverse("admin:login"), {"username": "admin", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert signed_in(client) == str(world.admin.pk)
    client.logout()
    response = login(client, "admin", PASSWORD)  # not on the ordinary form
    assert ldap.UNREACHABLE in response.content.decode()
    assert signed_in(client) is None


def test_start_tls_with_the_servers_ca(client, world, slapd_server, settings, tmp_path):
    """ZHENGGAI_LDAP_START_TLS with ZHENGGAI_LDAP_CA_FILE: the password travels encrypted, to a
    server whose certificate the CA file vouches for; another CA is refused, as unreachable."""
    (tmp_path / "tls").mkdir()
    certificate = self_signed_certificate(tmp_path / "tls")
    server = start_slapd(tmp_path / "slapd", tls=certificate)
    try:
        configure(settings, server.url, PEOPLE)
        settings.LDAP_BIND_PASSWORD = server.reader_password
        settings.LDAP_START_TLS = True
        LdapDirectory(server, PEOPLE).add_person("staff", LDAP_PASSWORD)
        (tmp_path / "other").mkdir()
        settings.LDAP_CA_FILE = str(self_signed_certificate(tmp_path / "other")[0])
        response = login(client, "staff", LDAP_PASSWORD)
        assert ldap.UNREACHABLE in response.content.decode()
        settings.LDAP_CA_FILE = str(certificate[0])
        assert login(client, "staff", LDAP_PASSWORD).status_code == 302
        assert signed_in(client) == str(world.staff.pk)
    finally:
        server.stop()
