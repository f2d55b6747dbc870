"""Single sign-on by OIDC against a real provider (django-oauth-toolkit in a subprocess): our
/oidc/authenticate/ sends the browser to the provider, the person signs in there, the provider
sends them back with a code, and our backend fetches the token, the userinfo and the signing
keys from the provider over HTTP before signing in the directory person the claims name."""

from urllib.parse import parse_qs, urlencode, urlsplit

from django.urls import reverse

from zhenggai.accounts import oidc as sso
from zhenggai.accounts.tests.oidc_provider.running import CONSENT_CLIENT_ID
from zhenggai.orgs.models import Membership, Person
from zhenggai.testing import make_user


def start(client, next_url: str = "") -> str:
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    response = client.get(reverse("oidc_authentication_init") + query)
    assert response.status_code == 302
    return response["Location"]


def come_back(client, callback: str):
    assert callback.startswith("http://testserver/oidc/callback/?")
    return client.get(callback.removeprefix("http://testserver"))


def sign_in(client, provider, username: str, next_url: str = ""):
    callback = provider.authorize(provider.browser(username), start(client, next_url))
    return come_back(client, callback)


def refusal(client, response) -> str:
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    return client.get(reverse("login")).content.decode()


def test_a_directory_person_signs_in_by_login(client, world, oidc):
    roles = list(Membership.objects.filter(user=world.staff).values_list("unit", "role"))
    response = sign_in(client, oidc, "zhangsan", next_url="/ledger/")
    assert response.status_code == 302
    assert response["Location"] == "/ledger/"
    assert client.session["_auth_user_id"] == str(world.staff.pk)
    assert client.session[sso.SSO_SESSION_KEY] == "oidc"
    assert client.get(reverse("my_tasks")).status_code == 200
    # Nothing about the person changed: the directory owns their roles and name.
    assert list(Membership.objects.filter(user=world.staff).values_list("unit", "role")) == roles
    world.staff.refresh_from_db()
    assert world.staff.username == "staff"


def test_a_person_whose_login_differs_signs_in_by_employee_number(client, world, oidc):
    Person.objects.create(user=world.leader, employee_number="E-1001")
    response = sign_in(client, oidc, "lisi")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.leader.pk)


def test_an_identity_the_directory_does_not_know_is_refused_and_nobody_is_created(
    client, world, oidc, django_user_model
):
    before = django_user_model.objects.count()
    page = refusal(client, sign_in(client, oidc, "stranger"))
    assert sso.UNKNOWN_PERSON in page
    assert django_user_model.objects.count() == before
    assert not django_user_model.objects.filter(username="stranger").exists()


def test_a_person_who_has_left_is_refused(client, world, oidc):
    make_user("gone", "已离职", is_active=False)
    page = refusal(client, sign_in(client, oidc, "wangwu"))
    assert sso.UNKNOWN_PERSON in page


def test_claims_without_login_or_number_are_refused(client, world, oidc):
    page = refusal(client, sign_in(client, oidc, "nameless"))
    assert sso.NO_IDENTITY in page


def test_a_tampered_state_is_refused(client, world, oidc):
    callback = oidc.authorize(oidc.browser("zhangsan"), start(client))
    parts = urlsplit(callback)
    query = parse_qs(parts.query)
    query["state"] = ["forged" + query["state"][0][6:]]
    page = refusal(client, client.get(f"{parts.path}?{urlencode(query, doseq=True)}"))
    assert sso.STALE in page


def test_a_callback_used_twice_signs_in_only_once(client, world, oidc):
    callback = oidc.authorize(oidc.browser("zhangsan"), start(client))
    assert come_back(client, callback).status_code == 302
    client.logout()
    assert sso.STALE in refusal(client, come_back(client, callback))


def test_a_code_from_another_sign_in_is_refused(client, world, oidc):
    """The state is ours but the code is not the one issued for it (PKCE and the code binding
    fail at the provider's token endpoint)."""
    stolen = oidc.authorize(oidc.browser("zhangsan"), start(client))
    ours = urlsplit(oidc.authorize(oidc.browser("zhangsan"), start(client))).query
    query = {"code": parse_qs(urlsplit(stolen).query)["code"][0], "state": parse_qs(ours)["state"]}
    response = client.get(f"{reverse('oidc_authentication_callback')}?{urlencode(query, True)}")
    assert sso.UNREACHABLE in refusal(client, response)


def test_refused_consent_returns_to_the_login_page(client, world, oidc, settings):
    settings.OIDC_RP_CLIENT_ID = CONSENT_CLIENT_ID
    browser = oidc.browser("zhangsan")
    consent = browser.get(start(client), timeout=10)
    assert consent.status_code == 200
    form = dict(__import__("re").findall(r'name="(\w+)" value="([^"]*)"', consent.text))
    form["csrfmiddlewaretoken"] = browser.cookies["csrftoken"]
    form.pop("allow", None)  # the person presses cancel
    answer = browser.post(consent.url, data=form, allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    assert "error=access_denied" in answer.headers["Location"]
    assert sso.CANCELLED in refusal(client, come_back(client, answer.headers["Location"]))


def test_signing_out_ends_our_session_and_the_providers(client, world, oidc, settings):
    settings.OIDC_OP_LOGOUT_URL = f"{oidc.url}/o/logout/"
    sign_in(client, oidc, "zhangsan")
    response = client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == settings.OIDC_OP_LOGOUT_URL
    query = parse_qs(target.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/login/"]
    assert query["id_token_hint"][0].count(".") == 2


def test_a_password_sign_out_goes_to_our_login_page(client, world, oidc, settings):
    settings.OIDC_OP_LOGOUT_URL = f"{oidc.url}/o/logout/"
    client.force_login(world.staff)
    assert client.post(reverse("logout"))["Location"] == reverse("login")


def test_the_login_page_offers_single_sign_on(client, world, oidc):
    page = client.get(reverse("login")).content.decode()
    assert "使用统一身份认证登录" in page
    assert reverse("oidc_authentication_init") in page
    assert 'name="password"' in page  # password sign-in is still on


def test_single_sign_on_off_offers_no_button_and_no_entry(client, world, settings):
    settings.OIDC_ENABLED = False
    assert "统一身份认证" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404
