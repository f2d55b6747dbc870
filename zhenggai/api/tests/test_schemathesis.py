"""Schemathesis over the OpenAPI schema at /api/schema/: every operation in it, called with
generated parameters and bodies as a unit's leader and as the inspection office, each with a
write token, against a seeded database. No answer may be a 5xx, and each must be a status code
the schema documents, with a body that matches it.

The operations are read from the schema, so an endpoint added later is fuzzed without a line
here; its records come from the sweep's `probes_<area>.objects(world)`, and path parameters are
sometimes swapped for the ids the sweep's probes use, so that real records are read, changed and
moved through the workflow, not only missing ones. Run alone with `pytest -m schemathesis`."""

import importlib
import json
import re
import zlib
from pathlib import Path

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from zhenggai.api.tests.test_authorization_sweep import operations
from zhenggai.api.tokens import create_token

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]

EXAMPLES = 20
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
AREAS = sorted(p.stem for p in Path(__file__).parent.glob("probes_*.py"))


def _load():
    """The document /api/schema/ serves (its view's generator and renderer, without the request
    and so without the database at collection), called through Django's WSGI application."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    loaded.app = get_wsgi_application()
    return loaded


schema = _load()


@pytest.fixture
def wsgi_in_the_test_transaction():
    """Django's own test client keeps the test's connection across requests; so must the WSGI
    calls (else the end of a request closes the connection that holds the test's transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    rest = django_settings.REST_FRAMEWORK | {"DEFAULT_THROTTLE_RATES": {"token": None}}
    with override_settings(REST_FRAMEWORK=rest):
        yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(world, wsgi_in_the_test_transaction):
    """Unit A's records of every area, and the path parameters of each operation's probe."""
    modules = [importlib.import_module(f"zhenggai.api.tests.{area}") for area in AREAS]
    ids = {}
    for module in modules:
        ids |= module.objects(world)
    world.problem("第二个问题", measures=2)
    known = {}
    templates = operations()
    for module in modules:
        for operation_id, probe in module.probes(ids).items():
            _, template = templates.get(operation_id, (None, None))
            if template is not None:
                known[(probe.method, template)] = _path_parameters(template, probe.url)
    tokens = {who: _bearer(getattr(world, who)) for who in ("leader", "inspector")}
    return tokens, known


def _path_parameters(template: str, url: str) -> dict[str, str]:
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    found = re.fullmatch(pattern, url.split("?")[0])
    return found.groupdict() if found else {}


def _bearer(user) -> dict[str, str]:
    _, text = create_token(user, name="Schemathesis", scope="write", days=1)
    return {"Authorization": f"Bearer {text}"}


def _with_known_records(case, known: dict) -> None:
    """Half of the cases (chosen by the generated values, so a failing case replays the same)
    address the probe's real records instead of the generated ids."""
    real = known.get((case.method.lower(), case.path))
    if real and case.path_parameters:
        if zlib.crc32(repr(sorted(case.path_parameters.items())).encode()) % 2 == 0:
            case.path_parameters = {**case.path_parameters, **real}


@pytest.mark.parametrize("who", ["leader", "inspector"])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case, who, seeded):
    tokens, known = seeded
    _with_known_records(case, known)
    case.call_and_validate(headers=tokens[who], checks=CHECKS)
