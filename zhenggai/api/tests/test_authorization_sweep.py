"""Every operation of the generated OpenAPI schema, probed as the people who must not reach
unit A's records: the anonymous get 401; a user of another unit an empty list, 404 on an object
and 403/404 on a write; a section's staff are refused the writes the pages refuse them. An
operation without a probe fails the sweep, so a new endpoint cannot slip in unchecked."""

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db


def operations() -> dict[str, tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        op["operationId"]: (method, path)
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    }


@pytest.fixture
def unit_a(world):
    problem = world.problem("甲单位的问题", approve=True)
    return {"id": {"problems": problem.pk, "rounds": world.round.pk, "units": world.unit.pk}}


def probes(objs) -> dict[str, tuple[str, str, dict]]:
    """operationId → (method, url, body) touching unit A's records."""
    ids = objs["id"]
    p = ids["problems"]
    return {
        "v1_problems_list": ("get", "/api/v1/problems/", {}),
        "v1_problems_retrieve": ("get", f"/api/v1/problems/{p}/", {}),
        "v1_problems_transitions_create": (
            "post",
            f"/api/v1/problems/{p}/transitions/close_out/",
            {"note": "x"},
        ),
        "v1_rounds_list": ("get", "/api/v1/rounds/", {}),
        "v1_rounds_retrieve": ("get", f"/api/v1/rounds/{ids['rounds']}/", {}),
        "v1_units_list": ("get", "/api/v1/units/", {}),
        "v1_units_retrieve": ("get", f"/api/v1/units/{ids['units']}/", {}),
    }


def _call(client, method, url, body):
    return getattr(client, method)(url, body, format="json")


def test_every_operation_in_the_schema_has_a_probe(unit_a):
    assert set(operations()) == set(probes(unit_a))


def test_the_anonymous_get_401_everywhere(api, unit_a):
    answers = {name: _call(api, *probe).status_code for name, probe in probes(unit_a).items()}
    assert set(answers.values()) == {401}, answers


def test_a_user_of_another_unit_reaches_nothing_of_unit_a(bearer, world, unit_a):
    client = bearer(world.outside_leader)
    reached = {}
    for name, (method, url, body) in probes(unit_a).items():
        response = _call(client, method, url, body)
        if name.endswith("_list"):
            ids = [row["id"] for row in response.json()["results"]]
            kind = url.strip("/").split("/")[-1]
            if unit_a["id"][kind] in ids:
                reached[name] = ids
        elif response.status_code not in (403, 404):
            reached[name] = response.status_code
    assert reached == {}


def test_a_sections_staff_are_refused_the_writes_the_pages_refuse(bearer, world, unit_a):
    client = bearer(world.staff)
    writes = {n: p for n, p in probes(unit_a).items() if p[0] != "get"}
    answers = {name: _call(client, *probe).status_code for name, probe in writes.items()}
    assert all(code in (400, 403, 404) for code in answers.values()), answers
