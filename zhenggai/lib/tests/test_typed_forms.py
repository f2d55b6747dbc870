"""A form posted after the session expired keeps what was typed, for the same person only."""

from django.urls import reverse

from zhenggai.lib.typed_forms import STASH
from zhenggai.testing import PASSWORD


def _expire(client):
    """The session ends on the server (as after ZHENGGAI_SESSION_HOURS); the browser keeps its
    cookies, the session's among them."""
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()


def _post_typed_problem(client, world):
    client.login(username="inspector", password=PASSWORD)
    client.get("/")  # the site remembers who was signed in on this browser
    _expire(client)
    url = reverse("problem_create", args=[world.round.pk])
    response = client.post(url, {"title": "新发现的问题", "description": "甲\n乙"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    return url


def test_the_login_page_says_why_and_the_same_person_gets_the_text_back(client, world):
    url = _post_typed_problem(client, world)
    login = client.get(reverse("login") + f"?next={url}")
    assert "登录已超时" in login.content.decode()
    client.post(reverse("login"), {"username": "inspector", "password": PASSWORD, "next": url})
    response = client.get(url)
    assert "已恢复您在登录超时前填写的内容" in response.content.decode()
    assert ["title", "新发现的问题"] in response.wsgi_request.typed_form["fields"]
    assert STASH not in client.session
    # Given back once: the next visit shows an empty form.
    assert not client.get(url).wsgi_request.typed_form


def test_someone_else_signing_in_does_not_see_the_text(client, world):
    url = _post_typed_problem(client, world)
    client.post(reverse("login"), {"username": "rect_office", "password": PASSWORD, "next": url})
    response = client.get(url)
    assert not response.wsgi_request.typed_form and "已恢复" not in response.content.decode()
    assert STASH not in client.session


def test_passwords_and_tokens_are_never_kept(client, world):
    client.login(username="inspector", password=PASSWORD)
    client.get("/")
    _expire(client)
    client.post(
        reverse("problem_create", args=[world.round.pk]),
        {"title": "x", "password": "secret", "csrfmiddlewaretoken": "t"},
    )
    kept = dict(client.session[STASH]["fields"])
    assert kept == {"title": "x"}


def test_nothing_is_kept_after_signing_out_or_without_the_expired_session(client, world):
    """Someone else at the browser cannot plant text into the last user's form."""
    url = reverse("problem_create", args=[world.round.pk])
    client.login(username="inspector", password=PASSWORD)
    client.get("/")
    client.post(reverse("logout"))
    client.post(url, {"title": "植入的标题"})
    assert STASH not in client.session
    client.login(username="inspector", password=PASSWORD)
    client.get("/")
    client.cookies["sessionid"] = "someone-elses-session"
    _expire(client)
    client.post(url, {"title": "植入的标题"})
    assert STASH not in client.session
