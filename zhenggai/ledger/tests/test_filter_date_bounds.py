"""Dates in the ledger's filters are taken from 1900 to 2999 only: year 1 or 9999 is a filter
error said in Chinese on the page and a 400 from the API, never a 500 from a week's or a
deadline's arithmetic running off the calendar."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from zhenggai.ledger.filters import ProblemFilter
from zhenggai.ledger.models import Problem

DATE_FILTERS = [
    "due_after",
    "due_before",
    "rectified_after",
    "rectified_before",
    "measure_due_from",
    "measure_due_to",
    "measure_done_from",
    "measure_done_to",
    "measure_overdue_on",
]


@pytest.mark.parametrize("name", DATE_FILTERS)
@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"])
def test_a_day_beyond_1900_to_2999_is_a_filter_error(world, name, day):
    filterset = ProblemFilter(QueryDict(f"{name}={day}"), queryset=Problem.objects.all())
    assert not filterset.is_valid()
    assert filterset.errors[name] == ["日期须在1900年至2999年之间"]


@pytest.mark.parametrize("name", DATE_FILTERS)
@pytest.mark.parametrize("day", ["1900-01-01", "2999-12-31"])
def test_the_first_and_last_days_are_taken(world, name, day):
    world.problem()
    filterset = ProblemFilter(QueryDict(f"{name}={day}"), queryset=Problem.objects.all())
    assert filterset.is_valid(), filterset.errors
    list(filterset.qs)


@pytest.mark.parametrize("name", ["measure_due_from", "measure_overdue_on", "due_after"])
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_page_says_so_and_the_api_answers_400(client, world, name, day):
    world.problem()
    client.force_login(world.rect_office)
    response = client.get(reverse("ledger"), {name: day})
    body = response.content.decode()
    assert response.status_code == 200
    assert "筛选条件有误" in body and "日期须在1900年至2999年之间" in body
    assert client.get("/api/v1/problems/", {name: day}).status_code == 400
