"""Who reads which 调度 sheet: a unit's own people read theirs, the office its units'; another
unit's people get 404 for the page and both downloads, as for a missing unit; the page's
queries do not grow with the data."""

import pytest
from django.urls import reverse

from zhenggai.supervision.tests.dispatch_data import build

URLS = ["dispatch_sheet", "dispatch_xlsx", "dispatch_docx"]


@pytest.fixture
def data(world):
    return build(world)


@pytest.mark.parametrize("name", URLS)
@pytest.mark.parametrize("who", ["leader", "rect_office", "staff", "discipline", "inspector"])
def test_the_units_people_and_its_office_read_its_sheet(client, world, data, name, who):
    client.force_login(getattr(world, who))
    response = client.get(reverse(name), {"unit": world.unit.pk, "round": world.round.pk})
    assert response.status_code == 200


@pytest.mark.parametrize("name", URLS)
@pytest.mark.parametrize("who", ["outsider", "outside_leader"])
@pytest.mark.parametrize(
    "query",
    [
        lambda w: {"unit": w.unit.pk},
        lambda w: {"round": w.round.pk},
        lambda w: {"unit": w.outside_unit.pk, "round": w.round.pk},
        lambda w: {"unit": w.section.pk},  # a section is not a unit
        lambda w: {"unit": 999999},
        lambda w: {"unit": "x"},
    ],
)
def test_another_units_people_get_404(client, world, data, name, who, query):
    client.force_login(getattr(world, who))
    response = client.get(reverse(name), query(world))
    assert response.status_code == 404


def test_outsiders_own_sheet_shows_nothing_of_the_unit(client, world, data):
    client.force_login(world.outsider)
    response = client.get(reverse("dispatch_sheet"), {"date": "2026-12-03"})
    body = response.content.decode()
    assert response.status_code == 200
    # The outsider is also an inspection office of their unit: the office's sheet, of it alone.
    assert [line.label for line in response.context["sheet"].by_unit] == ["市财政局"]
    assert "区科技局" not in body and "措施4" not in body


def test_the_evaluation_office_sees_no_inspection_rounds_measures(client, world, data):
    client.force_login(world.evaluator)
    response = client.get(reverse("dispatch_sheet"), {"date": "2026-12-03"})
    assert response.status_code == 200
    assert response.context["sheet"].total.due.value == 0


def test_anonymous_users_are_sent_to_login(client, world):
    for name in URLS:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_bad_date_shows_the_current_period_and_says_so(client, world, data):
    client.force_login(world.leader)
    response = client.get(reverse("dispatch_sheet"), {"date": "2026-13-45", "period": "year"})
    assert response.status_code == 200
    assert "“2026-13-45”不是有效日期" in response.content.decode()
    assert response.context["choice"].period.kind == "week"


@pytest.mark.parametrize("who", ["leader", "inspector"])
def test_the_pages_queries_do_not_grow_with_the_data(
    client, world, data, who, django_assert_max_num_queries
):
    from datetime import date

    from zhenggai.supervision.tests.dispatch_data import _measure

    client.force_login(getattr(world, who))
    query = {"date": "2026-12-03"}
    client.get(reverse("dispatch_sheet"), query)  # warm: the session
    with django_assert_max_num_queries(12) as before:
        client.get(reverse("dispatch_sheet"), query)
    for i in range(30):
        section = world.section if i % 2 else world.other_section
        _measure(world, f"x{i}", section=section, leader=data["deputy"], due=date(2026, 12, 2))
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(reverse("dispatch_sheet"), query)
    assert response.context["sheet"].total.due.value == 37


@pytest.mark.parametrize("name", URLS)
@pytest.mark.parametrize(
    "day,period", [("0001-01-01", "week"), ("9999-12-31", "week"), ("9999-12-31", "month")]
)
def test_a_day_beyond_1900_to_2999_shows_the_current_period_and_says_so(
    client, world, data, name, day, period
):
    client.force_login(world.leader)
    response = client.get(reverse(name), {"date": day, "period": period})
    assert response.status_code == 200
    if name == "dispatch_sheet":
        assert f"“{day}”不是有效日期（须在1900年至2999年之间" in response.content.decode()
        assert response.context["choice"].period.kind == period
