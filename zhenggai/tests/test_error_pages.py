"""Error pages speak Chinese, like the rest of the interface."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse


@override_settings(DEBUG=False)
def test_not_found_and_forbidden_pages_are_in_chinese(client, world):
    client.force_login(world.discipline)
    body = client.get("/problems/999999/").content.decode()
    assert "页面不存在" in body and "Not Found" not in body
    problem = world.problem()
    response = client.get(reverse("report_create", args=[problem.pk]))
    assert response.status_code == 403 and "没有权限" in response.content.decode()


@override_settings(DEBUG=False)
def test_a_server_error_page_is_in_chinese(world, monkeypatch):
    from zhenggai.pages import problem as views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "problem_context", broken)
    client = Client(raise_request_exception=False)
    client.force_login(world.leader)
    response = client.get(reverse("problem_detail", args=[world.problem().pk]))
    assert response.status_code == 500 and "系统暂时出错" in response.content.decode()


@pytest.mark.parametrize("code", ["400", "403", "404", "500"])
def test_each_error_template_exists(code):
    from django.template.loader import get_template

    assert "整改闭环" in get_template(f"{code}.html").render()


@override_settings(DEBUG=False)
def test_a_server_error_reaches_the_log(world, monkeypatch):
    import io
    import logging

    from zhenggai.pages import problem as views

    console = next(h for h in logging.getLogger("django").handlers if h.name == "console")
    monkeypatch.setattr(console, "stream", io.StringIO())

    def broken(*args, **kwargs):
        raise RuntimeError("boom in the problem page")

    monkeypatch.setattr(views, "problem_context", broken)
    client = Client(raise_request_exception=False)
    client.force_login(world.leader)
    client.get(reverse("problem_detail", args=[world.problem().pk]))
    logged = console.stream.getvalue()
    assert "ERROR django.request" in logged and "boom in the problem page" in logged


@override_settings(DEBUG=False, ALLOWED_HOSTS=["localhost"])
def test_an_unknown_host_is_answered_400_in_chinese(db):
    client = Client(raise_request_exception=False)
    for path in ("/login/", "/ledger/", "/public/notices/"):
        response = client.get(path, HTTP_HOST="evil.example")
        assert response.status_code == 400 and "请求有误" in response.content.decode()
