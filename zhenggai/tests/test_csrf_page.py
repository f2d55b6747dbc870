"""A form sent without its token (an old page, cookies off) is told so in Chinese."""

from django.test import Client


def test_a_form_without_its_token_is_refused_in_chinese(db, world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
