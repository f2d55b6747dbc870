import pytest

from zhenggai.evaluations.models import RatingPoint
from zhenggai.evaluations.values import Mode
from zhenggai.tests.browser.conftest import browser, sign_in  # noqa: F401 - for browser tests


@pytest.fixture
def point(world):
    """An on-site service window of the world's unit, at its 办公室."""
    return RatingPoint.objects.create(
        unit=world.unit,
        section=world.section,
        kind=RatingPoint.Kind.WINDOW,
        name="政务服务中心科技窗口",
        mode=Mode.ON_SITE,
    )


@pytest.fixture
def online_point(world):
    return RatingPoint.objects.create(
        unit=world.unit, kind=RatingPoint.Kind.ITEM, name="高新技术企业认定", mode=Mode.ONLINE
    )
