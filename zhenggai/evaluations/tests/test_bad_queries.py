"""Query strings typed or tampered with: a page answers with its own message, never a 500."""

import pytest
from django.urls import reverse

QUERIES = [
    "?unit=99999999999999999999",
    "?unit=-1",
    "?point=1e400",
    "?period=9999-10-01%2B3",
    "?period=0001-01-01%2B1",
    "?period=2026-10-01%2B5",
    "?page=999999999999",
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("name", ["evaluation_home", "rating_list", "bulletin_new", "appeal_list"])
def test_a_tampered_query_gets_no_server_error(client, world, name, query):
    client.force_login(world.evaluator)
    response = client.get(reverse(name) + query)
    assert response.status_code in (200, 400), response.status_code


@pytest.mark.parametrize("query", QUERIES)
def test_a_tampered_query_on_a_unit_page_gets_no_server_error(client, world, query):
    client.force_login(world.evaluator)
    response = client.get(reverse("evaluation_unit", args=[world.unit.pk]) + query)
    assert response.status_code in (200, 400)
