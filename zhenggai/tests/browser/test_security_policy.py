"""Every page works under its Content-Security-Policy (our own origin only, no inline script or
style): the browser reports no violation."""

import pytest

from zhenggai.reports.models import default_notice
from zhenggai.reports.services import publish_notice, save_notice
from zhenggai.testing import make_world

pytestmark = pytest.mark.browser


def test_no_page_breaks_its_security_policy(sign_in, browser, live_server, transactional_db):
    world = make_world()
    problem = world.problem("“三重一大”决策制度执行不严格", approve=True)
    notice = publish_notice(
        save_notice(default_notice(world.round), by=world.rect_office), by=world.leader
    )
    violations = []

    def watch(page):
        page.on(
            "console",
            lambda message: (
                violations.append((page.url, message.text))
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return page

    visitor = watch(browser.new_page())
    for path in ("/login/", f"/public/notices/{notice.pk}/", "/does-not-exist/"):
        visitor.goto(f"{live_server.url}{path}")
    leader = watch(sign_in("leader"))
    for path in (
        "/",
        "/ledger/",
        "/dashboard/",
        f"/problems/{problem.pk}/",
        "/my/",
        f"/rounds/{world.round.pk}/",
        f"/rounds/{world.round.pk}/notice/",
        "/escalations/",
    ):
        response = leader.goto(f"{live_server.url}{path}")
        assert "no-store" in response.headers["cache-control"], path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        leader.wait_for_load_state("networkidle")
    admin = watch(sign_in("admin"))
    for path in (
        "/admin/",
        "/admin/auth/user/",
        f"/admin/auth/user/{world.leader.pk}/change/",
        f"/admin/ledger/problem/{problem.pk}/change/",
        "/admin/orgs/unit/add/",
    ):
        admin.goto(f"{live_server.url}{path}")
        admin.wait_for_load_state("networkidle")
    assert violations == []
