"""Every operation of the generated OpenAPI schema, probed as the people who must not reach
unit A's records: the anonymous get 401; a user of another unit an empty list, 404 on an object
and 403/404 on a write; a section's staff are refused the writes the pages refuse them. An
operation without a probe fails the sweep, so a new endpoint cannot slip in unchecked.

Each area lists its probes in `probes_<area>.py` beside this file: `objects(world)` makes unit
A's records it needs (a dict of ids), `probes(ids)` gives operationId → Probe."""

import importlib
from pathlib import Path

import pytest
from drf_spectacular.generators import SchemaGenerator

from zhenggai.api.tests.probes import Probe

pytestmark = pytest.mark.django_db
AREAS = sorted(p.stem for p in Path(__file__).parent.glob("probes_*.py"))


def operations() -> dict[str, tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        op["operationId"]: (method, path)
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    }


def _modules():
    return [importlib.import_module(f"zhenggai.api.tests.{area}") for area in AREAS]


@pytest.fixture
def unit_a(world) -> dict[str, Probe]:
    ids = {}
    for module in _modules():
        ids |= module.objects(world)
    found = {}
    for module in _modules():
        found |= module.probes(ids)
    return found


def _call(client, probe: Probe):
    return getattr(client, probe.method)(probe.url, probe.body, format=probe.format)


def test_every_operation_in_the_schema_has_a_probe(unit_a):
    assert set(operations()) - set(unit_a) == set()
    assert set(unit_a) - set(operations()) == set(), "a probe of no operation"


def test_the_anonymous_get_401_everywhere(api, unit_a):
    answers = {name: _call(api, probe).status_code for name, probe in unit_a.items()}
    assert {n: c for n, c in answers.items() if c != 401 and not unit_a[n].public} == {}


def test_a_user_of_another_unit_reaches_nothing_of_unit_a(bearer, world, unit_a):
    client = bearer(world.outside_leader)
    reached = {}
    for name, probe in unit_a.items():
        if probe.public:
            continue
        response = _call(client, probe)
        if probe.lists is not None:
            ids = [row["id"] for row in response.json()["results"]]
            if probe.lists in ids:
                reached[name] = ids
        elif response.status_code not in (403, 404):
            reached[name] = response.status_code
    assert reached == {}


def test_a_sections_staff_are_refused_the_writes_the_pages_refuse(bearer, world, unit_a):
    client = bearer(world.other_staff)
    writes = {n: p for n, p in unit_a.items() if p.method != "get" and not p.staff_may}
    answers = {name: _call(client, probe).status_code for name, probe in writes.items()}
    assert {n: c for n, c in answers.items() if c not in (400, 403, 404)} == {}
