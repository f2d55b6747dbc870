"""The API's documentation page in a real browser: drawn from the package's own static files
(the content security policy lets nothing else in), listing the operations."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_documentation_lists_the_operations(sign_in, live_server, transactional_db):
    from zhenggai.testing import make_world

    make_world()
    page = sign_in("leader")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".opblock-summary-path").first).to_be_visible(timeout=15000)
    expect(page.locator("body")).to_contain_text("/api/v1/problems/{id}/transitions/{name}/")
    assert [e for e in errors if "Content Security Policy" in e] == []
    page.context.close()
