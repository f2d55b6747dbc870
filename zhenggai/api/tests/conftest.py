import pytest
from rest_framework.test import APIClient

from zhenggai.api.tokens import create_token
from zhenggai.tests.browser.conftest import browser, sign_in  # noqa: F401 - for browser tests


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def bearer():
    """A client that presents a new token of `user` with `scope`."""

    def make(user, scope="write"):
        _, text = create_token(user, name="测试", scope=scope, days=30)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
        return client

    return make
